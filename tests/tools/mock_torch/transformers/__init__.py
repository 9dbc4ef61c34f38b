"""A stand-in for transformers' BERT classes, with arithmetic outputs (see mock torch's docstring).

from_pretrained reads the checkpoint's config.json and model.safetensors (names and the classifier
weights), reports the head tensors it lacks as missing_keys, and its outputs are:
  encoder                out[b, s, j] = ((id * 31 + j * 7) % 101) / 100
  qa                     start = (id % 13) / 10, end = (id % 7) / 10
  classification         out[b, j] = classifier.weight[j, 0] + (sum of row b's real ids % 97) / 100
  token_classification   out[b, s, j] = classifier.weight[j, 0] + (id % 7) / 10
so that a test can tell the sequence classifier from the token classifier.

A few of the family's classes too (RoBERTa's: its names under "roberta.", the sequence classifier's
output layer classifier.out_proj; XLM-R's sequence classifier without sdpa; ELECTRA without a QA
class), so that a test sees the worker pick each architecture's own class and the probe report
what transformers lacks.
"""
import json
import os
import struct

import torch

__version__ = "5.17.0-mock"


def _read_checkpoint(folder):
    with open(os.path.join(folder, "config.json")) as f:
        config = json.load(f)
    with open(os.path.join(folder, "model.safetensors"), "rb") as f:
        blob = f.read()
    n = int.from_bytes(blob[:8], "little")
    header = json.loads(blob[8:8 + n])
    tensors = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        begin, end = e["data_offsets"]
        raw = blob[8 + n + begin:8 + n + end]
        if name.startswith("classifier."):
            values = struct.unpack("<%df" % (len(raw) // 4), raw)
            tensors[name] = torch.Tensor(values, e["shape"], torch.float32)
        else:
            tensors[name] = None
    return config, tensors


class _Config:
    def __init__(self, raw, attn):
        self.hidden_size = raw["hidden_size"]
        self.num_labels = len(raw.get("id2label", {})) or 2
        self._attn_implementation = attn


class _Linear:
    def __init__(self, weight):
        self.weight = weight
        self.bias = torch.Tensor([0.0] * weight.shape[0], (weight.shape[0],), torch.float32)


class _Output:
    def __init__(self, **fields):
        self.__dict__.update(fields)


class _Base:
    _supports_sdpa = True
    _supports_flash_attn = True
    needs = ["bert.embeddings.word_embeddings.weight"]

    @classmethod
    def from_pretrained(cls, folder, attn_implementation="eager", output_loading_info=False, **kwargs):
        raw, tensors = _read_checkpoint(folder)
        model = cls()
        model.config = _Config(raw, attn_implementation)
        model.kwargs = kwargs
        missing = [n for n in cls.needs if n not in tensors]
        if "classifier.weight" in tensors:
            model.classifier = _Linear(tensors["classifier.weight"])
        if getattr(cls, "token_head", False) and "classifier.weight" not in tensors:
            # HF initialises a head the checkpoint lacks (and reports it missing, as here)
            labels, hidden = model.config.num_labels, model.config.hidden_size
            model.classifier = _Linear(torch.Tensor([0.0] * (labels * hidden), (labels, hidden), torch.float32))
        if "classifier.out_proj.weight" in tensors:
            model.out_proj = _Linear(tensors["classifier.out_proj.weight"])
        info = {"missing_keys": missing, "unexpected_keys": [], "mismatched_keys": [], "error_msgs": []}
        return (model, info) if output_loading_info else model

    def parameters(self):
        return [torch.Tensor([0.0] * 10, (10,), torch.float32)]

    def to(self, device=None, dtype=None):
        return self

    def eval(self):
        return self

    def __call__(self, input_ids, attention_mask):
        b, s = input_ids.shape
        return self.compute(input_ids.data, attention_mask.data, b, s)


def _tensor(values, shape):
    return torch.Tensor(values, shape, torch.float32)


class BertModel(_Base):
    def compute(self, ids, mask, b, s):
        h = self.config.hidden_size
        return _Output(last_hidden_state=_tensor([((t * 31 + j * 7) % 101) / 100 for t in ids for j in range(h)],
                                                 (b, s, h)))


class BertForQuestionAnswering(_Base):
    needs = _Base.needs + ["qa_outputs.weight"]

    def compute(self, ids, mask, b, s):
        return _Output(start_logits=_tensor([(t % 13) / 10 for t in ids], (b, s)),
                       end_logits=_tensor([(t % 7) / 10 for t in ids], (b, s)))


class BertForSequenceClassification(_Base):
    needs = _Base.needs + ["classifier.weight", "bert.pooler.dense.weight"]

    def compute(self, ids, mask, b, s):
        w = self.classifier.weight
        labels, hidden = w.shape
        out = []
        for r in range(b):
            total = sum(ids[r * s + p] for p in range(s) if mask[r * s + p])
            out += [w.data[j * hidden] + (total % 97) / 100 for j in range(labels)]
        return _Output(logits=_tensor(out, (b, labels)))


class BertForTokenClassification(_Base):
    needs = _Base.needs + ["classifier.weight"]
    token_head = True

    def compute(self, ids, mask, b, s):
        w = self.classifier.weight
        labels, hidden = w.shape
        return _Output(logits=_tensor([w.data[j * hidden] + (t % 7) / 10 for t in ids for j in range(labels)],
                                      (b, s, labels)))


class BertForMaskedLM(_Base):
    needs = _Base.needs + ["cls.predictions.transform.dense.weight"]

    def compute(self, ids, mask, b, s):
        raise RuntimeError("the mock has no masked-LM head (its [B, S, 30522] output is too big for lists)")


class RobertaModel(BertModel):
    needs = ["roberta.embeddings.word_embeddings.weight"]


class RobertaForSequenceClassification(BertForSequenceClassification):
    needs = RobertaModel.needs + ["classifier.dense.weight", "classifier.out_proj.weight"]

    def compute(self, ids, mask, b, s):
        self.classifier = self.out_proj   # RoBERTa's head: dense, tanh, out_proj
        return BertForSequenceClassification.compute(self, ids, mask, b, s)


class RobertaForTokenClassification(BertForTokenClassification):
    needs = RobertaModel.needs + ["classifier.weight"]


class XLMRobertaModel(RobertaModel):
    pass


class XLMRobertaForSequenceClassification(RobertaForSequenceClassification):
    _supports_sdpa = False


class ElectraModel(BertModel):
    needs = ["electra.embeddings.word_embeddings.weight"]
