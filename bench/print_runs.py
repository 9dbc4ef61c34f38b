#!/usr/bin/env python3
"""The issue-11 cells of several bertbench-cli runs in one table, for device-call summaries.

  python3 bench/print_runs.py DIR TAG [TAG ...]

reads DIR/run_<TAG>_<part>/results.csv for part in 512, 128, large (the runs bench/h200_wave2.sh and
bench/hopper_attention.sh make: cuda:sdpa baseline, cuda:flash_attention_2 candidate).
"""
import csv
import os
import sys

if len(sys.argv) < 3:
    sys.exit("usage: print_runs.py DIR TAG [TAG ...]")
w, tags = sys.argv[1], sys.argv[2:]
width = max(10, max(len(t) for t in tags) + 2)
print(f"{'variant':<{width}}{'model':<12}{'cell':<16}{'cuda:sdpa ms':>13}{'cuda:fa2 ms':>12}{'sdpa MB':>9}{'fa2 MB':>8}"
      f"{'rel err':>10} status")
for tag in tags:
    for part in ("512", "128", "large"):
        f = f"{w}/run_{tag}_{part}/results.csv"
        if not os.path.exists(f):
            print(f"{tag:<{width}}{part}: no results")
            continue
        for r in csv.DictReader(open(f)):
            cell = f"{r['batch_size']}x{r['seq_len']} p{r['pad']}"
            print(f"{tag:<{width}}{r.get('model', '?')[:11]:<12}{cell:<16}{float(r['baseline_median_ms']):13.3f}"
                  f"{float(r['candidate_median_ms']):12.3f}{float(r['baseline_peak_mb']):9.0f}{float(r['candidate_peak_mb']):8.0f}"
                  f"{float(r['rel_error']):10.2e} {r['status']}")
