#!/usr/bin/env bash
# run --gpus on a GPU machine: one worker process per GPU (CUDA_VISIBLE_DEVICES=<index>), rows
# that name their GPU, a worker killed with SIGKILL mid-sweep, resume. One call, under a time guard.
#
#   bench/multi-gpu/multi_gpu.sh [--quick] [CLI] [OUT_DIR]
#       --quick  the one-GPU check, under 2 minutes: 12 cells (batch 1,8,32 x seq 128,512 x pad 0,0.5)
#       CLI      bertbench-cli built with CUDA (default .device-bench/bertbench-cli)
#       OUT_DIR  where the results land (default $OUT, else ./multi-gpu-out)
#   BUDGET_S (default 110 with --quick, else 560): seconds the whole script may take.
#
# Every run: bert-base fp16, cuda:eager vs cuda:sdpa and cuda:flash_attention_2, --cuda-graphs;
# full mode on the old script's grid (--sweep: 120 cells, 20 timed forwards), --quick on 12 cells.
# Steps:
#   1. --gpus 0: one worker; every row must carry GPU 0's name and the UUID nvidia-smi reports;
#      (--quick) the same cells in one process: per-cell medians compared with the worker's;
#   2. with 2+ GPUs: --gpus all; wall time against step 1's, per-cell medians compared (the GPUs
#      are alike, so the ratios should sit near 1), rows per GPU;
#   3. kill -9 of one worker mid-sweep (gpu1 with 2+ GPUs; gpu0 alone on one GPU, then --resume):
#      the run must end with every cell exactly once, all ok.
# Files under OUT_DIR: multi_gpu.log, the runs (runs.tar.gz), compare_*.txt.
set -uo pipefail
QUICK=0
if [ "${1:-}" = "--quick" ]; then
    QUICK=1
    shift
fi
CLI=${1:-.device-bench/bertbench-cli}
OUTD=${2:-${OUT:-multi-gpu-out}}
BUDGET_S=${BUDGET_S:-$([ $QUICK = 1 ] && echo 110 || echo 560)}
T0=$(date +%s)
mkdir -p "$OUTD"
WORK=$(mktemp -d /tmp/multigpu.XXXXXX)
LOG="$OUTD/multi_gpu.log"
: >"$LOG"
export LD_LIBRARY_PATH=/usr/local/cuda/lib64:${LD_LIBRARY_PATH:-}
left() { echo $((T0 + BUDGET_S - $(date +%s))); }
say() { echo "[$(($(date +%s) - T0)) s] $*" | tee -a "$LOG"; }
FAILED=0
check() { if "$@"; then say "   ok"; else say "   CHECK FAILED"; FAILED=1; fi; }
finish() {
    tar -czf "$OUTD/runs.tar.gz" -C "$WORK" . 2>/dev/null
    rm -rf "$WORK"
    say "== done in $(($(date +%s) - T0)) s, $([ $FAILED = 0 ] && echo 'all checks passed' || echo 'SOME CHECKS FAILED')"
}
trap finish EXIT

COMMON=(--device cuda --model bert-base --dtype fp16 --tasks encoder --baseline cuda:eager
        --backends cuda:sdpa,cuda:flash_attention_2 --cuda-graphs --seed 0 --quiet)
if [ $QUICK = 1 ]; then
    GRID=(--batch-sizes 1,8,32 --seq-lens 128,512 --pads 0,0.5 --warmup 3 --num-batches 10)
    CELLS=12
else
    GRID=(--sweep --warmup 3 --num-batches 20)
    CELLS=120
fi

say "== machine"
{
    nvidia-smi --query-gpu=index,name,uuid,driver_version,memory.total --format=csv
    "$CLI" --version
} 2>&1 | tee -a "$LOG"
NGPU=$(nvidia-smi -L 2>/dev/null | grep -c '^GPU ')
UUIDS=$(nvidia-smi --query-gpu=index,uuid --format=csv,noheader | tr -d ' ')
say "   $NGPU GPUs"
[ "$NGPU" -ge 1 ] || { say "no GPU: nothing to do"; exit 1; }

# run NAME LIMIT_S ARGS...: the CLI under a time guard (SIGINT at the limit: it saves what it has).
run() {
    local name=$1 limit=$2
    shift 2
    local t=$(date +%s.%N)
    timeout -s INT -k 15 "$limit" "$CLI" run "${COMMON[@]}" "${GRID[@]}" "$@" --out "$WORK/$name" \
        >"$WORK/$name.log" 2>&1
    local rc=$?
    local wall=$(echo "$(date +%s.%N) - $t" | bc)
    echo "$wall" >"$WORK/$name.wall"
    say "   $name: rc=$rc, wall ${wall} s"
    grep -i -E "worker|error|warning" "$WORK/$name.log" | head -n 8 | tee -a "$LOG"
    return 0
}

# every_cell_once RUN_JSON [GPU_INDICES]: each (cell, candidate) once, all ok; with indices, every
# row names one of those GPUs, with the UUID nvidia-smi gave for it.
every_cell_once() {
    python3 - "$1" "$CELLS" "${2:-}" "$UUIDS" <<'EOF'
import json, sys
path, cells, gpus, uuids = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
uuid_of = dict(line.split(",", 1) for line in uuids.split() if "," in line)
run = json.load(open(path))
rows = run["rows"]
keys = [(r["task"], r["batch_size"], r["seq_len"], r["pad"], r["candidate"]["backend"]) for r in rows]
want = cells * len(run["spec"]["candidates"])
ok = len(keys) == want and len(set(keys)) == want and all(r["status"] == "ok" for r in rows)
print(f"   {len(rows)} rows, {len(set(keys))} distinct of {want}, {sum(r['status'] == 'ok' for r in rows)} ok")
if gpus:
    allowed = {int(g) for g in gpus.split(",")}
    per = {}
    for r in rows:
        g = r.get("gpu", {})
        per[g.get("index", -1)] = per.get(g.get("index", -1), 0) + 1
        if g.get("index", -1) not in allowed or g.get("uuid") != uuid_of.get(str(g.get("index"))) or not g.get("name"):
            print(f"   row {r['batch_size']}x{r['seq_len']} p{r['pad']} has gpu {g}")
            ok = False
    print("   rows per GPU index: " + ", ".join(f"{k}: {v}" for k, v in sorted(per.items())))
sys.exit(0 if ok else 1)
EOF
}

# compare A B: per-cell medians of B against A (ratio B/A of each candidate's and baseline's median).
compare() {
    python3 - "$1" "$2" <<'EOF' | tee "$OUTD/compare_$3.txt" | tee -a "$LOG"
import json, math, sys
def rows(p):
    return {(r["batch_size"], r["seq_len"], r["pad"], r["candidate"]["backend"]): r
            for r in json.load(open(p))["rows"] if r["status"] == "ok"}
a, b = rows(sys.argv[1]), rows(sys.argv[2])
common = sorted(set(a) & set(b))
for side in ("baseline", "candidate"):
    ratios = [(b[k][side]["latency"]["median_ms"] / a[k][side]["latency"]["median_ms"], k) for k in common]
    if not ratios:
        print("   no common ok cells"); break
    geo = math.exp(sum(math.log(r) for r, _ in ratios) / len(ratios))
    lo, hi = min(ratios), max(ratios)
    print(f"   {side} median B/A over {len(ratios)} cells: geo-mean {geo:.3f}, min {lo[0]:.3f} {lo[1]}, max {hi[0]:.3f} {hi[1]}")
EOF
}

say "== 1. --gpus 0 (one worker on GPU 0)"
SHARE=$([ "$NGPU" -ge 2 ] && echo 3 || echo 2)   # steps still to come share what is left
run gpus0 $(($(left) / SHARE)) --gpus 0
check every_cell_once "$WORK/gpus0/run.json" 0
if [ $QUICK = 1 ]; then
    say "== 1b. the same cells in one process (no --gpus)"
    run single $(($(left) / 2))
    check every_cell_once "$WORK/single/run.json"
    compare "$WORK/single/run.json" "$WORK/gpus0/run.json" single_vs_gpus0
fi

if [ "$NGPU" -ge 2 ]; then
    say "== 2. --gpus all ($NGPU workers)"
    run gpusall $(($(left) / 2)) --gpus all
    check every_cell_once "$WORK/gpusall/run.json" "$(seq -s, 0 $((NGPU - 1)))"
    say "   wall: --gpus 0 $(cat "$WORK/gpus0.wall") s, --gpus all $(cat "$WORK/gpusall.wall") s"
    compare "$WORK/gpus0/run.json" "$WORK/gpusall/run.json" gpus0_vs_all
fi

say "== 3. kill -9 of a worker mid-sweep"
if [ "$NGPU" -ge 2 ]; then GPUS=all; VICTIM=gpu1; else GPUS=0; VICTIM=gpu0; fi
"$CLI" run "${COMMON[@]}" "${GRID[@]}" --gpus $GPUS --out "$WORK/kill" >"$WORK/kill.log" 2>&1 &
PARENT=$!
journal="$WORK/kill/$VICTIM/run.journal"
for _ in $(seq 1 $((10 * $(left) / 2))); do
    [ -f "$journal" ] && [ "$(wc -l <"$journal")" -ge 4 ] && break   # header + 3 rows = a cell
    kill -0 $PARENT 2>/dev/null || break
    sleep 0.1
done
if kill -0 $PARENT 2>/dev/null && [ -f "$WORK/kill/$VICTIM/worker.pid" ]; then
    pid=$(cat "$WORK/kill/$VICTIM/worker.pid")
    say "   kill -9 $VICTIM (pid $pid) after $(($(wc -l <"$journal") - 1)) rows"
    kill -9 "$pid"
else
    say "   the sweep ended before $VICTIM could be killed"
fi
timeout -s INT -k 15 $(($(left) - 5)) tail --pid=$PARENT -f /dev/null
wait $PARENT
say "   parent rc=$? ($([ "$NGPU" -ge 2 ] && echo 'expected 0: the others took its cells' || echo 'expected 1: the only worker died'))"
grep -E "worker .* killed|cells were not measured" "$WORK/kill.log" | tee -a "$LOG"
if [ "$NGPU" -lt 2 ]; then
    say "   --resume (the killed worker's cell in flight is measured again)"
    timeout -s INT -k 15 $(($(left) - 5)) "$CLI" run --resume "$WORK/kill" --quiet >"$WORK/resume.log" 2>&1
    say "   resume rc=$?"
fi
check every_cell_once "$WORK/kill/run.json" "$([ "$NGPU" -ge 2 ] && seq -s, 0 $((NGPU - 1)) || echo 0)"
