# The before-after step of bench/device/run.sh (sourced; uses its BIN, CLI, W, S, say, fits, limit,
# cli_run): is a new build no slower and still correct? The old CLI (BEFORE) against the new one ($CLI).
BA_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# the old script's grid (bench/end-to-end's grid step), one batch size a run
BA_RUN=(--device cuda --model bert-base --dtype fp16 --tasks encoder --baseline cuda:eager
        --backends cuda:sdpa,cuda:flash_attention_2 --cuda-graphs --seed 0 --seq-lens 128,256,512
        --pads 0,0.1,0.2,0.5,0.75 --warmup 3 --num-batches 20 --no-profile --quiet)
BA_BATCHES=${BA_BATCHES:-"1 2 4 8 16 32 64 128"}   # the batch sizes compared (override to fit a budget)

# ba_before: the old CLI's path (BEFORE, default $BIN/before/bertbench-cli; from its .xz when only that
# was carried), or nothing when it does not run here
ba_before() {
  local cli=${BEFORE:-$BIN/before/bertbench-cli}
  if [ ! -x "$cli" ] && [ -f "$cli.xz" ]; then
    xz -dk "$cli.xz" 2> /dev/null || { mkdir -p "$W/bin"; xz -dc "$cli.xz" > "$W/bin/before-cli" && cli="$W/bin/before-cli"; }
    chmod +x "$cli" 2> /dev/null
  fi
  "$cli" --version > /dev/null 2>&1 && echo "$cli"
}

# ba_run SIDE ROUND BATCH: one batch size of the grid with SIDE's CLI into $W/before-after/SIDE_rROUND_bBATCH
ba_run() {
  local CLI=$BA_OLD
  [ "$1" = after ] && CLI=$BA_NEW
  local extra=()
  [ "$1" = after ] && [ -n "${BA_AFTER_ARGS:-}" ] && read -r -a extra <<< "$BA_AFTER_ARGS"
  cli_run "before-after/${1}_r${2}_b${3}" "$(limit 150)" -- "${BA_RUN[@]}" --batch-sizes "$3" "${extra[@]}"
}

step_before_after() {  # before-after: the old CLI (BEFORE, default $BIN/before/bertbench-cli[.xz]) vs the new: verify with each, the old script's grid interleaved by batch size, after/before per backend
  local BA_OLD BA_NEW=$CLI side b t0 rnd
  BA_OLD=$(ba_before) || { say "SKIPPED (no old CLI that runs here: ${BEFORE:-$BIN/before/bertbench-cli}[.xz]; bench/device/build.sh with BEFORE_REF): before-after"; return; }
  mkdir -p "$W/before-after"
  say "   before: $BA_OLD ($("$BA_OLD" --version 2>&1 | head -n 1)); after: $BA_NEW ($("$BA_NEW" --version 2>&1 | head -n 1))"
  # (a) verify: bert-base, every backend, task and dtype (verify's defaults), the kernel checks, CUDA graphs
  if [ "${BA_VERIFY:-1}" != 0 ]; then
    for side in before after; do
      fits 60 "verify $side" || return
      local cli=$BA_OLD; [ $side = after ] && cli=$BA_NEW
      timeout "$(limit 200)" "$cli" verify --model bert-base --seed 3 --cuda-graphs > "$W/before-after/verify_$side.log" 2>&1
      say "   verify $side: rc=$?, $(grep -c -E ' ok *$' "$W/before-after/verify_$side.log") ok, $(grep -c -E ' (FAIL|ERROR) *$' "$W/before-after/verify_$side.log") FAIL/ERROR"
      grep -E "^verify:|error:" "$W/before-after/verify_$side.log" | cut -c1-150 | tail -n 4 | tee -a "$S"
    done
  fi
  # (b) the grid: per batch size before then after (round 1), then after then before (round 2) while
  # the budget allows each pair (round 1's time for that batch size, plus 30 s)
  declare -A took=()
  for b in $BA_BATCHES; do
    fits 45 "before-after round 1 from batch $b on" || break
    t0=$(date +%s)
    if [ "${BA_FIRST:-before}" = after ]; then ba_run after 1 "$b"; ba_run before 1 "$b"
    else ba_run before 1 "$b"; ba_run after 1 "$b"; fi
    took[$b]=$(($(date +%s) - t0))
  done
  for b in $BA_BATCHES; do
    [ -n "${took[$b]:-}" ] || break
    fits $((took[$b] + 30)) "before-after round 2 from batch $b on" || break
    ba_run after 2 "$b"; ba_run before 2 "$b"
  done
  # (c) the report, last: after/before per backend
  python3 "$BA_DIR/before_after.py" "$W/before-after" > "$W/before-after/report.md" 2>&1
  tee -a "$S" < "$W/before-after/report.md"
}
