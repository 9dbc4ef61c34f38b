#!/usr/bin/env bash
# Does BertBench's torch:sdpa time HF sdpa the way bench/end-to-end/hf_peers.py does? One device call:
# the same cells and batches, both timed in alternating rounds (so that a slow minute of the machine
# hits both), then one more round of each pinned to a single CPU core (taskset), with the container's
# CPU throttling counters and the CPU governor read around every step, and the GPU's SM clock logged
# every 200 ms (nvidia-smi) through the whole call, so that a step's times can be read beside the
# clock the GPU ran at. The report (last) shows, per cell, each round's medians and the ratio of
# torch:sdpa to hf_sdpa over the rounds, then each step's SM clock.
#
#   bash bench/torch/agreement.sh --cli .device-bench/bertbench-cli [--python PATH] [--rounds N]
#        [--cells B,..:S,..:P,..] [--timed N] [--out DIR]
#
# Defaults: --python /opt/torch/.venv/bin/python3 when it exists (else python3), --rounds 2,
# --cells 1,16,64:128,512:0,0.5 (bert-base encoder fp16: launch-bound and GPU-bound cells),
# --timed 30 (timed forwards per cell, both sides; 3 warm-ups), --out $OUT or ./torch-agreement-out.
# Env: PIN_CPU (default 3): the core of the pinned round.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
CLI=""
PYTHON=""
ROUNDS=2
CELLS="1,16,64:128,512:0,0.5"
TIMED=30
OUTD=${OUT:-torch-agreement-out}
while [ $# -gt 0 ]; do
    case "$1" in
        --cli) CLI=$2; shift 2 ;;
        --python) PYTHON=$2; shift 2 ;;
        --rounds) ROUNDS=$2; shift 2 ;;
        --cells) CELLS=$2; shift 2 ;;
        --timed) TIMED=$2; shift 2 ;;
        --out) OUTD=$2; shift 2 ;;
        -h|--help) sed -n "2,/^set -uo/p" "$0" | sed "$ d"; exit 0 ;;
        *) echo "agreement.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
    esac
done
[ -n "$CLI" ] && [ -x "$CLI" ] || { echo "agreement.sh: --cli PATH to a built bertbench-cli is required" >&2; exit 2; }
case "$ROUNDS" in ''|*[!0-9]*) echo "agreement.sh: --rounds must be a whole number" >&2; exit 2 ;; esac
case "$TIMED" in ''|*[!0-9]*|0) echo "agreement.sh: --timed must be a whole number >= 1" >&2; exit 2 ;; esac
IFS=: read -r CB CS CP <<<"$CELLS"
[ -n "$CB" ] && [ -n "$CS" ] && [ -n "$CP" ] || { echo "agreement.sh: --cells is B,..:S,..:P,.." >&2; exit 2; }
if [ -z "$PYTHON" ]; then
    if [ -x /opt/torch/.venv/bin/python3 ]; then PYTHON=/opt/torch/.venv/bin/python3; else PYTHON=python3; fi
fi
PIN_CPU=${PIN_CPU:-3}
mkdir -p "$OUTD"
OUTD=$(cd "$OUTD" && pwd)
WORK=$(mktemp -d /tmp/torchagree.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export PYTHONUNBUFFERED=1
T0=$(date +%s)
say() { echo "[$(($(date +%s) - T0)) s] $*" | tee -a "$OUTD/agreement.log"; }
: >"$OUTD/agreement.log"

# The container's CPU quota and how often it throttled us, and the frequency governor: a launch-
# bound forward (HF at small batches: ~5 ms of Python per forward) is as fast as the CPU it gets.
cpu_state() {
    local tag=$1 f
    {
        echo "== $tag"
        for f in /sys/fs/cgroup/cpu.max /sys/fs/cgroup/cpu.stat; do [ -r "$f" ] && { echo "$f:"; cat "$f"; }; done
        f=/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor
        [ -r "$f" ] && echo "governor: $(cat "$f")"
        grep -m1 "model name" /proc/cpuinfo
        echo "nproc $(nproc), load $(cut -d' ' -f1-3 /proc/loadavg)"
        # A VM's vCPU time taken by the host (the 8th number after "cpu": steal, in ticks).
        awk '$1 == "cpu" { print "cpu steal ticks " $9 ", total " ($2+$3+$4+$5+$6+$7+$8+$9) }' /proc/stat
    } >>"$OUTD/cpu_state.txt" 2>&1
}
: >"$OUTD/cpu_state.txt"
cpu_state start
# The GPU's clock through the call, and when each step ran (Unix seconds), for the report.
: >"$OUTD/steps.txt"
if command -v nvidia-smi >/dev/null; then
    nvidia-smi --query-gpu=timestamp,clocks.sm,utilization.gpu,power.draw --format=csv,noheader,nounits -lms 200 \
        >"$OUTD/gpu_clocks.csv" 2>/dev/null &
    CLOCK_PID=$!
    trap 'kill "$CLOCK_PID" 2>/dev/null; rm -rf "$WORK"' EXIT
fi
step() { echo "$1 $2 $(date +%s.%N)" >>"$OUTD/steps.txt"; }

ours() {   # ours TAG [PREFIX...]: torch:sdpa (the baseline) on the cells
    local tag=$1
    shift
    say "== ours $tag: torch:sdpa, $TIMED timed"
    step "ours-$tag" start
    "$@" "$CLI" run --device cuda --model bert-base --dtype fp16 --tasks encoder --seed 0 --python "$PYTHON" \
        --baseline torch:sdpa --backends cuda:flash_attention_2 --batch-sizes "$CB" --seq-lens "$CS" --pads "$CP" \
        --warmup 3 --num-batches "$TIMED" --no-profile --quiet --out "$WORK/ours-$tag" >"$WORK/ours-$tag.log" 2>&1
    say "   rc=$?"
    step "ours-$tag" end
    cp "$WORK/ours-$tag/results.csv" "$OUTD/ours-$tag.csv" 2>/dev/null || tail -n 5 "$WORK/ours-$tag.log" | tee -a "$OUTD/agreement.log"
    cpu_state "after ours $tag"
}
peer() {   # peer TAG [PREFIX...]: hf_peers.py's hf_sdpa on the same cells and batches
    local tag=$1
    shift
    say "== peer $tag: hf_sdpa, $TIMED timed"
    step "peer-$tag" start
    "$@" "$PYTHON" "$HERE/../end-to-end/hf_peers.py" --cells "grid:$CELLS" --peers hf_sdpa --warmup 3 \
        --min-iters "$TIMED" --max-iters "$TIMED" --target-ms 0 --csv "$OUTD/peer-$tag.csv" >"$WORK/peer-$tag.log" 2>&1
    say "   rc=$?"
    step "peer-$tag" end
    [ -s "$OUTD/peer-$tag.csv" ] || tail -n 5 "$WORK/peer-$tag.log" | tee -a "$OUTD/agreement.log"
    cpu_state "after peer $tag"
}

for r in $(seq 1 "$ROUNDS"); do
    if [ $((r % 2)) -eq 1 ]; then ours "r$r"; peer "r$r"; else peer "r$r"; ours "r$r"; fi
done
if command -v taskset >/dev/null; then
    ours pinned taskset -c "$PIN_CPU"
    peer pinned taskset -c "$PIN_CPU"
else
    say "no taskset here: the pinned round is skipped"
fi
cat "$WORK"/*.log >"$OUTD/runs.log" 2>/dev/null
python3 "$HERE/agreement_report.py" --dir "$OUTD" | tee "$OUTD/report.txt"
say "done in $(($(date +%s) - T0)) s"
