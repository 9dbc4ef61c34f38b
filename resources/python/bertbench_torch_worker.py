#!/usr/bin/env python3
"""BertBench's torch:* worker: HuggingFace transformers BERT, driven by bertbench over a line protocol.

docs/TORCH_WORKER_PROTOCOL.md is the contract. In short: one JSON request a line on stdin, one reply
a line on the protocol channel, each reply line starting with REPLY_MARKER; bulk arrays (input ids,
attention mask, outputs) travel through raw little-endian files named in the JSON, never in it.

The protocol channel is the process's original stdout, duplicated before anything else runs; fd 1
is then pointed at stderr, so whatever a library prints (Python or C code) lands on stderr, which
bertbench keeps as the worker's log. Only the standard library is needed to start and to answer
`hello`, so that a missing torch is reported rather than crashing the probe. The model itself is
bertbench_torch_model.py, written beside this script (both are compiled into bertbench_core).
"""
import json
import os
import sys
import traceback

from bertbench_torch_model import MIN_TORCH, MIN_TRANSFORMERS, RequestError, Worker, error_text, family_support

PROTOCOL_VERSION = 1
REPLY_MARKER = "@bertbench-reply "


def open_protocol_channel():
    proto = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return proto


def probe():
    """What this interpreter offers; never raises (missing packages are reported as such)."""
    info = {
        "protocol": PROTOCOL_VERSION,
        "worker": "bertbench_torch_worker",
        "pid": os.getpid(),
        "python": ".".join(str(v) for v in sys.version_info[:3]),
        "executable": sys.executable,
        "torch": None, "torch_error": "",
        "transformers": None, "transformers_error": "",
        "cuda_available": False, "cuda_device": "", "cuda_version": "",
        "flash_attn": None,
        "bert_supports": {"eager": False, "sdpa": False, "flash_attention_2": False},
        "family": {},
        "min_torch": ".".join(map(str, MIN_TORCH)),
        "min_transformers": ".".join(map(str, MIN_TRANSFORMERS)),
    }
    try:
        import torch
        info["torch"] = torch.__version__
        info["cuda_available"] = bool(torch.cuda.is_available())
        info["cuda_version"] = torch.version.cuda or ""
        if info["cuda_available"]:
            info["cuda_device"] = torch.cuda.get_device_name(0)
    except Exception as e:   # ImportError, or a broken install raising anything
        info["torch_error"] = error_text(e)
        return info
    try:
        import transformers
        info["transformers"] = transformers.__version__
        from transformers import BertModel
        info["bert_supports"]["eager"] = True
        info["bert_supports"]["sdpa"] = bool(getattr(BertModel, "_supports_sdpa", False))
        # Spelled _supports_flash_attn_2 before transformers 4.53 and _supports_flash_attn after.
        info["bert_supports"]["flash_attention_2"] = bool(
            getattr(BertModel, "_supports_flash_attn", False) or getattr(BertModel, "_supports_flash_attn_2", False))
    except Exception as e:
        info["transformers_error"] = error_text(e)
    if info["transformers"]:
        try:   # which heads and attentions transformers has per architecture, from each class
            info["family"] = family_support(sys.modules["transformers"])
        except Exception as e:
            info["family_error"] = error_text(e)
    try:
        import importlib.metadata
        import importlib.util
        if importlib.util.find_spec("flash_attn") is not None:
            try:
                info["flash_attn"] = importlib.metadata.version("flash_attn")
            except importlib.metadata.PackageNotFoundError:
                info["flash_attn"] = "unknown version"
    except Exception:
        pass
    return info


def failure_kind(exc, worker):
    """"oom" for an out-of-memory failure (the cell's tensors are freed then), else "error"."""
    torch = sys.modules.get("torch")
    oom_type = getattr(getattr(torch, "cuda", None), "OutOfMemoryError", None) if torch else None
    if not ((oom_type is not None and isinstance(exc, oom_type)) or "out of memory" in str(exc).lower()):
        return "error"
    worker.release()
    try:
        torch.cuda.empty_cache()
    except Exception:
        pass
    return "oom"


def main():
    proto = open_protocol_channel()
    worker = Worker()
    commands = {"hello": lambda _req: probe(), "load": worker.load, "prepare": worker.prepare,
                "forward": worker.forward, "output": worker.output, "release": worker.release}

    def reply(obj):
        proto.write(REPLY_MARKER + json.dumps(obj, separators=(",", ":")) + "\n")
        proto.flush()

    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            req = json.loads(line)
            if not isinstance(req, dict):
                raise ValueError("a request is a JSON object")
        except ValueError as e:
            reply({"id": None, "ok": False, "kind": "error", "error": f"malformed request: {e}"})
            continue
        rid, cmd = req.get("id"), req.get("cmd")
        if cmd == "shutdown":
            reply({"id": rid, "ok": True})
            return 0
        try:
            if cmd not in commands:
                raise RequestError(f"unknown command {cmd!r}")
            body = commands[cmd](req)
            body.update({"id": rid, "ok": True})
            reply(body)
        except RequestError as e:
            reply({"id": rid, "ok": False, "kind": "error", "error": str(e)})
        except Exception as e:
            traceback.print_exc(file=sys.stderr)
            reply({"id": rid, "ok": False, "kind": failure_kind(e, worker), "error": error_text(e)[:2000]})
    return 0   # stdin closed: bertbench went away


if __name__ == "__main__":
    sys.exit(main())
