#!/usr/bin/env python3
"""One line per row of hf_peers.py's CSV (peer, cell, median, peak, note), for device-call summaries.

  python3 bench/peers/print_peers.py OUT/peers.csv
"""
import csv
import sys

if len(sys.argv) != 2:
    sys.exit("usage: print_peers.py PEERS.csv")
try:
    rows = list(csv.DictReader(open(sys.argv[1])))
except OSError as e:
    sys.exit(f"print_peers.py: {e}")
for r in rows:
    print(f"{r['peer']:<12}{r['batch']}x{r['seq']} p{r['pad']:<6}{float(r['median_ms']):10.3f} ms "
          f"{float(r['peak_mb']):8.0f} MB {r['note']}")
