#!/usr/bin/env python3
"""Make the HuggingFace correctness anchor for BertBench's CPU backends.

For every task head (BertModel, BertForMaskedLM, BertForSequenceClassification,
BertForTokenClassification, BertForQuestionAnswering) this builds a small, seeded,
randomly initialised HF BERT from a BertConfig (no download), saves it with
save_pretrained (config.json + model.safetensors) into OUT/<task>/, runs HF's own
forward (attn_implementation="eager", eval mode, fp32, CPU) on one fixed padded batch,
and writes the batch and HF's outputs into OUT/<task>/expected.json.

The outputs are computed by the model reloaded with from_pretrained, so they belong to
exactly the tensors in the saved file (tied decoder included).

Weights are drawn wider than HF's own init (normal(0, 0.02) would make attention nearly
uniform and hide masking mistakes): matrices ~ N(0, 0.2), biases ~ N(0, 0.1), LayerNorm
weight ~ 1 + N(0, 0.1). Token type ids are not all zero, so the type embedding counts.

Run on a machine with PyTorch + transformers (the GPU machine; CPU compute is enough):
    PYTHONUNBUFFERED=1 python3 bench/make_hf_fixture.py --out tests/fixtures/hf-tiny

Output layout matches BertBench's TaskOutput: encoder [B,S,H], mlm [B,S,V],
classification [B,L], token_classification [B,S,L], qa [B,S,2] (start, end).
"""
import argparse
import json
import os
import sys

import torch
import transformers
from transformers import (BertConfig, BertForMaskedLM, BertForQuestionAnswering,
                          BertForSequenceClassification, BertForTokenClassification,
                          BertModel)

TASKS = [
    # (BertBench task name, HF class, per-position output)
    ("encoder", BertModel, True),
    ("mlm", BertForMaskedLM, True),
    ("classification", BertForSequenceClassification, False),
    ("token_classification", BertForTokenClassification, True),
    ("qa", BertForQuestionAnswering, True),
]

# The fixed padded batch: odd max length, one full row, one single-token row.
LENGTHS = [13, 6, 9, 1]
MAX_SEQ_LEN = 13


def make_config(num_labels):
    return BertConfig(
        vocab_size=99,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=64,
        type_vocab_size=2,
        hidden_act="gelu",
        layer_norm_eps=1e-12,
        hidden_dropout_prob=0.1,
        attention_probs_dropout_prob=0.1,
        pad_token_id=0,
        num_labels=num_labels,
    )


def randomise(model, seed):
    """Deterministic, wider-than-HF random parameters (tied tensors are drawn once)."""
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            noise = torch.randn(p.shape, generator=gen, dtype=torch.float32)
            if p.dim() >= 2:
                p.copy_(noise * 0.2)
            elif name.endswith("LayerNorm.weight"):
                p.copy_(1.0 + noise * 0.1)
            else:
                p.copy_(noise * 0.1)


def make_batch(vocab_size, seed):
    gen = torch.Generator().manual_seed(seed)
    b, s = len(LENGTHS), MAX_SEQ_LEN
    ids = torch.randint(1, vocab_size - 1, (b, s), generator=gen, dtype=torch.long)
    mask = torch.zeros((b, s), dtype=torch.long)
    types = torch.zeros((b, s), dtype=torch.long)
    for row, length in enumerate(LENGTHS):
        mask[row, :length] = 1
        types[row, length // 2:length] = 1   # second half of each sequence is segment B
    ids = ids * mask                          # pad id 0 on padding positions
    return ids, types, mask


def task_output(task, out):
    if task == "encoder":
        return out.last_hidden_state
    if task == "qa":
        return torch.stack([out.start_logits, out.end_logits], dim=-1)
    return out.logits


def attn_impl(model):
    return getattr(model.config, "_attn_implementation", None)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True, help="folder that receives <task>/ subfolders")
    ap.add_argument("--seed", type=int, default=1234)
    args = ap.parse_args()

    torch.manual_seed(args.seed)
    print(f"torch {torch.__version__}, transformers {transformers.__version__}", flush=True)
    ids, types, mask = make_batch(make_config(3).vocab_size, args.seed)

    for index, (task, cls, per_position) in enumerate(TASKS):
        folder = os.path.join(args.out, task)
        os.makedirs(folder, exist_ok=True)
        # HF's question-answering head has config.num_labels outputs: start and end.
        config = make_config(2 if task == "qa" else 3)
        model = cls(config)
        randomise(model, args.seed + 1 + index)
        model.eval()
        model.save_pretrained(folder)

        reloaded = cls.from_pretrained(folder, attn_implementation="eager").eval()
        if attn_impl(reloaded) not in (None, "eager"):
            sys.exit(f"{task}: attention implementation is {attn_impl(reloaded)}, wanted eager")
        with torch.no_grad():
            y0 = task_output(task, model(input_ids=ids, token_type_ids=types, attention_mask=mask))
            y = task_output(task, reloaded(input_ids=ids, token_type_ids=types, attention_mask=mask))
        if not torch.equal(y0, y):
            diff = ((y0 - y).norm() / y.norm()).item()
            print(f"{task}: reloaded model differs from the saved one, rel. L2 {diff:g}", flush=True)
            if diff > 1e-5:
                sys.exit(f"{task}: save_pretrained/from_pretrained round trip changed the outputs")
        y = y.contiguous().to(torch.float32)

        expected = {
            "task": task,
            "hf_class": cls.__name__,
            "torch_version": torch.__version__,
            "transformers_version": transformers.__version__,
            "attn_implementation": attn_impl(reloaded) or "eager",
            "seed": args.seed,
            "batch_size": len(LENGTHS),
            "max_seq_len": MAX_SEQ_LEN,
            "lengths": LENGTHS,
            "input_ids": ids.tolist(),
            "token_type_ids": types.tolist(),
            "attention_mask": mask.tolist(),
            "per_position": per_position,
            "shape": list(y.shape),
            "values": [float(v) for v in y.flatten().tolist()],
        }
        with open(os.path.join(folder, "expected.json"), "w") as f:
            json.dump(expected, f)
            f.write("\n")
        files = sorted(os.listdir(folder))
        print(f"{task}: {cls.__name__} -> {folder} {files} output {list(y.shape)} "
              f"attn={expected['attn_implementation']}", flush=True)


if __name__ == "__main__":
    main()
