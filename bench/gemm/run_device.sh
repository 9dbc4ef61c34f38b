#!/usr/bin/env bash
# One device call for the Hopper GEMM: build the shipped kernel and the bench-knob variants with
# nvcc, check each against the CPU twin (fp16 and bf16), then time each beside cuBLAS.
#   bash bench/gemm/run_device.sh OUT [VARIANTS]
# (bench/device/run.sh's gemm step calls it with CLI set; it also runs on its own.)
# VARIANTS (default "base tma tanh tma_tanh"): base = the defaults; tma = the TMA-store epilogue
# (BERTBENCH_HOPPER_GEMM_TMA_STORE=1); tanh = the tanh GELU; mc0 = no multicast; s7 = 7 stages.
# Writes OUT/<variant>.check.txt and OUT/<variant>.time.txt; prints the timing lines last.
# With CLI=path/to/bertbench-cli (built with CUDA) also: the 128 x 512 cells (pad 0, 0.5) and
# bert-large 32 x 512 pad 0.5 with BERTBENCH_HOPPER_GEMM=0 and =1, and verify bert-base
# --seed 15 with it on (its 8x128 case goes through the Hopper GEMM).
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
if [[ -n "${CLI:-}" ]]; then
    common=(--device cuda --dtype fp16 --tasks encoder --baseline cuda:sdpa --backends cuda:flash_attention_2
            --cuda-graphs --seed 0 --quiet --warmup 5 --num-batches 40)
    for flag in 0 1; do
        tag="hopper$flag"
        BERTBENCH_HOPPER_GEMM=$flag timeout 60 "$CLI" run "${common[@]}" --model bert-base --batch-sizes 128 \
            --seq-lens 512 --pads 0,0.5 --out "$out/run_${tag}_512" > "$out/run_${tag}_512.log" 2>&1
        BERTBENCH_HOPPER_GEMM=$flag timeout 40 "$CLI" run "${common[@]}" --model bert-large --batch-sizes 32 \
            --seq-lens 512 --pads 0.5 --out "$out/run_${tag}_large" > "$out/run_${tag}_large.log" 2>&1
    done
    BERTBENCH_HOPPER_GEMM=1 timeout 120 "$CLI" verify --model bert-base --dtypes fp16,bf16 --no-kernel-checks \
        --cuda-graphs --seed 15 > "$out/verify_hopper1.txt" 2>&1
    echo "verify with BERTBENCH_HOPPER_GEMM=1: rc $? ($(grep -c ' ok$' "$out/verify_hopper1.txt") ok, $(grep -c FAIL "$out/verify_hopper1.txt") FAIL)"
    python3 bench/device/report.py "$out" --after hopper0 --before "" --prefetch "" --variants hopper0,hopper1
fi
for v in $variants; do echo "== $v"; cut -c1-150 "$out/$v.time.txt"; done
