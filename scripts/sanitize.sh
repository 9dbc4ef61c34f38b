#!/usr/bin/env bash
# The whole test suite under AddressSanitizer + UndefinedBehaviorSanitizer (preset "asan":
# GCC, no CUDA, GUI on). Any report fails the run (halt_on_error, no UBSan recovery).
# Usage: scripts/sanitize.sh [extra ctest args]
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset asan
cmake --build --preset asan -j "$(nproc)"
export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
# Qt's own one-time allocations are not ours to fix.
export LSAN_OPTIONS=suppressions=$PWD/scripts/lsan.supp
ctest --preset asan -j "$(nproc)" "$@"
