#!/usr/bin/env bash
# Proves the README on a machine that has never seen BertBench: makes a clean Debian 12 root
# with mmdebstrap, clones the commit under test into it, and runs the README's two commands
# there, verbatim (they are read out of README.md, never restated here), as root. Then it builds
# the Debian package, installs it with apt and runs both binaries from /usr/bin in an empty folder.
#
# Why a root of its own: CI's machine and a developer's keep what earlier runs installed and may
# have files beside the checkout; a green run there says nothing about a new user's clone.
#
# Usage: scripts/fresh-machine-check.sh [--commit REV] [--keep] [--workdir DIR] [--no-cuda]
#   --commit REV   what to clone (default HEAD of this checkout; uncommitted changes are not seen)
#   --keep         leave the root and the logs behind (printed at the end)
#   --workdir DIR  where the root is made (default: a new folder under /tmp)
#   --no-cuda      do not mount /usr/local/cuda: build as a host without CUDA would
# Environment: BERTBENCH_FRESH_SUITE (default bookworm), BERTBENCH_FRESH_MIRROR (default: apt's).
# Where /usr/local/cuda exists it is bind-mounted read-only, so the CUDA code is compiled and its
# CPU-side tests run in the root too. Needs root, mmdebstrap and git. Exit 0 only if every step
# passed; otherwise the failing step's last log lines are printed.
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }
COMMIT=HEAD KEEP=0 WORKDIR="" CUDA=1
while [ $# -gt 0 ]; do
    case "$1" in
        --commit) COMMIT="${2:?--commit needs a revision}"; shift 2 ;;
        --keep) KEEP=1; shift ;;
        --no-cuda) CUDA=0; shift ;;
        --workdir) WORKDIR="${2:?--workdir needs a folder}"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "fresh-machine-check: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
[ "$(id -u)" = 0 ] || { echo "fresh-machine-check: must run as root (chroot, mount)" >&2; exit 2; }
for tool in mmdebstrap git chroot mount umount; do
    command -v "$tool" >/dev/null || { echo "fresh-machine-check: '$tool' not found (apt-get install mmdebstrap git)" >&2; exit 2; }
done

REPO="$(cd "$(dirname "$0")/.." && pwd)"
SHA="$(git -C "$REPO" rev-parse --verify "$COMMIT^{commit}")" ||
    { echo "fresh-machine-check: '$COMMIT' is not a commit of $REPO" >&2; exit 2; }
SUITE="${BERTBENCH_FRESH_SUITE:-bookworm}"
WORK="${WORKDIR:-$(mktemp -d /tmp/bertbench-fresh.XXXXXX)}"
mkdir -p "$WORK"
ROOT="$WORK/root"
LOGS="$WORK/logs"
mkdir -p "$LOGS"
CLONE=/root/bertbench          # inside the root

# --- the README's two commands, read from the fenced block under "## The two commands" ------
mapfile -t COMMANDS < <(awk '
    /^## The two commands/ { section = 1; next }
    section && /^## /      { exit }
    section && /^```/      { if (inblock) exit; inblock = 1; next }
    inblock && NF && $1 !~ /^#/ { print }
' <(git -C "$REPO" show "$SHA:README.md"))
if [ "${#COMMANDS[@]}" -ne 2 ]; then
    echo "fresh-machine-check: expected 2 commands in README.md's '## The two commands' block, found ${#COMMANDS[@]}" >&2
    printf '  %s\n' "${COMMANDS[@]}" >&2
    exit 1
fi

# --- mounts, undone on every exit path --------------------------------------------------------
MOUNTS=()
cleanup() {
    local rc=$?
    for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
        umount "${MOUNTS[i]}" 2>/dev/null || umount -l "${MOUNTS[i]}" 2>/dev/null ||
            echo "fresh-machine-check: could not unmount ${MOUNTS[i]}" >&2
    done
    if [ "$KEEP" = 1 ]; then
        echo "fresh-machine-check: kept $WORK (root: $ROOT, logs: $LOGS)"
    elif [ -z "$WORKDIR" ]; then
        # Only remove what this script made, and never through a mount left in place.
        if ! grep -q " $ROOT" /proc/mounts; then rm -rf "$WORK"; fi
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# The step functions below run inside `if`, where `set -e` does not apply: every command that
# can fail is chained with && so that its failure is the function's.
bind() {   # bind SRC DEST [ro]
    mkdir -p "$2" && mount --bind "$1" "$2" && MOUNTS+=("$2") &&
        if [ "${3:-}" = ro ]; then mount -o remount,bind,ro "$2"; fi
}

# --- steps: each timed, each logged; a failure prints the log's tail ------------------------
TIMES=()
TOTAL_START=$(date +%s)
step() {   # step NAME COMMAND...
    local name="$1"; shift
    local log="$LOGS/$(echo "$name" | tr -c 'A-Za-z0-9\n' '-').log"
    local t0=$(date +%s)
    echo "== $name"
    if "$@" >"$log" 2>&1; then
        local dt=$(( $(date +%s) - t0 ))
        TIMES+=("$(printf '%-48s %4d s' "$name" "$dt")")
        echo "   ok, ${dt} s"
    else
        local rc=$? dt=$(( $(date +%s) - t0 ))
        echo "   FAILED (exit $rc) after ${dt} s; last lines of $log:"
        tail -n 40 "$log" | sed 's/^/   | /'
        TIMES+=("$(printf '%-48s %4d s  FAILED' "$name" "$dt")")
        printf '%s\n' "${TIMES[@]}"
        exit 1
    fi
}
in_root() {   # a login-like environment: nothing of this shell's leaks in (no DISPLAY, no PATH extras)
    chroot "$ROOT" /usr/bin/env -i HOME=/root USER=root LANG=C.UTF-8 TERM=dumb \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        /bin/bash -c "cd $CLONE && $1"
}

make_root() {
    local mirror=()
    [ -n "${BERTBENCH_FRESH_MIRROR:-}" ] && mirror=("$BERTBENCH_FRESH_MIRROR")
    mmdebstrap --variant=minbase "$SUITE" "$ROOT" "${mirror[@]}" &&
        cp -L /etc/resolv.conf "$ROOT/etc/resolv.conf"
}
clone() {
    git clone --quiet --no-hardlinks "$REPO" "$ROOT$CLONE" &&
        git -C "$ROOT$CLONE" checkout --quiet --detach "$SHA" &&
        git -C "$ROOT$CLONE" log -1 --format='%h %s'
}
mount_all() {
    bind /proc "$ROOT/proc" && bind /dev "$ROOT/dev" || return 1
    if [ "$CUDA" = 1 ] && [ -d /usr/local/cuda ]; then
        bind "$(readlink -f /usr/local/cuda)" "$ROOT/usr/local/cuda" ro || return 1
        echo "CUDA: $(readlink -f /usr/local/cuda) bind-mounted read-only"
    else
        echo "CUDA: not mounted (none on this host, or --no-cuda): the root builds without it"
    fi
}
main_job_output() {   # the headless main job must have written a run: CSV and PNG files
    local run
    run="$(ls -d "$ROOT$CLONE"/bertbench-runs/*/ 2>/dev/null | tail -n 1)"
    [ -n "$run" ] || { echo "no ./bertbench-runs/<time>/ folder was written"; return 1; }
    find "$run" -type f | sort
    [ -n "$(find "$run" -type f -name '*.csv')" ] || { echo "no CSV under $run"; return 1; }
    [ -n "$(find "$run" -type f -name '*.png')" ] || { echo "no PNG under $run"; return 1; }
}
# The package: built from the README's build folder, installed with apt as a user would, then both
# binaries run from /usr/bin in an empty folder, far from the clone: they must need nothing of it.
build_package() { in_root "cd build && cpack -G DEB && ls -l bertbench_*.deb && dpkg-deb --info bertbench_*.deb && dpkg-deb --contents bertbench_*.deb"; }
install_package() { in_root "DEBIAN_FRONTEND=noninteractive apt-get install -y ./build/bertbench_*.deb"; }
installed_binaries_run() {
    in_root 'set -e; dir=$(mktemp -d /tmp/bertbench-installed.XXXXXX); cd "$dir"
        test "$(command -v bertbench-cli)" = /usr/bin/bertbench-cli
        /usr/bin/bertbench-cli --version
        /usr/bin/bertbench-cli demo --out demo-run
        test -s demo-run/run.json
        /usr/bin/bertbench --headless
        ls bertbench-runs/*/*.csv bertbench-runs/*/plots/*.png
        man -w bertbench-cli bertbench 2>/dev/null || ls /usr/share/man/man1/bertbench*'
}
desktop_entry() {
    in_root "DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends desktop-file-utils &&
        desktop-file-validate /usr/share/applications/bertbench.desktop &&
        grep -x 'Exec=bertbench %F' /usr/share/applications/bertbench.desktop &&
        ls /usr/share/icons/hicolor/*/apps/bertbench.*"
}

# The steps run from one function, read whole before it starts: editing this file while a
# check runs (it takes minutes) cannot change what the running check does.
main() {
    echo "fresh-machine-check: commit $SHA, Debian $SUITE root in $ROOT"
    printf 'README command 1: %s\nREADME command 2: %s\n' "${COMMANDS[0]}" "${COMMANDS[1]}"
    step "make a clean Debian root (mmdebstrap)" make_root
    step "clone the commit under test" clone
    step "mount /proc, /dev (and CUDA)" mount_all
    step "README command 1 (install, build, main job)" in_root "${COMMANDS[0]}"
    step "main job wrote a run with CSV and PNG" main_job_output
    step "README command 2 (tests)" in_root "${COMMANDS[1]}"
    grep -E 'tests passed|tests failed' "$LOGS"/README-command-2*.log | tail -n 1 || true
    step "build the Debian package (cpack -G DEB)" build_package
    step "apt-get install ./bertbench_*.deb" install_package
    step "installed binaries run from /usr/bin in an empty folder" installed_binaries_run
    step "installed desktop entry validates (desktop-file-validate)" desktop_entry
    echo "== stage times"
    printf '%s\n' "${TIMES[@]}"
    echo "total $(( $(date +%s) - TOTAL_START )) s: README's two commands and the package pass on a fresh Debian $SUITE root"
}
main; exit $?
