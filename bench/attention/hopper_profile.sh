#!/usr/bin/env bash
# Where the Hopper attention kernel's warps wait: one ncu pass (full set, SASS-level source
# counters) over the d64 fp16 kernel at b128 h12 s512 (attn_bench --profile), then the kernel's
# stall reasons and the SASS instructions with the most stall samples.
#   bash bench/attention/hopper_profile.sh ATTN_BENCH OUT
set -uo pipefail
AB=$1
OUTD=$2
mkdir -p "$OUTD"
HERE=$(cd "$(dirname "$0")" && pwd)
timeout 240 ncu --kernel-name regex:hopperAttentionForward --launch-skip 5 --launch-count 1 --set full \
    --import-source no -f -o "$OUTD/hopper" "$AB" --profile > "$OUTD/ncu_run.log" 2>&1
echo "ncu rc=$?"
ncu -i "$OUTD/hopper.ncu-rep" --print-details all > "$OUTD/details.txt" 2>&1
grep -E "Duration|SM Frequency|Registers Per|Issued Warp|No Eligible|Active Warps Per|Eligible Warps|Tensor|pipe|Stall|Warp Cycles Per Issued" "$OUTD/details.txt" | head -n 60
ncu -i "$OUTD/hopper.ncu-rep" --page source --csv --print-source sass > "$OUTD/sass_source.csv" 2>&1
python3 "$HERE/top_stalls.py" "$OUTD/sass_source.csv" 60 | tee "$OUTD/top_stalls.txt"
cuobjdump -sass -fun regex:hopperAttentionForward "$AB" 2>/dev/null | gzip > "$OUTD/hopper_sass.txt.gz"
gzip -k "$OUTD/sass_source.csv"; rm -f "$OUTD/hopper.ncu-rep.gz"; ls -la "$OUTD"
