#!/usr/bin/env bash
# Issue 12 on the GPU machine, in one device call: build the CLI (cmake --preset device), run one
# sweep — bert-base encoder, fp16, CUDA graphs, cuda:eager baseline vs cuda:sdpa and
# cuda:flash_attention_2, batch sizes 1,128 × lengths 128,512 × pads 0,0.5 (the grid holds the
# issue's 128 × 512 and 1 × 128 cells, plus 128 × 128 and 1 × 512) — and print what the issue's
# "done when" asks: per-op breakdown sums against the timed medians (within 10%?), energy per
# 1,000 real tokens per backend, % of the GEMM probe's peak. run.json and results.csv land in
# $OUT (the device call's output folder) or OUT_DIR.
#
#   bench/insight_sweep.sh                          on the GPU machine (builds build-device/)
#   bench/insight_sweep.sh --cli PATH               reuse a built bertbench-cli
#   bench/insight_sweep.sh --device cpu --model tiny [--cli build-core/app/bertbench-cli]
#                                                   dry run of the same path on a CPU machine
#                                                   (smaller grid, fp32, cpu:* backends)
# Exit status: the sweep's (0 = every row ok).
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
DEVICE=cuda
MODEL=bert-base
CLI=""
OUTD=${OUT:-${OUT_DIR:-$ROOT/insight-out}}
while [ $# -gt 0 ]; do
  case "$1" in
    --device) DEVICE=$2; shift 2 ;;
    --model) MODEL=$2; shift 2 ;;
    --cli) CLI=$2; shift 2 ;;
    --out) OUTD=$2; shift 2 ;;
    *) echo "insight_sweep.sh: unknown argument '$1' (--device, --model, --cli, --out)" >&2; exit 2 ;;
  esac
done
mkdir -p "$OUTD"
t0=$(date +%s)

if [ -z "$CLI" ]; then
  if [ "$DEVICE" = cuda ]; then
    echo "== build (cmake --preset device, bertbench-cli only)"
    cmake --preset device -S "$ROOT" > "$OUTD/build.log" 2>&1 &&
      cmake --build "$ROOT/build-device" -j "$(nproc)" --target bertbench-cli >> "$OUTD/build.log" 2>&1
    rc=$?
    if [ $rc -ne 0 ]; then tail -40 "$OUTD/build.log"; echo "build failed (rc=$rc)"; exit $rc; fi
    CLI=$ROOT/build-device/app/bertbench-cli
    echo "built in $(( $(date +%s) - t0 )) s"
  else
    CLI=$ROOT/build-core/app/bertbench-cli
  fi
fi
[ -x "$CLI" ] || { echo "insight_sweep.sh: no bertbench-cli at $CLI (build it or pass --cli)" >&2; exit 2; }

if [ "$DEVICE" = cuda ]; then
  command -v nvidia-smi > /dev/null && nvidia-smi --query-gpu=name,driver_version,power.limit,clocks.max.sm \
    --format=csv,noheader | tee "$OUTD/gpu.txt"
  ARGS=(--device cuda --model "$MODEL" --dtype fp16 --tasks encoder --baseline cuda:eager
        --backends cuda:sdpa,cuda:flash_attention_2 --batch-sizes 1,128 --seq-lens 128,512 --pads 0,0.5
        --cuda-graphs --warmup 3 --num-batches 20)
else
  ARGS=(--device cpu --model "$MODEL" --dtype fp32 --tasks encoder --baseline cpu:eager
        --backends cpu:sdpa,cpu:flash_attention_2 --batch-sizes 1,4 --seq-lens 64,128 --pads 0,0.5
        --warmup 1 --num-batches 5)
fi

echo "== sweep: bertbench-cli run ${ARGS[*]}"
rm -rf "$OUTD/run"
t1=$(date +%s)
"$CLI" run "${ARGS[@]}" --quiet --out "$OUTD/run" > "$OUTD/run.log" 2>&1
sweep_rc=$?
echo "sweep rc=$sweep_rc in $(( $(date +%s) - t1 )) s"
[ -f "$OUTD/run/run.json" ] || { tail -30 "$OUTD/run.log"; exit "$sweep_rc"; }
cp "$OUTD/run/run.json" "$OUTD/run.json"
cp "$OUTD/run/results.csv" "$OUTD/results.csv"

echo "== summary with efficiency, energy and the per-op breakdown"
"$CLI" summary --breakdown "$OUTD/run.json" | tee "$OUTD/summary.txt"

# The issue's checks, one line per measurement, from the native CSV (python3's csv handles the
# quoted notes; without python3 the summary above has the same figures).
if command -v python3 > /dev/null; then
  echo "== checks: parts within 10% of the median, J per 1k real tokens, % of GEMM peak"
  python3 - "$OUTD/results.csv" <<'PY' | tee "$OUTD/checks.txt"
import csv, math, sys
seen, worst = set(), 0.0
print(f"{'cell':<16}{'backend':<24}{'median ms':>10}{'parts ms':>10}{'parts/med':>10}{'other ms':>9}"
      f"{'J/1k tok':>10}{'W':>6}{'% peak':>8}{'TFLOP/s':>9} throttled")
def num(x):
    try: return float(x)
    except ValueError: return math.nan
def show(x, width, decimals):   # not available (< 0, NaN) as "-"
    return f"{x:{width}.{decimals}f}" if x >= 0 else f"{'-':>{width}}"
for r in csv.DictReader(open(sys.argv[1], newline="")):
    if r["status"] != "ok": print(f"{r['batch_size']}x{r['seq_len']} p{r['pad']} {r['candidate']}: {r['status']}"); continue
    for side in ("baseline", "candidate"):
        key = (r["batch_size"], r["seq_len"], r["pad"], r[side])
        if key in seen: continue
        seen.add(key)
        med, parts = num(r[f"{side}_median_ms"]), num(r.get(f"{side}_ms_parts_sum", ""))
        ratio = parts / med if med > 0 else math.nan
        if not math.isnan(ratio): worst = max(worst, abs(ratio - 1))
        cell = f"{r['batch_size']}x{r['seq_len']} p{r['pad']}"
        print(f"{cell:<16}{r[side]:<24}{med:10.3f}{parts:10.3f}{ratio*100:9.1f}%{num(r.get(side+'_ms_other','')):9.3f}"
              f"{show(num(r[side+'_j_per_1k_tokens']), 10, 3)}{show(num(r[side+'_power_w']), 6, 0)}"
              f"{show(num(r[side+'_pct_peak']), 8, 1)}{show(num(r[side+'_tflops']), 9, 2)} {r[side+'_throttled']}")
print(f"largest |parts/median - 1| = {worst*100:.1f}% ({'within' if worst <= 0.10 else 'OUTSIDE'} the issue's 10%)")
PY
fi
echo "total $(( $(date +%s) - t0 )) s; files in $OUTD"
exit "$sweep_rc"
