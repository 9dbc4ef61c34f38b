#!/usr/bin/env bash
# One call on the GPU machine: the four task heads (bert-base) and bert-large's encoder, every
# CUDA backend against cuda:eager, fp16, CUDA graphs. Prints one line per row; files under OUT_DIR.
#   bench/heads_and_large.sh [CLI] [OUT_DIR]
set -uo pipefail
CLI=${1:-.device-bench/bertbench-cli}
OUTD=${2:-${OUT:-heads-large-out}}
mkdir -p "$OUTD"
C="$CLI run --device cuda --dtype fp16 --baseline cuda:eager --backends cuda:sdpa,cuda:flash_attention_2 --cuda-graphs --quiet --warmup 3 --num-batches 20"
$C --model bert-base --tasks mlm,classification,token_classification,qa --batch-sizes 1,32 --seq-lens 128,512 \
   --pads 0,0.5 --out "$OUTD/heads" > "$OUTD/heads.log" 2>&1; echo "heads rc=$?"
$C --model bert-large --tasks encoder --batch-sizes 1,32,128 --seq-lens 128,512 --pads 0,0.5 \
   --out "$OUTD/large" > "$OUTD/large.log" 2>&1; echo "large rc=$?"
for d in heads large; do
  cp "$OUTD/$d/results.csv" "$OUTD/$d.csv" 2>/dev/null
  python3 - "$OUTD/$d/results.csv" "$d" <<'PY'
import csv, sys
print(f"== {sys.argv[2]}")
print(f"{'task':<21}{'cell':<16}{'candidate':<24}{'eager ms':>10}{'cand ms':>10}{'speedup%':>9}{'eager MB':>10}{'cand MB':>9}{'rel err':>10} status")
for r in csv.DictReader(open(sys.argv[1])):
    cell = f"{r['batch_size']}x{r['seq_len']} p{r['pad']}"
    print(f"{r['task']:<21}{cell:<16}{r['candidate']:<24}{float(r['baseline_median_ms']):10.3f}{float(r['candidate_median_ms']):10.3f}"
          f"{float(r['speedup_pct']):9.1f}{float(r['baseline_peak_mb']):10.0f}{float(r['candidate_peak_mb']):9.0f}{float(r['rel_error']):10.2e} {r['status']}")
PY
done
