#!/usr/bin/env bash
# Build here, carry there: the binaries a device call needs, built on this machine (or, as a
# fallback, on the GPU machine itself) into .device-bench/, an ignored folder that the device tool
# carries with the working tree (`carry: [".device-bench"]`).
#
#   bash bench/device/build.sh [PARTS...]        default: cli attn
#     cli    cmake --preset device -DCMAKE_CUDA_ARCHITECTURES=90-real, ninja bertbench-cli and
#            bertbench-hopper-gemm-bench (sm_90a, when nvcc >= 12.3), copied to .device-bench/
#     attn   bench/attention/build_attn_bench.sh .device-bench/attn_bench (every attention kernel)
#   JOBS (default: nproc) parallel compile jobs; DEST (default .device-bench) the output folder.
#
# CMake 3.25's FindCUDAToolkit fails on toolkits without libnvToolsExt; the configure is retried
# with that never-linked target pointed at cudart. Exit status: non-zero if any part failed.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DEST=${DEST:-$ROOT/.device-bench}
JOBS=${JOBS:-$(nproc)}
PARTS=${*:-cli attn}
mkdir -p "$DEST"
export PATH=/usr/local/cuda/bin:$PATH
rc=0
for part in $PARTS; do
  case $part in
    cli)
      conf=(cmake --preset device -S "$ROOT" -DCMAKE_CUDA_ARCHITECTURES=90-real)
      if ! "${conf[@]}" > "$DEST/configure.log" 2>&1; then
        rm -f "$ROOT/build-device/CMakeCache.txt"
        cudart=$(ls /usr/local/cuda/lib64/libcudart.so* 2> /dev/null | head -n 1)
        "${conf[@]}" -DCUDA_nvToolsExt_LIBRARY="${cudart:-/usr/local/cuda/lib64/libcudart.so}" >> "$DEST/configure.log" 2>&1 ||
          { echo "configure failed:"; tail -n 20 "$DEST/configure.log"; rc=1; continue; }
      fi
      targets=(bertbench-cli)
      grep -q "bertbench-hopper-gemm-bench" "$ROOT/build-device/build.ninja" 2> /dev/null && targets+=(bertbench-hopper-gemm-bench)
      if ninja -C "$ROOT/build-device" -j "$JOBS" "${targets[@]}" > "$DEST/build.log" 2>&1; then
        cp "$ROOT/build-device/app/bertbench-cli" "$DEST/"
        [ -x "$ROOT/build-device/kernels/bertbench-hopper-gemm-bench" ] &&
          cp "$ROOT/build-device/kernels/bertbench-hopper-gemm-bench" "$DEST/"
        echo "built ${targets[*]} -> $DEST"
      else
        echo "build failed:"; tail -n 30 "$DEST/build.log"; rc=1
      fi ;;
    attn)
      if bash "$ROOT/bench/attention/build_attn_bench.sh" "$DEST/attn_bench" > "$DEST/attn_build.log" 2>&1; then
        echo "built attn_bench -> $DEST"
      else
        echo "attn_bench build failed:"; tail -n 20 "$DEST/attn_build.log"; rc=1
      fi ;;
    *) echo "build.sh: unknown part '$part' (cli, attn)" >&2; rc=2 ;;
  esac
done
exit $rc
