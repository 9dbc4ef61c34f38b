#!/usr/bin/env bash
# A real SLURM on localhost runs `bertbench-cli slurm`'s scripts: a 3-task job array of a tiny CPU
# sweep and the merge job that depends on it; then the merged run is checked against the shards.
#
#   scripts/slurm-test.sh BERTBENCH_CLI_PATH
#
# Packages (Debian 12): slurm-wlm munge
#   CI installs them first (apt-get install -y slurm-wlm munge); when they are missing and this
#   runs as root, the script installs them itself.
# Needs root (slurmd runs jobs as their user and must be able to become it). Touches only
# localhost: munged, slurmctld and slurmd run on private ports and sockets, with their key,
# config, state, spool and logs in one temporary folder; every exit path (trap EXIT) stops them
# and removes it. Bounded: the jobs must finish within SLURM_TEST_TIMEOUT_S (default 180) seconds.
# Exit 0 = passed; 1 = failed (the daemons' logs are printed); 2 = cannot run here.
set -euo pipefail

CLI=${1:?usage: scripts/slurm-test.sh BERTBENCH_CLI_PATH}
TIMEOUT_S=${SLURM_TEST_TIMEOUT_S:-180}
CTLD_PORT=16817
SLURMD_PORT=16818
T0=$(date +%s.%N)

say() { printf '[slurm-test %6.1f s] %s\n' "$(echo "$(date +%s.%N) - $T0" | bc)" "$*"; }
fail() {
    say "FAILED: $*"
    for log in "$WORK"/slurmctld.log "$WORK"/slurmd.log "$WORK"/munged.log "$WORK"/run/slurm/*.out; do
        [ -f "$log" ] || continue
        echo "---- tail of $log"
        tail -n 25 "$log"
    done
    exit 1
}

[ -x "$CLI" ] || { echo "slurm-test: '$CLI' is not an executable bertbench-cli" >&2; exit 2; }
CLI=$(cd "$(dirname "$CLI")" && pwd)/$(basename "$CLI")
[ "$(id -u)" -eq 0 ] || { echo "slurm-test: needs root (slurmd, munged)" >&2; exit 2; }
command -v bc >/dev/null || { echo "slurm-test: needs bc" >&2; exit 2; }

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null ||
    ! command -v munged >/dev/null; then
    say "installing slurm-wlm munge"
    DEBIAN_FRONTEND=noninteractive apt-get install -y slurm-wlm munge >/dev/null
fi

WORK=$(mktemp -d /tmp/bertbench-slurm.XXXXXX)
PIDS=()
cleanup() {
    local rc=$?
    set +e
    if [ -f "$WORK/slurm.conf" ]; then
        SLURM_CONF="$WORK/slurm.conf" scancel --full --quiet --user=root >/dev/null 2>&1
    fi
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    rm -rf "$WORK"
    say "daemons stopped, $WORK removed (exit $rc)"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- munge: its own key, socket, pid and seed files --------------------------------------------
mkdir -m 0700 "$WORK/munge"
dd if=/dev/urandom of="$WORK/munge/munge.key" bs=1024 count=1 status=none
chmod 0400 "$WORK/munge/munge.key"
MUNGE_SOCKET="$WORK/munge/munge.sock"
munged --foreground --force --key-file="$WORK/munge/munge.key" --socket="$MUNGE_SOCKET" \
    --pid-file="$WORK/munge/munged.pid" --seed-file="$WORK/munge/munged.seed" \
    --log-file="$WORK/munged.log" >/dev/null 2>&1 &
PIDS+=($!)
for _ in $(seq 1 50); do [ -S "$MUNGE_SOCKET" ] && break; sleep 0.1; done
[ -S "$MUNGE_SOCKET" ] || fail "munged did not create $MUNGE_SOCKET"
say "munged up ($MUNGE_SOCKET)"

# --- slurm: one node (this machine as localhost), private ports, everything under $WORK ---------
mkdir -p "$WORK/state" "$WORK/spool"
NPROC=$(nproc)
cat >"$WORK/slurm.conf" <<EOF
ClusterName=bertbench-test
SlurmctldHost=localhost
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$MUNGE_SOCKET
StateSaveLocation=$WORK/state
SlurmdSpoolDir=$WORK/spool
SlurmctldPidFile=$WORK/slurmctld.pid
SlurmdPidFile=$WORK/slurmd.pid
SlurmctldLogFile=$WORK/slurmctld.log
SlurmdLogFile=$WORK/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
MpiDefault=none
SwitchType=switch/none
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
ReturnToService=2
MinJobAge=600
NodeName=localhost NodeHostname=localhost NodeAddr=127.0.0.1 CPUs=$NPROC State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$WORK/slurm.conf"
slurmctld -D -f "$SLURM_CONF" -i >"$WORK/slurmctld.out" 2>&1 &
PIDS+=($!)
slurmd -D -f "$SLURM_CONF" -N localhost >"$WORK/slurmd.out" 2>&1 &
PIDS+=($!)
state=""
for _ in $(seq 1 300); do
    state=$(sinfo -h -N -n localhost -o %t 2>/dev/null || true)
    [ "$state" = "idle" ] && break
    sleep 0.1
done
[ "$state" = "idle" ] || fail "the node did not become idle (state '$state')"
say "slurmctld and slurmd up, node localhost idle ($NPROC CPUs)"

# --- the sweep: tiny model on the CPU, 2 batch sizes x 2 lengths x 2 pads = 8 cells -------------
cat >"$WORK/spec.json" <<'EOF'
{"model": "tiny", "tasks": ["encoder"], "baseline": "cpu:eager",
 "candidates": ["cpu:sdpa", "cpu:flash_attention_2"], "dtype": "fp32",
 "batch_sizes": [1, 2], "seq_lens": [16, 32], "pads": [0, 0.5], "warmup": 1, "num_batches": 2}
EOF
"$CLI" slurm "$WORK/spec.json" --array 3 --out "$WORK/run" --partition debug --time 5 --cpus-per-task 1 \
    --cli "$CLI" >"$WORK/slurm-command.out" || fail "bertbench-cli slurm failed: $(cat "$WORK/slurm-command.out")"
say "bertbench-cli slurm wrote $(ls "$WORK/run/slurm" | tr '\n' ' ')"

submitted=$(sh "$WORK/run/slurm/submit.sh") || fail "submit.sh failed: $submitted"
array_job=$(echo "$submitted" | sed -n 's/^array_job=//p')
merge_job=$(echo "$submitted" | sed -n 's/^merge_job=//p')
[ -n "$array_job" ] && [ -n "$merge_job" ] || fail "submit.sh printed no job ids: $submitted"
say "submitted: array job $array_job (3 tasks), merge job $merge_job (afterok:$array_job)"

job_state() { scontrol -o show job "$1" 2>/dev/null | tr ' ' '\n' | sed -n 's/^JobState=//p' | head -n 1; }
deadline=$(($(date +%s) + TIMEOUT_S))
while :; do
    merge_state=$(job_state "$merge_job")
    case "$merge_state" in
    COMPLETED) break ;;
    FAILED | CANCELLED | TIMEOUT | NODE_FAIL | OUT_OF_MEMORY | BOOT_FAIL | DEADLINE)
        fail "merge job $merge_job ended $merge_state" ;;
    esac
    if [ "$(scontrol -o show job "$merge_job" 2>/dev/null | grep -c DependencyNeverSatisfied)" -gt 0 ]; then
        fail "merge job $merge_job will never run: a shard failed"
    fi
    [ "$(date +%s)" -lt "$deadline" ] || fail "the jobs did not finish within $TIMEOUT_S s (merge job: $merge_state)"
    sleep 0.5
done
for task in 0 1 2; do
    s=$(job_state "${array_job}_$task")
    [ "$s" = "COMPLETED" ] || fail "array task ${array_job}_$task is $s"
done
say "array tasks and merge job COMPLETED"

# --- the merged run holds every cell exactly once, each row exactly as its shard measured it -----
python3 - "$WORK/run" <<'EOF' || fail "the merged run does not match its shards"
import json, sys
run = sys.argv[1]
def load(path):
    with open(path) as f:
        return json.load(f)
def key(row):
    return (row["task"], row["batch_size"], row["seq_len"], row["pad"], row["candidate"]["backend"])
merged = load(f"{run}/merged/run.json")
spec = merged["spec"]
expected = {(t, b, s, p, c) for t in spec["tasks"] for b in spec["batch_sizes"] for s in spec["seq_lens"]
            for p in spec["pads"] for c in spec["candidates"]}
keys = [key(r) for r in merged["rows"]]
assert len(keys) == len(set(keys)), "a (cell, candidate) appears twice in the merged run"
assert set(keys) == expected, f"merged run lacks {sorted(expected - set(keys))}"
assert all(r["status"] == "ok" for r in merged["rows"]), "a merged row is not ok"
by_key = {key(r): r for r in merged["rows"]}
seen = set()
for i in range(3):
    shard = load(f"{run}/shard-{i}/run.json")
    assert shard["environment"]["shard"] == {"index": i, "count": 3}, f"shard {i} does not record its shard"
    for r in shard["rows"]:
        k = key(r)
        assert k not in seen, f"{k} was measured by two shards"
        seen.add(k)
        assert by_key[k] == r, f"{k}: the merged row differs from shard {i}'s"
    print(f"  shard {i}: {len(shard['rows'])} rows, identical in the merged run")
assert seen == expected, "the shards together do not cover the sweep"
print(f"  merged: {len(keys)} rows = {len(expected) // len(spec['candidates'])} cells x {len(spec['candidates'])} candidates, each once")
EOF
"$CLI" summary "$WORK/run/merged" | sed 's/^/  /'
say "PASSED"
