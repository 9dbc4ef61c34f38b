# End-to-end steps of bench/device/run.sh (sourced): our forward, timed by bertbench-cli run,
# beside HuggingFace transformers and PyTorch's peers (hf_peers.py) in the same call.
E2E=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# bert-base encoder fp16 unless said; CUDA graphs; seed 0 (hf_peers.py rebuilds the same batches)
E2E_COMMON=(--device cuda --dtype fp16 --tasks encoder --cuda-graphs --seed 0 --quiet)
E2E_PAIR=(--baseline cuda:sdpa --backends cuda:flash_attention_2)
E2E_TARGETS=128:512:0,128:512:0.5,1:128:0
E2E_GRID=(1,2,4,8,16,32,64,128 128,256,512 0,0.1,0.2,0.5,0.75)

# The target cells once per variant: run_<variant>_{512,128,large}/results.csv (the report's input).
step_cells() {  # cells: bert-base 128x512 pad 0/0.5 and 1x128, bert-large 32x512 pad 0.5, per VARIANTS entry (knobs on/off)
  local v name envs
  for v in $VARIANTS; do
    name=${v%%:*}; envs=(); [ "$v" != "$name" ] && IFS=, read -r -a envs <<< "${v#*:}"
    cli_run "run_${name}_512" "$(limit 60)" "${envs[@]}" -- "${E2E_COMMON[@]}" "${E2E_PAIR[@]}" --model bert-base \
        --batch-sizes 128 --seq-lens 512 --pads 0,0.5 --warmup 5 --num-batches 40 || return
    cli_run "run_${name}_128" "$(limit 30)" "${envs[@]}" -- "${E2E_COMMON[@]}" "${E2E_PAIR[@]}" --model bert-base \
        --batch-sizes 1 --seq-lens 128 --pads 0 --warmup 20 --num-batches 300 || return
    cli_run "run_${name}_large" "$(limit 40)" "${envs[@]}" -- "${E2E_COMMON[@]}" "${E2E_PAIR[@]}" --model bert-large \
        --batch-sizes 32 --seq-lens 512 --pads 0.5 --warmup 5 --num-batches 40 || return
  done
}

step_peers() {  # peers: HF eager, HF sdpa, torch.compile, nn.TransformerEncoder's nested path on the bert-base target cells
  fits 120 "peers" || return
  cat > "$W/peers_plan.txt" << EOF
hf_sdpa    $E2E_TARGETS target_ms=800 min_iters=15 max_iters=300
pt_nested  $E2E_TARGETS target_ms=800 min_iters=15 max_iters=300
hf_eager   $E2E_TARGETS target_ms=600 min_iters=10 max_iters=200
hf_compile 1:128:0,128:512:0,128:512:0.5 target_ms=800 min_iters=15 max_iters=300
EOF
  peers "$W/peers_plan.txt" "$W/peers.csv"
}

step_grid() {  # grid: the old script's 120 cells, cuda:eager vs cuda:sdpa and cuda:flash_attention_2, HF peers on the same batches
  local b s p
  read -r b s p <<< "${E2E_GRID[*]}"
  local glim=$(($(left) - 260)); [ "$glim" -gt 150 ] && glim=150
  cli_run grid "$glim" -- "${E2E_COMMON[@]}" --model bert-base --baseline cuda:eager \
      --backends cuda:sdpa,cuda:flash_attention_2 --batch-sizes "$b" --seq-lens "$s" --pads "$p" \
      --warmup 3 --num-batches 20 --no-profile || return
  fits 60 "grid peers" || return
  cat > "$W/grid_plan.txt" << EOF
hf_sdpa    grid:$b:$s:$p target_ms=150 min_iters=8 max_iters=40
pt_nested  grid:$b:$s:$p target_ms=150 min_iters=8 max_iters=40
hf_eager   grid:$b:$s:$p target_ms=100 min_iters=5 max_iters=30
hf_compile 1:512:0,8:512:0,32:512:0,64:256:0,64:512:0,128:128:0,128:256:0
EOF
  peers "$W/grid_plan.txt" "$W/grid_peers.csv"
  python3 "$E2E/peers_table.py" --grid-run "$W/grid/results.csv" --peers "$W/grid_peers.csv" \
      --csv "$W/side_by_side.csv" --md "$W/grid_table.md" > "$W/grid_table.txt" 2>&1
  tail -n 25 "$W/grid_table.txt" | tee -a "$S"
}

step_breakdown() {  # breakdown: per-op parts vs median, TFLOP/s, % of GEMM peak, J per 1k tokens (eager/sdpa/fa2, 1,128 x 128,512 x 0,0.5)
  cli_run breakdown "$(limit 120)" -- "${E2E_COMMON[@]}" --model bert-base --baseline cuda:eager \
      --backends cuda:sdpa,cuda:flash_attention_2 --batch-sizes 1,128 --seq-lens 128,512 --pads 0,0.5 \
      --warmup 3 --num-batches 20 || return
  "$CLI" summary --breakdown "$W/breakdown/run.json" > "$W/breakdown_summary.txt" 2>&1
  say "   summary --breakdown -> breakdown_summary.txt"
}

step_heads() {  # heads: the four task heads (bert-base) and bert-large's encoder, every CUDA backend vs cuda:eager
  local c=(--device cuda --dtype fp16 --baseline cuda:eager --backends cuda:sdpa,cuda:flash_attention_2 --cuda-graphs
           --quiet --warmup 3 --num-batches 20)
  cli_run heads "$(limit 90)" -- "${c[@]}" --model bert-base --tasks mlm,classification,token_classification,qa \
      --batch-sizes 1,32 --seq-lens 128,512 --pads 0,0.5 || return
  cli_run large "$(limit 90)" -- "${c[@]}" --model bert-large --tasks encoder --batch-sizes 1,32,128 \
      --seq-lens 128,512 --pads 0,0.5
}

step_timeline() {  # timeline: ncu's duration of every kernel of the 1x128 forward against its graph replay (launch gaps' share)
  fits 100 "timeline" || return
  local cell=(--model bert-base --batch-sizes 1 --seq-lens 128 --pads 0 --no-profile)
  cli_run timeline_run "$(limit 40)" BERTBENCH_GEMM_AUTOTUNE=0 -- "${E2E_COMMON[@]}" "${E2E_PAIR[@]}" "${cell[@]}" \
      --warmup 20 --num-batches 200 || return
  local fwd
  fwd=$(python3 -c "import csv,sys; print(next(csv.DictReader(open(sys.argv[1])))['baseline_median_ms'])" \
      "$W/timeline_run/results.csv" 2> /dev/null)
  say "   cuda:sdpa graph replay median: ${fwd:-?} ms"
  # the first 500 kernels: the sweep's GEMM probe, then cuda:sdpa's forwards (the baseline runs first)
  BERTBENCH_GEMM_AUTOTUNE=0 timeout "$(limit 90)" ncu --csv --print-units base --metrics gpu__time_duration.sum \
      --cache-control none --clock-control none --launch-count 500 \
      "$CLI" run "${E2E_COMMON[@]}" "${E2E_PAIR[@]}" "${cell[@]}" --warmup 1 --num-batches 3 --out "$W/timeline_ncu_run" \
      > "$W/timeline_ncu.csv" 2> "$W/timeline_ncu.err"
  say "   ncu rc=$?"
  python3 "$E2E/kernel_timeline.py" "$W/timeline_ncu.csv" ${fwd:+--forward-ms "$fwd"} 2>&1 | tee -a "$S"
}
