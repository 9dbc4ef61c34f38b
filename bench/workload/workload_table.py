#!/usr/bin/env python3
"""The workload step's table (bench/workload/steps.sh): random against sorted batching of one data
workload, from the runs' results.csv (native CSV: `batching`, `realised_pad`, `truncated_rows`,
`workload_rows`, `<side>_tokens_per_s`, `<side>_median_ms`).

    python3 bench/workload/workload_table.py RUN_DIR [RUN_DIR ...]   # markdown on stdout
    python3 bench/workload/workload_table.py --self-test

Per (model, task, batch, max length) and backend (the baseline once): tokens/s (real tokens a
second) under random and under sorted batches, what sorting bought, the pad each policy left; then
per (batch, max length) and policy what flash_attention_2 buys over sdpa and sdpa over eager,
in tokens/s (the question: with sorted batches, how much does a padding-free kernel still buy?).
"""
import csv
import math
import os
import sys


def fnum(text):
    try:
        v = float(text)
    except (TypeError, ValueError):
        return math.nan
    return v


def read_rows(paths):
    rows = []
    for p in paths:
        f = p if p.endswith(".csv") else os.path.join(p, "results.csv")
        if not os.path.exists(f):
            continue
        with open(f, newline="") as fh:
            rows += list(csv.DictReader(fh))
    return rows


def collect(rows):
    """{(model, task, batch, seq): {backend: {policy: (tokens/s, pad, truncated share, ms)}}}, order"""
    cells, order = {}, []
    for r in rows:
        policy = r.get("batching", "")
        if policy not in ("random", "sorted"):
            continue
        key = (r.get("model", ""), r.get("task", ""), int(r["batch_size"]), int(r["seq_len"]))
        if key not in cells:
            cells[key] = {}
            order.append(key)
        drawn = fnum(r.get("workload_rows"))
        trunc = fnum(r.get("truncated_rows")) / drawn if drawn > 0 else math.nan
        pad = fnum(r.get("realised_pad"))
        for side in ("baseline", "candidate"):
            if side == "candidate" and r.get("status") != "ok":
                continue
            tps = fnum(r.get(f"{side}_tokens_per_s"))
            ms = fnum(r.get(f"{side}_median_ms"))
            if not (tps > 0):
                continue
            cells[key].setdefault(r[side], {})[policy] = (tps, pad, trunc, ms)
    return cells, order


def rate(v):
    if not (v > 0):
        return "-"
    return f"{v / 1e6:.2f}M" if v >= 1e6 else f"{v / 1e3:.1f}k"


def pct(a, b):
    return f"{(a / b - 1) * 100:+.1f}%" if a > 0 and b > 0 else "-"


def ratio(a, b):
    return f"{a / b:.2f}x" if a > 0 and b > 0 else "-"


def short(backend):
    return backend.split(":", 1)[-1]


def table(cells, order):
    out = ["### Your data: random vs sorted batches (tokens/s = real tokens a second; the same rows, batched two ways)", "",
           "| model | batch | max len | backend | tok/s random | tok/s sorted | sorted gain | pad random | pad sorted | truncated |",
           "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for key in order:
        model, task, batch, seq = key
        for backend, pol in cells[key].items():
            r, s = pol.get("random"), pol.get("sorted")
            trunc = (r or s)[2]
            out.append(f"| {os.path.basename(model.rstrip('/')) or '-'} {task} | {batch} | {seq} | {backend} | "
                       f"{rate(r[0]) if r else '-'} | {rate(s[0]) if s else '-'} | "
                       f"{pct(s[0], r[0]) if r and s else '-'} | {f'{r[1]:.3f}' if r else '-'} | "
                       f"{f'{s[1]:.3f}' if s else '-'} | {f'{100 * trunc:.1f}%' if trunc == trunc else '-'} |")
    # What a kernel buys under each policy.
    out += ["", "| model | batch | max len | policy | fa2 over sdpa | sdpa over eager | fa2 over eager | torch:sdpa over eager |",
            "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: |"]
    for key in order:
        model, task, batch, seq = key
        by = {short(b) if b.startswith("cuda:") or b.startswith("cpu:") else b: p for b, p in cells[key].items()}
        for policy in ("random", "sorted"):
            t = {name: p[policy][0] for name, p in by.items() if policy in p}
            if not t:
                continue
            out.append(f"| {os.path.basename(model.rstrip('/')) or '-'} {task} | {batch} | {seq} | {policy} | "
                       f"{ratio(t.get('flash_attention_2', 0), t.get('sdpa', 0))} | {ratio(t.get('sdpa', 0), t.get('eager', 0))} | "
                       f"{ratio(t.get('flash_attention_2', 0), t.get('eager', 0))} | {ratio(t.get('torch:sdpa', 0), t.get('eager', 0))} |")
    return "\n".join(out)


def self_test():
    header = ("model,task,batch_size,seq_len,baseline,candidate,status,baseline_tokens_per_s,candidate_tokens_per_s,"
              "baseline_median_ms,candidate_median_ms,batching,realised_pad,workload_rows,truncated_rows\n")
    lines = [
        "bert-base,encoder,32,512,cuda:eager,cuda:sdpa,ok,100000,150000,1,1,random,0.6,256,2",
        "bert-base,encoder,32,512,cuda:eager,cuda:flash_attention_2,ok,100000,300000,1,1,random,0.6,256,2",
        "bert-base,encoder,32,512,cuda:eager,cuda:sdpa,ok,200000,280000,1,1,sorted,0.1,256,2",
        "bert-base,encoder,32,512,cuda:eager,cuda:flash_attention_2,ok,200000,310000,1,1,sorted,0.1,256,2",
        "bert-base,encoder,32,512,cuda:eager,cuda:sdpa,ok,1,1,1,1,,0.2,,",   # a synthetic row: ignored
    ]
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "results.csv"), "w") as f:
            f.write(header + "\n".join(lines) + "\n")
        cells, order = collect(read_rows([d]))
    text = table(cells, order)
    assert order == [("bert-base", "encoder", 32, 512)], order
    assert "| bert-base encoder | 32 | 512 | cuda:eager | 100.0k | 200.0k | +100.0% | 0.600 | 0.100 | 0.8% |" in text, text
    assert "| bert-base encoder | 32 | 512 | sorted | 1.11x | 1.40x | 1.55x | - |" in text, text
    assert "| bert-base encoder | 32 | 512 | random | 2.00x | 1.50x | 3.00x | - |" in text, text
    print("workload_table self-test: ok")


def main():
    if "--self-test" in sys.argv:
        self_test()
        return
    cells, order = collect(read_rows(sys.argv[1:]))
    if not order:
        print("### Your data: no data-workload rows found in " + " ".join(sys.argv[1:]))
        return
    print(table(cells, order))


if __name__ == "__main__":
    main()
