#!/usr/bin/env bash
# Builds bench/attention/attn_bench with every attention kernel the library ships: the
# FlashAttention-2 files for sm_90 and the Hopper kernel for sm_90a (wgmma and TMA exist only
# there), BERTBENCH_HAVE_HOPPER_ATTENTION so that FusedAttention.cu dispatches to it.
#   bash bench/attention/build_attn_bench.sh OUTPUT [EXTRA_NVCC_FLAGS...]
# One nvcc per file, in parallel; objects in a temporary folder next to OUTPUT.
set -euo pipefail
out="$1"; shift
cd "$(dirname "$0")/../.."
objs=$(mktemp -d "$(dirname "$out")/attn_objs.XXXXXX")
trap 'rm -rf "$objs"' EXIT
common=(-std=c++20 -O3 -I. -lineinfo -DBERTBENCH_HAVE_HOPPER_ATTENTION=1 "$@")
pids=()
for f in bench/attention/attn_bench.cu kernels/attention/FusedAttention.cu kernels/attention/FlashFwd_*.cu; do
    nvcc "${common[@]}" -gencode arch=compute_90,code=sm_90 -c "$f" -o "$objs/$(basename "$f").o" &
    pids+=($!)
done
nvcc "${common[@]}" -gencode arch=compute_90a,code=sm_90a -c kernels/attention/hopper/HopperAttention.cu \
    -o "$objs/HopperAttention.cu.o" &
pids+=($!)
for p in "${pids[@]}"; do wait "$p"; done
nvcc "$objs"/*.o -o "$out"
echo "built $out"
