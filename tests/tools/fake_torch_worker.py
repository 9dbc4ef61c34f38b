#!/usr/bin/env python3
"""A protocol-faithful stand-in for resources/python/bertbench_torch_worker.py, for the C++ tests.

Standard library only (no torch): it speaks docs/TORCH_WORKER_PROTOCOL.md exactly (reply marker,
the protocol on a duplicated stdout, bulk arrays through raw little-endian files) and computes
outputs with plain arithmetic that the tests recompute:

    per-position tasks: out[b, s, j] = ((ids[b, s] * 31 + j * 7) % 101) / 100
    classification:     out[b, j]    = ((sum of row b's real ids) % 97 + j) / 100

Faults, chosen with BERTBENCH_FAKE_MODE (comma-separated):
    crash_forward=N    exit(3) on the Nth forward, after a line on stderr
    hang_forward=N     never answer the Nth forward
    garbage_forward=N  answer the Nth forward with a reply that is not JSON
    wrong_id_forward=N answer the Nth forward with another request's id
    stray              print non-protocol lines on stdout (both ways a library could) before replies
    slow_start=S       sleep S seconds before answering hello
    oom_prepare        answer prepare with kind "oom"
    bad_shape          report an output shape one row short
    no_torch           hello reports no torch
    cuda               hello reports a CUDA device
    ignore_term        ignore SIGTERM and never answer shutdown (bertbench must SIGKILL)
With BERTBENCH_FAKE_ONCE=PATH the faults fire only while PATH does not exist (it is created when
one fires), so the fresh worker that replaces a failed one behaves. BERTBENCH_FAKE_LOG=PATH appends
"pid command" lines (load: "pid load CHECKPOINT").
"""
import json
import os
import signal
import sys
import time

REPLY_MARKER = "@bertbench-reply "


def modes():
    out = {}
    for item in os.environ.get("BERTBENCH_FAKE_MODE", "").split(","):
        item = item.strip()
        if item:
            key, _, value = item.partition("=")
            out[key] = value
    return out


MODES = modes()
ONCE = os.environ.get("BERTBENCH_FAKE_ONCE", "")


def fault(name):
    """The fault's argument when it is armed, else None."""
    if name not in MODES:
        return None
    if ONCE and os.path.exists(ONCE):
        return None
    return MODES[name]


def fire():
    if ONCE:
        with open(ONCE, "w") as f:
            f.write("fired\n")


def log(cmd):
    path = os.environ.get("BERTBENCH_FAKE_LOG", "")
    if path:
        with open(path, "a") as f:
            f.write(f"{os.getpid()} {cmd}\n")


def read_i32(spec):
    with open(spec["path"], "rb") as f:
        data = f.read()
    count = 1
    for d in spec["shape"]:
        count *= d
    if spec.get("dtype") != "i32" or len(data) != 4 * count:
        raise ValueError(f"{spec['path']}: {len(data)} bytes for shape {spec['shape']} of {spec.get('dtype')}")
    return [int.from_bytes(data[i:i + 4], "little", signed=True) for i in range(0, len(data), 4)]


def safetensors_names(path):
    with open(path, "rb") as f:
        n = int.from_bytes(f.read(8), "little")
        header = json.loads(f.read(n).decode("utf-8"))
    return set(k for k in header if k != "__metadata__")


REQUIRED = {
    "encoder": ["bert.embeddings.word_embeddings.weight", "bert.encoder.layer.0.attention.self.query.weight"],
    "mlm": ["cls.predictions.transform.dense.weight", "cls.predictions.bias"],
    "classification": ["bert.pooler.dense.weight", "classifier.weight"],
    "token_classification": ["bert.encoder.layer.0.output.dense.weight"],
    "qa": ["qa_outputs.weight"],
}


def main():
    proto = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    if "ignore_term" in MODES:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    state = {"forwards": 0, "config": None, "compile": False, "ids": None, "shape": None, "task": None,
             "names": set(), "token": False, "forwarded": False}

    def reply(obj):
        if "stray" in MODES:
            proto.write("a library's stray line on the protocol channel\n")
            print("a library's print(), redirected to stderr", flush=True)
        proto.write(REPLY_MARKER + json.dumps(obj) + "\n")
        proto.flush()

    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        rid, cmd = req.get("id"), req.get("cmd")
        log(f"{cmd} {req['checkpoint']}" if cmd == "load" else cmd)
        try:
            if cmd == "hello":
                slow = fault("slow_start")
                if slow is not None:
                    time.sleep(float(slow))
                no_torch = "no_torch" in MODES
                reply({"id": rid, "ok": True, "protocol": 1, "worker": "fake_torch_worker", "pid": os.getpid(),
                       "python": ".".join(map(str, sys.version_info[:3])),
                       "torch": None if no_torch else "2.11.0-fake",
                       "torch_error": "ModuleNotFoundError: No module named 'torch'" if no_torch else "",
                       "transformers": None if no_torch else "5.17.0-fake", "transformers_error": "",
                       "cuda_available": "cuda" in MODES, "cuda_device": "Fake GPU" if "cuda" in MODES else "",
                       "flash_attn": None,
                       "bert_supports": {"eager": True, "sdpa": True, "flash_attention_2": True}})
            elif cmd == "load":
                with open(os.path.join(req["checkpoint"], "config.json")) as f:
                    state["config"] = json.load(f)
                state["names"] = safetensors_names(os.path.join(req["checkpoint"], "model.safetensors"))
                state["compile"] = bool(req.get("compile"))
                token = req.get("token_classifier") or ""
                state["token"] = bool(token) and {"classifier.weight", "classifier.bias"} <= safetensors_names(token)
                for key in ("dtype", "device", "attention"):
                    if not isinstance(req.get(key), str):
                        raise ValueError(f"load: {key} missing")
                reply({"id": rid, "ok": True, "device_name": f"Fake {req['device']} ({req['attention']})",
                       "pci_bus_id": "0000:19:00.0" if req["device"] == "cuda" else "", "parameters": 1})
            elif cmd == "prepare":
                if fault("oom_prepare") is not None:
                    fire()
                    reply({"id": rid, "ok": False, "kind": "oom",
                           "error": "OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB"})
                    continue
                task = req["task"]
                missing = [n for n in REQUIRED[task] if n not in state["names"]]
                if task == "token_classification" and not state["token"]:
                    missing.append("token classifier file")
                if missing:
                    raise ValueError(f"checkpoint lacks {missing}")
                ids = read_i32(req["input_ids"])
                mask = read_i32(req["attention_mask"])
                state.update(ids=ids, mask=mask, shape=req["input_ids"]["shape"], task=task, forwarded=False)
                reply({"id": rid, "ok": True, "compile_ms": 12.5 if state["compile"] else -1})
            elif cmd == "forward":
                state["forwards"] += 1
                n = str(state["forwards"])
                if fault("crash_forward") == n:
                    fire()
                    print("fake worker: simulated crash in forward", n, file=sys.stderr, flush=True)
                    os._exit(3)
                if fault("hang_forward") == n:
                    fire()
                    print("fake worker: hanging in forward", n, file=sys.stderr, flush=True)
                    time.sleep(3600)
                if fault("garbage_forward") == n:
                    fire()
                    proto.write(REPLY_MARKER + "this is {not json\n")
                    proto.flush()
                    continue
                rid_out = rid + 1000 if fault("wrong_id_forward") == n else rid
                if rid_out != rid:
                    fire()
                b, s = state["shape"]
                state["forwarded"] = True
                reply({"id": rid_out, "ok": True, "samples_ms": [0.5 + 0.01 * b],
                       "peak_bytes": 1000 * b * s + 4096})
            elif cmd == "output":
                if not state["forwarded"]:
                    raise ValueError("output before forward")
                b, s = state["shape"]
                cfg = state["config"]
                task = state["task"]
                ids = state["ids"]
                labels = len(cfg.get("id2label", {})) or 2
                width = {"encoder": cfg["hidden_size"], "mlm": cfg["vocab_size"], "token_classification": labels,
                         "qa": 2}.get(task)
                values = []
                if task == "classification":
                    shape = [b, labels]
                    for r in range(b):
                        total = sum(ids[r * s + p] for p in range(s) if state["mask"][r * s + p])
                        values += [((total % 97) + j) / 100 for j in range(labels)]
                else:
                    shape = [b, s, width]
                    for t in ids:
                        values += [((t * 31 + j * 7) % 101) / 100 for j in range(width)]
                if "bad_shape" in MODES:
                    shape = [shape[0] - 1] + shape[1:]
                import struct
                with open(req["path"], "wb") as f:
                    f.write(struct.pack("<%df" % len(values), *values))
                reply({"id": rid, "ok": True, "shape": shape, "dtype": "f32",
                       "per_position": task != "classification"})
            elif cmd == "release":
                state.update(ids=None, shape=None, forwarded=False)
                reply({"id": rid, "ok": True})
            elif cmd == "shutdown":
                if "ignore_term" in MODES:
                    time.sleep(3600)
                reply({"id": rid, "ok": True})
                return 0
            else:
                reply({"id": rid, "ok": False, "kind": "error", "error": f"unknown command {cmd!r}"})
        except Exception as e:
            print(f"fake worker: {type(e).__name__}: {e}", file=sys.stderr, flush=True)
            reply({"id": rid, "ok": False, "kind": "error", "error": f"{type(e).__name__}: {e}"})
    return 0


if __name__ == "__main__":
    sys.exit(main())
