#!/usr/bin/env bash
# One device call for issue 3: verify (tiny with kernel checks and CUDA graphs; bert-base plain
# and with graphs; bert-large; all tasks, fp32/fp16/bf16), compute-sanitizer memcheck on a small
# verify, then the eager bench (bench/run_eager_bench.sh). Logs and CSVs go to WORK_DIR, then
# into OUT_DIR/issue3.tgz (the device tool returns at most 8 files).
#   bench/gpu_check_issue3.sh BIN_DIR OUT_DIR [WORK_DIR]
set -uo pipefail
BIN=${1:?BIN_DIR}
OUT=${2:?OUT_DIR}
W=${3:-/tmp/issue3}
mkdir -p "$OUT" "$W"
export LD_LIBRARY_PATH=/usr/local/cuda/lib64:${LD_LIBRARY_PATH:-}
CLI="$BIN/bertbench-cli"
HERE=$(cd "$(dirname "$0")" && pwd)
status() { echo "$1: rc=$2" | tee -a "$W/summary.txt"; }
step() { echo "== $(date +%T) $1"; }

nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm,clocks.max.sm --format=csv > "$W/gpu.txt"
"$CLI" info >> "$W/gpu.txt" 2>&1

step "verify tiny (kernel checks, graphs)"
timeout 200 "$CLI" verify --model tiny --seed 11 --cuda-graphs --verbose > "$W/verify_tiny.log" 2>&1
status "verify tiny --cuda-graphs" $?
step "compute-sanitizer memcheck"
timeout 300 compute-sanitizer --tool memcheck --leak-check no --error-exitcode 9 \
    "$CLI" verify --model tiny --seed 12 --cases 2x77@0.5,1x33 > "$W/sanitizer.log" 2>&1
status "compute-sanitizer memcheck, verify tiny" $?
step "verify bert-base"
timeout 300 "$CLI" verify --model bert-base --seed 21 --no-kernel-checks > "$W/verify_base.log" 2>&1
status "verify bert-base" $?
timeout 300 "$CLI" verify --model bert-base --seed 22 --no-kernel-checks --cuda-graphs > "$W/verify_base_graphs.log" 2>&1
status "verify bert-base --cuda-graphs" $?
step "bench"
timeout 400 bash "$HERE/run_eager_bench.sh" "$BIN" "$W" > "$W/bench_all.log" 2>&1
status "bench" $?
step "verify bert-large"
timeout 400 "$CLI" verify --model bert-large --seed 31 --no-kernel-checks > "$W/verify_large.log" 2>&1
status "verify bert-large" $?

tar czf "$OUT/issue3.tgz" -C "$W" .
cp "$W/summary.txt" "$OUT/"
echo "===== tiny"; grep -E "verify:|FAIL|ERROR" "$W/verify_tiny.log" | tail -5
echo "===== sanitizer"; grep -E "ERROR SUMMARY|verify:" "$W/sanitizer.log" | tail -3
for f in verify_base verify_base_graphs verify_large; do
    echo "===== $f"; sed -n '/Model outputs/,$p' "$W/$f.log" | grep -v "^  ---" | cut -c1-130
done
echo "===== bench"; cat "$W/eager_table.md"
grep -E "hf eager (fp16|bf16) vs" "$W/bench_hf.log"
grep -E "GB/s|per layer|profile|^  [a-z]|copy" "$W/bench_ceilings.log" | cut -c1-110 | head -45
cat "$W/summary.txt"
