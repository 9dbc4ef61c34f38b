#!/usr/bin/env python3
"""The family-verify step's verdict (bench/family/steps.sh), from its logs (standard library only).

  python3 bench/family/verify_summary.py DIR       # DIR: the step's folder of logs
  python3 bench/family/verify_summary.py --self-test

Reference logs (<tag>_<arch>_<task>_<cuda|torch>.log, `verify --reference`): per tag, backend and
dtype how many outputs were ok, FAIL or not run (with the reasons). A cuda:* or torch:* backend that
did not run where it should is a failure: at head dim 16 (the committed checkpoints) only cuda:sdpa
and cuda:flash_attention_2 may decline (their kernels have head dims 32, 64, 128). Preset logs
(preset_<model>.log, verify against cpu:eager) and kernel_checks.log: their PASS/FAIL line and any
row past tolerance. Prints PASS or FAIL last; exits 1 on FAIL.
"""
import collections
import glob
import os
import re
import sys

# backend, dtype, output, rel L2, max abs, HF's own, tolerance, verdict
ROW = re.compile(r"^\s+(\S+:\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(.*)$")
# Allowed not to run: (tag, backend) -> why
MAY_DECLINE = {("hd16", "cuda:sdpa"), ("hd16", "cuda:flash_attention_2")}


def reference_rows(path):
    name = os.path.basename(path)[:-4]
    tag, rest = name.split("_", 1)
    rows = []
    with open(path, errors="replace") as f:
        for line in f:
            m = ROW.match(line)
            if not m or m.group(1) == "backend":
                continue
            backend, dtype, output, rel, _max_abs, _hf_own, _tol, verdict = m.groups()
            rows.append(dict(tag=tag, case=rest, backend=backend, dtype=dtype, output=output, rel=rel,
                             verdict=verdict.strip()))
    return rows


def summarize(folder):
    lines, failed = [], False
    rows = []
    for path in sorted(glob.glob(os.path.join(folder, "hd*_*.log"))):
        got = reference_rows(path)
        if not got:
            lines.append(f"  {os.path.basename(path)}: no result rows: "
                         + " | ".join(open(path, errors="replace").read().strip().splitlines()[-2:]))
            failed = True
        rows += got
    tally = collections.OrderedDict()
    worst = {}
    reasons = collections.defaultdict(set)
    for r in rows:
        key = (r["tag"], r["backend"], r["dtype"])
        t = tally.setdefault(key, collections.Counter())
        kind = "ok" if r["verdict"] == "ok" else "FAIL" if r["verdict"] == "FAIL" else "not run"
        t[kind] += 1
        if kind == "not run":
            reasons[key].add(r["verdict"][len("not run: "):][:110])
            if (r["tag"], r["backend"]) not in MAY_DECLINE:
                failed = True
        elif kind == "FAIL":
            failed = True
            lines.append(f"  FAIL {r['tag']} {r['case']} {r['backend']} {r['dtype']} {r['output']} rel L2 {r['rel']}")
        if kind != "not run":
            try:
                rel = float(r["rel"])
                if rel > worst.get(key, (-1, ""))[0]:
                    worst[key] = (rel, r["case"])
            except ValueError:
                pass
    out = ["HF references (verify --reference; hd16: the committed checkpoints, hd32: written here):",
           "  tag   backend                  dtype  ok  FAIL  not run  worst rel L2 (case)"]
    for key, t in tally.items():
        w = worst.get(key)
        out.append(f"  {key[0]:<5} {key[1]:<24} {key[2]:<5} {t['ok']:>3} {t['FAIL']:>5} {t['not run']:>8}  "
                   + (f"{w[0]:.2e} ({w[1]})" if w else "-"))
    for key, why in reasons.items():
        out.append(f"  not run {key[0]} {key[1]} {key[2]}: " + "; ".join(sorted(why)))
    out += lines
    for path in sorted(glob.glob(os.path.join(folder, "preset_*.log"))) + \
            sorted(glob.glob(os.path.join(folder, "kernel_checks.log"))):
        text = open(path, errors="replace").read()
        verdict = re.findall(r"^verify: (PASS|FAIL).*$", text, re.M)
        line = next((l for l in reversed(text.splitlines()) if re.match(r"verify: (PASS|FAIL)", l)),
                    "no verdict line")
        out.append(f"  {os.path.basename(path)[:-4]}: {line}")
        if not verdict or verdict[-1] != "PASS":
            failed = True
            out += ["    " + l.strip() for l in text.splitlines() if re.search(r"\b(FAIL|ERROR)\b", l)][:12]
    if not rows:
        failed = True
    out.append("family-verify: " + ("FAIL" if failed else "PASS"))
    return "\n".join(out), failed


def self_test():
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        def write(name, text):
            with open(os.path.join(d, name), "w") as f:
                f.write(text)
        write("hd16_roberta_mlm_cuda.log",
              "Model x (roberta), task mlm\n"
              "  backend                dtype  output  rel L2    max abs   HF's own  tolerance\n"
              "  cuda:eager             fp16   logits  1.20e-03  3.0e-03   1.00e-03  3.00e-03   ok\n"
              "  cuda:sdpa              -      -       -         -         -         -          not run: cuda:sdpa supports head dims 32, 64 and 128 (got 16)\n")
        write("hd16_roberta_mlm_torch.log",
              "  torch:sdpa             fp32   logits  1.00e-06  1.0e-06   -         1.00e-04   ok\n")
        write("preset_roberta-base.log", "verify: PASS, 45 checks in 12.0 s\n")
        text, failed = summarize(d)
        assert not failed, text
        assert "cuda:eager" in text and "1.20e-03" in text, text
        write("hd32_roberta_mlm_cuda.log",
              "  cuda:sdpa              -      -       -         -         -         -          not run: boom\n")
        text, failed = summarize(d)
        assert failed and "not run hd32 cuda:sdpa" in text, text
    print("family verify summary self-test: PASS")


def main():
    if sys.argv[1:] == ["--self-test"]:
        self_test()
        return 0
    if len(sys.argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    text, failed = summarize(sys.argv[1])
    print(text)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
