#!/usr/bin/env bash
# Run there: the named steps of a device call, one after the other, under one time budget, with
# every log under $OUT. The steps live by purpose beside their scripts (bench/*/steps.sh); this
# file holds only what they share. bench/README.md lists which step answers which question.
#
#   STEPS="verify cells peers" BUDGET_S=540 bash bench/device/run.sh
#
# Env:
#   STEPS     step names, in order (default "verify cells peers"); `bash bench/device/run.sh --list`
#             prints every step with its one-line purpose
#   BUDGET_S  seconds the whole call may take (default 540); a step that no longer fits is
#             skipped with a "SKIPPED (time)" line, a bertbench-cli run at its limit gets SIGINT
#             and keeps the rows it has
#   BIN       the carried binaries (default .device-bench: bench/device/build.sh); when its
#             bertbench-cli does not run here, build.sh runs here first (minutes of the budget)
#   OUT       where the files go (default /tmp/bench-out): summary.txt (every step's lines, the
#             tables last), logs.tgz (every log and run), and the small logs the report reads
#   VARIANTS  for the cells step: "name[:VAR=value,...] ..." (default "default"), e.g.
#             VARIANTS="default noautotune:BERTBENCH_GEMM_AUTOTUNE=0 fa2kernel:BERTBENCH_HOPPER_ATTENTION=0"
#   BEFORE    for the before-after step: the old CLI (default $BIN/before/bertbench-cli; when only
#             its .xz was carried, decompressed first; BEFORE_REF=<ref> bash bench/device/build.sh
#             makes it); BA_VERIFY=0 skips that step's two verifies; BA_BATCHES the batch sizes;
#             BA_FIRST=after times the new build first in round 1 (the order effect of one round)
#             BA_AFTER_ARGS: extra run options for the new build only (--sequential: time as the old did)
#   PYTHON    the interpreter with torch for the peers (default /opt/torch/.venv/bin/python3 if
#             present, else python3)
# Back here: python3 bench/device/report.py OUT (the folder, or its logs.tgz) prints the tables.
set -uo pipefail
BENCH=$(cd "$(dirname "$0")/.." && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
for f in "$BENCH"/device/checks.sh "$BENCH"/device/steps.sh "$BENCH"/end-to-end/steps.sh "$BENCH"/torch/steps.sh \
         "$BENCH"/attention/steps.sh "$BENCH"/gemm/steps.sh "$BENCH"/multi-gpu/steps.sh "$BENCH"/family/steps.sh \
         "$BENCH"/modernbert/steps.sh "$BENCH"/throughput/steps.sh \
         "$BENCH"/noise/steps.sh "$BENCH"/workload/steps.sh; do
  # shellcheck source=/dev/null
  source "$f"
done
if [ "${1:-}" = "--list" ]; then
  grep -h "^step_[a-z0-9_]*() *{ *#" "$BENCH"/*/steps.sh "$BENCH"/device/checks.sh |
    sed -E 's/^step_[a-z0-9_]*\(\) *\{ *# */  /'
  exit 0
fi

BIN=$(cd "${BIN:-$ROOT/.device-bench}" 2> /dev/null && pwd || echo "$ROOT/.device-bench")
OUTD=${OUT:-/tmp/bench-out}
BUDGET_S=${BUDGET_S:-540}
STEPS=${STEPS:-verify cells peers}
VARIANTS=${VARIANTS:-default}
if [ -z "${PYTHON:-}" ]; then
  if [ -x /opt/torch/.venv/bin/python3 ]; then PYTHON=/opt/torch/.venv/bin/python3; else PYTHON=python3; fi
fi
T0=$(date +%s)
W=$(mktemp -d /tmp/bench-run.XXXXXX)
S="$W/summary.txt"
mkdir -p "$OUTD"
export LD_LIBRARY_PATH=/usr/local/cuda/lib64:${LD_LIBRARY_PATH:-}
export PYTHONUNBUFFERED=1

left() { echo $((T0 + BUDGET_S - $(date +%s))); }
say() { echo "[$(($(date +%s) - T0)) s] $*" | tee -a "$S"; }
fits() { [ "$(left)" -gt "$1" ] || { say "SKIPPED (time): $2"; return 1; }; }
# limit WANT: WANT seconds, or what is left less a 15 s margin when that is less
limit() { local l=$(($(left) - 15)); [ "$l" -lt "$1" ] && echo "$l" || echo "$1"; }
# cli_run NAME LIMIT_S [ENV=V...] -- ARGS...: bertbench-cli run into $W/NAME, log $W/NAME.log
cli_run() {
  local name=$1 lim=$2 envs=()
  shift 2
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do envs+=("$1"); shift; done
  shift
  [ "$lim" -lt 10 ] && { say "SKIPPED (time): run $name"; return 1; }
  env "${envs[@]}" timeout -s INT -k 15 "$lim" "$CLI" run "$@" --out "$W/$name" > "$W/$name.log" 2>&1
  local rc=$?
  say "   run $name: rc=$rc, $(cat "$W/$name/results.csv" 2> /dev/null | grep -c ',ok,') ok rows${envs:+ (${envs[*]})}"
  grep -i -E "error|oom|problem" "$W/$name.log" | head -n 5 | tee -a "$S"
  return 0
}
# peers PLAN_FILE CSV: bench/end-to-end/hf_peers.py under the budget (15 s kept for the rest)
peers() {
  local deadline=$((T0 + BUDGET_S - 15))
  timeout -s INT -k 10 $((deadline - $(date +%s) + 5)) "$PYTHON" "$BENCH/end-to-end/hf_peers.py" --plan "$1" \
      --csv "$2" --deadline "$deadline" > "${2%.csv}.log" 2>&1
  say "   peers: rc=$?, $(($(wc -l < "$2" 2> /dev/null || echo 1) - 1)) rows -> $(basename "$2")"
}

say "== machine"
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm,clocks.max.sm,temperature.gpu,power.draw \
    --format=csv 2>&1 | tee -a "$S"
CLI="$BIN/bertbench-cli"; AB="$BIN/attn_bench"; GB="$BIN/bertbench-hopper-gemm-bench"
if ! "$CLI" --version > /dev/null 2>&1; then
  say "no carried bertbench-cli that runs here ($CLI): building with bench/device/build.sh"
  DEST="$W/bin" JOBS=$(nproc) bash "$BENCH/device/build.sh" cli attn 2>&1 | tail -n 5 | tee -a "$S"
  CLI="$W/bin/bertbench-cli"; AB="$W/bin/attn_bench"; GB="$W/bin/bertbench-hopper-gemm-bench"
fi
"$CLI" --version 2>&1 | tee -a "$S"

for step in $STEPS; do
  fn="step_${step//-/_}"
  if ! declare -F "$fn" > /dev/null; then say "unknown step '$step' (bash bench/device/run.sh --list)"; continue; fi
  say "== $step ($(left) s left)"
  "$fn"
done

say "done"
tar czf "$OUTD/logs.tgz" -C "$W" --exclude='bin' --exclude='*.o' . 2> /dev/null
cp "$S" "$OUTD/summary.txt"
for f in verify_base.log verify_tiny.log peers.csv attn_time.log attn_peers.log family_table.md modernbert_table.md noise_table.md throughput_targets.md workload_table.md; do
  [ -f "$W/$f" ] && cp "$W/$f" "$OUTD/"
done
python3 "$BENCH/device/report.py" "$W" > "$OUTD/report.md" 2>&1 && cat "$OUTD/report.md"
rm -rf "$W"
