#!/usr/bin/env python3
"""The tables of bench/torch/grid.sh, from its files (standard library only).

  python3 bench/torch/grid_report.py --grid grid.csv [--agreement agreement.csv] [--peers peers.csv] [--out DIR]
  python3 bench/torch/grid_report.py --self-test     # the checks on made-up rows

--grid       bertbench-cli's native results.csv of the grid run (one baseline, several candidates)
--agreement  results.csv of the run against cuda:eager (torch:* outputs, torch:sdpa+compile)
--peers      bench/end-to-end/hf_peers.py's CSV (hf_sdpa, hf_compile) on the same cells and batches
--out        where cells.csv, peer_agreement.csv and table.md go (default: no files)

Checks (PASS/FAIL lines, also in table.md): torch:sdpa's median within --peer-tol (5%) of hf_sdpa's in
every cell both measured, on identical batches (real_tokens equal); every torch:* backend's output
within --out-tol (3e-3 relative L2 on real positions) of the agreement run's baseline.
Missing files are reported and skipped, so a cut-short device call still gets its tables.
"""
import argparse
import csv
import math
import os
import sys


def read_csv(path, what):
    if not path or not os.path.exists(path) or os.path.getsize(path) == 0:
        print(f"({what}: {path or 'not given'} is missing or empty: skipped)")
        return []
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def num(text, default=float("nan")):
    try:
        return float(text)
    except (TypeError, ValueError):
        return default


def cell_key(batch, seq, pad):
    return int(batch), int(seq), round(float(pad), 6)


def geomean(values):
    values = [v for v in values if v > 0 and math.isfinite(v)]
    return math.exp(sum(map(math.log, values)) / len(values)) if values else float("nan")


def fmt(v, spec=".1f"):
    return format(v, spec) if isinstance(v, float) and math.isfinite(v) else "-"


class Grid:
    """One run's rows: per cell, each backend's median and peak (the baseline is in every row)."""

    def __init__(self, rows):
        self.rows = rows
        self.baseline = rows[0]["baseline"] if rows else ""
        self.candidates = []
        self.cells = {}      # key -> {backend: row-side dict}
        self.status = {}     # (key, candidate) -> (status, message)
        self.real = {}
        for r in rows:
            k = cell_key(r["batch_size"], r["seq_len"], r["pad"])
            c = r["candidate"]
            if c not in self.candidates:
                self.candidates.append(c)
            self.status[(k, c)] = (r["status"], r.get("message", ""))
            self.real[k] = int(num(r.get("real_tokens"), -1))
            per = self.cells.setdefault(k, {})
            if r["status"] == "ok":
                per[self.baseline] = dict(ms=num(r["baseline_median_ms"]), mb=num(r["baseline_peak_mb"]))
                per[c] = dict(ms=num(r["candidate_median_ms"]), mb=num(r["candidate_peak_mb"]),
                              rel=num(r.get("rel_error")), compile_ms=num(r.get("candidate_compile_ms"), -1))

    def ms(self, key, backend):
        return self.cells.get(key, {}).get(backend, {}).get("ms", float("nan"))

    def axes(self):
        keys = sorted(self.cells)
        return (sorted({k[0] for k in keys}), sorted({k[1] for k in keys}), sorted({k[2] for k in keys}))


def heatmaps(grid, lines, md):
    batches, seqs, pads = grid.axes()
    for cand in grid.candidates:
        title = f"speedup % of {cand} over {grid.baseline} (median times; rows batch, columns pad)"
        lines.append(f"\n== {title}")
        md.append(f"\n**{title}**\n")
        for s in seqs:
            head = f"seq {s:<5}" + "".join(f"{p:>9g}" for p in pads)
            lines.append(head)
            md.append("")
            md.append(f"| seq {s} | " + " | ".join(f"pad {p:g}" for p in pads) + " |")
            md.append("|---|" + "---|" * len(pads))
            for b in batches:
                vals = []
                for p in pads:
                    k = (b, s, p)
                    tb, tc = grid.ms(k, grid.baseline), grid.ms(k, cand)
                    st = grid.status.get((k, cand), ("-", ""))[0]
                    vals.append(fmt((tb / tc - 1) * 100) if st == "ok" else st)
                lines.append(f"b {b:<7}" + "".join(f"{v:>9}" for v in vals))
                md.append(f"| b {b} | " + " | ".join(vals) + " |")


def summary(grid, lines, md):
    lines.append("\n== summary over the grid's ok cells (geometric mean of time ratios)")
    md.append("\n| candidate | cells ok | speedup vs " + grid.baseline + " (geomean) | memory saved (geomean) |")
    md.append("|---|---|---|---|")
    lines.append(f"{'candidate':<26}{'cells ok':>9}{'speedup %':>11}{'mem saved %':>13}")
    for cand in grid.candidates:
        keys = [k for k in grid.cells if cand in grid.cells[k]]
        sp = geomean([grid.ms(k, grid.baseline) / grid.ms(k, cand) for k in keys])
        mem = geomean([grid.cells[k][grid.baseline]["mb"] / grid.cells[k][cand]["mb"] for k in keys])
        lines.append(f"{cand:<26}{len(keys):>9}{fmt((sp - 1) * 100):>11}{fmt((mem - 1) * 100):>13}")
        md.append(f"| {cand} | {len(keys)} | {fmt((sp - 1) * 100)} % | {fmt((mem - 1) * 100)} % |")
    # Ours against HF's in the same run: each cuda:* candidate over torch:sdpa, cell by cell.
    if "torch:sdpa" in grid.candidates:
        for cand in [c for c in grid.candidates if c.startswith("cuda:")]:
            keys = [k for k in grid.cells if cand in grid.cells[k] and "torch:sdpa" in grid.cells[k]]
            sp = geomean([grid.ms(k, "torch:sdpa") / grid.ms(k, cand) for k in keys])
            line = f"{cand} over torch:sdpa (same run, {len(keys)} cells): {fmt((sp - 1) * 100)} % faster"
            lines.append(line)
            md.append(f"\n{line}")
    failed = [(k, c, st) for (k, c), (st, _) in grid.status.items() if st != "ok"]
    if failed:
        lines.append(f"{len(failed)} rows not ok, e.g. " +
                     ", ".join(f"{c} {k[0]}x{k[1]} p{k[2]:g}: {st}" for k, c, st in failed[:5]))


def peer_check(grid, peers, tol, lines, md, out_rows):
    ours_name = "torch:sdpa"
    hf = {cell_key(p["batch"], p["seq"], p["pad"]): p for p in peers if p.get("peer") == "hf_sdpa" and p.get("median_ms")}
    keys = sorted(k for k in hf if not math.isnan(grid.ms(k, ours_name)))
    lines.append(f"\n== {ours_name} vs hf_peers.py hf_sdpa (same cells, same batches), tolerance {tol * 100:g}%")
    if not keys:
        lines.append("no cell measured by both: CHECK SKIPPED")
        md.append(f"\nPeer agreement ({ours_name} vs hf_sdpa): no common cell")
        return
    within, mismatched_batches, worst = 0, 0, []
    for k in keys:
        o, h = grid.ms(k, ours_name), num(hf[k]["median_ms"])
        same_batch = int(num(hf[k].get("real_tokens"), -1)) == grid.real.get(k, -2)
        mismatched_batches += 0 if same_batch else 1
        ratio = o / h
        ok = abs(ratio - 1) <= tol
        within += ok
        worst.append((abs(ratio - 1), k, o, h))
        out_rows.append(dict(batch=k[0], seq=k[1], pad=f"{k[2]:g}", torch_sdpa_ms=f"{o:.4f}", hf_sdpa_ms=f"{h:.4f}",
                             ratio=f"{ratio:.4f}", within=ok, same_batch=same_batch))
    worst.sort(reverse=True)
    verdict = "PASS" if within == len(keys) and mismatched_batches == 0 else "FAIL"
    line = (f"{verdict}: {within}/{len(keys)} cells within {tol * 100:g}%; median ratio "
            f"{sorted(o / h for _, _, o, h in worst)[len(worst) // 2]:.3f}; batches differ in {mismatched_batches} cells")
    lines.append(line)
    for d, k, o, h in worst[:5]:
        lines.append(f"   {k[0]:>4} x {k[1]:<4} pad {k[2]:<5g} ours {o:9.3f} ms  hf {h:9.3f} ms  ({d * 100:.1f}% apart)")
    md.append(f"\nPeer agreement ({ours_name} vs hf_peers.py hf_sdpa): {line}")


def output_check(agree, tol, lines, md):
    lines.append(f"\n== outputs vs {agree.baseline or '?'} (relative L2 on real positions), tolerance {tol:g}")
    if not agree.rows:
        lines.append("no agreement run: CHECK SKIPPED")
        return
    md.append(f"\n| backend | cells ok | max rel L2 vs {agree.baseline} | verdict |")
    md.append("|---|---|---|---|")
    for cand in agree.candidates:
        rels = [agree.cells[k][cand]["rel"] for k in agree.cells if cand in agree.cells[k]]
        bad = [st for (k, c), (st, _) in agree.status.items() if c == cand and st != "ok"]
        worst = max(rels) if rels else float("nan")
        verdict = "PASS" if rels and worst <= tol and not bad else "FAIL"
        msgs = [m for (k, c), (st, m) in agree.status.items() if c == cand and st != "ok"][:1]
        lines.append(f"{verdict}: {cand:<22} {len(rels)} cells, max rel L2 {fmt(worst, '.2e')}"
                     + (f", {len(bad)} not ok ({bad[0]}: {msgs[0][:160]})" if bad else ""))
        md.append(f"| {cand} | {len(rels)} | {fmt(worst, '.2e')} | {verdict} |")


def compile_table(agree, peers, lines, md):
    cand = "torch:sdpa+compile"
    if cand not in agree.candidates:
        return
    hf = {cell_key(p["batch"], p["seq"], p["pad"]): p for p in peers if p.get("peer") == "hf_compile" and p.get("median_ms")}
    lines.append(f"\n== {cand}: latency beside torch:eager / torch:sdpa (same run), compile time apart")
    lines.append(f"{'cell':<18}{'eager ms':>10}{'sdpa ms':>10}{'compile ms':>12}{'vs eager %':>12}{'compile s':>11}{'hf_compile ms':>15}")
    md.append(f"\n| cell | torch:eager ms | torch:sdpa ms | {cand} ms | speedup vs eager | compile s | hf_compile ms |")
    md.append("|---|---|---|---|---|---|---|")
    for k in sorted(agree.cells):
        per = agree.cells[k]
        if cand not in per:
            continue
        e, s, c = agree.ms(k, "torch:eager"), agree.ms(k, "torch:sdpa"), agree.ms(k, cand)
        cs = per[cand]["compile_ms"] / 1000
        h = num(hf[k]["median_ms"]) if k in hf else float("nan")
        label = f"{k[0]}x{k[1]} p{k[2]:g}"
        lines.append(f"{label:<18}{fmt(e, '.3f'):>10}{fmt(s, '.3f'):>10}{fmt(c, '.3f'):>12}"
                     f"{fmt((e / c - 1) * 100):>12}{fmt(cs):>11}{fmt(h, '.3f'):>15}")
        md.append(f"| {label} | {fmt(e, '.3f')} | {fmt(s, '.3f')} | {fmt(c, '.3f')} | {fmt((e / c - 1) * 100)} % | "
                  f"{fmt(cs)} | {fmt(h, '.3f')} |")


def write_cells(grid, path):
    backends = [grid.baseline] + grid.candidates
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["batch", "seq", "pad", "real_tokens"] + [f"{b} {x}" for b in backends for x in ("ms", "MB")])
        for k in sorted(grid.cells):
            per = grid.cells[k]
            w.writerow([k[0], k[1], f"{k[2]:g}", grid.real.get(k, "")] +
                       [fmt(per.get(b, {}).get(x, float("nan")), ".4f") for b in backends for x in ("ms", "mb")])


def self_test():
    """The checks on made-up rows: one cell 3% apart passes, one 8% apart fails; outputs pass/fail."""
    def row(base, cand, b, s, p, tb, tc, rel=1e-4, status="ok", compile_ms=-1, real=None):
        return dict(task="encoder", batch_size=str(b), seq_len=str(s), pad=str(p), baseline=base, candidate=cand,
                    baseline_median_ms=str(tb), candidate_median_ms=str(tc), baseline_peak_mb="100",
                    candidate_peak_mb="80", rel_error=str(rel), status=status, message="",
                    candidate_compile_ms=str(compile_ms), real_tokens=str(real if real is not None else b * s))
    grid = Grid([row("torch:eager", "torch:sdpa", 1, 128, 0, 10, 5), row("torch:eager", "cuda:sdpa", 1, 128, 0, 10, 2),
                 row("torch:eager", "torch:sdpa", 8, 128, 0.5, 20, 10), row("torch:eager", "cuda:sdpa", 8, 128, 0.5, 20, 4)])
    peers = [dict(peer="hf_sdpa", batch="1", seq="128", pad="0", median_ms="5.15", real_tokens="128"),
             dict(peer="hf_sdpa", batch="8", seq="128", pad="0.5", median_ms="10.9", real_tokens="1024"),
             dict(peer="hf_compile", batch="8", seq="128", pad="0.5", median_ms="3.0", real_tokens="1024")]
    lines, md, rows = [], [], []
    heatmaps(grid, lines, md)
    summary(grid, lines, md)
    peer_check(grid, peers, 0.05, lines, md, rows)
    text = "\n".join(lines)
    assert "FAIL: 1/2 cells within 5%" in text, text
    assert "cuda:sdpa over torch:sdpa (same run, 2 cells): 150.0 % faster" in text, text
    assert "400.0" in text and "100.0" in text, text   # heatmap cells: 10/2 and 10/5
    assert [r["within"] for r in rows] == [True, False], rows
    agree = Grid([row("cuda:eager", "torch:eager", 8, 128, 0.5, 2, 20, rel=2e-4),
                  row("cuda:eager", "torch:sdpa+compile", 8, 128, 0.5, 2, 4, rel=5e-3, compile_ms=12000)])
    lines = []
    output_check(agree, 3e-3, lines, md)
    compile_table(agree, peers, lines, md)
    text = "\n".join(lines)
    assert "PASS: torch:eager" in text and "FAIL: torch:sdpa+compile" in text, text
    assert "400.0" in text and "12.0" in text and "3.000" in text, text   # 20/4 speedup, compile s, hf_compile
    print("self-test ok")
    return 0


def main():
    if "--self-test" in sys.argv[1:]:
        return self_test()
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--grid", required=True)
    ap.add_argument("--agreement")
    ap.add_argument("--peers")
    ap.add_argument("--out")
    ap.add_argument("--peer-tol", type=float, default=0.05)
    ap.add_argument("--out-tol", type=float, default=3e-3)
    a = ap.parse_args()
    grid = Grid(read_csv(a.grid, "grid"))
    agree = Grid(read_csv(a.agreement, "agreement run"))
    peers = read_csv(a.peers, "peers")
    lines, md, peer_rows = [], [], []
    if grid.rows:
        heatmaps(grid, lines, md)
        summary(grid, lines, md)
        peer_check(grid, peers, a.peer_tol, lines, md, peer_rows)
    output_check(agree, a.out_tol, lines, md)
    compile_table(agree, peers, lines, md)
    print("\n".join(lines))
    if a.out:
        os.makedirs(a.out, exist_ok=True)
        if grid.rows:
            write_cells(grid, os.path.join(a.out, "cells.csv"))
        if peer_rows:
            with open(os.path.join(a.out, "peer_agreement.csv"), "w", newline="") as f:
                w = csv.DictWriter(f, fieldnames=list(peer_rows[0]))
                w.writeheader()
                w.writerows(peer_rows)
        with open(os.path.join(a.out, "table.md"), "w") as f:
            f.write("\n".join(md) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
