#!/usr/bin/env python3
"""Reads `ncu --page source --csv --print-source sass` and prints the SASS instructions with the
most warp-stall samples (with the stall reasons that make up each), plus totals per reason.
   top_stalls.py SASS_SOURCE_CSV [N]"""
import csv
import sys


def main():
    path, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 40
    with open(path, newline="") as f:
        lines = f.read().splitlines()
    start = next((i for i, l in enumerate(lines) if l.startswith('"#"') or l.startswith('"Address"')), 0)
    rows = list(csv.DictReader(lines[start:]))
    if not rows:
        print("no rows in", path)
        return
    keys = rows[0].keys()
    total_key = next((k for k in keys if k.startswith("Warp Stall Sampling (All")), None)
    src_key = next((k for k in keys if k in ("Source", "SASS")), None)
    addr_key = next((k for k in keys if k.startswith("Address")), None)
    reason_keys = [k for k in keys if k.startswith("stall_") or k.startswith("smsp__pcsamp")]
    if total_key is None:
        print("columns:", list(keys))
        return

    def num(v):
        try:
            return float(str(v).replace(",", ""))
        except ValueError:
            return 0.0

    total = sum(num(r[total_key]) for r in rows) or 1.0
    print(f"{len(rows)} instructions, {total:.0f} stall samples")
    sums = {k: sum(num(r[k]) for r in rows) for k in reason_keys}
    for k, v in sorted(sums.items(), key=lambda kv: -kv[1])[:14]:
        if v > 0:
            print(f"  {k:50s} {100 * v / total:5.1f}%")
    print()
    for r in sorted(rows, key=lambda r: -num(r[total_key]))[:n]:
        reasons = sorted(((num(r[k]), k) for k in reason_keys), reverse=True)[:3]
        why = ", ".join(f"{k.replace('smsp__pcsamp_warps_issue_stalled_', '')} {100 * v / max(num(r[total_key]), 1):.0f}%"
                        for v, k in reasons if v > 0)
        print(f"{100 * num(r[total_key]) / total:5.1f}%  {r.get(addr_key, '')}  {r.get(src_key, '')[:70]:70s} {why}")


if __name__ == "__main__":
    main()
