# The BERT family's steps of bench/device/run.sh (sourced): RoBERTa, XLM-R, CamemBERT, DistilBERT and
# ELECTRA on the cuda:* and torch:* backends, against HuggingFace's own outputs and timed beside HF.
FAMILY_BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FAMILY_ARCHS="roberta xlm-roberta camembert distilbert electra"   # not modernbert: another forward
FAMILY_TASKS="encoder mlm classification token_classification qa"
FAMILY_MODELS=${FAMILY_MODELS:-roberta-base distilbert-base electra-base xlm-roberta-base}
# The family grid: the old script's grid (resources/presets/old-script-grid.json) less what does not
# fit one call for four models (FAMILY_GRID="BATCHES SEQS PADS" overrides).
FAMILY_GRID=${FAMILY_GRID:-"1,8,32,128 128,256,512 0,0.2,0.5"}
# The committed head-dim-16 checkpoints, as family-verify and modernbert-verify read them: the
# repository's, or (after the hf-halves step of the same call) the same ones written again here
# with HF's own fp16 and bf16 forward beside the fp32 reference.
HF16_DIR=${HF16_DIR:-$ROOT/tests/fixtures/hf-family}

# family_ref_verify DIR BACKENDS DTYPES LOG: verify --reference of one HF checkpoint folder.
family_ref_verify() {
  PATH="$(dirname "$PYTHON"):$PATH" timeout 120 "$CLI" verify --model "$1" --reference "$1/reference.safetensors" \
      --backends "$2" --dtypes "$3" --threads 2 > "$4" 2>&1
  echo "rc=$?" >> "$4"
}
export -f family_ref_verify

# Every folder of ROOT_DIR/<arch>/<task>, cuda:* in fp32/fp16/bf16 and (TORCH=1) torch:* in fp32
# through BertBench's own checkpoint writer, in parallel; one line per folder and backend set.
family_ref_set() {
  local root=$1 tag=$2 torch=$3 jobs=() a t
  for a in $FAMILY_ARCHS; do for t in $FAMILY_TASKS; do
    [ -f "$root/$a/$t/reference.safetensors" ] || { say "   $tag $a/$t: no reference"; continue; }
    jobs+=("$root/$a/$t cpu:eager,cuda:eager,cuda:sdpa,cuda:flash_attention_2 fp32,fp16,bf16 $W/family_verify/${tag}_${a}_${t}_cuda.log")
    [ "$torch" = 1 ] && jobs+=("$root/$a/$t torch:eager,torch:sdpa fp32 $W/family_verify/${tag}_${a}_${t}_torch.log")
  done; done
  printf '%s\n' "${jobs[@]}" | CLI=$CLI PYTHON=$PYTHON xargs -P 8 -L 1 bash -c 'family_ref_verify "$0" "$1" "$2" "$3"'
}

step_hf_halves() {  # hf-halves: the committed head-dim-16 checkpoints (family and ModernBERT) written again with HF's own fp16/bf16 forward into OUT/hf-family (to commit over tests/fixtures/hf-family: same seeds, same weights), the ModernBERT ones verified; family-verify later in the call reads them
  fits 90 "hf-halves" || return
  mkdir -p "$W/hf_halves" "$W/mb_verify"
  if ! timeout "$(limit 180)" "$PYTHON" "$ROOT/tests/fixtures/make_hf_family.py" --out "$OUTD/hf-family" \
      > "$W/hf_halves/make.log" 2>&1; then
    say "   make_hf_family.py failed: $(tail -n 2 "$W/hf_halves/make.log")"
    return
  fi
  cp "$ROOT/tests/fixtures/hf-family/README.md" "$OUTD/hf-family/" 2> /dev/null
  HF16_DIR=$OUTD/hf-family
  say "   $(python3 -c 'import json, sys; m = json.load(open(sys.argv[1]))
print("written: %d checkpoints; HF half outputs missing: %d" % (len(m["written"]), sum("hf_" in x for x in m["missing"])))' \
    "$HF16_DIR/manifest.json" 2>&1)"
  mb_ref_set "$HF16_DIR" hd16
  python3 "$FAMILY_BENCH/verify_summary.py" "$W/mb_verify" 2>&1 | tee -a "$S"
  # The device tool brings back files at most a few folders deep: the set travels as one archive
  # (unpack over tests/fixtures/: `tar xzf OUT/hf-family.tgz -C tests/fixtures`).
  tar czf "$OUTD/hf-family.tgz" -C "$OUTD" hf-family && say "   $OUTD/hf-family.tgz: $(du -h "$OUTD/hf-family.tgz" | cut -f1)"
}

step_family_verify() {  # family-verify: verify --reference on every HF family checkpoint (committed head dim 16; head dim 32 written here) for cuda:* fp32/fp16/bf16 and torch:*, and the family presets vs cpu:eager
  fits 60 "family-verify" || return
  mkdir -p "$W/family_verify"
  family_ref_set "$HF16_DIR" hd16 1
  # Head dim 32: the fused kernels' (the committed folders' 16 is cuda:eager's only).
  if timeout 120 "$PYTHON" "$ROOT/tests/fixtures/make_hf_family.py" --out "$W/hf-family-hd32" --head-dim 32 \
      --archs "${FAMILY_ARCHS// /,}" > "$W/family_verify/make_hd32.log" 2>&1; then
    family_ref_set "$W/hf-family-hd32" hd32 0
  else
    say "   make_hf_family.py --head-dim 32 failed: $(tail -n 2 "$W/family_verify/make_hd32.log")"
  fi
  # The presets at real shapes (electra-small: embedding 128 != hidden 256) against cpu:eager, every
  # CUDA backend x task x dtype; tiny with the kernel checks (the family's embedding variants).
  local m
  # FAMILY_PRESETS=0 leaves the presets out (a call short of time that checks HF's checkpoints only)
  [ "${FAMILY_PRESETS:-1}" = 0 ] && say "   presets vs cpu:eager: left out (FAMILY_PRESETS=0)"
  [ "${FAMILY_PRESETS:-1}" = 0 ] || for m in roberta-base xlm-roberta-base distilbert-base electra-base electra-small; do
    echo "timeout 150 $CLI verify --model $m --cases 2x128@0.25,3x77 --no-kernel-checks --seed 7 --threads 4 > $W/family_verify/preset_$m.log 2>&1"
  done | xargs -P 3 -I{} bash -c '{}'
  timeout 120 "$CLI" verify --model tiny --tasks encoder --cases 2x64 --seed 7 > "$W/family_verify/kernel_checks.log" 2>&1
  python3 "$FAMILY_BENCH/verify_summary.py" "$W/family_verify" 2>&1 | tee -a "$S"
}

step_family_grid() {  # family-grid: roberta-base, distilbert-base, electra-base, xlm-roberta-base on the old script's grid (cut: FAMILY_GRID), torch:eager vs torch:sdpa, cuda:sdpa, cuda:flash_attention_2, fp16, CUDA graphs; the table last
  local b s p
  read -r b s p <<< "$FAMILY_GRID"
  # One run, the models as its axis (one torch probe; each model against its own torch:eager); at its
  # limit it keeps the rows it has, models in this order.
  cli_run family_grid "$(limit "$(($(left) - 20))")" -- --device cuda --models "${FAMILY_MODELS// /,}" \
      --tasks encoder --dtype fp16 --cuda-graphs --seed 0 --quiet --python "$PYTHON" --baseline torch:eager \
      --backends torch:sdpa,cuda:sdpa,cuda:flash_attention_2 --batch-sizes "$b" --seq-lens "$s" --pads "$p" \
      --warmup 2 --num-batches 10 --no-profile
  python3 "$FAMILY_BENCH/family_table.py" "$W/family_grid/results.csv" > "$W/family_table.md" 2>&1
  cat "$W/family_table.md" | tee -a "$S"
}
