#!/usr/bin/env python3
"""Table of the experiment runs: per knob, cell and value, the medians of each round."""
import csv, glob, os, re, sys
out = sys.argv[1]
rows = {}
for f in sorted(glob.glob(f"{out}/runs/*/results.csv")):
    name = os.path.basename(os.path.dirname(f))
    m = re.match(r"(.+)_([01])_(small|large)_r(\d)", name)
    knob, val, cell, rnd = m.groups()
    for r in csv.DictReader(open(f)):
        key = (knob, f"{r['batch_size']}x{r['seq_len']} p{r['pad']}")
        d = rows.setdefault(key, {})
        d.setdefault((val, "sdpa"), []).append(float(r["baseline_median_ms"]))
        d.setdefault((val, "fa2"), []).append(float(r["candidate_median_ms"]))
        if r["status"] != "ok": print("status", name, r["status"])
print(f"{'knob':<18}{'cell':<16}{'backend':<8}{'off (0) ms, rounds':<26}{'on (1) ms, rounds':<26}{'on/off':>8}")
for (knob, cell), d in sorted(rows.items()):
    for b in ("sdpa", "fa2"):
        off, on = d.get(("0", b), []), d.get(("1", b), [])
        if not off or not on: continue
        ratio = (sum(on) / len(on)) / (sum(off) / len(off))
        print(f"{knob:<18}{cell:<16}{b:<8}{' '.join(f'{x:.3f}' for x in off):<26}{' '.join(f'{x:.3f}' for x in on):<26}{ratio:8.3f}")
for f in sorted(glob.glob(f"{out}/gemm_*time.txt")):
    print("==", os.path.basename(f)); print(open(f).read()[-1500:])
