#!/usr/bin/env bash
# The spread of verify's errors over many seeds (random bert-base weights and batches): the data
# behind the classification tolerance (docs/PERFORMANCE.md, "verify tolerances from 40 seeds").
#   bash bench/verify_tolerance_spread.sh CLI OUT [BUDGET_S] [FIRST_SEED] [LAST_SEED]
# Writes OUT/seed_N.txt per seed and OUT/spread.tsv (seed, task, backend, dtype, pooled rel L2,
# worst case rel L2, max abs); stops starting seeds once BUDGET_S (default 240) has passed.
set -uo pipefail
cli="$1"; out="$2"; budget="${3:-240}"; first="${4:-1}"; last="${5:-40}"
mkdir -p "$out"
start=$(date +%s)
for seed in $(seq "$first" "$last"); do
    (( $(date +%s) - start > budget )) && { echo "budget reached before seed $seed"; break; }
    "$cli" verify --model bert-base --tasks encoder,classification,qa --backends cuda:eager,cuda:sdpa \
        --dtypes fp16,bf16 --no-kernel-checks --cuda-graphs --seed "$seed" > "$out/seed_$seed.txt" 2>&1
    echo "seed $seed rc $? ($(( $(date +%s) - start )) s)"
done
