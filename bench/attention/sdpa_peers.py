#!/usr/bin/env python3
"""PyTorch peers of bench/attention/attn_bench: scaled_dot_product_attention per backend.

Same shapes and flop count as attn_bench --time: b128 h12 s512 d64, q/k/v as views of one packed
[B, S, 3, H, D] QKV buffer (what a BERT layer hands to SDPA), fp16 and bf16.
  pad 0, no mask:      flash, cuDNN, memory-efficient
  key-padding mask:    memory-efficient and cuDNN with a boolean [B, 1, 1, S] mask (flash takes
                       no mask), at pad 0 (mask all true) and pad 0.5 (attn_bench's lengths)
  varlen:              torch.nn.attention.varlen.varlen_attn (FlashAttention-2 on packed tokens)
TFLOP/s = 4·H·D·Σ len² / time (real work), medians of CUDA-event-timed calls.

  python3 bench/attention/sdpa_peers.py --lengths DIR/lengths_b128_s512_pad0.5.txt
"""
import argparse
import math

import torch
import torch.nn.functional as F
from torch.nn.attention import SDPBackend, sdpa_kernel

B, H, S, D = 128, 12, 512, 64


def median_ms(fn, warmup=10, reps=40):
    for _ in range(warmup):
        fn()
    start = [torch.cuda.Event(enable_timing=True) for _ in range(reps)]
    stop = [torch.cuda.Event(enable_timing=True) for _ in range(reps)]
    for i in range(reps):
        start[i].record()
        fn()
        stop[i].record()
    torch.cuda.synchronize()
    times = sorted(s.elapsed_time(e) for s, e in zip(start, stop))
    return times[reps // 2]


def row(name, dtype, pad, ms, flops, note=""):
    tf = flops / ms * 1e-9 if ms else float("nan")
    print(f"| {name} | {dtype} | {pad:.2f} | {ms:.4f} | {tf:.1f} | {note} |", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lengths", required=True, help="pad-0.5 lengths written by attn_bench --lengths-dir")
    args = ap.parse_args()
    lengths05 = [int(x) for x in open(args.lengths).read().split()]
    assert len(lengths05) == B

    print(f"\n## PyTorch {torch.__version__} SDPA peers on {torch.cuda.get_device_name()} (b{B} h{H} s{S} d{D})\n")
    print("| peer | dtype | pad | ms | TFLOP/s (real work) | note |\n|---|---|---|---|---|---|")
    for dtype in (torch.float16, torch.bfloat16):
        dname = "fp16" if dtype == torch.float16 else "bf16"
        qkv = torch.randn(B, S, 3, H, D, device="cuda", dtype=dtype)
        q, k, v = (qkv[:, :, i].transpose(1, 2) for i in range(3))  # [B, H, S, D] views
        full = 4.0 * H * D * B * S * S
        for name, be in (("sdpa flash", SDPBackend.FLASH_ATTENTION), ("sdpa cuDNN", SDPBackend.CUDNN_ATTENTION),
                         ("sdpa mem-efficient", SDPBackend.EFFICIENT_ATTENTION)):
            try:
                with sdpa_kernel(be):
                    ms = median_ms(lambda: F.scaled_dot_product_attention(q, k, v))
                row(name, dname, 0.0, ms, full)
            except Exception as e:  # a backend that refuses the shape or dtype
                row(name, dname, 0.0, 0.0, full, f"unavailable: {type(e).__name__}: {str(e)[:80]}")

        for pad, lens in ((0.0, [S] * B), (0.5, lengths05)):
            lens_t = torch.tensor(lens, device="cuda")
            mask = (torch.arange(S, device="cuda")[None, :] < lens_t[:, None])[:, None, None, :]
            real = 4.0 * H * D * sum(l * l for l in lens)
            for name, be in (("sdpa mem-efficient + mask", SDPBackend.EFFICIENT_ATTENTION),
                             ("sdpa cuDNN + mask", SDPBackend.CUDNN_ATTENTION)):
                try:
                    with sdpa_kernel(be):
                        ms = median_ms(lambda: F.scaled_dot_product_attention(q, k, v, attn_mask=mask))
                    row(name, dname, pad, ms, real, "computes all B·S query rows")
                except Exception as e:
                    row(name, dname, pad, 0.0, real, f"unavailable: {type(e).__name__}: {str(e)[:80]}")
            # Packed real tokens, FlashAttention-2 varlen.
            try:
                from torch.nn.attention.varlen import varlen_attn
                total = sum(lens)
                packed = torch.randn(total, 3, H, D, device="cuda", dtype=dtype)
                pq, pk, pv = packed[:, 0], packed[:, 1], packed[:, 2]
                cu = torch.zeros(B + 1, dtype=torch.int32, device="cuda")
                cu[1:] = torch.cumsum(lens_t, 0)
                mx = max(lens)
                ms = median_ms(lambda: varlen_attn(pq, pk, pv, cu, cu, mx, mx))
                row("varlen_attn (flash varlen)", dname, pad, ms, real)
            except Exception as e:
                row("varlen_attn (flash varlen)", dname, pad, 0.0, real, f"unavailable: {type(e).__name__}: {str(e)[:80]}")
        del qkv, q, k, v
        torch.cuda.empty_cache()


if __name__ == "__main__":
    main()
