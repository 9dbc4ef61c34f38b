#!/usr/bin/env bash
# End-to-end bert-base encoder, fp16: bertbench-cli's CUDA backends beside the PyTorch peers, in ONE
# call on the GPU machine, under a time guard.
#
#   bench/run_peer_bench.sh [CLI] [OUT_DIR]
#       CLI      bertbench-cli built with CUDA (default .device-bench/bertbench-cli)
#       OUT_DIR  where the results land (default $OUT, else ./peer-bench-out)
#   BUDGET_S=440 (default): seconds the whole script may take; the peers skip what no longer fits.
#
# Steps (each later one is cut short first when time runs out):
#   1. bertbench-cli on the issue-4 target cells: 128 x 512 at pad 0 and 0.5 (60 timed forwards),
#      1 x 128 at pad 0 (300 timed forwards);
#   2. bertbench-cli on the old script's grid: batch 1..128 x seq 128/256/512 x pad 0/0.1/0.2/0.5/0.75
#      (20 timed forwards a cell);
#      both: --baseline cuda:eager --backends cuda:sdpa,cuda:flash_attention_2 --cuda-graphs;
#   3. bench/peers/hf_peers.py on the same cells and BertBench's own batches (plan below): HF eager,
#      HF sdpa, the nn.TransformerEncoder nested fast path everywhere; torch.compile (reduce-overhead)
#      on the target cells and on grid cells as time allows (~10 s of compiling per new shape);
#   4. bench/peers/make_table.py: side_by_side.csv, table.md (the tables of docs/PERFORMANCE.md),
#      printed last.
# Files under OUT_DIR: bench.log, side_by_side.csv, table.md, peers.csv, ours_runs.tar.gz.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
CLI=${1:-.device-bench/bertbench-cli}
OUTD=${2:-${OUT:-peer-bench-out}}
BUDGET_S=${BUDGET_S:-440}
T0=$(date +%s)
mkdir -p "$OUTD"
WORK=$(mktemp -d /tmp/peerbench.XXXXXX)
LOG="$OUTD/bench.log"
export LD_LIBRARY_PATH=/usr/local/cuda/lib64:${LD_LIBRARY_PATH:-}
export PYTHONUNBUFFERED=1
left() { echo $((T0 + BUDGET_S - $(date +%s))); }
say() { echo "[$(($(date +%s) - T0)) s] $*" | tee -a "$LOG"; }

say "== machine"
{
    nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm,clocks.max.sm,temperature.gpu,power.draw --format=csv
    "$CLI" --version
    ldd "$CLI" | grep -i -E "not found|cublas|cudart" || true
} 2>&1 | tee -a "$LOG"

COMMON=(--device cuda --model bert-base --dtype fp16 --tasks encoder --baseline cuda:eager
        --backends cuda:sdpa,cuda:flash_attention_2 --cuda-graphs --seed 0)
cli_run() {   # name limit_s args...: SIGINT at the limit, the CLI then saves the rows it has
    local name=$1 limit=$2
    shift 2
    say "== bertbench-cli $name (limit ${limit} s): ${COMMON[*]} $*"
    timeout -s INT -k 15 "$limit" "$CLI" run "${COMMON[@]}" "$@" --out "$WORK/$name" >"$WORK/$name.log" 2>&1
    local rc=$?
    say "   rc=$rc ($(grep -c ',ok,' "$WORK/$name/results.csv" 2>/dev/null || echo 0) ok rows)"
    sed -n '/^Summary/,$p' "$WORK/$name.log" | head -n 20 | tee -a "$LOG"
    grep -i -E "error|oom|warning" "$WORK/$name.log" | head -n 10 | tee -a "$LOG"
}

cli_run ours_t512 60 --batch-sizes 128 --seq-lens 512 --pads 0,0.5 --warmup 5 --num-batches 60
cli_run ours_t128 30 --batch-sizes 1 --seq-lens 128 --pads 0 --warmup 20 --num-batches 300
GRID_B=1,2,4,8,16,32,64,128
GRID_S=128,256,512
GRID_P=0,0.1,0.2,0.5,0.75
glim=$(left); glim=$((glim - 260)); [ "$glim" -gt 120 ] && glim=120; [ "$glim" -lt 30 ] && glim=30
cli_run ours_grid "$glim" --batch-sizes $GRID_B --seq-lens $GRID_S --pads $GRID_P --warmup 3 --num-batches 20

say "== PyTorch peers ($(left) s left)"
TGT=128:512:0,128:512:0.5,1:128:0
GRID=grid:$GRID_B:$GRID_S:$GRID_P
cat >"$WORK/plan.txt" <<EOF
hf_sdpa    $TGT  target_ms=1500 min_iters=20 max_iters=300
pt_nested  $TGT  target_ms=1500 min_iters=20 max_iters=300
hf_eager   $TGT  target_ms=1000 min_iters=15 max_iters=300
hf_compile $TGT  target_ms=1500 min_iters=20 max_iters=300
hf_sdpa    $GRID target_ms=150 min_iters=8 max_iters=40
pt_nested  $GRID target_ms=150 min_iters=8 max_iters=40
hf_compile 8:256:0.2,32:128:0.75,64:512:0.1,2:512:0.5
hf_eager   $GRID target_ms=100 min_iters=5 max_iters=30
hf_compile 1:512:0,4:128:0,8:512:0,16:256:0,32:512:0,64:256:0,64:512:0,128:256:0,128:128:0,2:256:0
EOF
deadline=$((T0 + BUDGET_S - 12))
timeout -s INT -k 10 $((deadline - $(date +%s) + 5)) python3 "$HERE/peers/hf_peers.py" --plan "$WORK/plan.txt" \
    --csv "$OUTD/peers.csv" --deadline "$deadline" 2>&1 | grep -v -E "^\s*$|warnings.warn" | tee -a "$LOG"

say "== table"
tar -C "$WORK" -czf "$OUTD/ours_runs.tar.gz" . 2>/dev/null
python3 "$HERE/peers/make_table.py" \
    --targets-run "$WORK/ours_t512/results.csv,$WORK/ours_t128/results.csv" \
    --grid-run "$WORK/ours_grid/results.csv" --peers "$OUTD/peers.csv" \
    --csv "$OUTD/side_by_side.csv" --md "$OUTD/table.md" >"$WORK/table.txt" 2>&1
say "done in $(($(date +%s) - T0)) s"
cat "$WORK/table.txt" | tee -a "$LOG"
