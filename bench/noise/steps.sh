# The noise step of bench/device/run.sh (sourced; uses its CLI, W, S, say, fits, limit, cli_run): numbers
# with their uncertainty on the GPU. The old script's grid for bert-base (120 cells, cuda:eager vs
# cuda:sdpa and cuda:flash_attention_2, fp16, CUDA graphs), timed interleaved with a fixed count
# (--num-batches 10) and adaptively (--max-noise 1): the wall time of each, how many cells change
# verdict; then the adaptive run again with --sequential at the batch sizes where it saw a throttled
# cell: interleaved vs sequential medians there. About 6 minutes; its table last.
NOISE_BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
NOISE_GRID=(--device cuda --model bert-base --dtype fp16 --tasks encoder --baseline cuda:eager
            --backends cuda:sdpa,cuda:flash_attention_2 --cuda-graphs --seed 0 --warmup 2 --no-profile --quiet
            --batch-sizes 1,2,4,8,16,32,64,128 --seq-lens 128,256,512 --pads 0,0.1,0.2,0.5,0.75)
NOISE_MAX_TIME=${NOISE_MAX_TIME:-1}   # --max-time of the adaptive runs (s a cell)
# NOISE_SEQUENTIAL_BATCHES="64,128" picks the --sequential twin's batch sizes (default: those with a
# throttled cell in the adaptive run, the two largest)

# noise_run NAME LIMIT_S ARGS...: one run of the grid into $W/noise/NAME, its wall seconds in NAME.wall
noise_run() {
  local name=$1 lim=$2 t0
  shift 2
  t0=$(date +%s)
  cli_run "noise/$name" "$(limit "$lim")" -- "${NOISE_GRID[@]}" "$@" || return 1
  echo $(($(date +%s) - t0)) > "$W/noise/$name.wall"
}

step_noise() {  # noise: the old script's grid (bert-base) with --max-noise 1 vs --num-batches 10: wall time, verdict changes, interleaved vs --sequential medians in throttled cells; the table last
  fits 150 "noise" || return
  mkdir -p "$W/noise"
  # Each run gets a limit (a run at its limit keeps the rows it has; the table says how many cells).
  noise_run fixed10 120 --num-batches 10
  noise_run adaptive 140 --max-noise 1 --max-time "$NOISE_MAX_TIME"
  # The sequential twin only where the GPU throttled (the large cells): the same flags, one backend
  # after the other.
  local hot
  hot=${NOISE_SEQUENTIAL_BATCHES:-$(python3 "$NOISE_BENCH/noise_table.py" --throttled-batches \
      "$W/noise/adaptive/results.csv" 2> /dev/null | tr ',' '\n' | tail -n 2 | paste -sd, -)}
  if [ -z "$hot" ]; then
    say "   noise: no throttled cell in the adaptive run, no --sequential run"
  elif fits 40 "noise --sequential"; then
    say "   noise: throttled cells at batch sizes $hot: their --sequential twin"
    noise_run sequential 70 --max-noise 1 --max-time "$NOISE_MAX_TIME" --sequential --batch-sizes "$hot"
  fi
  python3 "$NOISE_BENCH/noise_table.py" "$W/noise" > "$W/noise_table.md" 2>&1
  tee -a "$S" < "$W/noise_table.md"
}
