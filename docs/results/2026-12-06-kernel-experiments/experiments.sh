#!/usr/bin/env bash
# Kernel experiments of the forward, decided in one call: each knob off/on, alternating rounds.
#   bash experiments.sh CLI OUT
set -uo pipefail
cli="$1"; out="$2"; here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$out"
nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.max.sm,power.limit --format=csv > "$out/gpu.txt" 2>&1
# the Hopper GEMM variants build on the CPU while the forwards run
( cd "$here/src" && for v in base tma; do f=""; [ $v = tma ] && f="-DBERTBENCH_HOPPER_GEMM_TMA_STORE=1";
  nvcc -std=c++20 -O3 -I. -gencode arch=compute_90a,code=sm_90a $f bench/gemm/hopper_gemm_bench.cu \
    kernels/hopper/HopperGemm.cu -lcublasLt -lcublas -o "$out/gemm_$v" > "$out/gemm_$v.build.txt" 2>&1 & done; wait ) &
builder=$!
common=(--device cuda --model bert-base --dtype fp16 --tasks encoder --baseline cuda:sdpa
        --backends cuda:flash_attention_2 --cuda-graphs --seed 0 --quiet --no-profile)
small=(--batch-sizes 1 --seq-lens 128 --pads 0 --warmup 30 --num-batches 400)
large=(--batch-sizes 128 --seq-lens 512 --pads 0,0.5 --warmup 5 --num-batches 40)
one() {  # one KNOB VALUE CELLNAME ROUND
    local knob=$1 val=$2 cell=$3 round=$4 args
    if [ "$cell" = small ]; then args=("${small[@]}"); else args=("${large[@]}"); fi
    env "BERTBENCH_$knob=$val" timeout 90 "$cli" run "${common[@]}" "${args[@]}" \
        --out "$out/runs/${knob}_${val}_${cell}_r$round" > "$out/runs/${knob}_${val}_${cell}_r$round.log" 2>&1
    echo "$knob=$val $cell r$round rc $?"
}
mkdir -p "$out/runs"
for round in 1 2; do
  for cell in small large; do
    for knob in PDL FUSED_EPILOGUES GEMM_AUTOTUNE; do
      for val in 0 1; do one $knob $val $cell $round; done
    done
  done
  for val in 0 1; do one SMALL_LINEAR $val small $round; done
  for knob in HOPPER_PINGPONG HOPPER_ATTENTION; do for val in 0 1; do one $knob $val large $round; done; done
done
BERTBENCH_SMALL_LINEAR=1 timeout 120 "$cli" verify --model bert-base --dtypes fp16,bf16 --no-kernel-checks --cuda-graphs \
    --seed 3 > "$out/verify_small_linear1.txt" 2>&1; echo "verify SMALL_LINEAR=1 rc $?"
wait $builder
for v in base tma; do
  [ -x "$out/gemm_$v" ] || { echo "gemm $v did not build"; tail -5 "$out/gemm_$v.build.txt"; continue; }
  timeout 120 "$out/gemm_$v" --check --dtype fp16 > "$out/gemm_$v.check.txt" 2>&1
  echo "gemm $v check rc $? ($(grep -c ' ok$' "$out/gemm_$v.check.txt") ok, $(grep -c FAIL "$out/gemm_$v.check.txt") FAIL)"
done
for round in 1 2; do for v in base tma; do
  [ -x "$out/gemm_$v" ] && timeout 60 "$out/gemm_$v" --time --dtype fp16 --reps 30 > "$out/gemm_${v}_r$round.time.txt" 2>&1
done; done
rm -f "$out"/gemm_base "$out"/gemm_tma
python3 "$here/summarize.py" "$out"
