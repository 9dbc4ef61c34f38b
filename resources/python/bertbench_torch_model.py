"""The model side of BertBench's torch:* worker (bertbench_torch_worker.py is the protocol side).

`Worker` holds one HuggingFace transformers model of the BERT family (the architecture's own
*Model / *For<Task> class, chosen by config.json's model_type) and answers load, prepare, forward,
output and release; the raw little-endian array files of docs/TORCH_WORKER_PROTOCOL.md are read and written
here. torch and transformers are imported only when a request needs them, so that the protocol
side can answer `hello` on an interpreter that lacks them.
"""
import json
import os
import sys
import time

MIN_TORCH = (2, 0)           # scaled_dot_product_attention, torch.compile
MIN_TRANSFORMERS = (4, 36)   # from_pretrained(attn_implementation=...)
COMPILE_CALLS = 3            # first calls of a compiled model: trace, compile, record the CUDA graph

# model_type → the prefix of transformers' classes; a task's class is prefix + TASK_SUFFIXES[task].
FAMILY_PREFIXES = {
    "bert": "Bert",
    "roberta": "Roberta",
    "xlm-roberta": "XLMRoberta",
    "camembert": "Camembert",
    "distilbert": "DistilBert",
    "electra": "Electra",
    "modernbert": "ModernBert",
}
TASK_SUFFIXES = {
    "encoder": "Model",
    "mlm": "ForMaskedLM",
    "classification": "ForSequenceClassification",
    "token_classification": "ForTokenClassification",
    "qa": "ForQuestionAnswering",
}
NO_TOKEN_TYPES = ("distilbert", "modernbert")   # forward() takes no token_type_ids
# ModernBERT names its QA head `classifier`, as its sequence classifier: BertBench's checkpoint
# writer puts the QA head into this file of the checkpoint folder (HfCheckpointWriter.h), copied
# into ModernBertForQuestionAnswering's classifier after loading.
QA_HEAD_FILE = "qa_head.safetensors"
# Tensors a task class may report missing although save_pretrained never writes them: buffers and
# decoders tied to the word embeddings.
TIED_OR_BUFFERS = ("position_ids", "decoder.weight", "decoder.bias", "vocab_projector.weight",
                   "generator_lm_head.weight")


def task_class_name(model_type, task):
    return FAMILY_PREFIXES[model_type] + TASK_SUFFIXES[task]


def class_support(transformers, name):
    """{"sdpa", "flash_attention_2"} as the class declares them, or None when transformers has no such class."""
    try:
        cls = getattr(transformers, name, None)
    except Exception:   # a lazy import that fails (a missing optional dependency)
        cls = None
    if cls is None:
        return None
    return {"sdpa": bool(getattr(cls, "_supports_sdpa", False)),
            # Spelled _supports_flash_attn_2 before transformers 4.53 and _supports_flash_attn after.
            "flash_attention_2": bool(getattr(cls, "_supports_flash_attn", False)
                                      or getattr(cls, "_supports_flash_attn_2", False))}


def family_support(transformers):
    """model_type → task → {"class", "present", "sdpa", "flash_attention_2"} (present False: transformers lacks the head)."""
    out = {}
    for model_type, prefix in FAMILY_PREFIXES.items():
        tasks = {}
        for task in TASK_SUFFIXES:
            name = task_class_name(model_type, task)
            support = class_support(transformers, name)
            tasks[task] = dict(support or {"sdpa": False, "flash_attention_2": False}, **{"class": name,
                                                                                         "present": support is not None})
        out[model_type] = tasks
    return out
DTYPES = {"fp32": "float32", "fp16": "float16", "bf16": "bfloat16"}
INPUT_DTYPES = {"i32": 4}


class RequestError(Exception):
    """A request the worker refuses: the reply says why, the worker stays usable."""


def version_tuple(text):
    parts = []
    for piece in text.split("+")[0].split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        if not digits:
            break
        parts.append(int(digits))
    return tuple(parts)


def error_text(exc):
    return f"{type(exc).__name__}: {exc}".strip()


def choice(req, key, options, what=None):
    """req[key] when it is one of options, else a RequestError naming them."""
    value = req.get(key)
    if value not in options:
        raise RequestError(what or f"{key} {value!r} is not one of {sorted(options)}")
    return value


def require_version(package, minimum):
    if version_tuple(package.__version__) < minimum:
        raise RequestError(f"{package.__name__} {package.__version__} is older than {'.'.join(map(str, minimum))}")


def reset_compiled(torch):
    """Forget every compiled graph and its CUDA-graph pool."""
    torch._dynamo.reset()
    try:
        torch._inductor.cudagraph_trees.reset_cudagraph_trees()
    except Exception:
        pass


def step_marker(torch):
    """torch.compiler.cudagraph_mark_step_begin where it exists (each call of a compiled model starts a step)."""
    return getattr(getattr(torch, "compiler", None), "cudagraph_mark_step_begin", None) or (lambda: None)


def read_array_file(spec, name):
    """A raw little-endian array described by {"path", "shape", "dtype"}: bytes, shape."""
    if not isinstance(spec, dict):
        raise RequestError(f"{name}: expected an object with path, shape and dtype")
    path, shape, dtype = spec.get("path"), spec.get("shape"), spec.get("dtype")
    if not isinstance(path, str) or not path:
        raise RequestError(f"{name}: path must be a non-empty string")
    if not isinstance(shape, list) or not all(isinstance(d, int) and d >= 0 for d in shape):
        raise RequestError(f"{name}: shape must be a list of non-negative integers, got {shape!r}")
    if dtype not in INPUT_DTYPES:
        raise RequestError(f"{name}: dtype {dtype!r} is not one of {sorted(INPUT_DTYPES)}")
    count = 1
    for d in shape:
        count *= d
    with open(path, "rb") as f:
        data = f.read()
    if len(data) != count * INPUT_DTYPES[dtype]:
        raise RequestError(f"{name}: {path} holds {len(data)} bytes, shape {shape} of {dtype} needs "
                           f"{count * INPUT_DTYPES[dtype]}")
    return data, shape


def read_safetensors_f32(path):
    """The F32 tensors of a small safetensors file (the token classifier), without the safetensors package."""
    import torch
    with open(path, "rb") as f:
        blob = f.read()
    header_len = int.from_bytes(blob[:8], "little")
    header = json.loads(blob[8:8 + header_len].decode("utf-8"))
    start = 8 + header_len
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        if entry["dtype"] != "F32":
            raise RequestError(f"{path}: tensor {name} is {entry['dtype']}, expected F32")
        begin, end = entry["data_offsets"]
        raw = bytearray(blob[start + begin:start + end])
        tensors[name] = torch.frombuffer(raw, dtype=torch.float32).reshape(entry["shape"]).clone()
    return tensors


def write_f32_file(tensor, path):
    """Row-major little-endian float32, the layout bertbench reads back."""
    flat = tensor.detach().float().cpu().contiguous().reshape(-1)
    try:
        data = flat.numpy().astype("<f4", copy=False).tobytes()
    except Exception:   # torch without numpy
        import array
        values = array.array("f", flat.tolist())
        if sys.byteorder != "little":
            values.byteswap()
        data = values.tobytes()
    with open(path, "wb") as f:
        f.write(data)


class Worker:
    def __init__(self):
        self.settings = None      # the load request
        self.model = None
        self.model_task = None
        self.runner = None        # the callable timed (the model, or its compiled form)
        self.inputs = None
        self.task = None
        self.last = None          # the last forward's output (its model output object)
        self.device = None
        self.dtype = None
        self.torch = None
        self.token_classifier = None
        self.model_type = "bert"

    # ---- load: settings + the encoder, so that an unusable attention fails here, untimed ----------
    def load(self, req):
        import torch
        # A worker loads one model after another (a --models run): the previous one goes first.
        self.release()
        self.free_model()
        self.torch = torch
        require_version(torch, MIN_TORCH)
        import transformers
        require_version(transformers, MIN_TRANSFORMERS)
        checkpoint = req.get("checkpoint")
        if not isinstance(checkpoint, str) or not os.path.isfile(os.path.join(checkpoint, "config.json")):
            raise RequestError(f"checkpoint {checkpoint!r} is not a folder with config.json")
        with open(os.path.join(checkpoint, "config.json"), encoding="utf-8") as f:
            model_type = json.load(f).get("model_type", "bert")
        if model_type not in FAMILY_PREFIXES:
            raise RequestError(f"model_type {model_type!r} is not one of {sorted(FAMILY_PREFIXES)}")
        self.model_type = model_type
        dtype = choice(req, "dtype", DTYPES)
        device = choice(req, "device", ("cuda", "cpu"), f"device {req.get('device')!r} is not cuda or cpu")
        if device == "cuda" and not torch.cuda.is_available():
            raise RequestError("device cuda asked for, but torch.cuda.is_available() is False")
        attention = choice(req, "attention", ("eager", "sdpa", "flash_attention_2"),
                           f"attention {req.get('attention')!r} is not eager, sdpa or flash_attention_2")
        threads = req.get("cpu_threads", 0)
        if isinstance(threads, int) and threads > 0:
            torch.set_num_threads(threads)
        token = req.get("token_classifier") or ""
        self.token_classifier = read_safetensors_f32(token) if token else None
        self.settings = dict(req)
        self.device = torch.device(device)
        if self.device.type == "cuda" and self.device.index is None:
            # torch.cuda's memory statistics want an indexed device ("cuda" alone is refused).
            self.device = torch.device("cuda", torch.cuda.current_device())
        self.dtype = getattr(torch, DTYPES[dtype])
        self.ensure_model("encoder")
        return {"device_name": self.device_name(), "pci_bus_id": self.pci_bus_id(),
                "parameters": sum(p.numel() for p in self.model.parameters()),
                "attn_implementation": getattr(self.model.config, "_attn_implementation", attention)}

    def pci_bus_id(self):
        """"0000:19:00.0" as NVML and cudaDeviceGetPCIBusId spell it; "" on the CPU or an older torch."""
        if self.device.type != "cuda":
            return ""
        props = self.torch.cuda.get_device_properties(self.device)
        bus, dev, dom = (getattr(props, n, None) for n in ("pci_bus_id", "pci_device_id", "pci_domain_id"))
        if not all(isinstance(v, int) for v in (bus, dev, dom)):
            return ""
        return f"{dom:04X}:{bus:02X}:{dev:02X}.0"

    def device_name(self):
        torch = self.torch
        if self.device.type == "cuda":
            return f"{torch.cuda.get_device_name(self.device)} (torch {torch.__version__})"
        return f"CPU, {torch.get_num_threads()} threads (torch {torch.__version__})"

    def free_model(self):
        torch = self.torch
        self.model = self.runner = self.last = None
        self.model_task = None
        if self.settings and self.settings.get("compile"):
            reset_compiled(torch)
        import gc
        gc.collect()
        if self.device is not None and self.device.type == "cuda":
            torch.cuda.empty_cache()

    def ensure_model(self, task):
        """One task model at a time, so that the peak holds one model's weights."""
        if self.model_task == task:
            return
        self.free_model()
        torch = self.torch
        import inspect
        import transformers
        name = task_class_name(self.model_type, task)
        if class_support(transformers, name) is None:
            raise RequestError(f"transformers {transformers.__version__} has no {name}: no {task} head for "
                               f"{self.model_type}")
        cls = getattr(transformers, name)
        kwargs = {"attn_implementation": self.settings["attention"], "output_loading_info": True}
        if task == "encoder" and "add_pooling_layer" in inspect.signature(cls.__init__).parameters:
            kwargs["add_pooling_layer"] = False   # BertBench's encoder: the last hidden state, no pooler
        qa_head = None
        if task == "qa" and self.model_type == "modernbert":
            # Start and end logits: ModernBertForQuestionAnswering's classifier has num_labels outputs.
            kwargs["num_labels"] = 2
            path = os.path.join(self.settings["checkpoint"], QA_HEAD_FILE)
            if os.path.isfile(path):
                qa_head = read_safetensors_f32(path)
                kwargs["ignore_mismatched_sizes"] = True   # the file's classifier is the sequence classifier
        try:
            model, info = cls.from_pretrained(self.settings["checkpoint"], **kwargs)
        except TypeError as e:   # a transformers without output_loading_info: no missing-key check
            if "output_loading_info" not in str(e):
                raise
            del kwargs["output_loading_info"]
            model, info = cls.from_pretrained(self.settings["checkpoint"], **kwargs), {}
        # A head missing from the checkpoint would be randomly initialised: refuse, the output would
        # not be the one the other backends compute.
        missing = [k for k in info.get("missing_keys", []) if not k.endswith(TIED_OR_BUFFERS)]
        if (task == "token_classification" and self.token_classifier is not None) or qa_head is not None:
            # Copied from the head's own file below (a checkpoint may hold no other classifier).
            missing = [k for k in missing if k not in ("classifier.weight", "classifier.bias")]
        if missing:
            raise RequestError(f"the checkpoint has no weights for {', '.join(sorted(missing)[:6])} "
                               f"({name} would initialise them randomly)")
        if task == "token_classification" and self.token_classifier is not None:
            with torch.no_grad():
                model.classifier.weight.copy_(self.token_classifier["classifier.weight"])
                model.classifier.bias.copy_(self.token_classifier["classifier.bias"])
        if qa_head is not None:
            with torch.no_grad():
                model.classifier.weight.copy_(qa_head["classifier.weight"])
                model.classifier.bias.copy_(qa_head["classifier.bias"])
        got = getattr(model.config, "_attn_implementation", self.settings["attention"])
        if got != self.settings["attention"]:
            raise RequestError(f"asked for attn_implementation={self.settings['attention']}, transformers chose {got}")
        model = model.to(device=self.device, dtype=self.dtype).eval()
        self.model = model
        self.model_task = task
        self.runner = model

    # ---- prepare: inputs on the device, compile (timed apart), peak reset ------------------------------
    def prepare(self, req):
        if self.settings is None:
            raise RequestError("prepare before load")
        torch = self.torch
        task = choice(req, "task", TASK_SUFFIXES)
        ids_bytes, shape = read_array_file(req.get("input_ids"), "input_ids")
        mask_bytes, mask_shape = read_array_file(req.get("attention_mask"), "attention_mask")
        if len(shape) != 2 or mask_shape != shape:
            raise RequestError(f"input_ids {shape} and attention_mask {mask_shape} must be one [batch, seq] shape")
        types_bytes = None
        if req.get("token_type_ids") is not None:
            types_bytes, types_shape = read_array_file(req.get("token_type_ids"), "token_type_ids")
            if types_shape != shape:
                raise RequestError(f"token_type_ids {types_shape} must have input_ids' shape {shape}")
        self.release()
        self.ensure_model(task)
        if self.device.type == "cuda":
            limit = int(req.get("memory_limit_bytes", 0) or 0)
            total = torch.cuda.get_device_properties(self.device).total_memory
            torch.cuda.set_per_process_memory_fraction(min(1.0, limit / total) if limit > 0 else 1.0, self.device)
        # int64 like a tokenizer's output (and hf_peers.py), so that HF runs its usual path.
        ids = torch.frombuffer(bytearray(ids_bytes), dtype=torch.int32).reshape(shape).to(torch.int64)
        mask = torch.frombuffer(bytearray(mask_bytes), dtype=torch.int32).reshape(shape).to(torch.int64)
        self.inputs = {"input_ids": ids.to(self.device), "attention_mask": mask.to(self.device)}
        if types_bytes is not None and self.model_type not in NO_TOKEN_TYPES:
            types = torch.frombuffer(bytearray(types_bytes), dtype=torch.int32).reshape(shape).to(torch.int64)
            self.inputs["token_type_ids"] = types.to(self.device)
        self.task = task
        compile_ms = -1.0
        if self.device.type == "cuda":
            torch.cuda.synchronize()
            # The compiled model's CUDA-graph pool is filled while it records; a peak over the replays
            # alone would omit it, so its peak starts before the compiling calls (as in hf_peers.py).
            torch.cuda.reset_peak_memory_stats(self.device)
        if self.settings.get("compile"):
            compile_ms = self.compile_for_cell()
        return {"compile_ms": compile_ms}

    def compile_for_cell(self):
        """torch.compile(mode="reduce-overhead") for this cell's shape; the first calls' time is returned."""
        torch = self.torch
        # One shape per cell, compiled afresh (dynamic=False): static-shape kernels and CUDA graphs, and
        # no recompile limit reached over a long sweep.
        reset_compiled(torch)
        compiled = torch.compile(self.model, mode="reduce-overhead", dynamic=False)
        mark = step_marker(torch)
        t0 = time.perf_counter()
        with torch.inference_mode():
            for _ in range(COMPILE_CALLS):
                mark()
                compiled(**self.inputs)
        if self.device.type == "cuda":
            torch.cuda.synchronize()
        self.runner = compiled
        return (time.perf_counter() - t0) * 1e3

    # ---- forward: warm-up untimed, then each timed forward on the device -----------------------------
    def forward(self, req):
        if self.inputs is None:
            raise RequestError("forward before prepare")
        warmup, timed = req.get("warmup", 0), req.get("timed", 1)
        if not (isinstance(warmup, int) and isinstance(timed, int) and warmup >= 0 and timed >= 1):
            raise RequestError(f"warmup {warmup!r} and timed {timed!r} must be integers >= 0 and >= 1")
        torch = self.torch
        mark = step_marker(torch) if self.settings.get("compile") else (lambda: None)

        def call():
            mark()
            return self.runner(**self.inputs)

        samples = []
        with torch.inference_mode():
            for _ in range(warmup):
                self.last = call()
            if self.device.type == "cuda":
                start = torch.cuda.Event(enable_timing=True)
                stop = torch.cuda.Event(enable_timing=True)
                for _ in range(timed):
                    start.record()
                    self.last = call()
                    stop.record()
                    stop.synchronize()
                    samples.append(start.elapsed_time(stop))
            else:
                for _ in range(timed):
                    t0 = time.perf_counter_ns()
                    self.last = call()
                    samples.append((time.perf_counter_ns() - t0) / 1e6)
        peak = torch.cuda.max_memory_allocated(self.device) if self.device.type == "cuda" else 0
        return {"samples_ms": samples, "peak_bytes": int(peak)}

    # ---- output: the task's tensor in BertBench's padded layout, fp32, to a file -----------------------
    def output(self, req):
        if self.last is None:
            raise RequestError("output before forward")
        path = req.get("path")
        if not isinstance(path, str) or not path:
            raise RequestError("output: path must be a non-empty string")
        torch = self.torch
        out = self.last
        if self.task == "encoder":
            tensor, per_position = out.last_hidden_state, True
        elif self.task == "qa":
            tensor, per_position = torch.stack([out.start_logits, out.end_logits], dim=-1), True
        elif self.task == "classification":
            tensor, per_position = out.logits, False
        else:   # mlm, token_classification: [B, S, V] / [B, S, L]
            tensor, per_position = out.logits, True
        write_f32_file(tensor, path)
        return {"shape": list(tensor.shape), "dtype": "f32", "per_position": per_position}

    def release(self, _req=None):
        self.inputs = None
        self.last = None
        if self.settings and self.settings.get("compile") and self.model is not None:
            self.runner = self.model
        return {}
