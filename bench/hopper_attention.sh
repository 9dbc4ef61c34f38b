#!/usr/bin/env bash
# The Hopper attention kernel (kernels/attention/hopper/) on the GPU machine, in one device call:
#   1. attn_bench --check --quick (every library kernel, Hopper included, vs the CPU reference),
#      attn_bench --time (b128 h12 s512 d64, pad 0 / 0.5; d128 at hidden 768), and
#      bench/attention/sdpa_peers.py in the same call (PyTorch flash, cuDNN, memory-efficient);
#   2. bertbench-cli run on the issue-11 cells with the Hopper kernel (default) and without it
#      (BERTBENCH_HOPPER_ATTENTION=0: the FlashAttention-2 kernel), cuda:sdpa vs
#      cuda:flash_attention_2, CUDA graphs;
#   3. verify bert-base, every cuda backend × task × fp16/bf16, graphs;
#   4. compute-sanitizer memcheck and racecheck of attn_bench --check --quick;
#   5. HF peers (hf_sdpa, torch.compile) on the bert-base cells if time is left.
# Binaries: BIN (default .device-bench) with attn_bench, bertbench-cli; built here, carried.
#   bash bench/hopper_attention.sh [BIN] [OUT]
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BIN=$(cd "${1:-$HERE/../.device-bench}" && pwd)
OUTD=${2:-${OUT:-/tmp/hopper-out}}
BUDGET_S=${BUDGET_S:-540}
T0=$(date +%s)
W=$(mktemp -d /tmp/hopper.XXXXXX)
mkdir -p "$OUTD"
export PYTHONUNBUFFERED=1
S="$W/summary.txt"
left() { echo $((T0 + BUDGET_S - $(date +%s))); }
say() { echo "[$(($(date +%s) - T0)) s] $*" | tee -a "$S"; }
fits() { [ "$(left)" -gt "$1" ] || { say "SKIPPED (time): $2"; return 1; }; }
STEPS=" ${STEPS:-attention runs verify sanitize peers} "
want() { [[ "$STEPS" == *" $1 "* ]]; }
CLI=$BIN/bertbench-cli
AB=$BIN/attn_bench

say "== machine"
nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.max.sm,temperature.gpu,power.draw --format=csv,noheader | tee -a "$S"

if want attention; then
  say "== attention alone"
  timeout 90 "$AB" --check --quick > "$W/attn_check.log" 2>&1; say "check rc=$?"
  grep -E "FAIL|PASSED" "$W/attn_check.log" | tail -n 3 | tee -a "$S"
  (cd "$W" && timeout 60 "$AB" --time --lengths-dir "$W") > "$W/attn_time.log" 2>&1; say "time rc=$?"
  grep -E "^\| (library|hopper)" "$W/attn_time.log" | tee -a "$S"
  say "-- the same without the consumers' ping-pong (BERTBENCH_HOPPER_PINGPONG=0)"
  (cd "$W" && BERTBENCH_HOPPER_PINGPONG=0 timeout 60 "$AB" --time) > "$W/attn_time_nopingpong.log" 2>&1; say "time rc=$?"
  grep -E "^\| hopper" "$W/attn_time_nopingpong.log" | tee -a "$S"
  timeout 120 python3 "$HERE/attention/sdpa_peers.py" --lengths "$W/lengths_b128_s512_pad0.5.txt" > "$W/attn_peers.log" 2>&1
  say "peers rc=$?"; grep -E "^\|" "$W/attn_peers.log" | head -n 16 | tee -a "$S"
fi

if want runs; then
  say "== bertbench-cli run, issue cells: hopper kernel vs BERTBENCH_HOPPER_ATTENTION=0"
  COMMON=(--device cuda --dtype fp16 --tasks encoder --baseline cuda:sdpa --backends cuda:flash_attention_2
          --cuda-graphs --seed 0 --quiet)
  for tag in hopper fa2kernel; do
    pre=(); [ $tag = fa2kernel ] && pre=(env BERTBENCH_HOPPER_ATTENTION=0)
    timeout 60 "${pre[@]}" "$CLI" run "${COMMON[@]}" --model bert-base --batch-sizes 128 --seq-lens 512 --pads 0,0.5 \
        --warmup 5 --num-batches 40 --out "$W/run_${tag}_512" > "$W/run_${tag}_512.log" 2>&1
    timeout 30 "${pre[@]}" "$CLI" run "${COMMON[@]}" --model bert-base --batch-sizes 1 --seq-lens 128 --pads 0 \
        --warmup 20 --num-batches 300 --out "$W/run_${tag}_128" > "$W/run_${tag}_128.log" 2>&1
    timeout 40 "${pre[@]}" "$CLI" run "${COMMON[@]}" --model bert-large --batch-sizes 32 --seq-lens 512 --pads 0.5 \
        --warmup 5 --num-batches 40 --out "$W/run_${tag}_large" > "$W/run_${tag}_large.log" 2>&1
  done
  python3 "$HERE/print_runs.py" "$W" fa2kernel hopper | tee -a "$S"
fi

if want verify && fits 80 "verify"; then
  say "== verify bert-base (cuda backends, every task, fp16/bf16, graphs)"
  timeout 120 "$CLI" verify --model bert-base --seed 21 --no-kernel-checks --cuda-graphs \
      --backends cuda:sdpa,cuda:flash_attention_2 > "$W/verify_base.log" 2>&1
  say "verify rc=$?"; grep -E "FAIL|verify:" "$W/verify_base.log" | tail -n 4 | tee -a "$S"
fi

if want sanitize && fits 60 "sanitizers"; then
  say "== compute-sanitizer on attn_bench --check --quick"
  timeout 120 compute-sanitizer --tool memcheck --error-exitcode 9 "$AB" --check --quick > "$W/memcheck.log" 2>&1
  say "memcheck rc=$?"; grep -E "ERROR SUMMARY|CHECKS" "$W/memcheck.log" | tail -n 2 | tee -a "$S"
  fits 40 "racecheck" && { timeout $(( $(left) > 140 ? 120 : $(left) - 20 )) compute-sanitizer --tool racecheck --error-exitcode 9 \
      "$AB" --check --quick > "$W/racecheck.log" 2>&1
  say "racecheck rc=$?"; grep -E "RACECHECK SUMMARY|ERROR SUMMARY|CHECKS" "$W/racecheck.log" | tail -n 2 | tee -a "$S"; }
fi

if want peers && fits 100 "peers"; then
  say "== HF peers on the bert-base cells"
  cat > "$W/plan.txt" <<PLAN
hf_sdpa    128:512:0,128:512:0.5,1:128:0 target_ms=600 min_iters=10 max_iters=200
hf_compile 128:512:0,128:512:0.5,1:128:0 target_ms=600 min_iters=10 max_iters=200
PLAN
  deadline=$((T0 + BUDGET_S - 15))
  timeout -s INT -k 10 $((deadline - $(date +%s) + 5)) python3 "$HERE/peers/hf_peers.py" --plan "$W/plan.txt" \
      --csv "$W/peers.csv" --deadline "$deadline" > "$W/peers.log" 2>&1
  say "peers rc=$?"
  python3 "$HERE/peers/print_peers.py" "$W/peers.csv" 2>&1 | tee -a "$S"
fi

say "done"
cp "$S" "$OUTD/summary.txt"
tar czf "$OUTD/logs.tgz" -C "$W" . 2>/dev/null
