#!/usr/bin/env bash
# One call on the GPU machine: compute-sanitizer (memcheck, racecheck) over every CUDA backend's
# verify run, then verify on bert-base at full size, then the memory/time of the issue-4 target
# cells. Logs under OUT_DIR; a short table last.
#   bench/gpu_reliability.sh [CLI] [OUT_DIR]
set -uo pipefail
CLI=${1:-.device-bench/bertbench-cli}
OUTD=${2:-${OUT:-gpu-reliability-out}}
mkdir -p "$OUTD"
summary=()
step() {  # step NAME command...
  local name=$1; shift
  local t0=$(date +%s)
  "$@" > "$OUTD/$name.log" 2>&1
  local rc=$?
  summary+=("$(printf '%-28s rc=%-3s %4ss' "$name" "$rc" "$(( $(date +%s) - t0 ))")")
}
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader > "$OUTD/gpu.txt" 2>&1

# Small model so the sanitizers finish: every backend, dtype and task, odd lengths, padding.
step memcheck compute-sanitizer --tool memcheck --error-exitcode 9 \
  "$CLI" verify --model tiny --cases 1x77,3x64@0.75 --seed 3 --threads 16
step racecheck compute-sanitizer --tool racecheck --racecheck-report hazard --error-exitcode 9 \
  "$CLI" verify --model tiny --tasks encoder,classification --dtypes fp16,bf16 --cases 2x77@0.5 --seed 3 --threads 16
step verify-bert-base "$CLI" verify --model bert-base --seed 8 --threads 16
step cells-128x512 "$CLI" run --device cuda --model bert-base --dtype fp16 --tasks encoder \
  --baseline cuda:eager --backends cuda:sdpa,cuda:flash_attention_2 --batch-sizes 128 --seq-lens 512 \
  --pads 0,0.5 --num-batches 30 --cuda-graphs --quiet --out "$OUTD/run-128x512"
step cells-1x128 "$CLI" run --device cuda --model bert-base --dtype fp16 --tasks encoder \
  --baseline cuda:eager --backends cuda:sdpa,cuda:flash_attention_2 --batch-sizes 1 --seq-lens 128 \
  --pads 0 --num-batches 200 --cuda-graphs --quiet --out "$OUTD/run-1x128"

echo "== sanitizer summaries"
grep -hE "ERROR SUMMARY|RACECHECK SUMMARY|Race reported|hazard" "$OUTD/memcheck.log" "$OUTD/racecheck.log" | sort | uniq -c | head
echo "== verify bert-base (tail)"
tail -25 "$OUTD/verify-bert-base.log"
echo "== cells"
for d in run-128x512 run-1x128; do
  [ -f "$OUTD/$d/results.csv" ] && python3 - "$OUTD/$d/results.csv" <<'PY'
import csv, sys
for r in csv.DictReader(open(sys.argv[1])):
    print(f"{r['batch_size']:>4}x{r['seq_len']:<4} pad {r['pad']:<4} {r['candidate']:<24} base {float(r['baseline_median_ms']):8.3f} ms"
          f"  cand {float(r['candidate_median_ms']):8.3f} ms  peak base {float(r['baseline_peak_mb']):8.1f} MB"
          f"  cand {float(r['candidate_peak_mb']):8.1f} MB  rel_err {r['rel_error']}  {r['status']}")
PY
done
echo "== steps"
printf '%s\n' "${summary[@]}"
