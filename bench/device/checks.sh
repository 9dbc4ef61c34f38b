# Correctness steps of bench/device/run.sh (sourced; uses its CLI, AB, W, S, say, fits, limit).

step_verify() {  # verify: tiny with kernel checks + graphs; bert-base every backend/task/dtype; row chunks; bert-large
  timeout "$(limit 120)" "$CLI" verify --model tiny --seed 11 --cuda-graphs --verbose > "$W/verify_tiny.log" 2>&1
  say "verify tiny (kernel checks, graphs): rc=$?"
  grep -E "FAIL|verify:" "$W/verify_tiny.log" | cut -c1-150 | tail -n 8 | tee -a "$S"
  fits 60 "verify bert-base" || return
  timeout "$(limit 150)" "$CLI" verify --model bert-base --seed 21 --no-kernel-checks --cuda-graphs > "$W/verify_base.log" 2>&1
  say "verify bert-base (every backend, task, dtype; graphs): rc=$?"
  sed -n '/Model outputs/,$p' "$W/verify_base.log" | grep -v "^  ---" | cut -c1-150 | tee -a "$S"
  fits 60 "verify row chunks" || return
  timeout "$(limit 90)" "$CLI" verify --model bert-base --seed 23 --no-kernel-checks --cuda-graphs --cases 10x512@0.1 \
      --tasks encoder,token_classification > "$W/verify_chunks.log" 2>&1
  say "verify bert-base at >= 4096 tokens (the FFN's row chunks): rc=$?"
  grep -E "FAIL|verify:" "$W/verify_chunks.log" | tail -n 3 | tee -a "$S"
  if [ -n "${VERIFY_LARGE:-}" ] && fits 120 "verify bert-large"; then
    timeout "$(limit 300)" "$CLI" verify --model bert-large --seed 31 --no-kernel-checks > "$W/verify_large.log" 2>&1
    say "verify bert-large: rc=$?"; grep -E "FAIL|verify:" "$W/verify_large.log" | tail -n 3 | tee -a "$S"
  fi
  local knob
  for knob in ${VERIFY_KNOBS:-}; do   # e.g. VERIFY_KNOBS="BERTBENCH_HOPPER_ATTENTION=0 BERTBENCH_GEMM_AUTOTUNE=0"
    fits 60 "verify with $knob" || return
    env "$knob" timeout "$(limit 150)" "$CLI" verify --model bert-base --seed 15 --no-kernel-checks --cuda-graphs \
        --backends cuda:sdpa,cuda:flash_attention_2 > "$W/verify_${knob%%=*}.log" 2>&1
    say "verify bert-base with $knob: rc=$?"; grep -E "FAIL|verify:" "$W/verify_${knob%%=*}.log" | tail -n 3 | tee -a "$S"
  done
}

step_sanitize() {  # sanitize: compute-sanitizer memcheck + racecheck on tiny verifies, and on attn_bench --check --quick when carried
  fits 40 "sanitizers" || return
  timeout "$(limit 90)" compute-sanitizer --tool memcheck --leak-check no --error-exitcode 9 \
      "$CLI" verify --model tiny --seed 12 --cases 2x77@0.5,1x33 > "$W/memcheck.log" 2>&1
  say "memcheck (tiny verify, every backend, dtype, task): rc=$?"
  grep -E "ERROR SUMMARY|verify:" "$W/memcheck.log" | tail -n 2 | tee -a "$S"
  fits 40 "racecheck" || return
  timeout "$(limit 100)" compute-sanitizer --tool racecheck --racecheck-report hazard --error-exitcode 9 \
      "$CLI" verify --model tiny --seed 13 --cases 1x33,2x77@0.5 --dtypes fp16 --tasks encoder --no-kernel-checks \
      > "$W/racecheck.log" 2>&1
  say "racecheck (tiny verify, fp16 encoder): rc=$?"
  grep -E "RACECHECK SUMMARY|ERROR SUMMARY|verify:" "$W/racecheck.log" | tail -n 2 | tee -a "$S"
  [ -x "$AB" ] || return
  fits 60 "attn_bench sanitizers" || return
  timeout "$(limit 120)" compute-sanitizer --tool memcheck --error-exitcode 9 "$AB" --check --quick > "$W/attn_memcheck.log" 2>&1
  say "memcheck attn_bench --check --quick: rc=$?"; grep -E "ERROR SUMMARY" "$W/attn_memcheck.log" | tail -n 1 | tee -a "$S"
  fits 60 "attn_bench racecheck" || return
  timeout "$(limit 120)" compute-sanitizer --tool racecheck --error-exitcode 9 "$AB" --check --quick > "$W/attn_racecheck.log" 2>&1
  say "racecheck attn_bench --check --quick: rc=$?"; grep -E "RACECHECK SUMMARY|ERROR SUMMARY" "$W/attn_racecheck.log" | tail -n 1 | tee -a "$S"
}

step_verify_seeds() {  # verify-seeds: the spread of verify's errors over seeds 1..40 (bert-base, eager + sdpa, fp16/bf16)
  mkdir -p "$W/verify-seeds"
  local seed
  for seed in $(seq "${FIRST_SEED:-1}" "${LAST_SEED:-40}"); do
    fits 30 "verify seeds from $seed on" || break
    timeout "$(limit 60)" "$CLI" verify --model bert-base --tasks encoder,classification,qa --backends cuda:eager,cuda:sdpa \
        --dtypes fp16,bf16 --no-kernel-checks --cuda-graphs --seed "$seed" > "$W/verify-seeds/seed_$seed.txt" 2>&1
    say "   seed $seed: rc=$?"
  done
}
