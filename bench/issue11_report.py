#!/usr/bin/env python3
"""Issue 11's tables in markdown, from the logs of bench/h200_wave2.sh (one or more calls, unpacked).

  python3 bench/issue11_report.py DIR [DIR ...] [--after TAG] [--before TAG] [--prefetch TAG]
  python3 bench/issue11_report.py --self-test

Each file is taken from the first DIR that has it, so the two calls the script is split into can
be read together. What it prints, each part only where its files exist:
  1. the issue's cells: HF sdpa, torch.compile, the nested fast path (peers.csv), cuda:sdpa and
     cuda:flash_attention_2 (run_<TAG>_{512,128,large}/results.csv), before -> after, the target
     and whether the measurement meets it; the best peer's time over ours; peak memory against
     HF sdpa's;
  2. the per-category breakdown before and after (the runner's graph-replayed parts of
     cuda:flash_attention_2 in those results.csv files);
  3. attention alone: the Hopper and FlashAttention-2 kernels (attn_time.log) beside PyTorch's
     flash and cuDNN (attn_peers.log), with the 360 / 330 TFLOP/s targets;
  4. the verify and compute-sanitizer verdicts found in summary.txt.
Numbers are copied, never recomputed from anything but the files; a part whose files are absent
is skipped with a line saying so.
"""
import csv
import os
import re
import sys

# (part of run_<tag>_<part>, model, batch, seq, pad, target ms for cuda:flash_attention_2)
CELLS = [("512", "bert-base", 128, 512, 0.0, 22.0), ("512", "bert-base", 128, 512, 0.5, 10.5),
         ("128", "bert-base", 1, 128, 0.0, 0.30), ("large", "bert-large", 32, 512, 0.5, 8.5)]
PEERS = [("hf_sdpa", "HF sdpa"), ("hf_compile", "torch.compile"), ("pt_nested", "nested¹")]
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


def cells_table(dirs, after, before, prefetch, out):
    peers = peer_rows(dirs)
    rows = []
    for part, model, b, s, pad, target in CELLS:
        a = run_row(dirs, after, part, b, s, pad)
        if a is None:
            continue
        bf = run_row(dirs, before, part, b, s, pad) if before else None
        pf = run_row(dirs, prefetch, part, b, s, pad) if prefetch else None
        rows.append((part, model, b, s, pad, target, a, bf, pf))
    if not rows:
        out.append(f"(no run_{after}_*/results.csv: the cells table is skipped)")
        return {}
    prefetch = prefetch if any(r[8] for r in rows) else ""   # a column only when it was run
    head = "| cell | " + " | ".join(name for _, name in PEERS) + " | cuda:sdpa | **cuda:flash_attention_2** |"
    head += (" with L2 prefetch |" if prefetch else "") + " target | |"
    out.append(head)
    out.append("| --- |" + " ---: |" * (len(PEERS) + 2 + (1 if prefetch else 0) + 1) + " --- |")
    verdicts = {}
    notes = []
    for part, model, b, s, pad, target, a, bf, pf in rows:
        d = digits_for(b)
        cell = f"{model} {b} × {s}, pad {pad:g}"
        peer_ms = [float(peers[(p, b, s, pad)]["median_ms"]) if (p, b, s, pad) in peers and model == "bert-base" else None
                   for p, _ in PEERS]
        ours = float(a["candidate_median_ms"])
        sdpa = float(a["baseline_median_ms"])
        line = f"| {cell} | " + " | ".join(fmt(v, d) for v in peer_ms)
        line += f" | {before_after(float(bf['baseline_median_ms']) if bf else None, sdpa, d)}"
        line += f" | {before_after(float(bf['candidate_median_ms']) if bf else None, ours, d)}"
        best = min(ours, float(pf["candidate_median_ms"])) if pf else ours
        if prefetch:
            line += f" | {fmt(float(pf['candidate_median_ms']), d) if pf else '—'}"
        met = best <= target
        verdicts[cell] = met
        line += f" | ≤ {target:g} | {'met' if met else '**missed**'} |"
        out.append(line)
        known = [v for v in peer_ms if v is not None]
        if known:
            fastest = min(known)
            name = PEERS[peer_ms.index(fastest)][1].rstrip("¹")
            notes.append(f"- {cell}: the best peer ({name}, {fmt(fastest, d)} ms) over ours: **{fastest / best:.2f}×**")
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


def report(dirs, after="after", before="before", prefetch="prefetch"):
    out = ["### The issue's cells (bert-base encoder fp16 unless said, `--cuda-graphs`, medians, ms)", ""]
    verdicts = cells_table(dirs, after, before, prefetch, out)
    out.append("\n### Per-category breakdown (graph-replayed parts, ms a forward)")
    breakdown_table(dirs, after, before, out)
    out.append("\n### Attention alone")
    verdicts.update(attention_table(dirs, out))
    verdict_lines(dirs, out)
    if verdicts:
        out.append("\nTargets: " + "; ".join(f"{k}: {'met' if v else 'missed'}" for k, v in verdicts.items()))
    return "\n".join(out), verdicts


def self_test():
    """The parsers on the published logs of session 16's call (docs/results/h200-wave2/run1) and of
    session 17's (docs/results/h200-hopper/run1), whose numbers PERFORMANCE.md quotes."""
    here = os.path.dirname(os.path.abspath(__file__))
    wave2 = os.path.join(here, "..", "docs", "results", "h200-wave2", "run1")
    hopper = os.path.join(here, "..", "docs", "results", "h200-hopper", "run1")
    text, verdicts = report([wave2])
    assert "28.06 → 25.37" in text, text        # fa2 before → after, 128 × 512 pad 0 (PERFORMANCE.md run 1)
    assert "0.456 → 0.441" in text, text        # 1 × 128
    assert "11.23 → 10.15" in text, text        # bert-large
    assert verdicts["bert-base 128 × 512, pad 0"] is False
    assert "with L2 prefetch" not in text      # no prefetch runs in that call: no column
    assert "(torch.compile, 29.79 ms) over ours: **1.17×**" in text, text
    assert "| ours: library d64 fp16 (128x64, 4 warps) | 271.2 | 271.7 | 165.3 | 158.6 |" in text, text
    assert "| PyTorch sdpa cuDNN | 404.4 | 246.6 | — | 61.1 |" in text, text
    text, verdicts = report([hopper], after="hopper", before="fa2kernel", prefetch="")
    assert "26.04 → 24.74" in text, text        # session 17's table
    assert "| qkv gemm |" in text and "| attention |" in text, text
    assert "peak memory" in verdicts and verdicts["peak memory"] is True, verdicts   # 654 / 1411
    assert verdicts["bert-base 1 × 128, pad 0"] is False
    text, _ = report([os.path.join(here, "no-such-folder")])
    assert "skipped" in text
    print("issue11_report self-test: PASS")


def main():
    args = sys.argv[1:]
    if args == ["--self-test"]:
        self_test()
        return
    tags = {"--after": "after", "--before": "before", "--prefetch": "prefetch"}
    dirs = []
    i = 0
    while i < len(args):
        if args[i] in tags and i + 1 < len(args):
            tags[args[i]] = args[i + 1]
            i += 2
        elif args[i].startswith("-"):
            sys.exit(f"issue11_report.py: unknown option {args[i]} (see --help in the file's docstring)")
        else:
            dirs.append(args[i])
            i += 1
    if not dirs:
        sys.exit(__doc__)
    missing = [d for d in dirs if not os.path.isdir(d)]
    if missing:
        sys.exit(f"issue11_report.py: not a folder: {', '.join(missing)}")
    text, _ = report(dirs, tags["--after"], tags["--before"], tags["--prefetch"])
    print(text)


if __name__ == "__main__":
    main()
