# Throughput at the TensorRT class (sourced by bench/device/run.sh): fp8 verified, the MLPerf-shaped
# offline cell fp16 vs fp8 beside HF, bert-base 128 x 512 fp8 and 1 x 128 fp16, and the targets table.
# docs/PERFORMANCE.md ("To measure next") has the calls that run them.
TP_BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TP_LENGTHS=${TP_LENGTHS:-$TP_BENCH/squad_v1.1_like_lengths.txt}
# The offline search (override to fit the budget): batch sizes, passes, samples (default: the file's
# 10,833); HF's peer (torch:sdpa) searches TP_HF_BATCHES only.
TP_BATCHES=${TP_BATCHES:-128,256,512,1024}
TP_HF_BATCHES=${TP_HF_BATCHES:-64,128,256}
TP_PASSES=${TP_PASSES:-2}
TP_SAMPLES=${TP_SAMPLES:-}
TP_SEEDS=${TP_SEEDS:-"1 2 3 4"}

step_fp8_verify() {  # fp8-verify: the kernel checks (fp8 quantize/absmax, the fp8 linear layer on sm_89+), verify bert-base every task fp16+fp8 (with graphs), fp8's rel L2 over seeds, memcheck on an fp8 verify
  mkdir -p "$W/fp8"
  timeout "$(limit 120)" "$CLI" verify --model tiny --tasks encoder --cases 2x64 --seed 7 --dtypes fp8 \
      > "$W/fp8/kernel_checks.log" 2>&1
  say "   kernel checks: rc=$?; $(grep -c 'fp8' "$W/fp8/kernel_checks.log") fp8 lines, $(grep -c FAIL "$W/fp8/kernel_checks.log") FAIL lines"
  grep -E "fp8.*(FAIL|ERROR)|^verify:" "$W/fp8/kernel_checks.log" | head -n 12 | tee -a "$S"
  grep -E "e4m3 out|input quantized before" "$W/fp8/kernel_checks.log" | cut -c1-170 | tee -a "$S"   # the fused quantize's checks
  fits 60 "verify bert-base fp8" || return
  timeout "$(limit 180)" "$CLI" verify --model bert-base --seed 21 --no-kernel-checks --cuda-graphs --dtypes fp16,fp8 \
      > "$W/fp8/verify_base.log" 2>&1
  say "   verify bert-base fp16,fp8 (every backend and task; graphs): rc=$?"
  sed -n '/Model outputs/,$p' "$W/fp8/verify_base.log" | grep -v "^  ---" | cut -c1-170 | tee -a "$S"
  local seed
  for seed in $TP_SEEDS; do   # the spread that sets fp8's tolerance (as verify-seeds did for bf16)
    fits 40 "fp8 verify seeds from $seed on" || break
    timeout "$(limit 60)" "$CLI" verify --model bert-base --tasks encoder,classification,qa --backends cuda:sdpa \
        --dtypes fp8 --no-kernel-checks --seed "$seed" > "$W/fp8/seed_$seed.txt" 2>&1
    say "   fp8 seed $seed: rc=$?; $(grep -E '^  (encoder|classification|qa) ' "$W/fp8/seed_$seed.txt" | awk '{print $1"="$5}' | tr '\n' ' ')"
  done
  command -v compute-sanitizer > /dev/null || { say "   no compute-sanitizer"; return; }
  fits 60 "fp8 memcheck" || return
  timeout "$(limit 120)" compute-sanitizer --tool memcheck --leak-check no --error-exitcode 9 \
      "$CLI" verify --model tiny --dtypes fp8 --cases 1x33 --seed 12 > "$W/fp8/memcheck.log" 2>&1
  say "   memcheck (tiny fp8 verify with the kernel checks): rc=$?"
  grep -E "ERROR SUMMARY" "$W/fp8/memcheck.log" | tail -n 1 | tee -a "$S"
}

# tp_offline NAME DTYPE BACKENDS BATCHES LIMIT: the MLPerf-shaped cell, bert-large qa 384. offline.json
# is rewritten after each backend, so a run stopped at its limit keeps the backends it finished.
tp_offline() {
  local name=$1 dtype=$2 backends=$3 batches=$4 lim=$5
  [ "$lim" -lt 20 ] && { say "SKIPPED (time): offline $name"; return 1; }
  PATH="$(dirname "$PYTHON"):$PATH" timeout -s INT -k 15 "$lim" "$CLI" offline --lengths "$TP_LENGTHS" \
      ${TP_SAMPLES:+--samples "$TP_SAMPLES"} --model bert-large --task qa --max-len 384 --dtype "$dtype" --cuda-graphs \
      --backends "$backends" --batch-sizes "$batches" --passes "$TP_PASSES" --python "$PYTHON" \
      --reference cuda:eager:fp32 --out "$W/offline_$name" > "$W/offline_$name.log" 2>&1
  say "   offline $name: rc=$?"
  sed -n '/Best per backend/,$p' "$W/offline_$name.log" | tee -a "$S"
  [ -f "$W/offline_$name/offline.txt" ] && ! grep -q "Best per backend" "$W/offline_$name.log" &&
      sed -n '/Best per backend/,$p' "$W/offline_$name/offline.txt" | tee -a "$S"
  return 0
}

step_offline() {  # offline: the MLPerf-shaped offline cell (bert-large qa, max 384, the SQuAD-v1.1-like lengths sorted into batches, batch size searched): ours fp16, ours fp8, then HF sdpa (torch:sdpa) fp16; agreement vs cuda:eager fp32
  local left_s
  left_s=$(left)
  tp_offline fp16 fp16 cuda:flash_attention_2,cuda:sdpa "$TP_BATCHES" "$(limit $(((left_s - 30) * 3 / 10)))"
  tp_offline fp8 fp8 cuda:flash_attention_2,cuda:sdpa "$TP_BATCHES" "$(limit $((($(left) - 30) * 3 / 7)))"
  tp_offline hf fp16 torch:sdpa "$TP_HF_BATCHES" "$(limit $(($(left) - 20)))"
}

step_fp8_cells() {  # fp8-cells: bert-base encoder 128x512 pad 0 in fp8 and fp16, and 1x128 fp16, cuda:sdpa vs cuda:flash_attention_2, graphs
  cli_run cells_fp8 "$(limit 120)" -- --device cuda --model bert-base --tasks encoder --dtype fp8 --cuda-graphs \
      --baseline cuda:sdpa --backends cuda:flash_attention_2 --batch-sizes 128 --seq-lens 512 --pads 0 \
      --warmup 3 --num-batches 20 --seed 0 --quiet --no-profile
  cli_run cells_fp16 "$(limit 120)" -- --device cuda --model bert-base --tasks encoder --dtype fp16 --cuda-graphs \
      --baseline cuda:sdpa --backends cuda:flash_attention_2 --batch-sizes 1,128 --seq-lens 128,512 --pads 0 \
      --warmup 3 --num-batches 30 --seed 0 --quiet --no-profile
}

step_throughput_targets() {  # throughput-targets: the targets table of the fp8 / offline / batch-1 work from this call's files (last)
  python3 "$TP_BENCH/targets_table.py" "$W" 2>&1 | tee "$W/throughput_targets.md" | tee -a "$S"
}

step_fp8_breakdown() {  # fp8-breakdown: bert-base encoder 128x512 pad 0 with the per-category breakdown, fp16 vs fp8 with fp32 accumulate vs fp8 with fast accumulate (graphs); fp8's rel L2 and task agreement with each accumulate; the table last
  mkdir -p "$W/fp8"
  local name accum
  for name in fp16 fp8_accum32 fp8_fastaccum; do
    fits 40 "fp8-breakdown $name" || break
    accum=0; [ $name = fp8_fastaccum ] && accum=1
    cli_run "breakdown_$name" "$(limit 90)" BERTBENCH_FP8_FAST_ACCUM=$accum -- --device cuda --model bert-base --tasks encoder \
        --dtype "${name%%_*}" --cuda-graphs --baseline cuda:sdpa --backends cuda:flash_attention_2 --batch-sizes 128 \
        --seq-lens 512 --pads 0 --warmup 3 --num-batches 20 --seed 0 --quiet
  done
  for accum in 0 1; do
    fits 40 "fp8 verify, fast accumulate $accum" || break
    BERTBENCH_FP8_FAST_ACCUM=$accum timeout "$(limit 90)" "$CLI" verify --model bert-base --backends cuda:flash_attention_2 \
        --dtypes fp8 --no-kernel-checks --seed 1 > "$W/fp8/verify_fastaccum_$accum.log" 2>&1
    say "   fp8 verify bert-base, fast accumulate $accum: rc=$?"
    sed -n '/Model outputs/,$p' "$W/fp8/verify_fastaccum_$accum.log" | grep -E " fp8 " | cut -c1-150 | tee -a "$S"
  done
  python3 "$TP_BENCH/fp8_breakdown.py" "$W" 2>&1 | tee "$W/fp8_breakdown.md" | tee -a "$S"
}

step_fp8_grid() {  # fp8-grid: bert-base qa in fp8 over batch 1-128 x seq 128-512 x pad 0/0.5, cuda:sdpa and cuda:flash_attention_2 against cuda:eager in fp32 (graphs): the run whose fp8-vs-fp32 agreement the GUI's task-agreement heatmap shows (run.json in logs.tgz)
  cli_run fp8_grid "$(limit 150)" -- --device cuda --model bert-base --tasks qa --dtype fp8 --cuda-graphs \
      --baseline cuda:eager:fp32 --backends cuda:sdpa,cuda:flash_attention_2 --batch-sizes 1,8,32,128 --seq-lens 128,256,512 \
      --pads 0,0.5 --warmup 3 --num-batches 10 --seed 0 --quiet --no-profile
}

