# Attention steps of bench/device/run.sh (sourced): the kernels alone (attn_bench, carried in BIN
# by bench/device/build.sh attn) beside PyTorch's SDPA backends, and why they run as they do.
ATTN_BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

attn_ready() { [ -x "$AB" ] || { say "SKIPPED (no attn_bench in $BIN: bash bench/device/build.sh attn): $1"; return 1; }; }

step_attention() {  # attention: attn_bench --check --quick and --time (the sm_90a Hopper kernel, the FA2 kernel) beside PyTorch flash/cuDNN/varlen
  attn_ready attention && fits 45 "attention" || return
  timeout "$(limit 90)" "$AB" --check --quick > "$W/attn_check.log" 2>&1
  say "   attn_bench --check --quick: rc=$?"; grep -E "FAIL|PASSED" "$W/attn_check.log" | tail -n 3 | tee -a "$S"
  (cd "$W" && timeout "$(limit 60)" "$AB" --time --lengths-dir "$W") > "$W/attn_time.log" 2>&1
  say "   attn_bench --time: rc=$?"; grep -E "^\| (library|hopper)" "$W/attn_time.log" | tee -a "$S"
  fits 40 "attention peers" || return
  timeout "$(limit 120)" "$PYTHON" "$ATTN_BENCH/sdpa_peers.py" --lengths "$W/lengths_b128_s512_pad0.5.txt" \
      > "$W/attn_peers.log" 2>&1
  say "   sdpa_peers.py: rc=$?"; grep -E "^\|" "$W/attn_peers.log" | head -n 16 | tee -a "$S"
}

step_attn_variants() {  # attn-variants: the FlashAttention-2 kernel's tile variants, and its SASS (sass.txt.gz)
  attn_ready attn-variants && fits 60 "attn-variants" || return
  timeout "$(limit 240)" "$AB" --variants > "$W/attn_variants.log" 2>&1
  say "   attn_bench --variants: rc=$?"; grep -E "^\| variant" "$W/attn_variants.log" | tee -a "$S"
  cuobjdump -sass "$AB" | gzip > "$W/sass.txt.gz"
}

step_attn_ncu() {  # attn-ncu: Nsight Compute on one Hopper attention launch inside the 128x512 forward and on the same kernel alone
  fits 90 "attn-ncu" || return
  local ncu_attn=(ncu --clock-control none --cache-control none --kernel-name regex:hopperAttention --launch-count 1
                  --section SpeedOfLight --metrics sm__cycles_elapsed.avg.per_second,dram__bytes.sum,sm__pipe_tensor_op_hmma_cycles_active.avg.pct_of_peak_sustained_active)
  local lines='Duration|SM Frequency|per_second|dram__bytes|hmma|Compute \(SM\) Throughput|DRAM Throughput'
  # the 3rd forward's first attention (the first two may hold the GEMM autotuning)
  timeout "$(limit 60)" "${ncu_attn[@]}" --launch-skip 24 "$CLI" run "${E2E_COMMON[@]}" --model bert-base \
      --baseline cuda:flash_attention_2 --backends cuda:sdpa --batch-sizes 128 --seq-lens 512 --pads 0 \
      --warmup 2 --num-batches 3 --no-profile --out "$W/attn_ncu_run" > "$W/ncu_attn_forward.txt" 2>&1
  say "   in the forward: rc=$?"; grep -E "$lines" "$W/ncu_attn_forward.txt" | head -n 8 | tee -a "$S"
  attn_ready "the kernel alone" || return
  timeout "$(limit 60)" "${ncu_attn[@]}" --launch-skip 5 "$AB" --profile > "$W/ncu_attn_alone.txt" 2>&1
  say "   alone (attn_bench --profile): rc=$?"; grep -E "$lines" "$W/ncu_attn_alone.txt" | head -n 8 | tee -a "$S"
}

step_attn_stalls() {  # attn-stalls: ncu full set on the Hopper kernel alone; stall reasons and the SASS lines with the most samples
  attn_ready attn-stalls && fits 120 "attn-stalls" || return
  mkdir -p "$W/stalls"
  timeout "$(limit 240)" ncu --kernel-name regex:hopperAttentionForward --launch-skip 5 --launch-count 1 --set full \
      --import-source no -f -o "$W/stalls/hopper" "$AB" --profile > "$W/stalls/ncu_run.log" 2>&1
  say "   ncu rc=$?"
  ncu -i "$W/stalls/hopper.ncu-rep" --print-details all > "$W/stalls/details.txt" 2>&1
  grep -E "Duration|SM Frequency|Registers Per|Issued Warp|No Eligible|Active Warps Per|Eligible Warps|Tensor|Stall" \
      "$W/stalls/details.txt" | head -n 40 | tee -a "$S"
  ncu -i "$W/stalls/hopper.ncu-rep" --page source --csv --print-source sass > "$W/stalls/sass_source.csv" 2>&1
  python3 "$ATTN_BENCH/top_stalls.py" "$W/stalls/sass_source.csv" 60 > "$W/stalls/top_stalls.txt" 2>&1
  head -n 30 "$W/stalls/top_stalls.txt" | tee -a "$S"
  rm -f "$W/stalls/hopper.ncu-rep"
}
