#!/usr/bin/env python3
"""The noise step's table (bench/noise/steps.sh), from bertbench-cli's results.csv files (standard library only).

  python3 bench/noise/noise_table.py DIR          # DIR/{fixed10,adaptive,sequential}/results.csv, DIR/*.wall
  python3 bench/noise/noise_table.py --throttled-batches RESULTS.csv   # "64,128": batch sizes with a throttled row
  python3 bench/noise/noise_table.py --self-test

The old script's grid measured twice, interleaved: with a fixed count (--num-batches 10) and adaptively
(--max-noise 1). It prints, per run, the wall time, the ok rows, the forwards a side took (median,
max) and why the sides stopped, the verdicts (faster/same/slower); then how many (cell, candidate)
pairs change verdict between the two and how; then, in the cells where the GPU throttled (either
side's SM clock fell > 10 %), the adaptive run's interleaved medians beside its --sequential twin's
(the same flags, one backend after the other): baseline and candidate medians, the speedups and
their verdicts, and the mean |difference| of the speedups. Numbers are copied from the files.
"""
import csv
import math
import os
import statistics
import sys
import tempfile

RUNS = (("fixed10", "--num-batches 10"), ("adaptive", "--max-noise 1"), ("sequential", "--max-noise 1 --sequential"))


def num(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return float("nan")


def read(path):
    if not path or not os.path.exists(path):
        return None
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def key(r):
    return (int(r["batch_size"]), int(r["seq_len"]), round(float(r["pad"]), 4), r["candidate"])


def ok_rows(rows):
    return {key(r): r for r in rows or [] if r.get("status") == "ok"}


def throttled(r):
    return r.get("baseline_throttled") == "true" or r.get("candidate_throttled") == "true"


def throttled_batches(rows):
    return sorted({int(r["batch_size"]) for r in rows or [] if r.get("status") == "ok" and throttled(r)})


def speedup(r):
    b, c = num(r.get("baseline_median_ms")), num(r.get("candidate_median_ms"))
    return (b / c - 1) * 100 if b > 0 and c > 0 else float("nan")


def run_lines(name, flags, rows, wall):
    ok = ok_rows(rows)
    if rows is None:
        return [f"| {name} | `{flags}` | not run | | | | |"]
    forwards = [int(num(r.get(side + "_samples"))) for r in ok.values() for side in ("baseline", "candidate")
                if not math.isnan(num(r.get(side + "_samples")))]
    stops = {}
    for r in ok.values():
        for side in ("baseline", "candidate"):
            s = r.get(side + "_stop") or "?"
            stops[s] = stops.get(s, 0) + 1
    verdicts = {v: sum(1 for r in ok.values() if r.get("verdict") == v) for v in ("faster", "same", "slower")}
    fw = f"{statistics.median(forwards):.0f} / {max(forwards)}" if forwards else "-"
    stop_text = ", ".join(f"{k} {v}" for k, v in sorted(stops.items()))
    cells = len({k[:3] for k in ok})
    return [f"| {name} | `{flags}` | {wall} | {cells} cells, {len(ok)} rows | {fw} | {stop_text} | "
            f"{verdicts['faster']}/{verdicts['same']}/{verdicts['slower']} |"]


def verdict_changes(fixed, adaptive):
    a, b = ok_rows(fixed), ok_rows(adaptive)
    common = [k for k in a if k in b]
    moves = {}
    for k in common:
        va, vb = a[k].get("verdict") or "-", b[k].get("verdict") or "-"
        if va != vb:
            moves[(va, vb)] = moves.get((va, vb), 0) + 1
    return len(common), sum(moves.values()), moves


def table(directory):
    rows = {name: read(os.path.join(directory, name, "results.csv")) for name, _ in RUNS}
    walls = {}
    for name, _ in RUNS:
        path = os.path.join(directory, name + ".wall")
        walls[name] = open(path).read().strip() + " s" if os.path.exists(path) else "-"
    out = ["### Noise-aware cells: the old script's grid, bert-base fp16, cuda:eager vs cuda:sdpa, "
           "cuda:flash_attention_2, CUDA graphs", "",
           "| run | flags | wall | measured | forwards a side (median / max) | stopped on | faster/same/slower |",
           "| --- | --- | ---: | --- | ---: | --- | ---: |"]
    for name, flags in RUNS:
        out += run_lines(name, flags, rows[name], walls[name])
    out.append("\nwall: the whole bertbench-cli run, start-up included; a run cut at its limit keeps the cells it "
               "measured (see \"measured\").")
    common, changed, moves = verdict_changes(rows["fixed10"], rows["adaptive"])
    out.append("")
    if common:
        how = ", ".join(f"{a}→{b} {n}" for (a, b), n in sorted(moves.items(), key=lambda m: -m[1]))
        out.append(f"Verdicts, --num-batches 10 → --max-noise 1: **{changed} of {common}** (cell, candidate) pairs "
                   f"change{': ' + how if how else ''}.")
    else:
        out.append("Verdicts: no (cell, candidate) pair measured ok by both runs.")
    inter, seq = ok_rows(rows["adaptive"]), ok_rows(rows["sequential"])
    hot = [k for k in sorted(inter) if k in seq and (throttled(inter[k]) or throttled(seq[k]))]
    out.append("")
    if rows["sequential"] is None:
        out.append("Throttled cells: no --sequential run (no throttled cell in the adaptive run, or no time left).")
        return "\n".join(out)
    if not hot:
        out.append("Throttled cells: none measured ok by both the interleaved and the --sequential run.")
        return "\n".join(out)
    out += [f"Throttled cells ({len(hot)} (cell, candidate) pairs), interleaved (the adaptive run) vs --sequential "
            "(the same flags, one backend after the other), medians in ms:", "",
            "| cell | candidate | baseline inter / seq | candidate inter / seq | speedup inter / seq | verdict inter / seq |",
            "| --- | --- | ---: | ---: | ---: | --- |"]
    diffs = []
    for k in hot[:24]:
        i, s = inter[k], seq[k]
        si, ss = speedup(i), speedup(s)
        diffs.append(abs(si - ss))
        out.append(f"| {k[0]}×{k[1]} p{k[2]:g} | {k[3]} | {num(i['baseline_median_ms']):.3f} / "
                   f"{num(s['baseline_median_ms']):.3f} | {num(i['candidate_median_ms']):.3f} / "
                   f"{num(s['candidate_median_ms']):.3f} | {si:+.1f}% / {ss:+.1f}% | "
                   f"{i.get('verdict') or '-'} / {s.get('verdict') or '-'} |")
    for k in hot[24:]:
        diffs.append(abs(speedup(inter[k]) - speedup(seq[k])))
    if len(hot) > 24:
        out.append(f"| … {len(hot) - 24} more | | | | | |")
    out.append(f"\nMean |speedup interleaved − sequential| over the {len(hot)} throttled pairs: "
               f"{statistics.mean(diffs):.1f} points.")
    return "\n".join(out)


def write_csv(path, rows):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    cols = ["batch_size", "seq_len", "pad", "candidate", "status", "baseline_median_ms", "candidate_median_ms",
            "baseline_samples", "candidate_samples", "baseline_stop", "candidate_stop", "verdict",
            "baseline_throttled", "candidate_throttled"]
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, cols)
        w.writeheader()
        for r in rows:
            w.writerow(r)


def self_test():
    d = tempfile.mkdtemp(prefix="noise-selftest.")

    def row(b, cand, base_ms, cand_ms, n, stop, verdict, hot=False):
        return {"batch_size": b, "seq_len": 512, "pad": 0, "candidate": cand, "status": "ok",
                "baseline_median_ms": base_ms, "candidate_median_ms": cand_ms, "baseline_samples": n,
                "candidate_samples": n, "baseline_stop": stop, "candidate_stop": stop, "verdict": verdict,
                "baseline_throttled": "true" if hot else "false", "candidate_throttled": "false"}
    write_csv(os.path.join(d, "fixed10", "results.csv"),
              [row(1, "cuda:sdpa", 1.0, 0.99, 10, "count", "same"), row(128, "cuda:sdpa", 70, 35, 10, "count", "faster")])
    write_csv(os.path.join(d, "adaptive", "results.csv"),
              [row(1, "cuda:sdpa", 1.0, 0.98, 40, "noise", "faster"),
               row(128, "cuda:sdpa", 72, 36, 12, "max_time", "faster", hot=True)])
    write_csv(os.path.join(d, "sequential", "results.csv"), [row(128, "cuda:sdpa", 68, 37, 12, "max_time", "faster")])
    with open(os.path.join(d, "fixed10.wall"), "w") as f:
        f.write("95\n")
    text = table(d)
    assert "| fixed10 | `--num-batches 10` | 95 s | 2 cells, 2 rows | 10 / 10 | count 4 | 1/1/0 |" in text, text
    assert "**1 of 2** (cell, candidate) pairs change: same→faster 1" in text, text
    assert "| 128×512 p0 | cuda:sdpa | 72.000 / 68.000 | 36.000 / 37.000 | +100.0% / +83.8% | faster / faster |" in text, text
    assert "over the 1 throttled pairs: 16.2 points" in text, text
    assert throttled_batches(read(os.path.join(d, "adaptive", "results.csv"))) == [128]
    os.remove(os.path.join(d, "sequential", "results.csv"))
    assert "no --sequential run" in table(d)
    print("noise table self-test: PASS")


def main():
    args = sys.argv[1:]
    if args == ["--self-test"]:
        self_test()
    elif len(args) == 2 and args[0] == "--throttled-batches":
        print(",".join(str(b) for b in throttled_batches(read(args[1]))))
    elif len(args) == 1:
        print(table(args[0]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
