#!/usr/bin/env python3
"""Writes squad_v1.1_like_lengths.txt: 10,833 synthetic BERT input lengths shaped like SQuAD v1.1
dev's features at max length 384 and doc stride 128 (MLPerf Inference BERT's performance set has
10,833 samples). SYNTHETIC: no SQuAD text was read (this machine has no internet); the shape
follows how the features are made, with parameters stated here and in docs/PERFORMANCE.md.

A feature is [CLS] question [SEP] context window [SEP]: 3 special tokens + question tokens +
window tokens. Per example (seeded, Python's random, stdlib only):
  question tokens  round(LogNormal(median 13, sigma 0.35)), clamped to [4, 64] (max_query_length 64)
  context tokens   round(LogNormal(median 140, sigma 0.45)), clamped to [20, 1200]
A context that fits (3 + q + c <= 384) gives one feature of that length; a longer one is cut into
windows of 384 - 3 - q context tokens starting every 128 tokens (the reference's doc stride),
until a window reaches the context's end: full windows are 384 long, the last one shorter.
Features are emitted in example order until there are 10,833.

    python3 bench/throughput/make_lengths.py > bench/throughput/squad_v1.1_like_lengths.txt
    python3 bench/throughput/make_lengths.py --stats      # mean, percentiles, share at 384
"""
import math
import random
import sys

SAMPLES = 10833
MAX_LEN = 384
STRIDE = 128
SEED = 20260406
Q_MEDIAN, Q_SIGMA = 13.0, 0.35
C_MEDIAN, C_SIGMA = 140.0, 0.45


def features():
    rng = random.Random(SEED)
    out = []
    while len(out) < SAMPLES:
        q = min(64, max(4, round(Q_MEDIAN * math.exp(rng.gauss(0, Q_SIGMA)))))
        c = min(1200, max(20, round(C_MEDIAN * math.exp(rng.gauss(0, C_SIGMA)))))
        room = MAX_LEN - 3 - q
        if c <= room:
            out.append(3 + q + c)
            continue
        start = 0
        while True:
            take = min(room, c - start)
            out.append(3 + q + take)
            if start + take >= c:
                break
            start += STRIDE
    return out[:SAMPLES]


def main():
    lengths = features()
    if "--stats" in sys.argv:
        s = sorted(lengths)
        pct = lambda p: s[min(len(s) - 1, int(p / 100 * len(s)))]
        print(f"samples {len(s)}  mean {sum(s) / len(s):.1f}  min {s[0]}  p10 {pct(10)}  p50 {pct(50)}  "
              f"p90 {pct(90)}  p99 {pct(99)}  max {s[-1]}  at {MAX_LEN}: {100 * s.count(MAX_LEN) / len(s):.1f}%")
        return
    sys.stdout.write("".join(f"{n}\n" for n in lengths))


if __name__ == "__main__":
    main()
