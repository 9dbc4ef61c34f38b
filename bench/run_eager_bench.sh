#!/usr/bin/env bash
# cuda:eager vs HF transformers eager (bert-base encoder, fp16) on one GPU machine, plus the
# ceilings the issue's targets refer to (cuBLAS alone on the encoder's GEMM shapes, per-op rates
# of our forward, device-to-device copy bandwidth).
#
#   bench/run_eager_bench.sh BIN_DIR OUT_DIR
#
# BIN_DIR holds bertbench-cuda-bench (built with -DBERTBENCH_CUDA=ON); OUT_DIR receives the CSVs,
# the logs and eager_table.md (the side-by-side table for docs/PERFORMANCE.md).
set -uo pipefail
BIN=${1:?BIN_DIR}
OUT=${2:?OUT_DIR}
mkdir -p "$OUT"
export LD_LIBRARY_PATH=/usr/local/cuda/lib64:${LD_LIBRARY_PATH:-}
CELLS=(--batches 1,8,32,128 --seqs 128,512 --pads 0,0.5)
HERE=$(cd "$(dirname "$0")" && pwd)

echo "== bertbench cuda:eager sweep"
"$BIN/bertbench-cuda-bench" sweep "${CELLS[@]}" --csv "$OUT/bertbench_eager.csv" 2>&1 | tee "$OUT/bench_ours.log"
echo "== HF transformers eager sweep"
PYTHONUNBUFFERED=1 python3 "$HERE/eager_vs_hf.py" "${CELLS[@]}" --csv "$OUT/hf_eager.csv" \
    --ours "$OUT/bertbench_eager.csv" 2>&1 | tee "$OUT/bench_hf.log"
python3 "$HERE/eager_vs_hf.py" --table-only --csv "$OUT/hf_eager.csv" --ours "$OUT/bertbench_eager.csv" \
    > "$OUT/eager_table.md"
echo "== per-op profile, GEMMs alone, copy bandwidth (bert-base fp16, 128 x 512)"
{
    "$BIN/bertbench-cuda-bench" profile --batches 128 --seqs 512 --pads 0
    "$BIN/bertbench-cuda-bench" profile --batches 1 --seqs 128 --pads 0
    "$BIN/bertbench-cuda-bench" gemm --batches 128 --seqs 512
    "$BIN/bertbench-cuda-bench" copy
} 2>&1 | tee "$OUT/bench_ceilings.log"
