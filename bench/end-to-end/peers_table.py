#!/usr/bin/env python3
"""Merge bertbench-cli runs and hf_peers.py's CSV into one side-by-side CSV and the markdown tables
of the end-to-end notes (docs/results/2026-11-24-end-to-end-peers), and check the end-to-end targets.

  python3 bench/end-to-end/peers_table.py --targets-run OUT/ours_target_a/results.csv,OUT/ours_target_b/results.csv \\
      --grid-run OUT/ours_grid/results.csv --peers OUT/peers.csv --csv OUT/side_by_side.csv --md OUT/table.md

Ours: bertbench-cli's native CSV (baseline cuda:eager, candidates cuda:sdpa and cuda:flash_attention_2).
Target cells are read from the target runs (more timed forwards), grid cells from the grid run.
Peers: one row per (peer, cell). Ratios are "× faster": t_peer / t_ours (> 1 means ours is faster).
Standard library only (runs where numpy is absent).
"""
import argparse
import csv
import math
import sys

TARGET_CELLS = [(128, 512, 0.0), (128, 512, 0.5), (1, 128, 0.0)]
PEERS = ["hf_eager", "hf_sdpa", "hf_compile", "pt_nested"]
OURS = {"cuda:eager": "eager", "cuda:sdpa": "sdpa", "cuda:flash_attention_2": "fa2"}


def key(b, s, p):
    return (int(b), int(s), round(float(p), 4))


def fnum(x):
    try:
        v = float(x)
        return v if math.isfinite(v) and v > 0 else None
    except (TypeError, ValueError):
        return None


def read_ours(paths):
    """{cell: {'eager': ms, 'sdpa': ms, 'fa2': ms, '<name>_peak': MB, 'real_tokens': n, ...}}"""
    cells = {}
    for path in filter(None, paths):
        try:
            with open(path) as f:
                rows = list(csv.DictReader(f))
        except OSError as e:
            print(f"warning: {path}: {e}", file=sys.stderr)
            continue
        for r in rows:
            if r.get("task", "encoder") != "encoder":
                continue
            c = cells.setdefault(key(r["batch_size"], r["seq_len"], r["pad"]), {})
            c["real_tokens"] = int(r["real_tokens"]) if r.get("real_tokens") else None
            base = OURS.get(r["baseline"])
            if base and fnum(r.get("baseline_median_ms")):
                c[base] = fnum(r["baseline_median_ms"])
                c[base + "_peak"] = fnum(r.get("baseline_peak_mb"))
                c[base + "_n"] = r.get("baseline_samples")
            cand = OURS.get(r["candidate"])
            if cand:
                c[cand + "_status"] = r.get("status", "")
                if r.get("status", "ok") == "ok" and fnum(r.get("candidate_median_ms")):
                    c[cand] = fnum(r["candidate_median_ms"])
                    c[cand + "_peak"] = fnum(r.get("candidate_peak_mb"))
                    c[cand + "_n"] = r.get("candidate_samples")
                    c[cand + "_rel_error"] = r.get("rel_error", "")
    return cells


def read_peers(path):
    cells = {}
    try:
        f = open(path)
    except OSError as e:
        print(f"warning: {path}: {e}", file=sys.stderr)
        return cells
    with f:
        for r in csv.DictReader(f):
            c = cells.setdefault(key(r["batch"], r["seq"], r["pad"]), {})
            p = r["peer"]
            t = fnum(r.get("median_ms"))
            if t is None:
                c.setdefault(p + "_note", r.get("note", ""))
                continue
            n = int(r.get("samples") or 0)
            if p in c and int(c.get(p + "_n") or 0) >= n:
                continue   # keep the measurement with the most samples
            c[p] = t
            c[p + "_n"] = n
            c[p + "_peak"] = fnum(r.get("peak_mb"))
            c[p + "_real_tokens"] = int(r["real_tokens"]) if r.get("real_tokens") else None
            c[p + "_compile_s"] = r.get("compile_s", "")
    return cells


def ratio(a, b):
    return a / b if a and b else None


def fmt(x, nd=3):
    return "—" if x is None else f"{x:.{nd}f}"


def fx(x):
    return "—" if x is None else f"{x:.2f}×"


def relerr(x):
    v = fnum(x)
    return "—" if v is None else f"{v:.1e}"


def geomean(xs):
    xs = [x for x in xs if x]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None


def merged(ours, peers, cell):
    row = {"batch": cell[0], "seq": cell[1], "pad": cell[2]}
    o = ours.get(cell, {})
    pe = peers.get(cell, {})
    row.update({k: v for k, v in o.items()})
    row.update({k: v for k, v in pe.items()})
    # Batch agreement: every peer must have seen BertBench's own lengths.
    mism = [p for p in PEERS if pe.get(p + "_real_tokens") not in (None, o.get("real_tokens"))]
    row["batches_match"] = "no: " + ",".join(mism) if mism and o.get("real_tokens") else "yes"
    for ours_name in ("fa2", "sdpa"):
        for p in PEERS:
            row[f"{ours_name}_x_{p}"] = ratio(pe.get(p), o.get(ours_name))
    return row


CSV_FIELDS = (["set", "batch", "seq", "pad", "real_tokens", "batches_match",
               "eager", "sdpa", "fa2", "hf_eager", "hf_sdpa", "hf_compile", "pt_nested"]
              + [f"{o}_x_{p}" for o in ("fa2", "sdpa") for p in PEERS]
              + ["eager_peak", "sdpa_peak", "fa2_peak", "hf_eager_peak", "hf_sdpa_peak", "hf_compile_peak",
                 "pt_nested_peak", "fa2_rel_error", "sdpa_rel_error", "fa2_n", "hf_sdpa_n", "hf_compile_compile_s",
                 "fa2_status", "sdpa_status"])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--targets-run", default="", help="comma-separated results.csv of the target-cell runs")
    ap.add_argument("--grid-run", default="", help="results.csv of the grid run")
    ap.add_argument("--peers", required=True)
    ap.add_argument("--csv", required=True, help="side-by-side CSV (written)")
    ap.add_argument("--md", required=True, help="markdown tables (written)")
    args = ap.parse_args()

    ours_t = read_ours(args.targets_run.split(","))
    ours_g = read_ours(args.grid_run.split(","))
    peers = read_peers(args.peers)

    targets = [merged(ours_t if c in ours_t else ours_g, peers, c) for c in TARGET_CELLS]
    grid_cells = sorted(ours_g)
    grid = [merged(ours_g, peers, c) for c in grid_cells]

    with open(args.csv, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=CSV_FIELDS, extrasaction="ignore")
        w.writeheader()
        for name, rows in (("target", targets), ("grid", grid)):
            for r in rows:
                out = {"set": name}
                for k in CSV_FIELDS[1:]:
                    v = r.get(k)
                    out[k] = f"{v:.4f}" if isinstance(v, float) else ("" if v is None else v)
                w.writerow(out)

    md = []
    # 1. Target cells.
    md.append("**Target cells** (medians, ms; × = how many times faster `cuda:flash_attention_2` is):\n")
    md.append("| batch × seq, pad | real tokens | HF eager | HF sdpa | torch.compile + graphs | nested fast path¹ "
              "| cuda:eager | cuda:sdpa | **cuda:flash_attention_2** | × HF sdpa | × torch.compile | × nested¹ |")
    md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in targets:
        md.append(f"| {r['batch']} × {r['seq']}, {r['pad']:g} | {r.get('real_tokens') or '—'} | {fmt(r.get('hf_eager'))} "
                  f"| {fmt(r.get('hf_sdpa'))} | {fmt(r.get('hf_compile'))} | {fmt(r.get('pt_nested'))} "
                  f"| {fmt(r.get('eager'))} | {fmt(r.get('sdpa'))} | **{fmt(r.get('fa2'))}** "
                  f"| {fx(r.get('fa2_x_hf_sdpa'))} | {fx(r.get('fa2_x_hf_compile'))} | {fx(r.get('fa2_x_pt_nested'))} |")
    md.append("\n¹ `nn.TransformerEncoder` nested-tensor fast path: the 12 layers only, no embeddings.\n")

    # 2. Peak memory at 128 × 512.
    md.append("**Peak memory at 128 × 512** (MB = 1e6 bytes; weights included; ratio to HF sdpa):\n")
    md.append("| pad | HF eager | HF sdpa | torch.compile² | nested¹ | cuda:eager | cuda:sdpa | cuda:flash_attention_2 "
              "| fa2 / HF sdpa | sdpa / HF sdpa |")
    md.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in targets[:2]:
        hs = r.get("hf_sdpa_peak")
        md.append(f"| {r['pad']:g} | {fmt(r.get('hf_eager_peak'), 0)} | {fmt(hs, 0)} | {fmt(r.get('hf_compile_peak'), 0)} "
                  f"| {fmt(r.get('pt_nested_peak'), 0)} | {fmt(r.get('eager_peak'), 0)} | {fmt(r.get('sdpa_peak'), 0)} "
                  f"| {fmt(r.get('fa2_peak'), 0)} | {fmt(ratio(r.get('fa2_peak'), hs), 2)} "
                  f"| {fmt(ratio(r.get('sdpa_peak'), hs), 2)} |")
    md.append("\n² high-water mark from the compiling call on (compile, CUDA-graph recording, replays): replays "
              "allocate nothing, the graph's pool is filled while recording.\n")

    # 3. Grid summary.
    def summary(ours_name, peer):
        xs = [(r.get(f"{ours_name}_x_{peer}"), r) for r in grid if r.get(f"{ours_name}_x_{peer}")]
        if not xs:
            return None
        worst = min(xs, key=lambda t: t[0])
        best = max(xs, key=lambda t: t[0])
        return dict(n=len(xs), geo=geomean([x for x, _ in xs]), worst=worst, best=best,
                    faster=sum(1 for x, _ in xs if x > 1.0))

    cell_txt = lambda r: f"{r['batch']}×{r['seq']} p{r['pad']:g}"
    md.append(f"**The old script's grid** ({len(grid)} cells measured by bertbench-cli; ratio = t_peer / t_ours):\n")
    md.append("| ours | vs | cells | faster in | geometric mean | slowest cell | fastest cell |")
    md.append("| --- | --- | ---: | ---: | ---: | --- | --- |")
    sums = {}
    for ours_name, label in (("fa2", "cuda:flash_attention_2"), ("sdpa", "cuda:sdpa")):
        for peer in PEERS:
            s = summary(ours_name, peer)
            sums[(ours_name, peer)] = s
            if not s:
                continue
            md.append(f"| {label} | {peer} | {s['n']} | {s['faster']} | {fx(s['geo'])} "
                      f"| {fx(s['worst'][0])} ({cell_txt(s['worst'][1])}) | {fx(s['best'][0])} ({cell_txt(s['best'][1])}) |")
    mism = [cell_txt(r) for r in targets + grid if r["batches_match"] != "yes"]
    md.append("\nBatches: " + ("every peer saw BertBench's own batches (real tokens agree in every cell)."
                               if not mism else f"real-token MISMATCH in {', '.join(mism)}."))

    # 4. Targets.
    t0, t5, t1 = targets
    fa0, fa5, fa1 = t0.get("fa2"), t5.get("fa2"), t1.get("fa2")
    rat = ratio(fa5, fa0)
    s_sdpa = sums.get(("fa2", "hf_sdpa"))
    comp = [(r.get("fa2_x_hf_compile"), r) for r in targets + grid if r.get("fa2_x_hf_compile")]
    comp_keys = set()
    comp_u = []
    for x, r in comp:   # a target cell appears in both lists: count it once (the target run's value)
        k = (r["batch"], r["seq"], r["pad"])
        if k not in comp_keys:
            comp_keys.add(k)
            comp_u.append((x, r))
    mem = ratio(t0.get("fa2_peak"), t0.get("hf_sdpa_peak"))

    def verdict(ok):
        return "—" if ok is None else ("**met**" if ok else "**not met**")

    checks = [
        ("fa2 128×512 pad 0 ≤ 24 ms", f"{fmt(fa0)} ms", None if fa0 is None else fa0 <= 24.0),
        ("fa2 128×512 pad 0.5 ≤ 12.5 ms", f"{fmt(fa5)} ms", None if fa5 is None else fa5 <= 12.5),
        ("t(pad 0.5) / t(pad 0) ≤ 0.55", fmt(rat, 3), None if rat is None else rat <= 0.55),
        ("fa2 1×128 ≤ 0.5 ms", f"{fmt(fa1)} ms", None if fa1 is None else fa1 <= 0.5),
        ("grid: faster than HF sdpa in every cell",
         "—" if not s_sdpa else f"{s_sdpa['faster']} of {s_sdpa['n']} cells; slowest {fx(s_sdpa['worst'][0])} "
                                f"({cell_txt(s_sdpa['worst'][1])})",
         None if not s_sdpa else s_sdpa["faster"] == s_sdpa["n"] and s_sdpa["n"] == len(grid)),
        ("grid: geometric mean vs HF sdpa ≥ 3×", fx(s_sdpa["geo"]) if s_sdpa else "—",
         None if not s_sdpa else s_sdpa["geo"] >= 3.0),
        ("faster than torch.compile + graphs in every measured cell",
         "—" if not comp_u else f"{sum(1 for x, _ in comp_u if x > 1)} of {len(comp_u)} cells; slowest "
                                f"{fx(min(comp_u, key=lambda t: t[0])[0])} ({cell_txt(min(comp_u, key=lambda t: t[0])[1])})",
         None if not comp_u else all(x > 1 for x, _ in comp_u)),
        ("fa2 ≥ 1.3× torch.compile at 128×512 pad 0", fx(t0.get("fa2_x_hf_compile")),
         None if not t0.get("fa2_x_hf_compile") else t0["fa2_x_hf_compile"] >= 1.3),
        ("fa2 ≥ 2× torch.compile at 1×128", fx(t1.get("fa2_x_hf_compile")),
         None if not t1.get("fa2_x_hf_compile") else t1["fa2_x_hf_compile"] >= 2.0),
        ("peak at 128×512 pad 0 ≤ 0.6 × HF sdpa's",
         f"{fmt(t0.get('fa2_peak'), 0)} / {fmt(t0.get('hf_sdpa_peak'), 0)} MB = {fmt(mem, 2)}",
         None if mem is None else mem <= 0.6),
    ]
    md.append("\n**End-to-end targets** (cuda:flash_attention_2 with CUDA graphs):\n")
    md.append("| target | measured | |")
    md.append("| --- | --- | --- |")
    for name, got, ok in checks:
        md.append(f"| {name} | {got} | {verdict(ok)} |")

    # 5. Full grid.
    md.append("\n<details><summary>Every grid cell (ms; × = t_peer / t_flash_attention_2)</summary>\n")
    md.append("| batch | seq | pad | real tokens | HF eager | HF sdpa | torch.compile | nested¹ | cuda:eager | cuda:sdpa "
              "| cuda:fa2 | × HF sdpa | × torch.compile | × nested¹ | fa2 rel. error |")
    md.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in grid:
        st = r.get("fa2_status")
        fa = fmt(r.get("fa2")) if r.get("fa2") else (st or "—")
        md.append(f"| {r['batch']} | {r['seq']} | {r['pad']:g} | {r.get('real_tokens') or '—'} | {fmt(r.get('hf_eager'))} "
                  f"| {fmt(r.get('hf_sdpa'))} | {fmt(r.get('hf_compile'))} | {fmt(r.get('pt_nested'))} "
                  f"| {fmt(r.get('eager'))} | {fmt(r.get('sdpa'))} | {fa} | {fx(r.get('fa2_x_hf_sdpa'))} "
                  f"| {fx(r.get('fa2_x_hf_compile'))} | {fx(r.get('fa2_x_pt_nested'))} | {relerr(r.get('fa2_rel_error'))} |")
    md.append("\n</details>\n")

    text = "\n".join(md)
    with open(args.md, "w") as f:
        f.write(text + "\n")
    # The short table last (the device call's reply carries the end of the output).
    short = text.split("\n<details>")[0]
    print(short)
    return 0


if __name__ == "__main__":
    sys.exit(main())
