# Multi-GPU step of bench/device/run.sh (sourced): bertbench-cli run --gpus, one worker per GPU.
MULTI_GPU_BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

step_multi_gpu() {  # multi-gpu: --gpus 0 vs one process, --gpus all, kill -9 of a worker and --resume (--quick unless MULTI_GPU_FULL=1)
  fits 60 "multi-gpu" || return
  local quick=--quick; [ -n "${MULTI_GPU_FULL:-}" ] && quick=
  BUDGET_S=$(($(left) - 10)) bash "$MULTI_GPU_BENCH/multi_gpu.sh" $quick "$CLI" "$W/multi-gpu" > "$W/multi-gpu.log" 2>&1
  say "   multi-gpu rc=$?"
  grep -E "ok$|CHECK FAILED|geo-mean|wall|rows per GPU|done in" "$W/multi-gpu/multi_gpu.log" | tail -n 20 | tee -a "$S"
}
