#!/usr/bin/env bash
# Build here, carry there: the binaries a device call needs, built on this machine (or, as a
# fallback, on the GPU machine itself) into .device-bench/, an ignored folder that the device tool
# carries with the working tree (`carry: [".device-bench"]`).
#
#   bash bench/device/build.sh [PARTS...]        default: cli attn
#     cli    cmake --preset device -DCMAKE_CUDA_ARCHITECTURES=90-real, ninja bertbench-cli and
#            bertbench-hopper-gemm-bench (sm_90a, when nvcc >= 12.3), copied to .device-bench/
#     attn   the bertbench-attn-bench target (every attention kernel) as .device-bench/attn_bench
#     before the CLI of BEFORE_REF (a git ref) for run.sh's before-after step: built the same way in
#            a git worktree outside the repo (under /tmp, removed afterwards), stripped, xz-compressed
#            to .device-bench/before/bertbench-cli.xz (the carry holds 64 MiB); added to PARTS
#            whenever BEFORE_REF is set:  BEFORE_REF=HEAD~3 bash bench/device/build.sh
#   JOBS (default: nproc) parallel compile jobs; DEST (default .device-bench) the output folder.
#
# CMake 3.25's FindCUDAToolkit fails on toolkits without libnvToolsExt; the configure is retried
# with that never-linked target pointed at cudart. Exit status: non-zero if any part failed.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DEST=${DEST:-$ROOT/.device-bench}
JOBS=${JOBS:-$(nproc)}
PARTS=${*:-cli attn}
if [ -n "${BEFORE_REF:-}" ] && [[ " $PARTS " != *" before "* ]]; then PARTS="$PARTS before"; fi
mkdir -p "$DEST"
export PATH=/usr/local/cuda/bin:$PATH
rc=0
# configure SRC LOG: the device preset in SRC (build folder SRC/build-device)
configure() {
  local conf=(cmake --preset device -S "$1" -DCMAKE_CUDA_ARCHITECTURES=90-real) cudart
  "${conf[@]}" > "$2" 2>&1 && return 0
  rm -f "$1/build-device/CMakeCache.txt"
  cudart=$(ls /usr/local/cuda/lib64/libcudart.so* 2> /dev/null | head -n 1)
  "${conf[@]}" -DCUDA_nvToolsExt_LIBRARY="${cudart:-/usr/local/cuda/lib64/libcudart.so}" >> "$2" 2>&1 ||
    { echo "configure of $1 failed:"; tail -n 20 "$2"; return 1; }
}
for part in $PARTS; do
  case $part in
    cli)
      configure "$ROOT" "$DEST/configure.log" || { rc=1; continue; }
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
      if configure "$ROOT" "$DEST/configure.log" &&
         ninja -C "$ROOT/build-device" -j "$JOBS" bertbench-attn-bench > "$DEST/attn_build.log" 2>&1 &&
         cp "$ROOT/build-device/kernels/bertbench-attn-bench" "$DEST/attn_bench"; then
        echo "built attn_bench -> $DEST"
      else
        echo "attn_bench build failed:"; tail -n 20 "$DEST/attn_build.log"; rc=1
      fi ;;
    before)
      [ -n "${BEFORE_REF:-}" ] || { echo "build.sh: the before part needs BEFORE_REF=<git ref>" >&2; rc=2; continue; }
      sha=$(git -C "$ROOT" rev-parse --verify "$BEFORE_REF^{commit}") || { rc=2; continue; }
      tmp=$(mktemp -d /tmp/bertbench-before.XXXXXX); wt=$tmp/src
      mkdir -p "$DEST/before"
      rm -f "$DEST/before/bertbench-cli" "$DEST/before/bertbench-cli.xz"
      if git -C "$ROOT" worktree add --detach "$wt" "$sha" > "$DEST/before/worktree.log" 2>&1 &&
         configure "$wt" "$DEST/before/configure.log" &&
         ninja -C "$wt/build-device" -j "$JOBS" bertbench-cli > "$DEST/before/build.log" 2>&1; then
        if strip -o "$tmp/bertbench-cli" "$wt/build-device/app/bertbench-cli" &&
           xz -T0 -9 -c "$tmp/bertbench-cli" > "$DEST/before/bertbench-cli.xz"; then
          echo "$BEFORE_REF $sha" > "$DEST/before/REF"
          echo "built bertbench-cli of $BEFORE_REF (${sha:0:12}) -> $DEST/before/bertbench-cli.xz" \
               "($(du -h "$DEST/before/bertbench-cli.xz" | cut -f1))"
        else
          echo "strip or xz of the before CLI failed"; rm -f "$DEST/before/bertbench-cli.xz"; rc=1
        fi
      else
        echo "before build ($BEFORE_REF) failed:"; tail -n 30 "$DEST/before/worktree.log" "$DEST/before/build.log" 2> /dev/null; rc=1
      fi
      git -C "$ROOT" worktree remove --force "$wt" > /dev/null 2>&1; rm -rf "$tmp" ;;
    *) echo "build.sh: unknown part '$part' (cli, attn, before)" >&2; rc=2 ;;
  esac
done
exit $rc
