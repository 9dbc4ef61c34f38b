# GEMM steps of bench/device/run.sh (sourced): the own Hopper GEMM (a benchmark, not in the forward)
# and cuBLAS alone on BERT's four linear layers (bench/gemm/hopper_gemm_bench.cu), and what Nsight
# Compute says about them.
GEMM_BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

step_gemm() {  # gemm: the Hopper GEMM benchmark's variants (GEMM_VARIANTS, default "base direct tanh") checked and timed beside cuBLAS
  fits 200 "gemm" || return
  timeout -k 10 "$(limit 500)" bash "$GEMM_BENCH/run_device.sh" "$W/gemm" "${GEMM_VARIANTS:-base direct tanh}" > "$W/gemm.log" 2>&1
  say "   gemm rc=$?"; tail -n 30 "$W/gemm.log" | cut -c1-160 | tee -a "$S"
}

step_gemm_ncu() {  # gemm-ncu: ncu on the FFN-up GEMM, cublasLt with the GELU epilogue against cublasGemmEx plain (65536 tokens)
  [ -x "$GB" ] || { say "SKIPPED (no bertbench-hopper-gemm-bench in $BIN: bench/device/build.sh cli): gemm-ncu"; return; }
  fits 60 "gemm-ncu" || return
  timeout "$(limit 180)" ncu --clock-control none --kernel-name regex:'.*(gemm|Kernel|sm90|nvjet).*' \
      --launch-skip 10 --launch-count 24 --section SpeedOfLight --section LaunchStats --section Occupancy \
      "$GB" --time --dtype fp16 --reps 2 > "$W/ncu_gemm.txt" 2>&1
  say "   ncu rc=$?"
  grep -E "^  [a-zA-Z_].*\(|Duration|Compute \(SM\) Throughput|Memory Throughput|Registers Per|Grid Size" \
      "$W/ncu_gemm.txt" | head -n 60 | tee -a "$S"
}
