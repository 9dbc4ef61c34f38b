# torch:* steps of bench/device/run.sh (sourced): HuggingFace transformers behind BertBench's own
# backends (the Python worker), beside the cuda:* backends and beside hf_peers.py's loop.
TORCH_BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

step_torch_grid() {  # torch-grid: torch:eager/sdpa vs cuda:sdpa/fa2 on the old script's 120 cells, output agreement, hf_sdpa peer
  fits 120 "torch-grid" || return
  BUDGET_S=$(($(left) - 10)) GRID_LIMIT_S=${GRID_LIMIT_S:-300} timeout -k 10 "$(($(left) - 5))" \
      bash "$TORCH_BENCH/grid.sh" --cli "$CLI" --python "$PYTHON" --out "$W/torch-grid" > "$W/torch-grid.log" 2>&1
  say "   torch grid rc=$?"
  tail -n 30 "$W/torch-grid/report.txt" 2> /dev/null | tee -a "$S"
}

step_torch_agreement() {  # torch-agreement: torch:sdpa vs hf_peers.py's hf_sdpa in alternating rounds, CPU state and SM clock logged
  fits 150 "torch-agreement" || return
  timeout -k 10 "$(($(left) - 5))" bash "$TORCH_BENCH/agreement.sh" --cli "$CLI" --python "$PYTHON" \
      --rounds "${ROUNDS:-2}" --out "$W/torch-agreement" > "$W/torch-agreement.log" 2>&1
  say "   torch agreement rc=$?"
  tail -n 30 "$W/torch-agreement/report.txt" 2> /dev/null | tee -a "$S"
}
