#!/usr/bin/env bash
# Issue 11 (performance wave 2) in ONE call on the H200: correctness first, then before/after
# timings of the fused GEMM epilogues and the GEMM autotuning, beside the PyTorch peers.
#
#   bash bench/h200_wave2.sh [BIN_DIR] [OUT_DIR]
#     BIN_DIR  holds bertbench-cli and bertbench-cuda-bench built with CUDA (default .bin); when they
#              do not run there, the script builds them (cmake --preset device, arch 90-real)
#     OUT_DIR  default $OUT; the device tool returns at most 8 files: logs.tgz (everything),
#              summary.txt (the tables, printed last) and a few logs
#   BUDGET_S=540: the whole script's seconds; later steps are skipped when time runs out.
#   STEPS="verify runs gemm profile peers sanitize attention" (default: all, in this order);
#   "ncu" (not in the default, not yet run on the H200): Nsight Compute, clocks as found, on the
#   FFN-up GEMM with and without its GELU epilogue at 65536 tokens (why the epilogue costs 25 %);
#   "timeline" (not in the default): Nsight Compute's duration of every kernel of the 1x128
#   forward against its graph replay (bench/kernel_timeline.py: the kernels' share and the
#   launch gaps' share of the batch-1 forward);
#   "attnncu" (not in the default): Nsight Compute on one Hopper attention launch inside the
#   128x512 forward and on the same kernel alone (attn_bench --profile): duration, SM clock,
#   throughputs, to explain why the forward's attention takes 0.38 ms a layer against 0.29 alone.
#   All steps take longer than one call may run: split them, e.g.
#     STEPS="verify runs profile peers" BUDGET_S=540 ...   then
#     STEPS="sanitize attention timeline attnncu ncu" BUDGET_S=540 ...
#   BIN_DIR may also hold attn_bench (bench/attention/build_attn_bench.sh; built there otherwise).
#   Back here, `python3 bench/issue11_report.py DIR1 DIR2` (the unpacked logs.tgz of both calls)
#   prints the issue's tables in markdown, targets met or missed.
#
# Variants, same binary: "before" = BERTBENCH_FUSED_EPILOGUES=0 BERTBENCH_GEMM_AUTOTUNE=0 (wave 1's
# path: plain GEMMs, separate bias + erf-GELU and bias + residual + LayerNorm kernels, cublasLt's
# first heuristic algorithm); "tuned" = BERTBENCH_FUSED_EPILOGUES=0 (wave 1's kernels, autotuned
# algorithms); "after" = the defaults (epilogues fused, algorithms autotuned); "prefetch" = the
# defaults + BERTBENCH_L2_PREFETCH=1 (each next layer's weights into L2 on a side stream; only
# forwards of <= 2048 tokens use it, so only the 1x128 cell is run).
#
# Steps: verify (tiny with kernel checks + graphs; bert-base every backend, task, dtype, graphs);
# compute-sanitizer memcheck and racecheck on tiny verifies; bertbench-cuda-bench gemm at 65536
# and 128 tokens; profile of cuda:flash_attention_2 at 128x512 and 1x128, before and after;
# bertbench-cli run on the issue's cells before and after (bert-base 128x512 pad 0/0.5, 1x128;
# bert-large 32x512 pad 0.5); the PyTorch peers on the bert-base cells (bench/peers/hf_peers.py);
# attention alone (bench/attention: ours vs PyTorch flash / cuDNN).
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BIN=${1:-$ROOT/.bin}
OUTD=${2:-${OUT:-/tmp/wave2-out}}
BUDGET_S=${BUDGET_S:-540}
T0=$(date +%s)
W=$(mktemp -d /tmp/wave2.XXXXXX)
mkdir -p "$OUTD"
export LD_LIBRARY_PATH=/usr/local/cuda/lib64:${LD_LIBRARY_PATH:-}
export PYTHONUNBUFFERED=1
S="$W/summary.txt"
left() { echo $((T0 + BUDGET_S - $(date +%s))); }
say() { echo "[$(($(date +%s) - T0)) s] $*" | tee -a "$S"; }
fits() { [ "$(left)" -gt "$1" ] || { say "SKIPPED (time): $2"; return 1; }; }
STEPS=" ${STEPS:-verify runs gemm profile peers sanitize attention} "
want() { [[ "$STEPS" == *" $1 "* ]]; }

say "== machine"
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm,clocks.max.sm,temperature.gpu,power.draw --format=csv | tee -a "$S"

# attn_bench (every attention kernel, the Hopper one included): carried in BIN_DIR, or built in
# the background while the GPU runs the other steps.
ATTN_PID=
AB="$W/attn/attn_bench"
mkdir -p "$W/attn"
if want attention; then
  if [ -x "$BIN/attn_bench" ] && "$BIN/attn_bench" > /dev/null 2>&1; then
    AB="$BIN/attn_bench"
  else
    bash "$ROOT/bench/attention/build_attn_bench.sh" "$AB" > "$W/attn_build.log" 2>&1 &
    ATTN_PID=$!
  fi
fi

CLI="$BIN/bertbench-cli"; CB="$BIN/bertbench-cuda-bench"
if ! "$CLI" --version > /dev/null 2>&1 || ! "$CB" copy --target-ms 10 > /dev/null 2>&1; then
  say "carried binaries do not run here: building (cmake --preset device)"
  (cd "$ROOT" && cmake --preset device -DCMAKE_CUDA_ARCHITECTURES=90-real > "$W/cmake.log" 2>&1 &&
   ninja -C build-device -j16 bertbench-cli bertbench-cuda-bench >> "$W/cmake.log" 2>&1)
  say "build rc=$?"; tail -n 5 "$W/cmake.log"
  CLI="$ROOT/build-device/app/bertbench-cli"; CB="$ROOT/build-device/kernels/bertbench-cuda-bench"
  [ -x "$CB" ] || CB=$(find "$ROOT/build-device" -name bertbench-cuda-bench -type f | head -n 1)
fi
"$CLI" --version | tee -a "$S"
BEFORE=(env BERTBENCH_FUSED_EPILOGUES=0 BERTBENCH_GEMM_AUTOTUNE=0)
TUNED=(env BERTBENCH_FUSED_EPILOGUES=0)

if want verify; then
say "== verify tiny (kernel checks, graphs)"
timeout 120 "$CLI" verify --model tiny --seed 11 --cuda-graphs --verbose > "$W/verify_tiny.log" 2>&1
say "verify tiny rc=$?"; grep -E "FAIL|gemm\+|verify:" "$W/verify_tiny.log" | cut -c1-150 | tail -n 16 | tee -a "$S"
say "== verify bert-base (every backend, task, dtype; graphs)"
timeout 150 "$CLI" verify --model bert-base --seed 21 --no-kernel-checks --cuda-graphs > "$W/verify_base.log" 2>&1
say "verify bert-base rc=$?"; sed -n '/Model outputs/,$p' "$W/verify_base.log" | grep -v "^  ---" | cut -c1-150 | tee -a "$S"
say "== verify bert-base at >= 4096 tokens (the FFN's row chunks)"
timeout 90 "$CLI" verify --model bert-base --seed 23 --no-kernel-checks --cuda-graphs --cases 10x512@0.1 \
    --tasks encoder,token_classification > "$W/verify_chunks.log" 2>&1
say "verify chunks rc=$?"; sed -n '/Model outputs/,$p' "$W/verify_chunks.log" | grep -v "^  ---" | cut -c1-150 | tee -a "$S"
say "== verify bert-base with the L2 weight prefetch (BERTBENCH_L2_PREFETCH=1; its cases are all <= 2048 tokens)"
BERTBENCH_L2_PREFETCH=1 timeout 150 "$CLI" verify --model bert-base --seed 15 --no-kernel-checks --cuda-graphs \
    --backends cuda:sdpa,cuda:flash_attention_2 > "$W/verify_prefetch.log" 2>&1
say "verify prefetch rc=$?"; grep -E "FAIL|verify:" "$W/verify_prefetch.log" | tail -n 4 | tee -a "$S"
fi

if want runs; then
say "== bertbench-cli run, issue cells: after, tuned, before"
COMMON=(--device cuda --dtype fp16 --tasks encoder --baseline cuda:sdpa --backends cuda:flash_attention_2
        --cuda-graphs --seed 0 --quiet)
runs() {   # tag prefix...
  local tag=$1; shift
  timeout 60 "$@" "$CLI" run "${COMMON[@]}" --model bert-base --batch-sizes 128 --seq-lens 512 --pads 0,0.5 \
      --warmup 5 --num-batches 40 --out "$W/run_${tag}_512" > "$W/run_${tag}_512.log" 2>&1
  timeout 30 "$@" "$CLI" run "${COMMON[@]}" --model bert-base --batch-sizes 1 --seq-lens 128 --pads 0 \
      --warmup 20 --num-batches 300 --out "$W/run_${tag}_128" > "$W/run_${tag}_128.log" 2>&1
  timeout 40 "$@" "$CLI" run "${COMMON[@]}" --model bert-large --batch-sizes 32 --seq-lens 512 --pads 0.5 \
      --warmup 5 --num-batches 40 --out "$W/run_${tag}_large" > "$W/run_${tag}_large.log" 2>&1
}
runs after
runs tuned "${TUNED[@]}"
runs before "${BEFORE[@]}"
# The prefetch acts on small forwards only: the 1x128 cell, same settings as above.
BERTBENCH_L2_PREFETCH=1 timeout 30 "$CLI" run "${COMMON[@]}" --model bert-base --batch-sizes 1 --seq-lens 128 \
    --pads 0 --warmup 20 --num-batches 300 --out "$W/run_prefetch_128" > "$W/run_prefetch_128.log" 2>&1
python3 "$HERE/print_runs.py" "$W" before tuned after prefetch | tee -a "$S"
fi

if want gemm; then
say "== GEMMs alone (65536 and 128 tokens)"
timeout 60 "$CB" gemm --batches 128 --seqs 512 --target-ms 150 > "$W/gemm_65536.log" 2>&1; say "rc=$?"
timeout 30 "$CB" gemm --batches 1 --seqs 128 --target-ms 100 > "$W/gemm_128.log" 2>&1; say "rc=$?"
grep -v "^GEMMs" "$W/gemm_65536.log" "$W/gemm_128.log" | cut -d: -f2- | cut -c1-170 | tee -a "$S"
fi

if want profile; then
say "== per-category profile, cuda:flash_attention_2, before / after"
for cell in "--batches 128 --seqs 512 --pads 0" "--batches 1 --seqs 128 --pads 0"; do
  timeout 40 "${BEFORE[@]}" "$CB" profile --attention flash_attention_2 $cell > "$W/prof_tmp_b.log" 2>&1
  timeout 40 "$CB" profile --attention flash_attention_2 $cell > "$W/prof_tmp_a.log" 2>&1
  { echo "-- before: $cell"; cat "$W/prof_tmp_b.log"; echo "-- after: $cell"; cat "$W/prof_tmp_a.log"; } >> "$W/profile.log"
done
cat "$W/profile.log" | tee -a "$S"
fi

if want peers && fits 120 "peers"; then
  say "== PyTorch peers on the bert-base cells"
  cat > "$W/plan.txt" <<EOF
hf_sdpa    128:512:0,128:512:0.5,1:128:0 target_ms=800 min_iters=15 max_iters=300
pt_nested  128:512:0,128:512:0.5,1:128:0 target_ms=800 min_iters=15 max_iters=300
hf_compile 1:128:0,128:512:0,128:512:0.5 target_ms=800 min_iters=15 max_iters=300
EOF
  deadline=$((T0 + BUDGET_S - 110))
  timeout -s INT -k 10 $((deadline - $(date +%s) + 5)) python3 "$HERE/peers/hf_peers.py" --plan "$W/plan.txt" \
      --csv "$W/peers.csv" --deadline "$deadline" > "$W/peers.log" 2>&1
  say "peers rc=$?"
  python3 "$HERE/peers/print_peers.py" "$W/peers.csv" 2>&1 | tee -a "$S"
fi

if want sanitize && fits 40 "sanitizers"; then
  say "== compute-sanitizer memcheck + racecheck (tiny verifies)"
  timeout $(( $(left) > 80 ? 60 : $(left) - 20 )) compute-sanitizer --tool memcheck --leak-check no --error-exitcode 9 \
      "$CLI" verify --model tiny --seed 12 --cases 2x77@0.5,1x33 > "$W/memcheck.log" 2>&1
  say "memcheck rc=$?"; grep -E "ERROR SUMMARY|verify:" "$W/memcheck.log" | tail -n 2 | tee -a "$S"
fi
if want sanitize && fits 40 "racecheck"; then
  timeout $(( $(left) > 100 ? 80 : $(left) - 20 )) compute-sanitizer --tool racecheck --error-exitcode 9 \
      "$CLI" verify --model tiny --seed 13 --cases 1x33 --dtypes fp16 --tasks encoder --no-kernel-checks \
      > "$W/racecheck.log" 2>&1
  say "racecheck rc=$?"; grep -E "RACECHECK SUMMARY|ERROR SUMMARY|verify:" "$W/racecheck.log" | tail -n 2 | tee -a "$S"
fi

if want attention && fits 45 "attention"; then
  [ -n "$ATTN_PID" ] && { wait $ATTN_PID; say "attn_bench build rc=$?"; tail -n 3 "$W/attn_build.log"; }
  if [ -x "$AB" ]; then
    (cd "$W" && timeout 40 "$AB" --time --lengths-dir "$W") > "$W/attn_time.log" 2>&1
    grep -E "^\|" "$W/attn_time.log" | head -n 14 | tee -a "$S"
    if fits 30 "attention peers"; then
      timeout $(( $(left) - 10 )) python3 "$HERE/attention/sdpa_peers.py" --lengths "$W/lengths_b128_s512_pad0.5.txt" \
          > "$W/attn_peers.log" 2>&1
      grep -E "^\|" "$W/attn_peers.log" | head -n 16 | tee -a "$S"
    fi
  fi
fi

if want ncu && fits 60 "ncu"; then
  say "== ncu: FFN-up GEMM, plain vs GELU epilogue (65536 tokens)"
  timeout $(( $(left) - 15 )) ncu --clock-control none --kernel-name regex:'.*(gemm|Kernel|sm90).*' \
      --launch-skip 40 --launch-count 12 --section SpeedOfLight --section LaunchStats --section Occupancy \
      "$CB" gemm --batches 128 --seqs 512 --target-ms 5 --warmup 1 > "$W/ncu_gemm.txt" 2>&1
  say "ncu rc=$?"; grep -E "^  [a-zA-Z_].*\(|Duration|Compute \(SM\) Throughput|Memory Throughput|Registers Per|Grid Size" \
      "$W/ncu_gemm.txt" | head -n 60 | tee -a "$S"
fi

if want timeline && fits 100 "timeline"; then
  say "== 1x128 forward: every kernel's duration (ncu) against the graph replay (no autotuning: fixed kernels)"
  CELL=(--attention flash_attention_2 --batches 1 --seqs 128 --pads 0)
  BERTBENCH_GEMM_AUTOTUNE=0 timeout 40 "$CB" sweep "${CELL[@]}" --csv "$W/timeline_sweep.csv" > /dev/null 2>&1
  FWD_MS=$(python3 -c "import csv,sys; print(next(csv.DictReader(open(sys.argv[1])))['median_graph_ms'])" \
      "$W/timeline_sweep.csv" 2>/dev/null)
  say "graph replay median: ${FWD_MS:-?} ms"
  BERTBENCH_GEMM_AUTOTUNE=0 timeout $(( $(left) > 100 ? 90 : $(left) - 10 )) ncu --csv --print-units base \
      --metrics gpu__time_duration.sum --cache-control none --clock-control none --launch-count 500 \
      "$CB" sweep "${CELL[@]}" --warmup 1 --target-ms 1 > "$W/timeline_ncu.csv" 2> "$W/timeline_ncu.err"
  say "ncu rc=$?"
  python3 "$HERE/kernel_timeline.py" "$W/timeline_ncu.csv" ${FWD_MS:+--forward-ms "$FWD_MS"} 2>&1 | tee -a "$S"
fi

if want attnncu && fits 90 "attnncu"; then
  say "== ncu: one Hopper attention launch in the 128x512 forward, and the same kernel alone"
  NCU_ATTN=(ncu --clock-control none --cache-control none --kernel-name regex:hopperAttention --launch-count 1
            --section SpeedOfLight --metrics sm__cycles_elapsed.avg.per_second,dram__bytes.sum,sm__pipe_tensor_op_hmma_cycles_active.avg.pct_of_peak_sustained_active)
  NCU_LINES='Duration|SM Frequency|per_second|dram__bytes|hmma|Compute \(SM\) Throughput|DRAM Throughput'
  # the 3rd forward's first attention (the first two may hold the GEMM autotuning)
  timeout 60 "${NCU_ATTN[@]}" --launch-skip 24 "$CB" sweep --attention flash_attention_2 --batches 128 --seqs 512 \
      --pads 0 --warmup 2 --target-ms 1 > "$W/ncu_attn_forward.txt" 2>&1
  say "in the forward: rc=$?"
  grep -E "$NCU_LINES" "$W/ncu_attn_forward.txt" | head -n 8 | tee -a "$S"
  if [ -x "$AB" ]; then
    timeout 60 "${NCU_ATTN[@]}" --launch-skip 5 "$AB" --profile > "$W/ncu_attn_alone.txt" 2>&1
    say "alone (attn_bench --profile): rc=$?"
    grep -E "$NCU_LINES" "$W/ncu_attn_alone.txt" | head -n 8 | tee -a "$S"
  fi
fi

say "done"
tar czf "$OUTD/logs.tgz" -C "$W" --exclude=attn/*.o . 2>/dev/null
cp "$S" "$OUTD/summary.txt"
cp "$W/profile.log" "$W/verify_base.log" "$W/verify_tiny.log" "$OUTD/" 2>/dev/null
cp "$W/gemm_65536.log" "$W/gemm_128.log" "$OUTD/" 2>/dev/null
