#!/usr/bin/env bash
# One device call for the Hopper GEMM benchmark (bench/gemm/HopperGemm.{h,cu}, not in the forward):
# build each bench-knob variant with nvcc, check each against the CPU twin (fp16 and bf16), then time
# each beside cuBLAS (cublasLt with the same epilogue, cublasGemmEx plain).
#   bash bench/gemm/run_device.sh OUT [VARIANTS]
# (bench/device/run.sh's gemm step calls it, with GEMM_VARIANTS; it also runs on its own.)
# VARIANTS (default "base direct tanh"): base = the defaults (TMA-store epilogue, erf GELU, multicast,
# the default stage count); direct = the direct 4-byte stores (-DBERTBENCH_HOPPER_GEMM_TMA_STORE=0);
# tanh = the tanh GELU; mc0 = no multicast; s7 = 7 stages.
# Writes OUT/<variant>.check.txt and OUT/<variant>.time.txt; prints the timing lines last.
set -uo pipefail
out="$1"; variants="${2:-base direct tanh}"
cd "$(dirname "$0")/../.."
mkdir -p "$out/bin"
flags() {
    case "$1" in
        base) echo "" ;;
        direct) echo "-DBERTBENCH_HOPPER_GEMM_TMA_STORE=0" ;;
        tanh) echo "-DBERTBENCH_HOPPER_GEMM_GELU_TANH=1" ;;
        mc0) echo "-DBERTBENCH_HOPPER_GEMM_MULTICAST=0" ;;
        s7) echo "-DBERTBENCH_HOPPER_GEMM_STAGES=7" ;;
        *) echo "unknown variant $1 (base, direct, tanh, mc0, s7)" >&2; return 1 ;;
    esac
}
pids=()
for v in $variants; do
    f=$(flags "$v") || exit 2
    # shellcheck disable=SC2086
    nvcc -std=c++20 -O3 -I. -lineinfo -gencode arch=compute_90a,code=sm_90a $f bench/gemm/hopper_gemm_bench.cu \
        bench/gemm/hopper_gemm_bench_timing.cu bench/gemm/HopperGemm.cu -lcublasLt -lcublas -o "$out/bin/$v" > "$out/$v.build.txt" 2>&1 &
    pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || { echo "a build failed:"; cat "$out"/*.build.txt; exit 1; }; done
for v in $variants; do
    timeout 200 "$out/bin/$v" --check > "$out/$v.check.txt" 2>&1
    echo "$v check rc $? ($(grep -c ' ok$' "$out/$v.check.txt") ok, $(grep -c FAIL "$out/$v.check.txt") FAIL)"
done
for v in $variants; do
    timeout 100 "$out/bin/$v" --time --dtype fp16 --reps 20 > "$out/$v.time.txt" 2>&1
done
rm -rf "$out/bin"
for v in $variants; do echo "== $v"; cut -c1-150 "$out/$v.time.txt"; done
