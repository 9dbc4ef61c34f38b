#!/usr/bin/env bash
# Builds the libFuzzer targets (preset "fuzz": clang + ASan + UBSan) and runs each for a set time.
# Usage: scripts/fuzz.sh [seconds-per-target=600] [target ...]
# Seeds come from tests/fuzz/corpus/<target>/; new inputs go to build-fuzz/corpus/<target>/.
# A finding (crash-*, timeout-*, oom-* file) is a bug: fix it and keep the input as a seed.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(seed_csv native_csv run_json spec_json hf_config safetensors lengths texts tokenizer_files tokenize hf_reference offline_json)

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)" --target $(printf 'fuzz_%s ' "${targets[@]}")

mkdir -p build-fuzz/findings
status=0
for t in "${targets[@]}"; do
  work=build-fuzz/corpus/$t
  mkdir -p "$work"
  log=build-fuzz/fuzz_$t.log
  echo "== fuzz_$t for ${seconds}s"
  # 2 GB RSS and 512 MB per allocation: a reader that asks for more on hostile input is a finding.
  if ! build-fuzz/tests/fuzz/fuzz_$t "$work" tests/fuzz/corpus/$t \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=512 \
        -artifact_prefix=build-fuzz/findings/"$t"- -print_final_stats=1 >"$log" 2>&1; then
    echo "   FINDING: see $log and build-fuzz/findings/"
    status=1
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$log" | sed 's/^/   /' || true
done
exit $status
