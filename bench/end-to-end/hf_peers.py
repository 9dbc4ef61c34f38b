#!/usr/bin/env python3
"""PyTorch peers of BertBench's CUDA backends, timed on BertBench's own cells and batches.

Peers (bert-base, fp16, eval, torch.inference_mode, random init from BertConfig, no download):
  hf_eager      transformers BertModel, attn_implementation="eager" (no pooler: BertBench's `encoder`)
  hf_sdpa       same, attn_implementation="sdpa"
  hf_compile    hf_sdpa under torch.compile(mode="reduce-overhead", dynamic=False): Inductor kernels
                + CUDA graphs, compiled once per shape (torch._dynamo.reset() before each cell)
  pt_nested     torch.nn.TransformerEncoder, bert-base sized (d_model 768, 12 heads, ff 3072, gelu,
                layer_norm_eps 1e-12, batch_first, post-norm), enable_nested_tensor=True, fed with
                src_key_padding_mask: PyTorch's padding-skipping fast path (nested tensors,
                torch._transformer_encoder_layer_fwd). It has NO embeddings: its input is a random
                [B, S, 768] fp16 tensor standing in for the embedding output.

Batches are BertBench's, bit for bit: core/util/Random.h (splitmix64 seeding, xoshiro256**, Box-Muller)
seeded by core/sweep/SweepSpec.cpp's cellSeed(seed, batch, seq, pad), then core/batch/Batch.cpp's
law: per row length = trunc(Normal((1 - pad)·S, stdev)) clamped to [1, S], ids uniform in
[1, vocab - 2] on real positions, pad id 0, attention mask 1 on real positions. So real_tokens
here equals the real_tokens column of bertbench-cli's results.csv for the same --seed.

Timing: warm-up forwards, then CUDA events around each forward (synchronised after each), median.
The number of timed forwards is target_ms / (first timed forward), clamped to [min_iters, max_iters].
Peak memory: torch.cuda.max_memory_allocated over the timed forwards (reset after warm-up; the
model's weights are included, one model on the GPU at a time), MB = 1e6 bytes. hf_compile: from
before the compiling call on, since CUDA-graph replays allocate nothing (the graph's memory pool is
filled while it is recorded during warm-up) and a peak over the replays alone would omit it.

  python3 bench/end-to-end/hf_peers.py --cells 128:512:0,128:512:0.5,1:128:0 --peers hf_sdpa,hf_compile \\
      --csv peers.csv
  python3 bench/end-to-end/hf_peers.py --grid 1,2,4:128,256:0,0.5 --peers hf_sdpa --csv peers.csv --append
  python3 bench/end-to-end/hf_peers.py --plan plan.txt --csv peers.csv --deadline 1700000000
  python3 bench/end-to-end/hf_peers.py --self-test         # batch generator only, no torch needed

A plan file lists phases, one a line: `PEER CELLS [target_ms=X] [min_iters=N] [max_iters=N]` where
CELLS is a --cells value (`grid:B,..:S,..:P,..` for a grid). Phases run in order; a cell a peer has
already measured in this run is not measured again; with --deadline (Unix time) a cell is
skipped once the deadline is near (each peer's estimate of its next cell's cost is kept), and
every row is written and flushed as soon as it is measured, so a cut-off run keeps its rows.
"""
import argparse
import csv
import gc
import os
import statistics
import sys
import time

# The batch generator lives beside this script; its folder (end-to-end) is not importable as a package.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bertbench_batches import VOCAB, make_batch  # noqa: E402

FIELDS = ["peer", "batch", "seq", "pad", "real_tokens", "median_ms", "mean_ms", "p10_ms", "p90_ms", "samples",
          "peak_mb", "compile_s", "note"]


# ---- cells -----------------------------------------------------------------------------------------

def parse_cells(text):
    """'B:S:P,B:S:P' or 'grid:B,B:S,S:P,P' -> [(batch, seq, pad)]."""
    text = text.strip()
    if text.startswith("grid:"):
        b, s, p = text[5:].split(":")
        return [(int(x), int(y), float(z)) for x in b.split(",") for y in s.split(",") for z in p.split(",")]
    cells = []
    for item in text.split(","):
        b, s, p = item.split(":")
        cells.append((int(b), int(s), float(p)))
    return cells


# ---- the peers -------------------------------------------------------------------------------------

class Peers:
    def __init__(self, args):
        import torch
        self.torch = torch
        self.args = args
        self.dtype = torch.float16
        self.model = None
        self.model_kind = None
        self.batches = {}

    # One model on the GPU at a time, so that max_memory_allocated holds one model's weights.
    def load(self, kind):
        torch = self.torch
        if self.model_kind == kind:
            return self.model
        if self.model_kind == "hf_compile":   # free the compiled code and its CUDA-graph pool
            torch._dynamo.reset()
            try:
                torch._inductor.cudagraph_trees.reset_cudagraph_trees()
            except Exception:
                pass
        self.model = None
        self.model_kind = None
        gc.collect()
        torch.cuda.empty_cache()
        torch.manual_seed(0)
        with torch.device("cuda"):
            if kind in ("hf_eager", "hf_sdpa", "hf_compile"):
                model = self.hf_model("eager" if kind == "hf_eager" else "sdpa")
            elif kind == "pt_nested":
                layer = torch.nn.TransformerEncoderLayer(
                    d_model=768, nhead=12, dim_feedforward=3072, dropout=0.1, activation="gelu",
                    layer_norm_eps=1e-12, batch_first=True, norm_first=False)
                model = torch.nn.TransformerEncoder(layer, num_layers=12, enable_nested_tensor=True)
            else:
                raise SystemExit(f"unknown peer '{kind}'")
        model = model.to(dtype=self.dtype).eval()
        if kind == "pt_nested":
            print(f"pt_nested: use_nested_tensor={getattr(model, 'use_nested_tensor', '?')}", flush=True)
            if not getattr(model, "use_nested_tensor", False):
                print(f"pt_nested: fast path off: {getattr(model, 'why_not_sparsity_fast_path', '?')}", flush=True)
        self.model, self.model_kind = model, kind
        return model

    def hf_model(self, impl):
        from transformers import BertConfig, BertModel
        config = BertConfig()   # bert-base-uncased's shape: 12 layers, 768, 12 heads, vocab 30522
        try:
            model = BertModel._from_config(config, attn_implementation=impl, add_pooling_layer=False)
        except Exception as e:   # spelled differently in some transformers versions
            print(f"_from_config failed ({e}); setting config._attn_implementation", flush=True)
            config._attn_implementation = impl
            model = BertModel(config, add_pooling_layer=False)
        got = model.config._attn_implementation
        if got != impl:
            raise SystemExit(f"asked for attn_implementation={impl}, got {got}")
        return model

    def inputs(self, batch, seq, pad):
        torch = self.torch
        key = (batch, seq, pad)
        if key not in self.batches:   # kept on the host: device copies would count in the peaks
            lengths, ids = make_batch(batch, seq, pad, seed=self.args.seed)
            ids_t = torch.tensor(ids, dtype=torch.int64).view(batch, seq)
            pos = torch.arange(seq).unsqueeze(0)
            mask_t = (pos < torch.tensor(lengths).unsqueeze(1)).to(torch.int64)
            self.batches[key] = (ids_t, mask_t, sum(lengths))
        return self.batches[key]

    def time_cell(self, peer, batch, seq, pad, opts=None):
        torch, args = self.torch, self.args
        opts = opts or {}
        target_ms = float(opts.get("target_ms", args.target_ms))
        min_iters = int(opts.get("min_iters", args.min_iters))
        max_iters = int(opts.get("max_iters", args.max_iters))
        model = self.load(peer)
        ids_h, mask_h, real = self.inputs(batch, seq, pad)
        ids, mask = ids_h.cuda(), mask_h.cuda()
        compile_s = ""
        note = ""
        warmup = args.warmup
        if peer == "pt_nested":
            gen = torch.Generator(device="cuda").manual_seed(1)
            src = torch.randn(batch, seq, 768, device="cuda", dtype=self.dtype, generator=gen)
            key_padding = mask == 0   # True on padding, right-aligned

            def call():
                return model(src, src_key_padding_mask=key_padding)
        elif peer == "hf_compile":
            torch._dynamo.reset()   # compile once per shape; the previous shape's graphs go
            try:
                torch._inductor.cudagraph_trees.reset_cudagraph_trees()
            except Exception:
                pass
            gc.collect()
            torch.cuda.empty_cache()
            compiled = torch.compile(model, mode="reduce-overhead", dynamic=False)

            def call():
                torch.compiler.cudagraph_mark_step_begin()
                return compiled(input_ids=ids, attention_mask=mask)

            # Peak from here on: replays allocate nothing, the CUDA-graph pool is filled while the
            # graph is recorded (warm-up), so the high-water mark must include the warm-up.
            torch.cuda.synchronize()
            torch.cuda.reset_peak_memory_stats()
            t0 = time.time()
            with torch.inference_mode():
                call()
            torch.cuda.synchronize()
            compile_s = f"{time.time() - t0:.1f}"
            warmup = max(warmup, args.compile_warmup)
        else:
            def call():
                return model(input_ids=ids, attention_mask=mask)

        start = torch.cuda.Event(enable_timing=True)
        stop = torch.cuda.Event(enable_timing=True)

        def once():
            start.record()
            call()
            stop.record()
            stop.synchronize()
            return start.elapsed_time(stop)

        with torch.inference_mode():
            if peer == "pt_nested":
                out = call()
                if out.is_nested:
                    note = "output nested"
            for _ in range(warmup):
                call()
            torch.cuda.synchronize()
            if peer != "hf_compile":
                torch.cuda.reset_peak_memory_stats()
            first = once()
            iters = max(min_iters, min(max_iters, int(target_ms / max(first, 1e-3))))
            samples = [once() for _ in range(iters)]
            peak = torch.cuda.max_memory_allocated() / 1e6
        samples.sort()
        q = lambda f: samples[min(len(samples) - 1, int(f * (len(samples) - 1) + 0.5))]
        if peer == "pt_nested":
            note = (note + "; " if note else "") + "no embeddings"
        if peer == "hf_compile":
            note = "peak over compile, graph recording and replays"
        return dict(peer=peer, batch=batch, seq=seq, pad=f"{pad:g}", real_tokens=real,
                    median_ms=f"{statistics.median(samples):.4f}", mean_ms=f"{statistics.fmean(samples):.4f}",
                    p10_ms=f"{q(0.1):.4f}", p90_ms=f"{q(0.9):.4f}", samples=len(samples),
                    peak_mb=f"{peak:.1f}", compile_s=compile_s, note=note)


def run_plan(args, phases):
    import torch
    import transformers
    print(f"torch {torch.__version__}, transformers {transformers.__version__}, {torch.cuda.get_device_name()}",
          flush=True)
    peers = Peers(args)
    mode = "a" if args.append else "w"
    new_file = not (args.append and os.path.exists(args.csv) and os.path.getsize(args.csv) > 0)
    # Cost estimates per peer (seconds for a cell of the largest padded size seen so far), for the guard.
    last_cost = {}
    with open(args.csv, mode, newline="") as f:
        w = csv.DictWriter(f, fieldnames=FIELDS)
        if new_file:
            w.writeheader()
        done = set()
        for peer, cells, opts in phases:
            for (b, s, p) in cells:
                if (peer, b, s, p) in done:
                    continue
                if args.deadline:
                    left = args.deadline - time.time()
                    guess = last_cost.get(peer, args.first_guess_s if peer == "hf_compile" else 3.0)
                    if left < guess:
                        print(f"skip {peer} {b}x{s} pad {p:g}: {left:.0f} s left, ~{guess:.0f} s needed", flush=True)
                        continue
                t0 = time.time()
                try:
                    row = peers.time_cell(peer, b, s, p, opts)
                    done.add((peer, b, s, p))
                except torch.cuda.OutOfMemoryError as e:
                    row = dict(peer=peer, batch=b, seq=s, pad=f"{p:g}", note=f"oom: {str(e)[:80]}")
                    torch.cuda.empty_cache()
                except Exception as e:   # a peer failing on one cell must not stop the others
                    row = dict(peer=peer, batch=b, seq=s, pad=f"{p:g}", note=f"error: {type(e).__name__}: {str(e)[:160]}")
                spent = time.time() - t0
                last_cost[peer] = spent if peer != "hf_compile" else max(spent, last_cost.get(peer, 0.0))
                w.writerow(row)
                f.flush()
                print(f"{peer:10s} {b:4d} x {s:4d} pad {p:4g}: {row.get('median_ms', '-'):>9s} ms, "
                      f"peak {row.get('peak_mb', '-'):>8s} MB, n={row.get('samples', '-')}"
                      f"{', compile ' + row['compile_s'] + ' s' if row.get('compile_s') else ''}"
                      f"{'  [' + row['note'] + ']' if row.get('note') else ''} ({spent:.1f} s)", flush=True)


def self_test():
    # The generator's own invariants; its agreement with BertBench is checked by peers_table.py
    # (real_tokens of every cell against bertbench-cli's results.csv).
    lengths, ids = make_batch(8, 64, 0.5)
    assert all(1 <= n <= 64 for n in lengths), lengths
    for r, n in enumerate(lengths):
        row = ids[r * 64:(r + 1) * 64]
        assert all(1 <= t <= VOCAB - 2 for t in row[:n]) and all(t == 0 for t in row[n:])
    assert make_batch(8, 64, 0.5) == (lengths, ids), "not reproducible"
    for cell in ((128, 512, 0.0), (128, 512, 0.5), (1, 128, 0.0), (16, 256, 0.75)):
        ls, _ = make_batch(*cell)
        print(f"cell {cell}: real_tokens {sum(ls)}, first lengths {ls[:6]}")
    print("self-test ok")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cells", help="B:S:P,... or grid:B,..:S,..:P,..")
    p.add_argument("--peers", default="hf_eager,hf_sdpa,pt_nested,hf_compile")
    p.add_argument("--plan", help="file of phases, one a line: PEER CELLS")
    p.add_argument("--csv", help="output CSV (rows flushed as measured)")
    p.add_argument("--append", action="store_true", help="append to --csv instead of overwriting it")
    p.add_argument("--seed", type=int, default=0, help="bertbench-cli's --seed (default 0)")
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--compile-warmup", type=int, default=6, help="forwards after the compiling one")
    p.add_argument("--min-iters", type=int, default=10)
    p.add_argument("--max-iters", type=int, default=100)
    p.add_argument("--target-ms", type=float, default=300.0, help="timed forwards ≈ this / one forward")
    p.add_argument("--deadline", type=float, default=0.0, help="Unix time after which cells are skipped")
    p.add_argument("--first-guess-s", type=float, default=60.0, help="guessed cost of the first compile")
    p.add_argument("--self-test", action="store_true")
    args = p.parse_args()
    if args.self_test:
        self_test()
        return 0
    if not args.csv:
        p.error("--csv is required")
    phases = []
    if args.plan:
        with open(args.plan) as f:
            for line in f:
                line = line.split("#", 1)[0].strip()
                if line:
                    peer, cells, *opts = line.split()
                    phases.append((peer, parse_cells(cells), dict(o.split("=", 1) for o in opts)))
    elif args.cells:
        cells = parse_cells(args.cells)
        phases = [(peer, cells, {}) for peer in args.peers.split(",")]
    else:
        p.error("give --cells or --plan")
    run_plan(args, phases)
    return 0


if __name__ == "__main__":
    sys.exit(main())
