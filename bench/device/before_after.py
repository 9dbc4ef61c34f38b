#!/usr/bin/env python3
"""Is a new build no slower and still correct? The report of run.sh's before-after step.

  python3 bench/device/before_after.py DIR [--threshold PCT]
  python3 bench/device/before_after.py --self-test

DIR holds the step's runs, one folder per CLI, round and batch size: before_r<R>_b<B>/results.csv and
after_r<R>_b<B>/results.csv (any folder whose name starts with before_ / after_ and holds a
results.csv is read), and, when present, verify_before.log and verify_after.log.

A cell is (task, dtype, batch_size, seq_len, pad), plus model when results.csv has that column; a
backend's median in a cell is the baseline's (cuda:eager) or the candidate's column of the rows that
hold it: candidates only from rows with status ok, the baseline wherever its median is a positive
number. With several rounds, a side's value in a cell is the geometric mean of its rounds' medians.
Printed, per backend over the cells both sides have: the geometric mean of after / before, the worst
cell (largest after / before), and how many cells are slower after by more than PCT (default 2) %;
then the verify verdicts, and the cells a backend has before but not after (a lost cell is a
regression too). A ratio above 1 means the new build is slower.
"""
import csv
import glob
import math
import os
import re
import shutil
import sys
import tempfile

BACKEND_ORDER = ["cuda:eager", "cuda:sdpa", "cuda:flash_attention_2"]


def positive(text):
    try:
        v = float(text)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) and v > 0 else None


def cell_key(r):
    pad = float(r["pad"])
    return (r.get("model", ""), r["task"], r.get("dtype", ""), int(r["batch_size"]), int(r["seq_len"]), pad)


def cell_label(key):
    model, task, dtype, b, s, pad = key
    label = f"{b} × {s} p{pad:g}"
    extra = [x for x in (model, task if task != "encoder" else "", dtype if dtype != "fp16" else "") if x]
    return label + (f" ({' '.join(extra)})" if extra else "")


def read_side(paths):
    """{backend: {cell: [median of each file that has it]}} over one side's results.csv files."""
    side = {}
    for path in paths:
        seen = {}
        with open(path, newline="") as f:
            for r in csv.DictReader(f):
                key = cell_key(r)
                base = positive(r.get("baseline_median_ms"))
                if base is not None:
                    seen[(r["baseline"], key)] = base
                cand = positive(r.get("candidate_median_ms"))
                if cand is not None and r.get("status") == "ok":
                    seen[(r["candidate"], key)] = cand
        for (backend, key), ms in seen.items():
            side.setdefault(backend, {}).setdefault(key, []).append(ms)
    return side


def geomean(values):
    return math.exp(sum(math.log(v) for v in values) / len(values))


def verify_line(path):
    if not os.path.exists(path):
        return None
    with open(path, errors="replace") as f:
        text = f.read()
    ok = len(re.findall(r" ok *$", text, re.M))
    bad = len(re.findall(r" (FAIL|ERROR) *$", text, re.M))
    verdict = re.findall(r"^verify: .*$", text, re.M)
    return f"{ok} ok, {bad} FAIL/ERROR; {verdict[-1] if verdict else 'no verdict line (crashed or timed out)'}"


def report(folder, threshold=2.0):
    runs = {side: sorted(glob.glob(os.path.join(folder, f"{side}_*", "results.csv"))) for side in ("before", "after")}
    rounds = sorted({m.group(1) for p in runs["before"] + runs["after"]
                     for m in [re.search(r"_r(\d+)_", os.path.basename(os.path.dirname(p)))] if m})
    out = ["### Before / after: bertbench-cli run medians, after / before (> 1: the new build is slower)", ""]
    if not runs["before"] or not runs["after"]:
        out.append(f"(no before_*/ or after_*/results.csv in {folder}: nothing to compare)")
        return "\n".join(out), {}
    before, after = read_side(runs["before"]), read_side(runs["after"])
    backends = [b for b in BACKEND_ORDER if b in before or b in after]
    backends += sorted((set(before) | set(after)) - set(backends))
    out.append(f"| backend | cells | geomean | worst cell | slower by > {threshold:g} % |")
    out.append("| --- | ---: | ---: | --- | ---: |")
    summary, lost = {}, []
    for backend in backends:
        b_cells, a_cells = before.get(backend, {}), after.get(backend, {})
        common = sorted(set(b_cells) & set(a_cells))
        lost += [f"{backend} {cell_label(k)}" for k in sorted(set(b_cells) - set(a_cells))]
        if not common:
            out.append(f"| {backend} | 0 | — | — | — |")
            continue
        ratios = {k: geomean(a_cells[k]) / geomean(b_cells[k]) for k in common}
        worst = max(common, key=lambda k: ratios[k])
        slower = sum(1 for v in ratios.values() if v > 1 + threshold / 100)
        g = geomean(list(ratios.values()))
        summary[backend] = (len(common), g, ratios[worst], slower)
        out.append(f"| {backend} | {len(common)} | {g:.3f} | {cell_label(worst)}: {ratios[worst]:.3f} "
                   f"({geomean(b_cells[worst]):.3f} → {geomean(a_cells[worst]):.3f} ms) | {slower} |")
    out.append("")
    out.append(f"Rounds: {len(rounds)} ({len(runs['before'])} before runs, {len(runs['after'])} after runs); "
               "each side's value is the geometric mean of its rounds' medians.")
    for side in ("before", "after"):
        line = verify_line(os.path.join(folder, f"verify_{side}.log"))
        if line:
            out.append(f"verify {side}: {line}")
    if lost:
        out.append(f"Cells before has and after lacks (not ok or not run): {len(lost)}: " + ", ".join(lost[:8]) +
                   (" …" if len(lost) > 8 else ""))
    return "\n".join(out), summary


def write_csv(path, rows, model=False):
    head = (["model"] if model else []) + ["task", "batch_size", "seq_len", "pad", "dtype", "baseline",
                                           "baseline_median_ms", "candidate", "candidate_median_ms", "status"]
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(head)
        for r in rows:
            w.writerow(r)


def made_up_rows(batch, scale, status_fa2="ok"):
    """One batch size of a made-up grid: 2 lengths x 2 pads; eager 1.0, sdpa 0.8, fa2 0.7 ms x size x scale."""
    rows = []
    for seq in (128, 512):
        for pad in (0, 0.5):
            size = batch * seq / 128 * (1 - pad / 2)
            eager = 1.0 * size * scale.get("cuda:eager", 1.0)
            for cand, ms in (("cuda:sdpa", 0.8), ("cuda:flash_attention_2", 0.7)):
                v = ms * size * scale.get(cand, 1.0)
                if (batch, seq, pad) == (8, 512, 0.5) and cand == "cuda:flash_attention_2":
                    v *= scale.get("worst", 1.0)
                status = status_fa2 if cand == "cuda:flash_attention_2" and (batch, seq, pad) == (8, 512, 0) else "ok"
                rows.append(["encoder", batch, seq, pad, "fp16", "cuda:eager", eager, cand,
                             "nan" if status != "ok" else v, status])
    return rows


def self_test():
    tmp = tempfile.mkdtemp(prefix="before-after-selftest.")
    # Round 1: after's sdpa 1 % faster, fa2 the same but 5 % slower at 8 x 512 p0.5, eager 3 % slower at
    # batch 8 only; after's fa2 row at 8 x 512 p0 is an oom (a lost cell). Round 2 (after then before): the
    # same except eager's batch 8 the same as before, so its geomean over rounds is sqrt(1.03) = 1.0149.
    for rnd, eager8 in ((1, 1.03), (2, 1.0)):
        for b in (1, 8):
            write_csv(os.path.join(tmp, f"before_r{rnd}_b{b}", "results.csv"), made_up_rows(b, {}))
            scale = {"cuda:sdpa": 0.99, "worst": 1.05, "cuda:eager": eager8 if b == 8 else 1.0}
            write_csv(os.path.join(tmp, f"after_r{rnd}_b{b}", "results.csv"),
                      made_up_rows(b, scale, status_fa2="oom" if b == 8 else "ok"))
    with open(os.path.join(tmp, "verify_before.log"), "w") as f:
        f.write("  encoder  cuda:sdpa  fp16  1e-3  ok\n  encoder  cuda:eager  fp16  1e-3  ok  \n\nverify: PASS, 2 checks in 3.0 s\n")
    with open(os.path.join(tmp, "verify_after.log"), "w") as f:
        f.write("  encoder  cuda:sdpa  fp16  1e-3  ok\n  encoder  cuda:eager  fp16  9e-1  FAIL\n"
                "\nverify: FAIL, 1 of 2 checks past tolerance or failed (seed 3)\n")
    text, s = report(tmp)
    assert s["cuda:sdpa"][0] == 8 and abs(s["cuda:sdpa"][1] - 0.99) < 1e-9 and s["cuda:sdpa"][3] == 0, s
    n, g, worst, slower = s["cuda:flash_attention_2"]
    assert n == 7 and abs(worst - 1.05) < 1e-9 and slower == 1 and abs(g - 1.05 ** (1 / 7)) < 1e-9, s
    n, g, worst, slower = s["cuda:eager"]
    assert n == 8 and abs(worst - math.sqrt(1.03)) < 1e-9 and slower == 0, s   # 1.49 %: under 2 %
    assert abs(g - 1.03 ** (4 / 2 / 8)) < 1e-9, s
    assert "| cuda:flash_attention_2 | 7 | 1.007 | 8 × 512 p0.5: 1.050 (" in text, text
    assert text.index("| cuda:eager |") < text.index("| cuda:sdpa |") < text.index("| cuda:flash_attention_2 |")
    assert "verify before: 2 ok, 0 FAIL/ERROR; verify: PASS" in text, text
    assert "verify after: 1 ok, 1 FAIL/ERROR; verify: FAIL, 1 of 2" in text, text
    assert "lacks (not ok or not run): 1: cuda:flash_attention_2 8 × 512 p0" in text, text
    assert "Rounds: 2 (4 before runs, 4 after runs)" in text, text
    text, s = report(tmp, threshold=1.0)
    assert s["cuda:eager"][3] == 4, s                                          # 1.49 % > 1 %
    # a model column, and a folder without runs
    write_csv(os.path.join(tmp, "m", "before_r1_b2", "results.csv"), [["bert-large"] + made_up_rows(2, {})[0]], True)
    write_csv(os.path.join(tmp, "m", "after_r1_b2", "results.csv"),
              [["bert-large"] + made_up_rows(2, {"cuda:eager": 1.1})[0]], True)
    text, s = report(os.path.join(tmp, "m"))
    assert "| cuda:eager | 1 | 1.100 | 2 × 128 p0 (bert-large): 1.100" in text, text
    text, s = report(os.path.join(tmp, "none"))
    assert "nothing to compare" in text and not s
    shutil.rmtree(tmp, ignore_errors=True)
    print("before-after report self-test: PASS")


def main():
    args = sys.argv[1:]
    if args and args[0] == "--self-test":
        self_test()
        return
    threshold = 2.0
    if "--threshold" in args:
        i = args.index("--threshold")
        threshold = float(args[i + 1])
        del args[i:i + 2]
    if len(args) != 1 or args[0].startswith("-"):
        sys.exit(__doc__)
    text, _ = report(args[0], threshold)
    print(text)


if __name__ == "__main__":
    main()
