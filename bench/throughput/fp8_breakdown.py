#!/usr/bin/env python3
"""Where an fp8 forward's time goes against fp16: the per-category breakdown of the fp8-breakdown
step's runs (bench/throughput/steps.sh), bert-base encoder 128 x 512, cuda:flash_attention_2, the
candidate's graph-replayed parts in ms a forward; then the card's state while the candidate was
timed (NVML: mean power, SM clock at the end, joules a forward, whether it throttled), which says
whether a faster kernel could still run faster or the card's power limit is what is left.

    python3 bench/throughput/fp8_breakdown.py DIR      # the call's work folder or OUT folder
    python3 bench/throughput/fp8_breakdown.py --self-test
"""
import csv
import os
import sys

RUNS = [("fp16", "breakdown_fp16"), ("fp8, fp32 accumulate", "breakdown_fp8_accum32"),
        ("fp8, fast accumulate", "breakdown_fp8_fastaccum")]
ENERGY = [("candidate_power_w", "power W", "{:.0f}"), ("candidate_sm_clock_end_mhz", "SM clock MHz (end)", "{:.0f}"),
          ("candidate_j_per_forward", "J a forward", "{:.2f}")]
PARTS = [("embeddings", "embeddings"), ("qkv_gemm", "QKV GEMM"), ("attention", "attention"),
         ("attn_out_ln", "attn-out + LN"), ("ffn_up_gelu", "FFN up + GELU"), ("ffn_down_ln", "FFN down + LN"),
         ("head", "head")]


def row_of(path):
    """The ok row of a run's results.csv (the first), or None."""
    if not os.path.exists(path):
        return None
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            if row.get("status") == "ok":
                return row
    return None


def number(row, key):
    try:
        return float(row.get(key, ""))
    except ValueError:
        return None


def table(folder):
    lines = ["| run | forward (median) | " + " | ".join(label for _, label in PARTS) + " | " +
             " | ".join(label for _, label, _ in ENERGY) + " | throttled |",
             "| --- | ---: | " + " | ".join("---:" for _ in PARTS + ENERGY) + " | --- |"]
    found = 0
    for label, name in RUNS:
        row = row_of(os.path.join(folder, name, "results.csv"))
        if row is None:
            lines.append(f"| {label} | not measured | " + " | ".join("-" for _ in PARTS + ENERGY) + " | - |")
            continue
        found += 1
        cells = []
        for key, _ in PARTS:
            v = number(row, f"candidate_ms_{key}")
            cells.append("-" if v is None else f"{v:.2f}")
        for key, _, fmt in ENERGY:
            v = number(row, key)
            cells.append("-" if v is None else fmt.format(v))
        cells.append(row.get("candidate_throttled", "") or "-")
        median = number(row, "candidate_median_ms")
        lines.append(f"| {label} | {median:.2f} | " + " | ".join(cells) + " |" if median is not None else
                     f"| {label} | - | " + " | ".join(cells) + " |")
    head = ("### fp8 against fp16, where the time goes (bert-base encoder 128 x 512 pad 0, "
            "cuda:flash_attention_2, --cuda-graphs, ms a forward; fp8 GEMM rows include the input's quantize pass)")
    return head + "\n\n" + "\n".join(lines) + "\n", found


def self_test():
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        os.makedirs(os.path.join(d, "breakdown_fp16"))
        with open(os.path.join(d, "breakdown_fp16", "results.csv"), "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["status", "candidate_median_ms", "candidate_ms_qkv_gemm", "candidate_ms_attention",
                        "candidate_power_w", "candidate_sm_clock_end_mhz", "candidate_throttled"])
            w.writerow(["ok", "25.1", "3.5", "4.25", "698.4", "1605", "true"])
        text, found = table(d)
        assert found == 1, found
        assert "| fp16 | 25.10 | - | 3.50 | 4.25 | - | - | - | - | 698 | 1605 | - | true |" in text, text
        assert "| fp8, fast accumulate | not measured |" in text, text
    print("fp8_breakdown self-test: ok")


if __name__ == "__main__":
    if len(sys.argv) == 2 and sys.argv[1] == "--self-test":
        self_test()
    elif len(sys.argv) == 2:
        text, _ = table(sys.argv[1])
        print(text)
    else:
        print(__doc__.strip(), file=sys.stderr)
        sys.exit(2)
