#!/usr/bin/env python3
"""HuggingFace transformers' eager attention on the same cells as bertbench-cuda-bench, and the
side-by-side table.

Model: BertModel built from BertConfig() (bert-base-uncased's shape, random init, no download),
no pooler (BertBench's `encoder` task), attn_implementation="eager", eval, fp16 on CUDA.
Batches follow DESIGN.md: lengths ~ Normal((1 - pad)·S, 10) truncated toward zero and clamped
to [1, S]; ids uniform in [1, vocab - 2] on real positions, pad id 0 elsewhere; attention mask 1
on real positions. Timing: warm-up, then repeats with CUDA events around each forward; median.

  python3 bench/eager_vs_hf.py --csv hf.csv                      # measure HF
  python3 bench/eager_vs_hf.py --csv hf.csv --ours ours.csv      # ... and print the table
  python3 bench/eager_vs_hf.py --table-only --csv hf.csv --ours ours.csv
"""
import argparse
import csv
import statistics
import sys


def make_batch(np, batch, seq, pad, stdev, vocab, seed):
    rng = np.random.default_rng(seed)
    lengths = np.clip(np.trunc(rng.normal((1.0 - pad) * seq, stdev, size=batch)), 1, seq).astype(np.int64)
    ids = np.zeros((batch, seq), dtype=np.int64)
    mask = np.zeros((batch, seq), dtype=np.int64)
    for b, n in enumerate(lengths):
        ids[b, :n] = rng.integers(1, vocab - 1, size=n)   # [1, vocab - 2]
        mask[b, :n] = 1
    return ids, mask, int(lengths.sum())


def measure(args):
    import numpy as np
    import torch
    import transformers
    from transformers import BertConfig, BertModel

    torch.manual_seed(0)
    config = BertConfig()   # bert-base: 12 layers, hidden 768, 12 heads, vocab 30522
    dtype = {"fp16": torch.float16, "bf16": torch.bfloat16, "fp32": torch.float32}[args.dtype]
    try:
        model = BertModel._from_config(config, attn_implementation="eager", add_pooling_layer=False)
    except Exception as e:   # older/newer transformers spell it differently
        print(f"_from_config failed ({e}); setting config._attn_implementation", flush=True)
        config._attn_implementation = "eager"
        model = BertModel(config, add_pooling_layer=False)
    model = model.to(device="cuda", dtype=dtype).eval()
    impl = model.config._attn_implementation
    print(f"transformers {transformers.__version__}, torch {torch.__version__}, {torch.cuda.get_device_name()}, "
          f"attn_implementation={impl}, {args.dtype}", flush=True)
    assert impl == "eager", impl

    rows = []
    start = torch.cuda.Event(enable_timing=True)
    stop = torch.cuda.Event(enable_timing=True)
    with torch.inference_mode():
        for batch in args.batches:
            for seq in args.seqs:
                for pad in args.pads:
                    ids, mask, real = make_batch(np, batch, seq, pad, 10.0, config.vocab_size, 1000 + batch * 7 + seq)
                    ids = torch.from_numpy(ids).cuda()
                    mask = torch.from_numpy(mask).cuda()

                    def forward():
                        start.record()
                        model(input_ids=ids, attention_mask=mask)
                        stop.record()
                        stop.synchronize()
                        return start.elapsed_time(stop)

                    for _ in range(args.warmup):
                        forward()
                    torch.cuda.reset_peak_memory_stats()
                    first = forward()
                    iters = max(10, min(300, int(args.target_ms / max(first, 1e-3))))
                    samples = [forward() for _ in range(iters)]
                    peak = torch.cuda.max_memory_allocated() / 1e6
                    row = dict(backend="hf:eager", batch=batch, seq=seq, pad=pad, real_tokens=real,
                               median_ms=statistics.median(samples), peak_mb=peak)
                    rows.append(row)
                    print(f"hf eager  batch {batch:4d} seq {seq:4d} pad {pad:4.2f}: {row['median_ms']:9.3f} ms, "
                          f"peak {peak:8.1f} MB ({iters} repeats)", flush=True)

    write_csv(args.csv, rows)
    try:
        precision(np, torch, model, config)
    except Exception as e:
        print(f"precision check failed: {e}", flush=True)
    return rows


def precision(np, torch, model, config):
    # HF's own precision in half types vs its fp32 forward, same weights and batch (context for
    # verify's tolerances).
    ids, mask, _ = make_batch(np, 8, 128, 0.0, 10.0, config.vocab_size, 7)
    ids, mask = torch.from_numpy(ids).cuda(), torch.from_numpy(mask).cuda()
    with torch.inference_mode():
        ref_model = model.float()
        ref = ref_model(input_ids=ids, attention_mask=mask).last_hidden_state.double()
        for name, dt in (("fp16", torch.float16), ("bf16", torch.bfloat16)):
            out = model.to(dt)(input_ids=ids, attention_mask=mask).last_hidden_state.double()
            real = mask.bool()
            rel = ((out - ref)[real].norm() / ref[real].norm()).item()
            print(f"hf eager {name} vs hf fp32, encoder output 8x128: rel L2 {rel:.2e}", flush=True)
            model = model.float()


def write_csv(path, rows):
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)


def read_csv(path):
    with open(path) as f:
        return list(csv.DictReader(f))


def table(hf_rows, our_rows):
    key = lambda r: (int(r["batch"]), int(r["seq"]), float(r["pad"]))
    ours = {key(r): r for r in our_rows}
    lines = ["| batch | seq | pad | real tokens | HF eager ms | cuda:eager ms | speedup | cuda:eager + graphs ms | "
             "speedup | HF peak MB | our peak MB |",
             "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    worst = None
    for h in hf_rows:
        o = ours.get(key(h))
        if not o:
            continue
        t_hf, t_ours, t_graph = float(h["median_ms"]), float(o["median_ms"]), float(o["median_graph_ms"])
        s_plain, s_graph = t_hf / t_ours, t_hf / t_graph
        worst = s_plain if worst is None else min(worst, s_plain)
        lines.append(f"| {h['batch']} | {h['seq']} | {float(h['pad']):g} | {o['real_tokens']} | {t_hf:.3f} | "
                     f"{t_ours:.3f} | {s_plain:.2f}x | {t_graph:.3f} | {s_graph:.2f}x | "
                     f"{float(h['peak_mb']):.0f} | {float(o['peak_mb']):.0f} |")
    if worst is not None:
        lines.append(f"\nSlowest cell without graphs: {worst:.2f}x HF eager.")
    return "\n".join(lines)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--batches", default="1,8,32,128")
    p.add_argument("--seqs", default="128,512")
    p.add_argument("--pads", default="0,0.5")
    p.add_argument("--dtype", default="fp16", choices=["fp16", "bf16", "fp32"])
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--target-ms", type=float, default=1500)
    p.add_argument("--csv", required=True, help="HF results (written, or read with --table-only)")
    p.add_argument("--ours", help="bertbench-cuda-bench sweep CSV: print the side-by-side table")
    p.add_argument("--table-only", action="store_true")
    args = p.parse_args()
    args.batches = [int(x) for x in args.batches.split(",")]
    args.seqs = [int(x) for x in args.seqs.split(",")]
    args.pads = [float(x) for x in args.pads.split(",")]
    if args.table_only:
        hf_rows = read_csv(args.csv)
    else:
        hf_rows = measure(args)
    if args.ours:
        print(table(hf_rows, read_csv(args.ours)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
