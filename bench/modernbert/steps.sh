# ModernBERT's steps of bench/device/run.sh (sourced): its checks against HuggingFace and cpu:eager
# on the GPU, and bert-base against modernbert-base beside HF's own ModernBERT.
MB_BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MB_TASKS="encoder mlm classification token_classification qa"
# The grids (MB_SHORT / MB_LONG="BATCHES SEQS PADS" override): the old script's grid cut to fit, both
# models; then ModernBERT alone at the lengths BERT cannot take.
# The long grid starts at 8 x 8,192 (the breakdown and the peak the table reads), then shorter rows.
MB_SHORT=${MB_SHORT:-"32,1 512,128 0,0.5"}
MB_LONG=${MB_LONG:-"8,1,32 8192,2048,1024 0,0.5"}

# mb_ref_verify DIR BACKENDS DTYPES LOG: verify --reference of one HF ModernBERT checkpoint folder.
mb_ref_verify() {
  PATH="$(dirname "$PYTHON"):$PATH" timeout 150 "$CLI" verify --model "$1" --reference "$1/reference.safetensors" \
      --backends "$2" --dtypes "$3" --threads 2 > "$4" 2>&1
  echo "rc=$?" >> "$4"
}
export -f mb_ref_verify

# Every task folder of ROOT_DIR/modernbert: cuda:* in fp32/fp16/bf16 and torch:* (through BertBench's
# own checkpoint writer) in fp32, in parallel; logs named as bench/family/verify_summary.py reads them.
mb_ref_set() {
  local root=$1 tag=$2 jobs=() t
  for t in $MB_TASKS; do
    [ -f "$root/modernbert/$t/reference.safetensors" ] || { say "   $tag modernbert/$t: no reference"; continue; }
    jobs+=("$root/modernbert/$t cpu:eager,cuda:eager,cuda:sdpa,cuda:flash_attention_2 fp32,fp16,bf16 $W/mb_verify/${tag}_modernbert_${t}_cuda.log")
    jobs+=("$root/modernbert/$t torch:eager,torch:sdpa fp32 $W/mb_verify/${tag}_modernbert_${t}_torch.log")
  done
  printf '%s\n' "${jobs[@]}" | CLI=$CLI PYTHON=$PYTHON xargs -P 8 -L 1 bash -c 'mb_ref_verify "$0" "$1" "$2" "$3"'
}

step_modernbert_verify() {  # modernbert-verify: verify --reference on the ModernBERT checkpoints (committed head dim 16; head dim 32 with 300-token rows written here) for cuda:* fp32/fp16/bf16 and torch:*, modernbert-base vs cpu:eager on rows past the window, the kernel checks, memcheck/racecheck
  fits 60 "modernbert-verify" || return
  mkdir -p "$W/mb_verify"
  PATH="$(dirname "$PYTHON"):$PATH" "$CLI" list-backends --python "$PYTHON" --model modernbert-base \
      > "$W/mb_verify/list_backends.txt" 2>&1
  grep -E "torch:flash_attention_2" "$W/mb_verify/list_backends.txt" | head -n 2 | tee -a "$S"
  # The kernel checks first (ModernBERT's among them: RoPE, windowed attention in both kernels, ...).
  timeout "$(limit 120)" "$CLI" verify --model tiny --tasks encoder --cases 2x64 --seed 7 \
      > "$W/mb_verify/kernel_checks.log" 2>&1
  say "   kernel checks: rc=$?; $(grep -c FAIL "$W/mb_verify/kernel_checks.log") FAIL lines"
  grep FAIL "$W/mb_verify/kernel_checks.log" | head -n 12 | tee -a "$S"
  mb_ref_set "$HF16_DIR" hd16
  # Head dim 32 (the fused kernels'), rows of 300 tokens and a ±32 window: key tiles are skipped.
  if timeout 120 "$PYTHON" "$ROOT/tests/fixtures/make_hf_family.py" --out "$W/mb-hd32" --head-dim 32 --long \
      --archs modernbert > "$W/mb_verify/make_hd32.log" 2>&1; then
    mb_ref_set "$W/mb-hd32" hd32
  else
    say "   make_hf_family.py --head-dim 32 --long failed: $(tail -n 2 "$W/mb_verify/make_hd32.log")"
  fi
  # The presets at real shapes against cpu:eager, every CUDA backend x task x dtype: rows past the
  # window and past several key tiles (700, 1,100 tokens), one shorter than the window.
  fits 40 "modernbert-base vs cpu:eager" || return
  timeout "$(limit 150)" "$CLI" verify --model modernbert-base --cases 2x700@0.3,1x1100 \
      --no-kernel-checks --seed 7 --threads 16 > "$W/mb_verify/preset_modernbert-base.log" 2>&1
  say "   verify --model modernbert-base: rc=$?"
  grep -E "FAIL|PASS" "$W/mb_verify/preset_modernbert-base.log" | tail -n 8 | tee -a "$S"
  python3 "$ROOT/bench/family/verify_summary.py" "$W/mb_verify" 2>&1 | tee -a "$S"
  command -v compute-sanitizer > /dev/null || { say "   no compute-sanitizer"; return; }
  fits 40 "modernbert memcheck" || return
  local ref="$W/mb-hd32/modernbert/classification"
  [ -d "$ref" ] || ref="$ROOT/tests/fixtures/hf-family/modernbert/classification"
  timeout "$(limit 60)" compute-sanitizer --tool memcheck --leak-check no --error-exitcode 9 \
      "$CLI" verify --model "$ref" --reference "$ref/reference.safetensors" \
      --backends cuda:eager,cuda:sdpa,cuda:flash_attention_2 --dtypes fp16 > "$W/mb_verify/memcheck_model.log" 2>&1
  say "   memcheck (ModernBERT verify --reference, cuda:* fp16): rc=$?"
  grep -E "ERROR SUMMARY" "$W/mb_verify/memcheck_model.log" | tail -n 1 | tee -a "$S"
  fits 40 "modernbert racecheck" || return
  timeout "$(limit 60)" compute-sanitizer --tool racecheck --racecheck-report hazard --error-exitcode 9 \
      "$CLI" verify --model "$ref" --reference "$ref/reference.safetensors" \
      --backends cuda:sdpa,cuda:flash_attention_2 --dtypes fp16 > "$W/mb_verify/racecheck_model.log" 2>&1
  say "   racecheck (ModernBERT verify --reference, fused fp16): rc=$?"
  grep -E "RACECHECK SUMMARY|ERROR SUMMARY" "$W/mb_verify/racecheck_model.log" | tail -n 1 | tee -a "$S"
  fits 60 "memcheck of the kernel checks" || return
  timeout "$(limit 120)" compute-sanitizer --tool memcheck --leak-check no --error-exitcode 9 \
      "$CLI" verify --model tiny --tasks encoder --cases 1x33 --seed 12 > "$W/mb_verify/memcheck_kernels.log" 2>&1
  say "   memcheck (the kernel checks): rc=$?"
  grep -E "ERROR SUMMARY" "$W/mb_verify/memcheck_kernels.log" | tail -n 1 | tee -a "$S"
}

step_modernbert_preset() {  # modernbert-preset: modernbert-base against cpu:eager (every CUDA backend x task x dtype, rows of 700 and 1,100 tokens), then memcheck of its forward on every CUDA backend (1 x 300, fp16; racecheck of the fused ones with MB_RACECHECK=1)
  fits 40 "modernbert-preset" || return
  mkdir -p "$W/mb_verify"
  timeout "$(limit 120)" "$CLI" verify --model modernbert-base --cases 2x700@0.3,1x1100 \
      --no-kernel-checks --seed 7 --threads 16 > "$W/mb_verify/preset_modernbert-base.log" 2>&1
  say "   verify --model modernbert-base: rc=$?"
  grep -E "FAIL|PASS|error" "$W/mb_verify/preset_modernbert-base.log" | tail -n 8 | tee -a "$S"
  command -v compute-sanitizer > /dev/null || { say "   no compute-sanitizer"; return; }
  fits 40 "modernbert-base memcheck" || return
  timeout "$(limit 60)" compute-sanitizer --tool memcheck --leak-check no --error-exitcode 9 \
      "$CLI" verify --model modernbert-base --cases 1x300 --tasks encoder,classification --dtypes fp16 \
      --no-kernel-checks --seed 8 > "$W/mb_verify/memcheck_modernbert-base.log" 2>&1
  say "   memcheck (modernbert-base 1x300, every CUDA backend, fp16): rc=$?"
  grep -E "ERROR SUMMARY|verify:" "$W/mb_verify/memcheck_modernbert-base.log" | tail -n 2 | tee -a "$S"
  [ "${MB_RACECHECK:-0}" = 1 ] || return   # racecheck on request (MB_RACECHECK=1): time for the grid
  fits 40 "modernbert-base racecheck" || return
  timeout "$(limit 60)" compute-sanitizer --tool racecheck --racecheck-report hazard --error-exitcode 9 \
      "$CLI" verify --model modernbert-base --cases 1x300 --tasks encoder --dtypes fp16 \
      --backends cuda:sdpa,cuda:flash_attention_2 --no-kernel-checks --seed 8 \
      > "$W/mb_verify/racecheck_modernbert-base.log" 2>&1
  say "   racecheck (modernbert-base 1x300, fused fp16): rc=$?"
  grep -E "RACECHECK SUMMARY|ERROR SUMMARY|verify:" "$W/mb_verify/racecheck_modernbert-base.log" | tail -n 2 | tee -a "$S"
}

step_modernbert_grid() {  # modernbert-grid: bert-base vs modernbert-base (--models) on the old script's grid cut to fit, then modernbert-base at 1024/2048/8192 x batch 1-32 with the per-op breakdown: torch:eager vs torch:sdpa, cuda:sdpa, cuda:flash_attention_2, fp16, CUDA graphs; the table last
  local b s p left_s
  read -r b s p <<< "$MB_SHORT"
  left_s=$(left)
  cli_run mb_short "$(limit $(((left_s - 20) * 2 / 5)))" -- --device cuda --models modernbert-base,bert-base \
      --tasks encoder --dtype fp16 --cuda-graphs --seed 0 --quiet --python "$PYTHON" --baseline torch:eager \
      --backends torch:sdpa,cuda:sdpa,cuda:flash_attention_2 --batch-sizes "$b" --seq-lens "$s" --pads "$p" \
      --warmup 2 --num-batches 10 --no-profile
  read -r b s p <<< "$MB_LONG"
  cli_run mb_long "$(limit $(($(left) - 20)))" -- --device cuda --models modernbert-base \
      --tasks encoder --dtype fp16 --cuda-graphs --seed 0 --quiet --python "$PYTHON" --baseline torch:eager \
      --backends torch:sdpa,cuda:sdpa,cuda:flash_attention_2 --batch-sizes "$b" --seq-lens "$s" --pads "$p" \
      --warmup 1 --num-batches 5
  python3 "$MB_BENCH/modernbert_table.py" "$W/mb_short/results.csv" "$W/mb_long/results.csv" \
      > "$W/modernbert_table.md" 2>&1
  cat "$W/modernbert_table.md" | tee -a "$S"
}

step_modernbert_window() {  # modernbert-window: does the sliding window pay off? modernbert-base 8 x 8192 pad 0, cuda:sdpa vs cuda:flash_attention_2 (graphs, breakdown): a local layer's attention against a global one's, and against (window / S)
  cli_run mb_window "$(limit 150)" -- --device cuda --models modernbert-base --tasks encoder --dtype fp16 \
      --cuda-graphs --seed 0 --quiet --baseline cuda:sdpa --backends cuda:flash_attention_2 --batch-sizes 8 \
      --seq-lens 8192 --pads 0 --warmup 1 --num-batches 5
  python3 - "$W/mb_window/results.csv" "$MB_BENCH" <<'PY' 2>&1 | tee -a "$S"
import csv, sys
sys.path.insert(0, sys.argv[2])
from modernbert_table import attention_split
for row in csv.DictReader(open(sys.argv[1])):
    if row.get("status") != "ok":
        continue
    split = attention_split(row)
    if split is None:
        print(f"   {row.get('candidate')}: no local/global breakdown")
        continue
    g, l = split
    seq = int(row["seq_len"])   # modernbert-base's window: local_attention 128
    print(f"   {row.get('candidate')} {row['batch_size']}x{seq}: global layer attention {g:.3f} ms, local {l:.3f} ms, "
          f"local/global {l / g:.4f} = {l / g * seq / 128:.2f} x (window / S); forward {float(row['candidate_median_ms']):.1f} ms")
PY
}
