#!/usr/bin/env bash
# One device call for the Hopper GEMM: build the shipped kernel and the bench-knob variants with
# nvcc, check each against the CPU twin (fp16 and bf16), then time each beside cuBLAS.
#   bash bench/gemm/run_device.sh OUT [VARIANTS]
# VARIANTS (default "base tma tanh tma_tanh"): base = the defaults; tma = the TMA-store epilogue
# (BERTBENCH_HOPPER_GEMM_TMA_STORE=1); tanh = the tanh GELU; mc0 = no multicast; s7 = 7 stages.
# Writes OUT/<variant>.check.txt and OUT/<variant>.time.txt; prints the timing lines last.
set -uo pipefail
out="$1"; variants="${2:-base tma tanh tma_tanh}"
cd "$(dirname "$0")/../.."
mkdir -p "$out/bin"
flags() {
    case "$1" in
        base) echo "" ;;
        tma) echo "-DBERTBENCH_HOPPER_GEMM_TMA_STORE=1" ;;
        tanh) echo "-DBERTBENCH_HOPPER_GEMM_GELU_TANH=1" ;;
        tma_tanh) echo "-DBERTBENCH_HOPPER_GEMM_TMA_STORE=1 -DBERTBENCH_HOPPER_GEMM_GELU_TANH=1" ;;
        mc0) echo "-DBERTBENCH_HOPPER_GEMM_MULTICAST=0" ;;
        s7) echo "-DBERTBENCH_HOPPER_GEMM_STAGES=7" ;;
        *) echo "unknown variant $1" >&2; return 1 ;;
    esac
}
pids=()
for v in $variants; do
    f=$(flags "$v") || exit 2
    # shellcheck disable=SC2086
    nvcc -std=c++20 -O3 -I. -lineinfo -gencode arch=compute_90a,code=sm_90a $f bench/gemm/hopper_gemm_bench.cu \
        kernels/hopper/HopperGemm.cu -lcublasLt -lcublas -o "$out/bin/$v" > "$out/$v.build.txt" 2>&1 &
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
