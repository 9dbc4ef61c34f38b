# The workload step of bench/device/run.sh (sourced; uses its CLI, PYTHON, W, S, say, fits, limit,
# cli_run): your data on the GPU. bert-base fp16 encoder over a data workload instead of the old
# script's Normal lengths: WORKLOAD_LENGTHS (default python_docstrings_bert_lengths.txt here: the
# bert-base-uncased token counts of Debian 12's Python 3.11 standard library docstrings, 7,101
# examples, median 26, p90 129, max 1,599; README.md says how it was made), every cell's rows
# batched random and sorted (--batching random,sorted: the same rows, batched two ways), baseline
# cuda:eager, candidates cuda:sdpa and cuda:flash_attention_2; then torch:sdpa (HF transformers)
# against cuda:eager at the larger cells where the budget allows. Lengths, not texts: the device
# build has no tokenizers (built without ICU), and the counts were made here with the tokenizer
# that ctest checks against HF's. About 4 minutes; its table last.
WORKLOAD_BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
WORKLOAD_LENGTHS=${WORKLOAD_LENGTHS:-$WORKLOAD_BENCH/python_docstrings_bert_lengths.txt}
WORKLOAD_BATCHES=${WORKLOAD_BATCHES:-1,16,64}   # batch sizes of the cuda:* run
WORKLOAD_SEQS=${WORKLOAD_SEQS:-128,512}         # max lengths (truncation: 10.0% at 128, 0.8% at 512)
WORKLOAD_TORCH=${WORKLOAD_TORCH:-1}             # 0: no torch:sdpa run
WORKLOAD_COMMON=(--device cuda --model bert-base --dtype fp16 --tasks encoder --seed 0 --warmup 2
                 --num-batches 10 --no-profile --quiet --lengths "$WORKLOAD_LENGTHS" --batching random,sorted
                 --batches-per-cell 8)

step_workload() {  # workload: bert-base over a lengths file of real text (Python's docstrings, bert-base-uncased counts), random vs sorted batches, cuda:eager vs cuda:sdpa and cuda:flash_attention_2 (then torch:sdpa), tokens/s; the table last
  fits 120 "workload" || return
  mkdir -p "$W/workload"
  "$CLI" workload "$WORKLOAD_LENGTHS" --max-len 512 > "$W/workload/lengths.txt" 2>&1
  head -n 4 "$W/workload/lengths.txt" | tee -a "$S"
  cli_run workload/cuda "$(limit 170)" -- "${WORKLOAD_COMMON[@]}" --baseline cuda:eager \
      --backends cuda:sdpa,cuda:flash_attention_2 --batch-sizes "$WORKLOAD_BATCHES" --seq-lens "$WORKLOAD_SEQS"
  # HF transformers on the same batches (a torch:* prepare per batch goes through the worker's
  # files: slower in wall time, not in measured time), at the larger cells only.
  if [ "$WORKLOAD_TORCH" = 1 ] && fits 60 "workload torch:sdpa"; then
    cli_run workload/torch "$(limit 80)" -- "${WORKLOAD_COMMON[@]}" --baseline cuda:eager --backends torch:sdpa \
        --python "$PYTHON" --batch-sizes 16,64 --seq-lens 512
  fi
  python3 "$WORKLOAD_BENCH/workload_table.py" "$W/workload/cuda" "$W/workload/torch" > "$W/workload_table.md" 2>&1
  tee -a "$S" < "$W/workload_table.md"
}

step_workload_order() {  # workload-order: does a batch-1 cell's policy difference depend on the policies' order or on launch-bound timing? batch 1 x 128,512, random,sorted then sorted,random, then sorted,random under CUDA graphs (40 timed passes each); the tokens/s table of each
  fits 90 "workload-order" || return
  local name order graphs
  for name in random_first sorted_first sorted_first_graphs; do
    order=sorted,random; graphs=()
    [ $name = random_first ] && order=random,sorted
    [ $name = sorted_first_graphs ] && graphs=(--cuda-graphs)
    cli_run "workload_order/$name" "$(limit 90)" -- "${WORKLOAD_COMMON[@]}" --baseline cuda:eager \
        --backends cuda:sdpa,cuda:flash_attention_2 --batch-sizes 1 --seq-lens 128,512 --batching "$order" \
        --num-batches 40 "${graphs[@]}"
    echo "#### $name" | tee -a "$S"
    python3 "$WORKLOAD_BENCH/workload_table.py" "$W/workload_order/$name" 2>&1 | tee -a "$S"
  done
}
