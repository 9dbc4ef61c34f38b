#!/usr/bin/env python3
"""Report back: the markdown tables of a device call, from bench/device/run.sh's logs.

  python3 bench/device/report.py OUT [OUT ...] [--after TAG] [--before TAG] [--variants A,B,...]
  python3 bench/device/report.py --self-test

OUT is a call's folder or its logs.tgz (unpacked into a temporary folder); several calls can be read
together, each file taken from the first OUT that has it. What it prints, each part only where its
files exist (a part whose files are absent is skipped with a line saying so):
  1. the target cells (cells step): HF eager, HF sdpa, torch.compile, the nested fast path
     (peers.csv), cuda:sdpa and cuda:flash_attention_2 (run_<TAG>_{512,128,large}/results.csv),
     --before -> --after, the target and whether it is met; the best peer over ours; peak memory
     against HF sdpa's; then every variant found (or --variants) side by side;
  2. the per-category breakdown of cuda:flash_attention_2 (the runner's graph-replayed parts), and
     the breakdown step's parts-vs-median, energy and %-of-GEMM-peak lines (breakdown/results.csv);
  3. attention alone (attention step): ours (attn_time.log) beside PyTorch (attn_peers.log);
  4. the grid step's table (grid_table.md), the torch-grid, torch-agreement and before-after reports;
  5. the verify and compute-sanitizer verdicts found in summary.txt.
Numbers are copied, never recomputed from anything but the files.
"""
import csv
import math
import os
import re
import sys
import tarfile
import tempfile

# (part of run_<tag>_<part>, model, batch, seq, pad, target ms for cuda:flash_attention_2)
CELLS = [("512", "bert-base", 128, 512, 0.0, 22.0), ("512", "bert-base", 128, 512, 0.5, 10.5),
         ("128", "bert-base", 1, 128, 0.0, 0.30), ("large", "bert-large", 32, 512, 0.5, 8.5)]
PEERS = [("hf_eager", "HF eager"), ("hf_sdpa", "HF sdpa"), ("hf_compile", "torch.compile"), ("pt_nested", "nested¹")]
CATEGORIES = ["embeddings", "qkv_gemm", "attention", "attn_out_ln", "ffn_up_gelu", "ffn_down_ln", "padding",
              "head", "other"]
ATTENTION_TARGETS = (360.0, 330.0)   # TFLOP/s: unmasked (varlen), with a padding mask
MEMORY_TARGET = 0.5                  # peak at 128 x 512 p0 over HF sdpa's


def find(dirs, name):
    for d in dirs:
        path = os.path.join(d, name)
        if os.path.exists(path):
            return path
    return None


def read_rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def run_row(dirs, tag, part, batch, seq, pad):
    path = find(dirs, f"run_{tag}_{part}/results.csv")
    if not path:
        return None
    for r in read_rows(path):
        if int(r["batch_size"]) == batch and int(r["seq_len"]) == seq and abs(float(r["pad"]) - pad) < 1e-9:
            return r
    return None


def peer_rows(dirs):
    path = find(dirs, "peers.csv")
    peers = {}
    if path:
        for r in read_rows(path):
            peers[(r["peer"], int(r["batch"]), int(r["seq"]), float(r["pad"]))] = r
    return peers


def fmt(value, digits=3):
    return "—" if value is None else f"{value:.{digits}f}"


def digits_for(batch):
    return 3 if batch == 1 else 2   # batch-1 cells are sub-millisecond


def before_after(old, new, digits):
    return f"{fmt(old, digits)} → {fmt(new, digits)}" if old is not None else fmt(new, digits)


def cells_table(dirs, after, before, out):
    peers = peer_rows(dirs)
    rows = []
    for part, model, b, s, pad, target in CELLS:
        a = run_row(dirs, after, part, b, s, pad)
        if a is None:
            continue
        bf = run_row(dirs, before, part, b, s, pad) if before else None
        rows.append((part, model, b, s, pad, target, a, bf))
    if not rows:
        out.append(f"(no run_{after}_*/results.csv: the cells table is skipped)")
        return {}
    head = "| cell | " + " | ".join(name for _, name in PEERS) + " | cuda:sdpa | **cuda:flash_attention_2** |"
    head += " target | |"
    out.append(head)
    out.append("| --- |" + " ---: |" * (len(PEERS) + 2 + 1) + " --- |")
    verdicts = {}
    notes = []
    for part, model, b, s, pad, target, a, bf in rows:
        d = digits_for(b)
        cell = f"{model} {b} × {s}, pad {pad:g}"
        peer_ms = [float(peers[(p, b, s, pad)]["median_ms"]) if (p, b, s, pad) in peers and model == "bert-base" else None
                   for p, _ in PEERS]
        ours = float(a["candidate_median_ms"])
        sdpa = float(a["baseline_median_ms"])
        line = f"| {cell} | " + " | ".join(fmt(v, d) for v in peer_ms)
        line += f" | {before_after(float(bf['baseline_median_ms']) if bf else None, sdpa, d)}"
        line += f" | {before_after(float(bf['candidate_median_ms']) if bf else None, ours, d)}"
        met = ours <= target
        verdicts[cell] = met
        line += f" | ≤ {target:g} | {'met' if met else '**missed**'} |"
        out.append(line)
        known = [v for v in peer_ms if v is not None]
        if known:
            fastest = min(known)
            name = PEERS[peer_ms.index(fastest)][1].rstrip("¹")
            notes.append(f"- {cell}: the best peer ({name}, {fmt(fastest, d)} ms) over ours: **{fastest / ours:.2f}×**")
    out.append("")
    out.append("¹ `nn.TransformerEncoder`'s nested-tensor fast path: the 12 layers only, no embeddings.")
    out.append("")
    out += notes
    p0 = run_row(dirs, after, "512", 128, 512, 0.0)
    hf = peers.get(("hf_sdpa", 128, 512, 0.0))
    if p0 and hf:
        ratio = float(p0["candidate_peak_mb"]) / float(hf["peak_mb"])
        met = ratio <= MEMORY_TARGET
        verdicts["peak memory"] = met
        out.append(f"\nPeak memory at 128 × 512 pad 0: cuda:flash_attention_2 {float(p0['candidate_peak_mb']):.0f} MB, "
                   f"HF sdpa {float(hf['peak_mb']):.0f} MB: **{ratio:.2f} ×** (target ≤ {MEMORY_TARGET}: "
                   f"{'met' if met else 'missed'}).")
    return verdicts


def breakdown_table(dirs, after, before, out):
    found = False
    for part, model, b, s, pad, _ in CELLS:
        if pad != 0.0:
            continue
        a = run_row(dirs, after, part, b, s, pad)
        bf = run_row(dirs, before, part, b, s, pad) if before else None
        if not a or not a.get("candidate_ms_qkv_gemm"):
            continue
        found = True
        digits = digits_for(b)
        out.append(f"\n| {model} {b} × {s} pad 0, cuda:flash_attention_2, ms | " +
                   ("before | after |" if bf and bf.get("candidate_ms_qkv_gemm") else "ms |"))
        out.append("| --- | ---: |" + (" ---: |" if bf and bf.get("candidate_ms_qkv_gemm") else ""))
        for c in CATEGORIES + ["parts_sum"]:
            key = f"candidate_ms_{c}"
            if not a.get(key):
                continue
            line = f"| {c.replace('_', ' ')} | "
            if bf and bf.get(key):
                line += f"{float(bf[key]):.{digits}f} | "
            line += f"{float(a[key]):.{digits}f} |"
            out.append(line)
        line = "| forward (median) | "
        if bf and bf.get("candidate_ms_qkv_gemm"):
            line += f"{float(bf['candidate_median_ms']):.{digits}f} | "
        out.append(line + f"{float(a['candidate_median_ms']):.{digits}f} |")
    if not found:
        out.append("\n(no breakdown columns in the runs: the per-category table is skipped)")


def markdown_rows(path, pattern):
    if not path:
        return []
    with open(path) as f:
        return [line.rstrip("\n") for line in f if line.startswith("|") and re.search(pattern, line)]


def cells_of(row):
    return [c.strip() for c in row.strip().strip("|").split("|")]


def attention_table(dirs, out):
    ours = markdown_rows(find(dirs, "attn_time.log"), r"^\| (hopper|library) d64 fp16")
    theirs = markdown_rows(find(dirs, "attn_peers.log"), r"^\| (sdpa flash|sdpa cuDNN|varlen_attn).*\| fp16 \|")
    if not ours:
        out.append("\n(no attn_time.log: the attention table is skipped)")
        return {}
    out.append("\n| attention, b128 h12 s512 d64 fp16, TFLOP/s (real pairs) | pad 0 | pad 0, key mask | pad 0.5 | pad 0.5, key mask |")
    out.append("| --- | ---: | ---: | ---: | ---: |")
    verdicts = {}
    by_kernel = {}
    for row in ours:
        c = cells_of(row)
        name, pad = c[0], float(c[5])
        by_kernel.setdefault(name, {})[pad] = (float(c[8]), float(c[10]))
    for name, pads in by_kernel.items():
        p0, p5 = pads.get(0.0, (None, None)), pads.get(0.5, (None, None))
        out.append(f"| ours: {name} | {fmt(p0[0], 1)} | {fmt(p0[1], 1)} | {fmt(p5[0], 1)} | {fmt(p5[1], 1)} |")
        if name.startswith("hopper") and p0[0] is not None:
            verdicts["attention unmasked ≥ 360"] = p0[0] >= ATTENTION_TARGETS[0]
            verdicts["attention masked ≥ 330"] = p0[1] >= ATTENTION_TARGETS[1]
    peers = {}
    for row in theirs:
        c = cells_of(row)
        name, pad, tflops = c[0], float(c[2]), float(c[4])
        masked = "+ mask" in name
        base = name.replace(" + mask", "")
        peers.setdefault(base, {})[(pad, masked)] = tflops
    for name, v in peers.items():
        cols = [v.get((0.0, False)), v.get((0.0, True)), v.get((0.5, False)), v.get((0.5, True))]
        out.append(f"| PyTorch {name} | " + " | ".join(fmt(x, 1) for x in cols) + " |")
    out.append(f"\nTargets: ≥ {ATTENTION_TARGETS[0]:g} unmasked, ≥ {ATTENTION_TARGETS[1]:g} with a padding mask (the Hopper kernel's row).")
    return verdicts


def verdict_lines(dirs, out):
    path = find(dirs, "summary.txt")
    if not path:
        return
    with open(path) as f:
        lines = [l.rstrip() for l in f if re.search(r"verify: (PASS|FAIL)|ERROR SUMMARY|RACECHECK SUMMARY|CHECKS PASSED", l)]
    if lines:
        out.append("\nCorrectness lines of the call (summary.txt):")
        out += [f"    {l}" for l in lines]


def variant_tags(dirs):
    tags = set()
    for d in dirs:
        for name in os.listdir(d) if os.path.isdir(d) else []:
            m = re.fullmatch(r"run_(.+)_(512|128|large)", name)
            if m and os.path.exists(os.path.join(d, name, "results.csv")):
                tags.add(m.group(1))
    return sorted(tags)


def variants_table(dirs, tags, out):
    """Every variant's target cells side by side (cuda:sdpa baseline, cuda:flash_attention_2 candidate)."""
    out.append("\n| variant | cell | cuda:sdpa ms | cuda:fa2 ms | sdpa MB | fa2 MB | rel err | status |")
    out.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for tag in tags:
        for part in ("512", "128", "large"):
            path = find(dirs, f"run_{tag}_{part}/results.csv")
            for r in read_rows(path) if path else []:
                d = digits_for(int(r["batch_size"]))
                model = "bert-large" if part == "large" else "bert-base"
                out.append(f"| {tag} | {model} {r['batch_size']} × {r['seq_len']} p{r['pad']} | "
                           f"{float(r['baseline_median_ms']):.{d}f} | {float(r['candidate_median_ms']):.{d}f} | "
                           f"{float(r['baseline_peak_mb']):.0f} | {float(r['candidate_peak_mb']):.0f} | "
                           f"{float(r['rel_error']):.2e} | {r['status']} |")


def num(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return math.nan


def breakdown_checks(dirs, out):
    """The breakdown step: per backend and cell, the parts' sum against the median, energy, % of GEMM peak."""
    path = find(dirs, "breakdown/results.csv")
    if not path:
        out.append("\n(no breakdown/results.csv: the breakdown checks are skipped)")
        return
    out.append("\n| cell | backend | median ms | parts ms | parts / median | J / 1k real tokens | W | % of GEMM peak | TFLOP/s | throttled |")
    out.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    seen, worst = set(), 0.0
    for r in read_rows(path):
        if r["status"] != "ok":
            out.append(f"| {r['batch_size']}×{r['seq_len']} p{r['pad']} | {r['candidate']} | {r['status']} |")
            continue
        for side in ("baseline", "candidate"):
            key = (r["batch_size"], r["seq_len"], r["pad"], r[side])
            if key in seen:
                continue
            seen.add(key)
            med, parts = num(r[f"{side}_median_ms"]), num(r.get(f"{side}_ms_parts_sum"))
            ratio = parts / med if med > 0 else math.nan
            if not math.isnan(ratio):
                worst = max(worst, abs(ratio - 1))
            shown = [num(r.get(f"{side}_{k}")) for k in ("j_per_1k_tokens", "power_w", "pct_peak", "tflops")]
            cols = " | ".join("—" if math.isnan(v) or v < 0 else f"{v:.3g}" for v in shown)
            out.append(f"| {r['batch_size']}×{r['seq_len']} p{r['pad']} | {r[side]} | {med:.3f} | {parts:.3f} | "
                       f"{ratio * 100:.1f}% | {cols} | {r.get(side + '_throttled', '')} |")
    out.append(f"\nLargest |parts / median − 1|: {worst * 100:.1f}%.")


def copied_sections(dirs, out):
    for name, title in (("grid_table.md", "The old script's grid, ours vs the peers"),
                        ("torch-grid/report.txt", "torch:* beside cuda:* (torch-grid)"),
                        ("torch-agreement/report.txt", "torch:sdpa vs hf_sdpa (torch-agreement)"),
                        ("before-after/report.md", "The old build against the new (before-after)")):
        path = find(dirs, name)
        if path:
            with open(path) as f:
                out += [f"\n### {title}", "", f.read().rstrip()]


def report(dirs, after=None, before="before", variants=None):
    tags = variant_tags(dirs)
    if after is None:
        after = "default" if "default" in tags else "after"
    out = ["### Target cells (bert-base encoder fp16 unless said, `--cuda-graphs`, medians, ms)", ""]
    verdicts = cells_table(dirs, after, before, out)
    if len(variants or tags) > 1:
        variants_table(dirs, variants or tags, out)
    out.append("\n### Per-category breakdown (graph-replayed parts, ms a forward)")
    breakdown_table(dirs, after, before, out)
    breakdown_checks(dirs, out)
    out.append("\n### Attention alone")
    verdicts.update(attention_table(dirs, out))
    copied_sections(dirs, out)
    verdict_lines(dirs, out)
    if verdicts:
        out.append("\nTargets: " + "; ".join(f"{k}: {'met' if v else 'missed'}" for k, v in verdicts.items()))
    family = find(dirs, "family_table.md")   # the family grid's table, last (bench/family/steps.sh)
    if family:
        with open(family) as f:
            out += ["", f.read().rstrip()]
    noise = find(dirs, "noise_table.md")   # the noise step's table, last of all (bench/noise/steps.sh)
    if noise:
        with open(noise) as f:
            out += ["", f.read().rstrip()]
    targets = find(dirs, "throughput_targets.md")   # fp8 / offline / batch-1 targets (bench/throughput/steps.sh)
    if targets:
        with open(targets) as f:
            out += ["", f.read().rstrip()]
    workload = find(dirs, "workload_table.md")   # your data: random vs sorted (bench/workload/steps.sh), last
    if workload:
        with open(workload) as f:
            out += ["", f.read().rstrip()]
    return "\n".join(out), verdicts


def self_test():
    """The parsers on the published logs of two device calls of 2026-12-02 (the GEMM-epilogue call and
    the Hopper-attention call under docs/results/), whose numbers their NOTES.md quote."""
    here = os.path.dirname(os.path.abspath(__file__))
    results = os.path.join(here, "..", "..", "docs", "results")
    epilogues = os.path.join(results, "2026-12-02-gemm-epilogues", "run1")
    hopper = os.path.join(results, "2026-12-02-hopper-attention", "run1")
    insight = os.path.join(results, "2026-12-02-breakdown-energy")
    text, verdicts = report([epilogues])
    assert "28.06 → 25.37" in text, text        # fa2 before → after, 128 × 512 pad 0 (run 1)
    assert "0.456 → 0.441" in text, text        # 1 × 128
    assert "11.23 → 10.15" in text, text        # bert-large
    assert verdicts["bert-base 128 × 512, pad 0"] is False
    assert "(torch.compile, 29.79 ms) over ours: **1.17×**" in text, text
    assert "| ours: library d64 fp16 (128x64, 4 warps) | 271.2 | 271.7 | 165.3 | 158.6 |" in text, text
    assert "| PyTorch sdpa cuDNN | 404.4 | 246.6 | — | 61.1 |" in text, text
    assert "| before | bert-base 128 × 512 p0 |" in text, text   # the variants table
    text, verdicts = report([hopper], after="hopper", before="fa2kernel")
    assert "26.04 → 24.74" in text, text        # the Hopper-attention table
    assert "| qkv gemm |" in text and "| attention |" in text, text
    assert "peak memory" in verdicts and verdicts["peak memory"] is True, verdicts   # 654 / 1411
    assert verdicts["bert-base 1 × 128, pad 0"] is False
    text, _ = report([os.path.join(insight, "no-such-folder"), os.path.join(here, "no-such-folder")])
    assert "skipped" in text
    os.makedirs(os.path.join(tempfile.gettempdir(), "report-selftest", "breakdown"), exist_ok=True)
    tmp = os.path.join(tempfile.gettempdir(), "report-selftest")
    with open(os.path.join(insight, "results.csv")) as src, open(os.path.join(tmp, "breakdown", "results.csv"), "w") as dst:
        dst.write(src.read())
    text, _ = report([tmp])
    assert "| 128×512 p0 | cuda:eager | 35.396 | 34.880 | 98.5% |" in text, text   # the published sweep
    print("device report self-test: PASS")


def open_input(path):
    """A call's folder as is; its logs.tgz unpacked into a temporary folder."""
    if os.path.isdir(path):
        return path
    if tarfile.is_tarfile(path):
        dest = tempfile.mkdtemp(prefix="bench-report.")
        with tarfile.open(path) as tar:
            tar.extractall(dest)
        return dest
    sys.exit(f"report.py: not a folder or a .tgz: {path}")


def main():
    args = sys.argv[1:]
    if args == ["--self-test"]:
        self_test()
        return
    opts = {"--after": None, "--before": "before", "--variants": None}
    dirs = []
    i = 0
    while i < len(args):
        if args[i] in opts and i + 1 < len(args):
            opts[args[i]] = args[i + 1]
            i += 2
        elif args[i].startswith("-"):
            sys.exit(f"report.py: unknown option {args[i]} (see the file's docstring)")
        else:
            dirs.append(open_input(args[i]))
            i += 1
    if not dirs:
        sys.exit(__doc__)
    variants = opts["--variants"].split(",") if opts["--variants"] else None
    text, _ = report(dirs, opts["--after"], opts["--before"], variants)
    print(text)


if __name__ == "__main__":
    main()
