#!/usr/bin/env bash
# HuggingFace transformers (torch:*) beside BertBench's CUDA backends, in ONE call on the GPU machine:
# the old script's measurement redone by BertBench, and ours against HF's in the same run.
#
#   bash bench/torch/grid.sh                     # on the GPU machine: builds, measures, prints the table
#   bash bench/torch/grid.sh --device cpu        # dry run anywhere: tiny model, CPU backends, small grid
#
# Binaries: --cli PATH, else a carried .device-bench/bertbench-cli that runs here (bench/device/build.sh
# builds it on the workstation), else bench/device/build.sh runs here. bench/device/run.sh's torch-grid
# step calls this script with --cli.
#
# Options:  --device cuda|cpu (default cuda)   --python PATH (default /opt/torch/.venv/bin/python3 when it
#           exists, else python3)   --cli PATH (a built bertbench-cli: skips the build; on cuda a carried
#           .device-bench/bertbench-cli that runs is used too)   --out DIR
#           (default $OUT, else ./torch-grid-out)
# Env:      BUDGET_S (default 470): seconds the whole script may take, build included; later steps are
#           cut short first (each bertbench-cli run is stopped with SIGINT at its limit and keeps its rows).
#           GRID_LIMIT_S (default 300): the most the grid step may take of that. The grid runs with
#           --no-profile: its tables are about time and memory, and the profile costs time per cell.
#
# Steps on cuda (bert-base, encoder, fp16, seed 0):
#   0. the CLI (unless given or carried): bench/device/build.sh cli.
#   1. grid: the old script's cells, batch 1..128 x seq 128/256/512 x pad 0/0.1/0.2/0.5/0.75, baseline
#      torch:eager, candidates torch:sdpa, cuda:sdpa, cuda:flash_attention_2 (warm-up 2, 10 timed).
#   2. agreement: batch 64 x seq 128/512 x pad 0/0.5, baseline cuda:eager, candidates torch:eager,
#      torch:sdpa, torch:sdpa+compile: outputs of torch:* vs cuda:eager (rel L2 <= 3e-3), and
#      torch:sdpa+compile's latency (vs torch:eager in the same cells) and compile time.
#   3. peers: bench/end-to-end/hf_peers.py's hf_sdpa on the grid's cells and BertBench's own batches:
#      torch:sdpa's median within 5% of hf_sdpa's; hf_compile on step 2's cells as time allows.
#   4. report: bench/torch/grid_report.py prints the tables (last) and writes CSVs + table.md into OUT.
# On cpu the same plumbing runs with the tiny model in fp32, a 2x2x2 grid, cpu:eager as the reference;
# the torch:* backends and the peers join only where the interpreter has torch + transformers.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DEVICE=cuda
PYTHON=""
CLI=""
OUTD=${OUT:-torch-grid-out}
while [ $# -gt 0 ]; do
    case "$1" in
        --device) DEVICE=$2; shift 2 ;;
        --python) PYTHON=$2; shift 2 ;;
        --cli) CLI=$2; shift 2 ;;
        --out) OUTD=$2; shift 2 ;;
        -h|--help) sed -n "2,/^set -uo/p" "$0" | sed "$ d"; exit 0 ;;
        *) echo "grid.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
    esac
done
case "$DEVICE" in cuda|cpu) ;; *) echo "grid.sh: --device must be cuda or cpu, got '$DEVICE'" >&2; exit 2 ;; esac
if [ -z "$PYTHON" ]; then
    if [ -x /opt/torch/.venv/bin/python3 ]; then PYTHON=/opt/torch/.venv/bin/python3; else PYTHON=python3; fi
fi
BUDGET_S=${BUDGET_S:-470}
T0=$(date +%s)
mkdir -p "$OUTD"
OUTD=$(cd "$OUTD" && pwd)
LOG="$OUTD/torch_grid.log"
: >"$LOG"
WORK=$(mktemp -d /tmp/torchgrid.XXXXXX)
trap 'rm -rf "$WORK"' EXIT   # its logs and runs are copied into OUT (runs.tar.gz) before the end
# The workers exchange each cell's output through files: RAM is much faster than disk for bert-base's
# [128, 512, 768] fp32 outputs.
# Only when it has room: 4 temporary bert-base checkpoints (440 MB each) plus an output file.
shm_kb=$(df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 { print $4 }')
if [ -w /dev/shm ] && [ "${shm_kb:-0}" -gt 4000000 ]; then export TMPDIR=/dev/shm; fi
export PYTHONUNBUFFERED=1
export LD_LIBRARY_PATH=/usr/local/cuda/lib64:${LD_LIBRARY_PATH:-}
left() { echo $((T0 + BUDGET_S - $(date +%s))); }
say() { echo "[$(($(date +%s) - T0)) s] $*" | tee -a "$LOG"; }

# ---- 0. the CLI ---------------------------------------------------------------------------------------
# A binary carried along (.device-bench/bertbench-cli) is taken when it runs here; otherwise the
# script builds one (the device image has nvcc, CMake and ninja).
if [ -z "$CLI" ] && [ "$DEVICE" = cuda ] && [ -x "$ROOT/.device-bench/bertbench-cli" ]; then
    if "$ROOT/.device-bench/bertbench-cli" --version >/dev/null 2>&1; then
        CLI="$ROOT/.device-bench/bertbench-cli"
        say "== using the carried $CLI"
    else
        say "== the carried .device-bench/bertbench-cli does not run here ($("$ROOT/.device-bench/bertbench-cli" --version 2>&1 | head -n 1)); building"
    fi
fi
if [ -z "$CLI" ]; then
    if [ "$DEVICE" = cuda ]; then
        say "== build: bench/device/build.sh cli ($(nproc) cores)"
        DEST="$WORK/bin" bash "$ROOT/bench/device/build.sh" cli 2>&1 | tee -a "$LOG" | tail -n 30
        CLI="$WORK/bin/bertbench-cli"
        [ -x "$CLI" ] || { say "build failed: build on a workstation with bench/device/build.sh and carry .device-bench"; exit 1; }
    else
        CLI="$ROOT/build-core/app/bertbench-cli"
        if [ ! -x "$CLI" ]; then
            say "== build: cmake --preset core (bertbench-cli)"
            (cd "$ROOT" && cmake --preset core >"$WORK/configure.log" 2>&1 &&
                cmake --build --preset core --target bertbench-cli >"$WORK/build.log" 2>&1) ||
                { say "build failed"; tail -n 30 "$WORK/build.log" | tee -a "$LOG"; exit 1; }
        fi
    fi
fi
[ -x "$CLI" ] || { say "no bertbench-cli at $CLI"; exit 2; }
say "== machine ($(left) s left)"
{
    "$CLI" --version
    [ "$DEVICE" = cuda ] && nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm,clocks.max.sm \
        --format=csv 2>&1
    "$CLI" info --python "$PYTHON" 2>&1 | grep -E "GPU|CUDA|Torch"
    "$CLI" list-backends --python "$PYTHON" 2>&1 | grep -E "^(torch|cuda):"
} 2>&1 | tee -a "$LOG"
AVAILABLE=$("$CLI" list-backends --names --python "$PYTHON" 2>/dev/null | tr '\n' ' ')
have() { case " $AVAILABLE " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
# The backends of a comma list that can run here; the others are reported once.
usable() {
    local out="" b
    for b in $(echo "$1" | tr ',' ' '); do
        if have "$b"; then out="$out${out:+,}$b"; else say "   skipping $b: not available here (list-backends above says why)" >&2; fi
    done
    echo "$out"
}

# ---- the plan -----------------------------------------------------------------------------------------
if [ "$DEVICE" = cuda ]; then
    COMMON=(--device cuda --model bert-base --dtype fp16 --tasks encoder --seed 0 --python "$PYTHON" --quiet)
    GRID_B=1,2,4,8,16,32,64,128; GRID_S=128,256,512; GRID_P=0,0.1,0.2,0.5,0.75
    GRID_BASE=torch:eager; GRID_CANDS=torch:sdpa,cuda:sdpa,cuda:flash_attention_2
    AGREE_BASE=cuda:eager; AGREE_CANDS=torch:eager,torch:sdpa,torch:sdpa+compile
    AGREE_B=64; AGREE_S=128,512; AGREE_P=0,0.5
    WARMUP=2; TIMED=10
else
    COMMON=(--device cpu --model tiny --dtype fp32 --tasks encoder --seed 0 --python "$PYTHON" --quiet)
    GRID_B=1,4; GRID_S=32,64; GRID_P=0,0.5
    GRID_BASE=cpu:eager; GRID_CANDS=torch:eager,torch:sdpa,cpu:sdpa,cpu:flash_attention_2
    have torch:eager && GRID_BASE=torch:eager && GRID_CANDS=torch:sdpa,cpu:sdpa,cpu:flash_attention_2
    AGREE_BASE=cpu:eager; AGREE_CANDS=torch:eager,torch:sdpa,cpu:sdpa
    AGREE_B=4; AGREE_S=32,64; AGREE_P=0,0.5
    WARMUP=1; TIMED=3
fi
have "$GRID_BASE" || { say "baseline $GRID_BASE is not available here: nothing to measure"; exit 1; }

cli_run() {   # name limit_s args...: SIGINT at the limit; the CLI then saves the rows it has
    local name=$1 limit=$2
    shift 2
    [ "$limit" -lt 10 ] && { say "== $name: skipped, $limit s left"; return; }
    say "== bertbench-cli $name (limit ${limit} s): ${COMMON[*]} $*"
    timeout -s INT -k 20 "$limit" "$CLI" run "${COMMON[@]}" "$@" --out "$WORK/$name" >"$WORK/$name.log" 2>&1
    local rc=$?
    cp "$WORK/$name/results.csv" "$OUTD/$name.csv" 2>/dev/null
    local ok=0
    [ -f "$WORK/$name/results.csv" ] && ok=$(grep -c ',ok,' "$WORK/$name/results.csv")
    say "   rc=$rc, $ok ok rows -> $OUTD/$name.csv"
    grep -E -A3 "error|oom|problem|cannot" "$WORK/$name.log" | head -n 12 | tee -a "$LOG"
}

# ---- 1. the grid --------------------------------------------------------------------------------------
cands=$(usable "$GRID_CANDS")
glim=$(($(left) - 190)); [ "$glim" -gt "${GRID_LIMIT_S:-300}" ] && glim=${GRID_LIMIT_S:-300}
if [ -n "$cands" ]; then
    cli_run grid "$glim" --baseline "$GRID_BASE" --backends "$cands" --batch-sizes "$GRID_B" \
        --seq-lens "$GRID_S" --pads "$GRID_P" --warmup "$WARMUP" --num-batches "$TIMED" --no-profile
fi

# ---- 2. output agreement and torch.compile, a few cells ----------------------------------------------
cands=$(usable "$AGREE_CANDS")
if [ -n "$cands" ] && have "$AGREE_BASE"; then
    # One run: each torch:* worker starts once (importing torch, loading the model: seconds each).
    alim=$(($(left) - 45)); [ "$alim" -gt 150 ] && alim=150
    cli_run agreement "$alim" --baseline "$AGREE_BASE" --backends "$cands" --batch-sizes "$AGREE_B" \
        --seq-lens "$AGREE_S" --pads "$AGREE_P" --warmup "$WARMUP" --num-batches "$TIMED"
fi

# ---- 3. the HF peer, same cells and batches -----------------------------------------------------------
say "== peers ($(left) s left)"
"$PYTHON" "$HERE/../end-to-end/hf_peers.py" --self-test >"$WORK/peers-selftest.log" 2>&1 &&
    say "   hf_peers.py --self-test ok (its batch generator)" || say "   hf_peers.py --self-test FAILED"
if [ "$DEVICE" = cuda ] && "$PYTHON" -c "import torch, transformers; assert torch.cuda.is_available()" 2>/dev/null; then
    deadline=$((T0 + BUDGET_S - 15))
    cat >"$WORK/plan.txt" <<EOF
hf_sdpa    grid:$GRID_B:$GRID_S:$GRID_P target_ms=100 min_iters=10 max_iters=30
hf_compile grid:$AGREE_B:$AGREE_S:$AGREE_P target_ms=200 min_iters=10 max_iters=30
EOF
    timeout -s INT -k 10 $((deadline - $(date +%s) + 5)) "$PYTHON" "$HERE/../end-to-end/hf_peers.py" --plan "$WORK/plan.txt" \
        --csv "$OUTD/peers.csv" --deadline "$deadline" --warmup 2 >"$WORK/peers.log" 2>&1
    say "   rc=$?, $(($(wc -l <"$OUTD/peers.csv" 2>/dev/null || echo 1) - 1)) peer rows -> $OUTD/peers.csv"
    grep -E "skip|error|oom" "$WORK/peers.log" | head -n 5 | tee -a "$LOG"
else
    say "   the peers need torch + transformers + a GPU in $PYTHON: skipped"
fi

# ---- 4. the report ------------------------------------------------------------------------------------
say "== report ($(($(date +%s) - T0)) s so far)"
tar -C "$WORK" --exclude=./bin -czf "$OUTD/runs.tar.gz" . 2>/dev/null
python3 "$HERE/grid_report.py" --self-test 2>&1 | tee -a "$LOG"
python3 "$HERE/grid_report.py" --grid "$OUTD/grid.csv" --agreement "$OUTD/agreement.csv" \
    --peers "$OUTD/peers.csv" --out "$OUTD" 2>&1 | tee "$OUTD/report.txt" | tee -a "$LOG" >/dev/null
say "done in $(($(date +%s) - T0)) s; files in $OUTD"
cat "$OUTD/report.txt"
