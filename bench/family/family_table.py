#!/usr/bin/env python3
"""The family grid's table (bench/family/steps.sh), from bertbench-cli's results.csv (standard library only).

  python3 bench/family/family_table.py RUN/results.csv ...   # a --models run, or one run per model (family_<model>)
  python3 bench/family/family_table.py --self-test

Per model, over the cells where both ran: cuda:flash_attention_2 against torch:sdpa (HF's own sdpa),
both timed in the same run against the baseline torch:eager: the geometric mean of the speedup
(torch:sdpa median / ours), the smallest speedup and its cell, how many cells ours is faster in,
and peak memory (ours / torch:sdpa's) at 128 x 512 pad 0. Then cuda:sdpa the same way, and the
issue's targets: faster in every cell, >= 1.3x geomean, peak <= 0.5x at 128 x 512.
"""
import math
import os
import sys

from grid_table import cell_text, main as grid_table_main, num, read_rows

OURS, HF = "cuda:flash_attention_2", "torch:sdpa"


def by_model(path, rows):
    """[(model, rows)]: by the run's model column (a --models run), else one model named by the folder."""
    if rows and rows[0].get("model"):
        groups = {}
        for r in rows:
            groups.setdefault(os.path.basename(r["model"].rstrip("/")), []).append(r)
        return list(groups.items())
    folder = os.path.basename(os.path.dirname(os.path.abspath(path)))
    return [(folder[len("family_"):] if folder.startswith("family_") else folder, rows)]


def cells(rows, candidate):
    """(batch, seq, pad) -> (median ms, peak MB) of one candidate's ok rows."""
    out = {}
    for r in rows:
        if r.get("candidate") == candidate and r.get("status") == "ok":
            key = (int(r["batch_size"]), int(r["seq_len"]), round(float(r["pad"]), 4))
            out[key] = (num(r["candidate_median_ms"]), num(r["candidate_peak_mb"]))
    return out


def compare(rows, ours, hf):
    a, b = cells(rows, ours), cells(rows, hf)
    common = sorted(set(a) & set(b))
    ratios = [(b[k][0] / a[k][0], k) for k in common if a[k][0] > 0 and b[k][0] > 0]
    if not ratios:
        return None
    geo = math.exp(sum(math.log(r) for r, _ in ratios) / len(ratios))
    low = min(ratios)
    faster = sum(1 for r, _ in ratios if r > 1)
    big = (128, 512, 0.0)
    peak = a[big][1] / b[big][1] if big in a and big in b and b[big][1] > 0 else float("nan")
    return dict(geo=geo, low=low[0], low_cell=low[1], faster=faster, cells=len(ratios), peak=peak,
                peak_mb=(a.get(big, (0, float("nan")))[1], b.get(big, (0, float("nan")))[1]),
                missing=len(set(a) ^ set(b)))


def table(paths):
    out = ["| model | cells | fa2 faster in | geomean fa2 / HF sdpa | min (cell) | peak fa2 / HF sdpa at 128x512 "
           "(MB) | cuda:sdpa geomean / min |",
           "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    verdicts = []
    models = []
    for path in paths:
        models += by_model(path, read_rows(path))
    for model, rows in models:
        c = compare(rows, OURS, HF)
        s = compare(rows, "cuda:sdpa", HF)
        errors = sum(1 for r in rows if r.get("status") != "ok")
        if c is None:
            out.append(f"| {model} | 0 | - | - | - | - | - |")
            verdicts.append(f"{model}: no cell with both {OURS} and {HF} ok ({errors} rows not ok)")
            continue
        sdpa = f"{s['geo']:.2f}x / {s['low']:.2f}x" if s else "-"
        out.append(f"| {model} | {c['cells']} | {c['faster']} of {c['cells']} | {c['geo']:.2f}x | {c['low']:.2f}x "
                   f"({cell_text(c['low_cell'])}) | {c['peak']:.2f} ({c['peak_mb'][0]:.0f} / {c['peak_mb'][1]:.0f}) "
                   f"| {sdpa} |")
        met = [c["faster"] == c["cells"], c["geo"] >= 1.3, c["peak"] <= 0.5]
        verdicts.append(f"{model}: every cell faster {'met' if met[0] else 'missed'}, >= 1.3x geomean "
                        f"{'met' if met[1] else 'missed'}, peak <= 0.5x {'met' if met[2] else 'missed'}"
                        + (f" ({errors} rows not ok)" if errors else ""))
    return "\n".join(out + [""] + ["Targets: " + v for v in verdicts])


def self_test():
    import tempfile
    header = "task,batch_size,seq_len,pad,baseline,baseline_median_ms,candidate,candidate_median_ms,candidate_peak_mb,status"
    rows = ["encoder,128,512,0,torch:eager,60,torch:sdpa,40,1500,ok",
            "encoder,128,512,0,torch:eager,60,cuda:flash_attention_2,20,600,ok",
            "encoder,128,512,0,torch:eager,60,cuda:sdpa,25,700,ok",
            "encoder,1,128,0,torch:eager,6,torch:sdpa,5,300,ok",
            "encoder,1,128,0,torch:eager,6,cuda:flash_attention_2,1,290,ok",
            "encoder,1,128,0,torch:eager,6,cuda:sdpa,1.25,290,ok"]
    with tempfile.TemporaryDirectory() as d:
        os.makedirs(os.path.join(d, "family_roberta-base"))
        path = os.path.join(d, "family_roberta-base", "results.csv")
        with open(path, "w") as f:
            f.write("\n".join([header] + rows) + "\n")
        text = table([path])
    assert "| roberta-base | 2 | 2 of 2 | 3.16x | 2.00x (128x512 p0) | 0.40 (600 / 1500) | 2.53x / 1.60x |" in text, text
    assert "every cell faster met, >= 1.3x geomean met, peak <= 0.5x met" in text, text
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "results.csv")
        with open(path, "w") as f:
            f.write("\n".join([header + ",model"] + [r + ",roberta-base" for r in rows]
                              + [r + ",distilbert-base" for r in rows[:2]]) + "\n")
        text = table([path])
    assert "| roberta-base | 2 |" in text and "| distilbert-base | 1 | 1 of 1 | 2.00x |" in text, text
    print("family table self-test: PASS")


def main():
    return grid_table_main("family table",
                           "### BERT family: cuda:flash_attention_2 vs HF sdpa (torch:sdpa), encoder fp16, CUDA graphs",
                           table, self_test)


if __name__ == "__main__":
    sys.exit(main())
