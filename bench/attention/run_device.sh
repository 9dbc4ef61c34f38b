#!/usr/bin/env bash
# Attention kernels on the GPU machine, in one call: check, time, PyTorch peers, tile variants,
# SASS, ncu, sanitizers. Output in $OUT: results.md (tables), gpu.txt, ncu.txt, sanitizers.txt,
# sass.txt.gz, the lengths file (the tool brings back at most 8 files).
#   bash bench/attention/run_device.sh            (uses .device-attn/attn_bench if carried and it
#                                                  runs there, else builds it with nvcc)
#   STEPS="check time" bash bench/attention/run_device.sh
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT=${OUT:-/tmp/attn-out}
mkdir -p "$OUT"
BIN=.device-attn/attn_bench
if ! "$BIN" > /dev/null 2>&1; then   # absent, or built for another machine
  mkdir -p .device-attn
  bash bench/attention/build_attn_bench.sh "$BIN" || exit 1
fi
nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.max.sm,temperature.gpu,power.draw --format=csv | tee "$OUT/gpu.txt"
R="$OUT/results.md"
: > "$R"
STEPS=${STEPS:-"check time peers variants sass ncu sanitize"}
for step in $STEPS; do
  echo "=== $step"
  case $step in
    check)    timeout 180 "$BIN" --check --lengths-dir "$OUT" | tee -a "$R" ;;
    time)     timeout 120 "$BIN" --time --lengths-dir "$OUT" | tee -a "$R" ;;
    peers)    PYTHONUNBUFFERED=1 timeout 180 python3 bench/attention/sdpa_peers.py \
                --lengths "$OUT/lengths_b128_s512_pad0.5.txt" 2>&1 | grep -v Warning | tee -a "$R" ;;
    variants) timeout 240 "$BIN" --variants | tee -a "$R" ;;
    sass)     cuobjdump -sass "$BIN" | gzip > "$OUT/sass.txt.gz" ;;
    ncu)      timeout 150 ncu --kernel-name regex:flashAttentionForward --launch-skip 12 --launch-count 1 \
                --section SpeedOfLight --section ComputeWorkloadAnalysis --section Occupancy \
                --section WarpStateStats --section LaunchStats --section SchedulerStats \
                --metrics regex:smsp__average_warps_issue_stalled_.*_per_issue_active\\.ratio,sm__pipe_tensor_op_hmma_cycles_active.avg.pct_of_peak_sustained_active,sm__inst_executed_pipe_tensor_op_hmma.sum,smsp__inst_executed.sum,l1tex__data_bank_conflicts_pipe_lsu_mem_shared.sum \
                "$BIN" --profile > "$OUT/ncu.txt" 2>&1
              grep -E "Duration|SM Frequency|Elapsed Cycles|Registers|Achieved Occupancy|hmma|stalled_(barrier|long|short|math|mio|wait|not_sel|dispatch|no_inst|branch|lg_)|bank_conf|inst_executed.sum" "$OUT/ncu.txt" ;;
    sanitize) { timeout 150 compute-sanitizer --tool memcheck "$BIN" --check --quick 2>&1 | tail -n 3
                timeout 150 compute-sanitizer --tool racecheck "$BIN" --check --quick 2>&1 | tail -n 3; } > "$OUT/sanitizers.txt"
              cat "$OUT/sanitizers.txt" ;;
  esac
done
echo "=== summary"
grep -E "^\| (library|variant|sdpa|varlen)" "$R" | grep -vE "\| (ok|FAIL) \|$" || true
grep -cE "\| ok \|$" "$R"; grep -E "FAIL|CHECKS" "$R" || true
