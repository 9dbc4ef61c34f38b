#!/usr/bin/env python3
"""The table of bench/torch/agreement.sh (standard library only).

  python3 bench/torch/agreement_report.py --dir DIR [--tol 0.05]
  python3 bench/torch/agreement_report.py --self-test

DIR holds ours-<tag>.csv (bertbench-cli's results.csv, baseline torch:sdpa) and peer-<tag>.csv
(hf_peers.py, peer hf_sdpa) for the rounds r1, r2, ... and "pinned". Per cell: each round's median
(ms) on both sides, and the ratio torch:sdpa / hf_sdpa of the medians over the unpinned rounds
(the median of the round medians: one slow round on either side does not decide it) and of the
pinned round. A cell passes when that ratio is within --tol of 1; the batches must be the same
(real_tokens equal), or the cell is reported as not comparable.
"""
import argparse
import csv
import glob
import os
import statistics
import sys


def num(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return float("nan")


def key(b, s, p):
    return int(b), int(s), round(float(p), 6)


def read_ours(path):
    cells = {}
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            if r.get("baseline") != "torch:sdpa" or not r.get("baseline_median_ms"):
                continue
            k = key(r["batch_size"], r["seq_len"], r["pad"])
            ms = num(r["baseline_median_ms"])
            if ms == ms and ms > 0:
                cells[k] = (ms, int(num(r.get("real_tokens", "nan")) or 0))
    return cells


def read_peer(path):
    cells = {}
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            if r.get("peer") != "hf_sdpa":
                continue
            ms = num(r.get("median_ms"))
            if ms == ms and ms > 0:
                cells[key(r["batch"], r["seq"], r["pad"])] = (ms, int(num(r.get("real_tokens")) or 0))
    return cells


def load(directory):
    rounds = {}
    for path in sorted(glob.glob(os.path.join(directory, "ours-*.csv"))):
        tag = os.path.basename(path)[len("ours-"):-len(".csv")]
        rounds.setdefault(tag, {})["ours"] = read_ours(path)
    for path in sorted(glob.glob(os.path.join(directory, "peer-*.csv"))):
        tag = os.path.basename(path)[len("peer-"):-len(".csv")]
        rounds.setdefault(tag, {})["peer"] = read_peer(path)
    return rounds


def analyse(rounds, tol):
    """Rows of (cell, per-round text, ratio over rounds, pinned ratio, verdict) and the counts."""
    tags = sorted(t for t in rounds if t != "pinned")
    cells = sorted({k for r in rounds.values() for side in r.values() for k in side})
    rows, passed, compared = [], 0, 0
    for k in cells:
        ours = [rounds[t].get("ours", {}).get(k) for t in tags]
        peer = [rounds[t].get("peer", {}).get(k) for t in tags]
        tokens = {v[1] for v in ours + peer if v}
        o = [v[0] for v in ours if v]
        p = [v[0] for v in peer if v]
        ratio = statistics.median(o) / statistics.median(p) if o and p else float("nan")
        pin_o = rounds.get("pinned", {}).get("ours", {}).get(k)
        pin_p = rounds.get("pinned", {}).get("peer", {}).get(k)
        pinned = pin_o[0] / pin_p[0] if pin_o and pin_p else float("nan")
        if len(tokens) > 1:
            verdict = "batches differ"
        elif ratio != ratio:
            verdict = "not measured by both"
        else:
            compared += 1
            ok = abs(ratio - 1) <= tol
            passed += ok
            verdict = "ok" if ok else "OFF"
        per_round = " ".join(f"{a[0]:.3f}/{b[0]:.3f}" if a and b else "-" for a, b in zip(ours, peer))
        rows.append((k, per_round, ratio, pinned, verdict))
    return tags, rows, passed, compared


def clock_table(directory):
    """Per step (steps.txt: NAME start|end UNIX), the SM clocks nvidia-smi logged meanwhile."""
    import datetime
    steps, spans = os.path.join(directory, "steps.txt"), {}
    clocks = os.path.join(directory, "gpu_clocks.csv")
    if not (os.path.exists(steps) and os.path.exists(clocks)):
        return
    with open(steps) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3:
                spans.setdefault(parts[0], {})[parts[1]] = float(parts[2])
    samples = []
    with open(clocks) as f:
        for line in f:
            fields = [x.strip() for x in line.split(",")]
            try:
                when = datetime.datetime.strptime(fields[0], "%Y/%m/%d %H:%M:%S.%f").timestamp()
                samples.append((when, float(fields[1]), float(fields[2])))
            except (ValueError, IndexError):
                continue
    if not samples:
        return
    print("GPU SM clock (MHz) and utilisation (%) during each step, nvidia-smi every 200 ms:")
    for name, span in spans.items():
        if "start" not in span or "end" not in span:
            continue
        inside = [(c, u) for t, c, u in samples if span["start"] <= t <= span["end"]]
        if not inside:
            continue
        mhz = sorted(c for c, _ in inside)
        q = lambda f: mhz[min(len(mhz) - 1, int(f * (len(mhz) - 1) + 0.5))]
        util = statistics.median(u for _, u in inside)
        print(f"  {name:<14} n={len(mhz):4d}  p10 {q(0.1):6.0f}  median {q(0.5):6.0f}  p90 {q(0.9):6.0f}  util {util:4.0f}")


def ours_clocks(directory):
    """torch:sdpa rows record the SM clock at the start and end of each cell (NVML): median beside it."""
    lines = []
    for path in sorted(glob.glob(os.path.join(directory, "ours-*.csv"))):
        tag = os.path.basename(path)[len("ours-"):-len(".csv")]
        with open(path, newline="") as f:
            for r in csv.DictReader(f):
                if r.get("baseline") != "torch:sdpa":
                    continue
                a, b = num(r.get("baseline_sm_clock_start_mhz")), num(r.get("baseline_sm_clock_end_mhz"))
                if a > 0 and b > 0:
                    lines.append(f"  {tag:<7} {r['batch_size']}x{r['seq_len']} p{float(r['pad']):g}: "
                                 f"{num(r['baseline_median_ms']):7.3f} ms at {a:.0f} -> {b:.0f} MHz")
    if lines:
        print("torch:sdpa per cell, its median and the SM clock at the cell's start and end (NVML):")
        print("\n".join(lines))


def report(directory, tol):
    rounds = load(directory)
    if not rounds:
        print(f"no ours-*.csv or peer-*.csv in {directory}")
        return 1
    tags, rows, passed, compared = analyse(rounds, tol)
    print(f"torch:sdpa (BertBench's worker) vs hf_sdpa (bench/end-to-end/hf_peers.py), medians in ms, rounds {', '.join(tags)}")
    print(f"{'cell':>16}  {'ours/peer per round':<40} {'ratio':>7} {'pinned':>7}  verdict")
    for (b, s, p), per_round, ratio, pinned, verdict in rows:
        cell = f"{b}x{s} p{p:g}"
        print(f"{cell:>16}  {per_round:<40} {ratio:7.3f} {pinned:7.3f}  {verdict}")
    verdict = "PASS" if compared and passed == compared else "FAIL"
    print(f"{verdict}: torch:sdpa within {tol:.0%} of hf_sdpa in {passed} of {compared} cells "
          f"(median of the round medians)")
    clock_table(directory)
    ours_clocks(directory)
    return 0


def self_test():
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        def ours(tag, rows):
            with open(os.path.join(d, f"ours-{tag}.csv"), "w", newline="") as f:
                w = csv.writer(f)
                w.writerow(["batch_size", "seq_len", "pad", "real_tokens", "baseline", "baseline_median_ms"])
                for b, s, p, t, ms in rows:
                    w.writerow([b, s, p, t, "torch:sdpa", ms])

        def peer(tag, rows):
            with open(os.path.join(d, f"peer-{tag}.csv"), "w", newline="") as f:
                w = csv.writer(f)
                w.writerow(["peer", "batch", "seq", "pad", "real_tokens", "median_ms"])
                for b, s, p, t, ms in rows:
                    w.writerow(["hf_sdpa", b, s, p, t, ms])

        ours("r1", [(1, 128, 0, 128, 5.0), (64, 512, 0.5, 16000, 10.0)])
        ours("r2", [(1, 128, 0, 128, 9.0), (64, 512, 0.5, 16000, 10.2)])
        ours("r3", [(1, 128, 0, 128, 5.1), (64, 512, 0.5, 16000, 12.0)])
        peer("r1", [(1, 128, 0, 128, 5.0), (64, 512, 0.5, 16001, 10.0)])
        peer("r2", [(1, 128, 0, 128, 5.2)])
        peer("r3", [(1, 128, 0, 128, 4.9)])
        tags, rows, passed, compared = analyse(load(d), 0.05)
        assert tags == ["r1", "r2", "r3"], tags
        first = rows[0]
        assert first[0] == (1, 128, 0.0) and abs(first[2] - 5.1 / 5.0) < 1e-9 and first[4] == "ok", first
        assert rows[1][4] == "batches differ", rows[1]
        assert (passed, compared) == (1, 1), (passed, compared)
    print("self-test ok")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir")
    ap.add_argument("--tol", type=float, default=0.05)
    ap.add_argument("--self-test", action="store_true")
    args = ap.parse_args()
    if args.self_test:
        return self_test()
    if not args.dir:
        ap.error("--dir is required")
    return report(args.dir, args.tol)


if __name__ == "__main__":
    sys.exit(main())
