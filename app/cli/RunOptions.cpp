// `run`'s options and --help text (also `demo`'s, which shows the same options).
#include "app/cli/RunPlan.h"

namespace bertbench::cli {
namespace {

const char* const kOldGroup = "The old script's flags (benchmark_Bert.py)";
const char* const kSweepGroup = "Sweep";
const char* const kOutputGroup = "Output and machine";
const char* const kScaleGroup = "Several GPUs, clusters";
const char* const kWorkloadGroup = "Your data (a workload instead of the pads)";

std::vector<OptionDef> makeRunOptions() {
    return {
        {"--num-batches", "N", "timed forwards per backend per cell, a fixed count (default 50;\nsee --max-noise for adaptive sampling)", {}, kOldGroup},
        {"--batch-size", "N", "single-cell mode: the batch size (default 64)", {}, kOldGroup},
        {"--avg-seqlen", "N",
         "single-cell mode: mean real length; pad fraction = 1 - avg/max\n(default 512, i.e. no padding)",
         {}, kOldGroup},
        {"--max-seqlen", "N", "single-cell mode: padded sequence length (default 512)", {}, kOldGroup},
        {"--seqlen-stdev", "X", "stdev of the per-row real lengths (default 10)", {}, kOldGroup},
        {"--use-cuda", "", "same as --device cuda", {}, kOldGroup},
        {"--use-half", "", "same as --dtype fp16", {}, kOldGroup},
        {"--use-mask", "",
         "accepted for compatibility; BertBench always applies the attention\nmask (the old script dropped it at "
         "batch size 1 without this flag)",
         {}, kOldGroup},
        {"--sweep", "",
         "batch sizes 1,2,4,...,128 x seq lens 128,256,512 x pads\n0,0.1,0.2,0.5,0.75 (120 cells a task)",
         {}, kOldGroup},
        {"--tasks", "LIST",
         "comma-separated tasks, or all (default encoder):\n"
         "  encoder  bare BertModel: what the old script's --task mlm measured\n"
         "  mlm      the real masked-LM head (logits over the vocabulary)\n"
         "  classification, token_classification, qa",
         {"--task"}, kOldGroup},
        {"--optimization", "NAME",
         "the candidate's attention: sdpa (default) or flash_attention_2;\nthe candidate is <device>:NAME",
         {}, kOldGroup},
        {"--model-name", "NAME", "same as --model; HuggingFace names map to presets\n(bert-base-uncased -> bert-base)",
         {}, kOldGroup},
        {"--max_token", "N", "ignored (the old script's option for generate())", {}, kOldGroup},

        {"--device", "cpu|cuda",
         "device of the default baseline and candidate (default cuda when a\nCUDA backend is available, else cpu)", {},
         kSweepGroup},
        {"--model", "PRESET|DIR",
         "a preset (bertbench-cli list-models) or a HuggingFace checkpoint\n"
         "folder (config.json + model.safetensors); default tiny on cpu,\n"
         "bert-base on cuda",
         {}, kSweepGroup},
        {"--models", "LIST",
         "several models, comma-separated (a model axis: every cell is measured\n"
         "for each, against the baseline running that model), e.g.\n"
         "bert-base,distilbert-base",
         {}, kSweepGroup},
        {"--baseline", "NAME[:D]", "backend every candidate is compared with (default <device>:eager); with :D it runs\n"
                                   "in its own data type, e.g. cuda:eager:fp32 against --dtype fp8 candidates", {}, kSweepGroup},
        {"--backends", "LIST",
         "candidate backends, comma-separated (default <device>:<optimization>);\na name without a device gets "
         "--device's (sdpa -> cpu:sdpa)",
         {"--candidates"}, kSweepGroup},
        {"--batch-sizes", "LIST", "batch sizes, e.g. 1,4,16 (overrides --sweep / --batch-size)", {}, kSweepGroup},
        {"--seq-lens", "LIST", "padded sequence lengths, e.g. 128,512 (overrides --max-seqlen)", {}, kSweepGroup},
        {"--pads", "LIST", "pad fractions in [0,1), e.g. 0,0.5 (overrides --avg-seqlen)", {}, kSweepGroup},
        {"--lengths", "FILE",
         "a data workload: token counts, one per line (or a CSV/TSV column\nlength, len, num_tokens or tokens, or a JSON "
         "array); replaces the pads",
         {}, kWorkloadGroup},
        {"--texts", "FILE",
         "a data workload: texts, one per line (JSON Lines or CSV/TSV with\n--text-field), tokenized with each model's "
         "tokenizer; replaces the pads",
         {}, kWorkloadGroup},
        {"--text-field", "F", "--texts: the JSON Lines field or CSV/TSV column (default text)", {}, kWorkloadGroup},
        {"--tokenizer", "DIR",
         "--texts: the tokenizer folder for every model (default: each\ncheckpoint folder's own files; a preset has none)",
         {}, kWorkloadGroup},
        {"--batching", "LIST",
         "batching policies, an axis: random (rows in arrival order, the\ndefault) and/or sorted (sorted by length, cut "
         "into batches)",
         {}, kWorkloadGroup},
        {"--batches-per-cell", "N",
         "batches a data cell draws (default 8); each timed forward runs\nthem all and reports the mean per batch",
         {}, kWorkloadGroup},
        {"--warmup", "N", "untimed warm-up forwards per backend per cell (default 2)", {}, kSweepGroup},
        {"--max-noise", "P",
         "adaptive sampling: time each backend of a cell until the 95% interval\nof its median is within +-P% of it "
         "(e.g. 2); instead of --num-batches",
         {}, kSweepGroup},
        {"--min-time", "S", "adaptive sampling: time each cell at least S seconds (default 0)", {}, kSweepGroup},
        {"--max-time", "S",
         "adaptive sampling: stop a cell's timing after S seconds (default 10;\neach backend still gets the 7 forwards "
         "a verdict needs)",
         {}, kSweepGroup},
        {"--sequential", "",
         "time a cell's backends one after the other (the old script's order)\ninstead of in alternating rounds",
         {}, kSweepGroup},
        {"--seed", "N", "seed of the weights and the batches (default 0)", {}, kSweepGroup},
        {"--dtype", "fp32|fp16|bf16|fp8", "compute type (default fp32 on cpu, fp16 on cuda; fp8: e4m3 matrix\nproducts on cuda:* at compute capability 8.9+)", {}, kSweepGroup},
        {"--cuda-graphs", "", "capture the CUDA backends' forwards in CUDA graphs", {}, kSweepGroup},
        {"--no-profile", "",
         "skip the per-operation profiling forward that follows each backend's\ntimed forwards (spec key profile; "
         "the rows then have no breakdown)",
         {}, kSweepGroup},
        {"--memory-limit-mb", "MB", "cap every backend's allocator; allocations past it make the row\noom (default 0 = none)",
         {}, kSweepGroup},
        {"--cell-timeout", "S", "seconds a cell may take before it becomes an error row (0 = none)", {}, kSweepGroup},
        {"--spec", "FILE.json", "read the sweep from a spec file; flags given here override it", {}, kSweepGroup},

        {"--out", "DIR", "folder for run.json, results.csv and the seed CSVs\n(default ./bertbench-runs/<local time>/)",
         {}, kOutputGroup},
        {"--threads", "N", "threads of the CPU backends (default: all cores; 0 = all)", {}, kOutputGroup},
        {"--python", "PATH",
         "the Python interpreter of the torch:* backends (HuggingFace transformers;\ndefault python3); "
         "they run on --device when given, else on CUDA when torch sees a GPU",
         {}, kOutputGroup},
        {"--quiet", "", "print no per-row lines and no progress, only the summary", {"-q"}, kOutputGroup},
        {"--gpus", "LIST|all|cpu:N",
         "one worker process per GPU (0,1,3 or all), each measuring whole\ncells, rows merged into this run; cpu:N = N "
         "CPU workers, each\npinned to its own share of the cores",
         {}, kScaleGroup},
        {"--shard", "I/N", "measure only shard I of N (0-based) of the sweep's cells: a\ncluster job's part; `merge` "
         "joins the shards",
         {}, kScaleGroup},
        {"--resume", "RUN", "continue an interrupted run (its folder, run.journal or run.json):\nfinished cells are kept, the rest measured; only --threads,\n--quiet and --gpus may accompany it", {}, kOutputGroup},
    };
}

const char* const kRunNotes =
    "Modes:\n"
    "  single cell (default)  batch --batch-size, length --max-seqlen, pad 1 - avg/max\n"
    "  --sweep                the old script's grid; --batch-sizes/--seq-lens/--pads override its axes\n"
    "  --spec FILE.json       any grid; explicit flags override the file's values\n"
    "\n"
    "Tasks: --task encoder reproduces the old script's --task mlm rows (it timed a bare\n"
    "BertModel); --task mlm here is the real masked-LM head, logits over the vocabulary.\n"
    "\n"
    "Every cell measures the baseline and each candidate on the same seeded batch; the\n"
    "speedup is (t_baseline / t_candidate - 1) x 100 (median times), memory saved likewise\n"
    "with peak allocator bytes.\n"
    "\n"
    "Uncertainty: every speedup comes with its 95% interval (from the forwards' times:\n"
    "each median's distribution-free order-statistic interval, combined) and a verdict,\n"
    "faster / slower / same (the interval holds 0). The backends of a cell are timed in\n"
    "alternating rounds (A B C A B C ...) so that clock and thermal drift fall on all alike\n"
    "(--sequential: one after the other). --num-batches N times N forwards a backend;\n"
    "--max-noise P times each until its median is known to +-P% (adaptive), within\n"
    "--min-time/--max-time per cell. Rows record each side's forwards and why it stopped.\n"
    "--backends may name the baseline itself: an A/A run, whose verdicts should all be\n"
    "'same' - the way to see this machine's noise floor.\n"
    "\n"
    "Workloads: by default a batch's lengths are the old script's Normal((1 - pad) x max,\n"
    "stdev). --lengths FILE or --texts FILE draw them from your data instead: each cell\n"
    "draws --batches-per-cell x batch rows (seeded, with replacement; the same rows for\n"
    "every model, task and policy), truncates rows longer than its max length (counted),\n"
    "and batches them by each --batching policy: random (in the order drawn) or sorted (by\n"
    "length, then cut into consecutive batches, as bucketing servers do). Each batch is\n"
    "padded to its longest row. A timed forward runs every batch of the cell (prepared\n"
    "untimed in between) and reports the mean per batch; rows record the real tokens per\n"
    "batch, the realised pad (1 - real / padded positions) and the rows truncated, and\n"
    "tokens/s is the throughput to compare. --texts counts tokens as HuggingFace's fast\n"
    "tokenizer of each model does (special tokens included): --tokenizer DIR for every\n"
    "model, else each checkpoint folder's own tokenizer files (several models may each\n"
    "count differently). run.json records the file's size and SHA-256; a resume refuses\n"
    "other data. `bertbench-cli workload FILE` describes a file before measuring.\n"
    "\n"
    "Each measurement also records: model FLOPs (real and padded tokens), TFLOP/s, tokens/s\n"
    "and, on the GPU, % of a sweep-start GEMM probe's rate; NVML energy over the timed\n"
    "forwards (the window is extended with extra forwards to >= 200 ms; the latency\n"
    "statistics stay those of the timed ones), mean power, SM clock and temperature, and a\n"
    "throttled flag (SM clock down > 10%); and, unless --no-profile, a per-operation\n"
    "breakdown measured after the timed forwards: one profiling forward with an event\n"
    "pair per operation, or, with --cuda-graphs, each category's launches replayed alone\n"
    "as a CUDA graph of their own (as the timed forwards are replayed).\n"
    "\n"
    "Files written into --out: run.json (native run: spec, machine, rows), results.csv\n"
    "(native CSV) and log_Bert_<attention>_<task>.csv (the old script's format, task\n"
    "encoder written as mlm). They are written even when cells fail.\n"
    "\n"
    "--gpus: every worker measures whole cells and keeps its own journal (<out>/gpu<k>/);\n"
    "a worker that dies loses only its cell in flight, which the others measure again.\n"
    "\n"
    "Ctrl-C stops after the forward in flight: finished rows are kept, the files are\n"
    "written and the exit code is 130. A second Ctrl-C quits at once.\n"
    "\n"
    "Backends torch:eager, torch:sdpa, torch:flash_attention_2 and torch:sdpa+compile run\n"
    "HuggingFace transformers itself in a Python worker (--python PATH); list-backends says\n"
    "which this interpreter can run, and why not. torch:sdpa+compile's compile time is kept out\n"
    "of its latency and written as compile_ms.\n"
    "\n"
    "Exit codes: 0 every row ok, 1 some row failed (oom/error), 2 bad input, 130 interrupted.\n"
    "\n"
    "Examples:\n"
    "  bertbench-cli run --device cpu --model tiny --sweep --num-batches 3\n"
    "  bertbench-cli run --use-cuda --use-half --sweep --task encoder --optimization flash_attention_2\n"
    "  bertbench-cli run --backends sdpa,flash_attention_2 --batch-sizes 1,8 --seq-lens 128 --pads 0,0.5\n"
    "  bertbench-cli run --spec sweep.json --num-batches 10 --out runs/today\n"
    "  bertbench-cli run --device cuda --model bert-base --lengths lengths.txt --batching random,sorted \\\n"
    "      --backends sdpa,flash_attention_2 --batch-sizes 8,32 --seq-lens 128,512\n"
    "  bertbench-cli run --model path/to/bert-base-uncased --texts reviews.jsonl --text-field body\n"
    "  bertbench-cli run --sweep --max-noise 2 --max-time 5           (adaptive sampling)\n"
    "  bertbench-cli run --device cpu --sweep --backends cpu:eager --max-noise 2   (A/A: noise floor)\n"
    "  bertbench-cli run --device cuda --baseline torch:eager --backends torch:sdpa,cuda:flash_attention_2 \\\n"
    "      --python /opt/torch/.venv/bin/python3 --sweep --num-batches 10\n"
    "  bertbench-cli run --spec sweep.json --gpus all --out runs/big      (one worker per GPU)\n"
    "  bertbench-cli run --spec sweep.json --shard 0/4 --out runs/shard-0  (then: merge)\n";

} // namespace

const CommandHelp& runHelp() {
    static const CommandHelp help{
        "bertbench-cli run [options]",
        "Measure BERT inference with a baseline attention backend against one or more\n"
        "candidates over a sweep of (task, batch size, sequence length, pad fraction) cells.",
        makeRunOptions(), kRunNotes};
    return help;
}

} // namespace bertbench::cli
