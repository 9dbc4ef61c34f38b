#!/usr/bin/env python3
"""Where a small forward's time goes: each kernel's own duration against the forward's wall time.

  ncu --csv --print-units base --metrics gpu__time_duration.sum --cache-control none \
      --clock-control none CMD > ncu.csv
  python3 bench/end-to-end/kernel_timeline.py ncu.csv [--forward-ms MS] [--first-kernel REGEX]

A forward starts at each launch of the embedding kernel (--first-kernel); the launches before the
first one (weight upload, autotuning) are ignored, and so is the last forward, which may be cut
short by the launch count. For each whole forward it prints the kernel count and the sum of the
kernels' durations, then one line per kernel family (GEMM, attention, LayerNorm, ...) of the
median forward. With --forward-ms (the graph replay's median from the same binary), the rest of
the forward — launch latency and the gaps between dependent kernels — is printed as its own line:
at batch 1 that is the share no kernel can win back, only fewer or overlapping launches.
"""
import argparse
import csv
import re
import statistics
import sys

FAMILIES = [  # (family, regex on the demangled kernel name), first match wins
    ("embeddings", r"embedding"),
    ("layernorm", r"LayerNorm|layerNorm|layernorm"),
    ("attention", r"ttention|flash|softmax|splitHeads|mergeHeads"),
    ("gemm (cuBLAS)", r"gemm|Gemm|sm90_xmma|sm80_xmma|cutlass|splitKreduce|ampere|hopper_gemm|nvjet"),
    ("bias / activation", r"bias|Activation|gelu"),
    ("padding / heads", r"scatter|gather|fill"),
]


def family(name):
    for fam, pattern in FAMILIES:
        if re.search(pattern, name):
            return fam
    return "other"


def to_us(value, unit):
    v = float(value.replace(",", ""))
    unit = unit.strip().lower()
    scale = {"ns": 1e-3, "nsecond": 1e-3, "nanosecond": 1e-3, "us": 1.0, "usecond": 1.0, "ms": 1e3,
             "msecond": 1e3, "s": 1e6, "second": 1e6}
    if unit not in scale:
        raise ValueError(f"unknown time unit {unit!r}")
    return v * scale[unit]


def read_kernels(path):
    """(name, microseconds) per launch, in launch order, from ncu's --csv output."""
    rows = []
    with open(path, newline="") as f:
        lines = [line for line in f if line.startswith('"')]   # ncu prints its own log lines too
    for r in csv.DictReader(lines):
        if r.get("Metric Name") != "gpu__time_duration.sum":
            continue
        rows.append((int(r["ID"]), r["Kernel Name"], to_us(r["Metric Value"], r["Metric Unit"])))
    rows.sort()
    return [(name, us) for _, name, us in rows]


def split_forwards(kernels, first):
    starts = [i for i, (name, _) in enumerate(kernels) if re.search(first, name)]
    return [kernels[a:b] for a, b in zip(starts, starts[1:])]


def self_test():
    """The parser on a made-up ncu CSV: units, log lines, launch order, forward split, families."""
    import io
    import os
    import tempfile
    header = ["ID", "Process ID", "Process Name", "Host Name", "Kernel Name", "Context", "Stream", "Block Size",
              "Grid Size", "Device", "CC", "Section Name", "Metric Name", "Metric Unit", "Metric Value"]
    launches = [("upload", 5.0)]
    for _ in range(3):   # three forwards of 1 + 2 layers x 3 kernels; the last one is dropped as cut short
        launches.append(("void ops::embeddingLayerNormKernel<__half>", 3.0))
        for _ in range(2):
            launches += [("sm90_xmma_gemm_f16f16_f32_tn_n", 4.0), ("void hopperAttentionForward<T>", 5.0),
                         ("void ops::biasResidualLayerNormKernel<__half>", 2.5)]
    out = io.StringIO()
    out.write("==PROF== Connected to process 1\n")
    w = csv.writer(out, quoting=csv.QUOTE_ALL)
    w.writerow(header)
    rows = []
    for i, (name, us) in enumerate(launches):   # ncu lists in ID order; shuffle to test the sort
        unit, value = ("usecond", f"{us}") if i % 2 else ("nsecond", f"{us * 1000:,.0f}")
        rows.append([str(i), "1", "cli", "h", name, "1", "7", "(128,1,1)", "(1,1,1)", "0", "9.0",
                     "Command line profiler metrics", "gpu__time_duration.sum", unit, value])
    w.writerows(reversed(rows))
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "ncu.csv")
        with open(path, "w", newline="") as f:
            f.write(out.getvalue())
        kernels = read_kernels(path)
    assert len(kernels) == len(launches) and kernels[0] == ("upload", 5.0), kernels[:2]
    forwards = split_forwards(kernels, "embedding")
    assert len(forwards) == 2, len(forwards)
    assert all(len(f) == 7 for f in forwards)
    assert abs(sum(us for _, us in forwards[0]) - (3 + 2 * 11.5)) < 1e-9
    assert [family(n) for n, _ in forwards[0][:4]] == ["embeddings", "gemm (cuBLAS)", "attention", "layernorm"]
    try:
        to_us("1", "furlong")
        raise AssertionError("an unknown unit must be refused")
    except ValueError:
        pass
    print("kernel_timeline self-test: PASS")


def main():
    if sys.argv[1:] == ["--self-test"]:
        self_test()
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("csv")
    ap.add_argument("--forward-ms", type=float, help="the forward's measured time (graph replay median)")
    ap.add_argument("--first-kernel", default="embedding", help="regex naming a forward's first kernel")
    a = ap.parse_args()
    forwards = split_forwards(read_kernels(a.csv), a.first_kernel)
    if not forwards:
        sys.exit(f"{a.csv}: fewer than two launches of a kernel matching {a.first_kernel!r}: no whole forward")
    sums = [sum(us for _, us in f) for f in forwards]
    for i, (f, s) in enumerate(zip(forwards, sums)):
        print(f"forward {i}: {len(f)} kernels, {s:.1f} us of kernel time")
    median_index = sorted(range(len(sums)), key=lambda i: sums[i])[len(sums) // 2]
    f = forwards[median_index]
    total = sums[median_index]
    by_family = {}
    for name, us in f:
        n, t = by_family.get(family(name), (0, 0.0))
        by_family[family(name)] = (n + 1, t + us)
    wall = a.forward_ms * 1e3 if a.forward_ms else None
    base = wall or total
    print(f"\n| part of the forward (forward {median_index}) | launches | us | share |")
    print("| --- | ---: | ---: | ---: |")
    for fam, (n, t) in sorted(by_family.items(), key=lambda kv: -kv[1][1]):
        print(f"| {fam} | {n} | {t:.1f} | {100 * t / base:.0f} % |")
    print(f"| kernels together | {len(f)} | {total:.1f} | {100 * total / base:.0f} % |")
    if wall:
        print(f"| launch latency and gaps (forward {wall:.1f} us - kernels) | | {wall - total:.1f} | "
              f"{100 * (wall - total) / wall:.0f} % |")
    print(f"\nmedian kernel {statistics.median(us for _, us in f):.2f} us; spread over forwards "
          f"{min(sums):.1f}-{max(sums):.1f} us")


if __name__ == "__main__":
    main()
