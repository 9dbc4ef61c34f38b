#include "app/cli/RunPlan.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <filesystem>
#include <limits>

#include "app/cli/CliSupport.h"
#include "core/model/ModelConfig.h"
#include "core/sweep/SpecJson.h"

namespace bertbench::cli {

const std::vector<int> kSweepBatchSizes{1, 2, 4, 8, 16, 32, 64, 128};
const std::vector<int> kSweepSeqLens{128, 256, 512};
const std::vector<double> kSweepPads{0.0, 0.1, 0.2, 0.5, 0.75};

namespace {

const char* const kOldGroup = "The old script's flags (benchmark_Bert.py)";
const char* const kSweepGroup = "Sweep";
const char* const kOutputGroup = "Output and machine";
const char* const kScaleGroup = "Several GPUs, clusters";

std::vector<OptionDef> makeRunOptions() {
    return {
        {"--num-batches", "N", "timed forwards per backend per cell (default 50)", {}, kOldGroup},
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
         "tiny, bert-base, bert-large, bert-base-cased, bert-large-cased, or a\n"
         "HuggingFace checkpoint folder (config.json + model.safetensors);\n"
         "default tiny on cpu, bert-base on cuda",
         {}, kSweepGroup},
        {"--baseline", "NAME", "backend every candidate is compared with (default <device>:eager)", {}, kSweepGroup},
        {"--backends", "LIST",
         "candidate backends, comma-separated (default <device>:<optimization>);\na name without a device gets "
         "--device's (sdpa -> cpu:sdpa)",
         {"--candidates"}, kSweepGroup},
        {"--batch-sizes", "LIST", "batch sizes, e.g. 1,4,16 (overrides --sweep / --batch-size)", {}, kSweepGroup},
        {"--seq-lens", "LIST", "padded sequence lengths, e.g. 128,512 (overrides --max-seqlen)", {}, kSweepGroup},
        {"--pads", "LIST", "pad fractions in [0,1), e.g. 0,0.5 (overrides --avg-seqlen)", {}, kSweepGroup},
        {"--warmup", "N", "untimed warm-up forwards per backend per cell (default 2)", {}, kSweepGroup},
        {"--seed", "N", "seed of the weights and the batches (default 0)", {}, kSweepGroup},
        {"--dtype", "fp32|fp16|bf16", "compute type (default fp32 on cpu, fp16 on cuda)", {}, kSweepGroup},
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
    "  bertbench-cli run --device cuda --baseline torch:eager --backends torch:sdpa,cuda:flash_attention_2 \\\n"
    "      --python /opt/torch/.venv/bin/python3 --sweep --num-batches 10\n"
    "  bertbench-cli run --spec sweep.json --gpus all --out runs/big      (one worker per GPU)\n"
    "  bertbench-cli run --spec sweep.json --shard 0/4 --out runs/shard-0  (then: merge)\n";

// BertBench's own backends of that device ("cuda:*"); torch:* backends on the GPU do not count, so
// that the default device stays what this build can run itself.
bool registryHasDevice(const BackendRegistry& registry, const std::string& device) {
    for (const BackendInfo& info : registry.all())
        if (info.name.rfind(device + ":", 0) == 0) return true;
    return false;
}

std::string deviceOf(const std::string& backend) {
    const size_t colon = backend.find(':');
    return colon == std::string::npos ? std::string() : backend.substr(0, colon);
}

std::vector<Task> parseTasks(const std::string& flag, const std::string& text) {
    std::vector<Task> tasks;
    for (const std::string& item : splitList(flag, text)) {
        if (item == "all") {
            for (Task t : allTasks())
                if (std::find(tasks.begin(), tasks.end(), t) == tasks.end()) tasks.push_back(t);
            continue;
        }
        const std::optional<Task> task = parseTask(item);
        if (!task) {
            std::string known;
            for (Task t : allTasks()) known += toString(t) + ", ";
            throw UsageError(flag + ": unknown task '" + item + "' (one of " + known + "all)");
        }
        tasks.push_back(*task);
    }
    return tasks;
}

// The spec field a validateSpec problem names → the flag that sets it.
std::string flagForField(const std::string& field) {
    static const std::vector<std::pair<std::string, std::string>> kFlags{
        {"model", "--model"},           {"tasks", "--tasks"},
        {"baseline", "--baseline"},     {"candidates", "--backends"},
        {"dtype", "--dtype"},           {"batch_sizes", "--batch-sizes"},
        {"seq_lens", "--seq-lens"},     {"pads", "--pads"},
        {"seqlen_stdev", "--seqlen-stdev"}, {"warmup", "--warmup"},
        {"num_batches", "--num-batches"}, {"seed", "--seed"},
        {"cuda_graphs", "--cuda-graphs"}, {"memory_limit_mb", "--memory-limit-mb"},
        {"cell_timeout_s", "--cell-timeout"}, {"profile", "--no-profile"},
    };
    const std::string key = field.substr(0, field.find('['));
    for (const auto& [name, flag] : kFlags)
        if (name == key) return flag;
    return field;
}

// The model's max positions (for the length check), or a problem naming --model.
int modelMaxPositions(const std::string& model, std::vector<std::string>& problems) {
    namespace fs = std::filesystem;
    try {
        if (isPreset(model)) return presetConfig(model).maxPositions;
        std::error_code ec;
        if (fs::is_directory(model, ec)) {
            const fs::path config = fs::path(model) / "config.json";
            const fs::path weights = fs::path(model) / "model.safetensors";
            if (!fs::exists(config, ec)) {
                problems.push_back("--model: folder '" + model +
                                   "' has no config.json (a HuggingFace checkpoint folder holds config.json + "
                                   "model.safetensors)");
                return 0;
            }
            if (!fs::exists(weights, ec))
                problems.push_back("--model: folder '" + model + "' has no model.safetensors");
            return loadHfConfig(config.string()).maxPositions;
        }
        problems.push_back("--model: '" + model + "' is neither a preset (" + joinStrings(presetNames()) +
                           ") nor a checkpoint folder");
    } catch (const std::exception& e) {
        problems.push_back(std::string("--model: ") + e.what());
    }
    return 0;
}

} // namespace

const CommandHelp& runHelp() {
    static const CommandHelp help{
        "bertbench-cli run [options]",
        "Measure BERT inference with a baseline attention backend against one or more\n"
        "candidates over a sweep of (task, batch size, sequence length, pad fraction) cells.",
        makeRunOptions(), kRunNotes};
    return help;
}

std::string normalizeModelName(const std::string& name) {
    if (isPreset(name)) return name;
    std::error_code ec;
    if (std::filesystem::exists(name, ec)) return name;
    std::string n = name;
    if (n.rfind("google-bert/", 0) == 0) n = n.substr(std::string("google-bert/").size());
    if (isPreset(n)) return n;
    const std::string uncased = "-uncased";
    if (n.size() > uncased.size() && n.compare(n.size() - uncased.size(), uncased.size(), uncased) == 0) {
        const std::string stripped = n.substr(0, n.size() - uncased.size());
        if (isPreset(stripped)) return stripped;
    }
    return name;
}

bool namesTorchBackend(const SweepSpec& spec) {
    auto isTorch = [](const std::string& n) { return n.rfind("torch:", 0) == 0; };
    return isTorch(spec.baseline) || std::any_of(spec.candidates.begin(), spec.candidates.end(), isTorch);
}

std::string qualifyBackend(const std::string& name, const std::string& device) {
    return name.find(':') == std::string::npos ? device + ":" + name : name;
}

RunPlan planRun(const ParsedArgs& args, const BackendRegistry& registry) {
    RunPlan plan;
    auto val = [&](const std::string& flag) { return *args.value(flag); };

    const bool fromFile = args.has("--spec");
    SweepSpec& spec = plan.spec;
    if (fromFile) spec = loadSpecFile(val("--spec"));

    // Device: --device, --use-cuda, the spec file's baseline, or what this machine offers.
    std::string device;
    if (args.has("--device")) {
        device = val("--device");
        if (device != "cpu" && device != "cuda")
            throw UsageError("--device: '" + device + "' is not one of cpu, cuda");
    }
    if (args.has("--use-cuda")) {
        if (!device.empty() && device != "cuda") throw UsageError("--use-cuda conflicts with --device " + device);
        device = "cuda";
    }
    const bool deviceGiven = !device.empty();
    if (!deviceGiven) {
        const std::string fileDevice = fromFile ? deviceOf(spec.baseline) : std::string();
        if (fileDevice == "cpu" || fileDevice == "cuda")   // a torch:* baseline says nothing of the device
            device = fileDevice;
        else
            device = registryHasDevice(registry, "cuda") ? "cuda" : "cpu";
    }
    plan.device = device;

    std::string optimization = "sdpa";
    if (args.has("--optimization")) {
        optimization = val("--optimization");
        if (optimization != "sdpa" && optimization != "flash_attention_2")
            throw UsageError("--optimization: '" + optimization + "' is not one of sdpa, flash_attention_2");
    }

    if (!fromFile) {
        spec.model = device == "cuda" ? "bert-base" : "tiny";
        spec.dtype = device == "cuda" ? DType::Float16 : DType::Float32;
        spec.tasks = {Task::Encoder};
        spec.numBatches = 50;
        spec.warmup = 2;
        spec.seqlenStdev = 10;
        spec.seed = 0;
    }
    if (!fromFile) {
        spec.baseline = device + ":eager";
        spec.candidates = {device + ":" + optimization};
    } else {
        if (deviceGiven) {
            // The file's backends, moved to the device asked for (cpu:sdpa → cuda:sdpa).
            // torch:* names stay: --device picks where they run, not which backend they are.
            auto moved = [&](const std::string& name) {
                const size_t colon = name.find(':');
                if (colon != std::string::npos && name.substr(0, colon) == "torch") return name;
                return device + ":" + (colon == std::string::npos ? name : name.substr(colon + 1));
            };
            spec.baseline = moved(spec.baseline);
            for (std::string& c : spec.candidates) c = moved(c);
        }
        if (args.has("--optimization")) spec.candidates = {device + ":" + optimization};
    }
    if (args.has("--baseline")) spec.baseline = qualifyBackend(val("--baseline"), device);
    if (args.has("--backends")) {
        if (args.has("--optimization"))
            plan.notes.push_back("--optimization is ignored: " + args.spelling("--backends") + " names the candidates");
        spec.candidates.clear();
        for (const std::string& name : splitList(args.spelling("--backends"), val("--backends")))
            spec.candidates.push_back(qualifyBackend(name, device));
    }

    if (args.has("--model") && args.has("--model-name"))
        throw UsageError("--model-name is the old spelling of --model; give one");
    if (args.has("--model")) spec.model = normalizeModelName(val("--model"));
    if (args.has("--model-name")) spec.model = normalizeModelName(val("--model-name"));

    if (args.has("--dtype")) {
        const std::optional<DType> dtype = parseDType(val("--dtype"));
        if (!dtype) throw UsageError("--dtype: '" + val("--dtype") + "' is not one of fp32, fp16, bf16");
        spec.dtype = *dtype;
    }
    if (args.has("--use-half")) {
        if (args.has("--dtype") && spec.dtype != DType::Float16)
            throw UsageError("--use-half conflicts with --dtype " + val("--dtype"));
        spec.dtype = DType::Float16;
    }

    if (args.has("--tasks")) spec.tasks = parseTasks(args.spelling("--tasks"), val("--tasks"));

    // Axes: single cell (old flags), --sweep, the spec file; then the explicit lists.
    const bool sweep = args.has("--sweep");
    const int maxInt = std::numeric_limits<int>::max();
    if (sweep) {
        spec.batchSizes = kSweepBatchSizes;
        spec.seqLens = kSweepSeqLens;
        spec.pads = kSweepPads;
        for (const char* flag : {"--batch-size", "--max-seqlen", "--avg-seqlen"})
            if (args.has(flag))
                plan.notes.push_back(std::string(flag) +
                                     " is ignored with --sweep (as in the old script); use --batch-sizes, --seq-lens "
                                     "or --pads to change the sweep's axes");
    } else {
        if (!fromFile || args.has("--batch-size"))
            spec.batchSizes = {int(args.has("--batch-size") ? parseInteger("--batch-size", val("--batch-size"), 1, maxInt)
                                                             : 64)};
        if (!fromFile || args.has("--max-seqlen"))
            spec.seqLens = {int(args.has("--max-seqlen") ? parseInteger("--max-seqlen", val("--max-seqlen"), 1, maxInt)
                                                         : 512)};
        if (!fromFile || args.has("--avg-seqlen")) {
            if (spec.seqLens.size() != 1)
                throw UsageError("--avg-seqlen needs a single padded length (--max-seqlen); the spec file lists " +
                                 std::to_string(spec.seqLens.size()) + " - use --pads instead");
            const int maxLen = spec.seqLens[0];
            const int avg = args.has("--avg-seqlen")
                                ? int(parseInteger("--avg-seqlen", val("--avg-seqlen"), 1, maxInt))
                                : std::min(512, maxLen);
            if (avg > maxLen)
                throw UsageError("--avg-seqlen: " + std::to_string(avg) + " is out of range 1.." +
                                 std::to_string(maxLen) + " (the padded length, --max-seqlen)");
            spec.pads = {1.0 - double(avg) / double(maxLen)};
        }
    }
    if (args.has("--batch-sizes")) {
        if (args.has("--batch-size") && !sweep) throw UsageError("--batch-size conflicts with --batch-sizes; give one");
        spec.batchSizes = parseIntList("--batch-sizes", val("--batch-sizes"));
    }
    if (args.has("--seq-lens")) {
        if (args.has("--max-seqlen") && !sweep) throw UsageError("--max-seqlen conflicts with --seq-lens; give one");
        spec.seqLens = parseIntList("--seq-lens", val("--seq-lens"));
    }
    if (args.has("--pads")) {
        if (args.has("--avg-seqlen") && !sweep) throw UsageError("--avg-seqlen conflicts with --pads; give one");
        spec.pads = parseNumberList("--pads", val("--pads"));
    }

    if (args.has("--num-batches")) spec.numBatches = int(parseInteger("--num-batches", val("--num-batches"), INT_MIN, INT_MAX));
    if (args.has("--warmup")) spec.warmup = int(parseInteger("--warmup", val("--warmup"), INT_MIN, INT_MAX));
    if (args.has("--seqlen-stdev"))
        spec.seqlenStdev = parseNumber("--seqlen-stdev", val("--seqlen-stdev"), -std::numeric_limits<double>::max(),
                                       std::numeric_limits<double>::max());
    if (args.has("--seed")) spec.seed = parseUnsigned("--seed", val("--seed"));
    if (args.has("--cuda-graphs")) spec.cudaGraphs = true;
    if (args.has("--no-profile")) spec.profile = false;
    if (args.has("--memory-limit-mb"))
        spec.memoryLimitMb = parseInteger("--memory-limit-mb", val("--memory-limit-mb"), INT64_MIN, INT64_MAX);
    if (args.has("--cell-timeout"))
        spec.cellTimeoutS = parseNumber("--cell-timeout", val("--cell-timeout"), -std::numeric_limits<double>::max(),
                                        std::numeric_limits<double>::max());

    if (args.has("--out")) {
        plan.outDir = val("--out");
        if (plan.outDir.empty()) throw UsageError("--out: the folder name is empty");
    }
    if (args.has("--threads")) plan.threads = int(parseInteger("--threads", val("--threads"), 0, 4096));
    if (args.has("--python")) {
        plan.python = val("--python");
        if (plan.python.empty()) throw UsageError("--python: the interpreter path is empty");
    }
    plan.deviceGiven = deviceGiven;
    plan.quiet = args.has("--quiet");
    if (args.has("--shard")) plan.shard = parseShard("--shard", val("--shard"));
    if (args.has("--gpus")) {
        plan.gpus = val("--gpus");
        if (plan.gpus.empty()) throw UsageError("--gpus: the list is empty (expected 0,1,3, all, or cpu:N)");
    }
    if (args.has("--max_token")) plan.notes.push_back("--max_token is ignored (BERT encoders do not generate tokens)");
    return plan;
}

std::vector<std::string> checkRunPlan(const RunPlan& plan, const BackendRegistry& registry) {
    std::vector<std::string> problems;
    const SweepSpec& spec = plan.spec;
    const int maxPositions = modelMaxPositions(spec.model, problems);

    std::vector<std::string> named{spec.baseline};
    named.insert(named.end(), spec.candidates.begin(), spec.candidates.end());
    bool wantsCuda = false;
    for (const std::string& name : named) wantsCuda = wantsCuda || deviceOf(name) == "cuda";
    if (wantsCuda && !registryHasDevice(registry, "cuda"))
        problems.push_back("--device: no CUDA backend in this build and machine (bertbench-cli info says why); "
                           "use --device cpu");

    for (const SpecProblem& p : validateSpec(spec, maxPositions, registry.names()))
        problems.push_back(flagForField(p.field) + ": " + p.message + " (spec field " + p.field + ")");

    for (const std::string& name : named) {
        const BackendInfo* info = registry.find(name);
        if (info == nullptr) continue;   // reported above
        if (!info->unavailableReason.empty()) {
            const std::string flag = name == spec.baseline ? "--baseline" : "--backends";
            problems.push_back(flag + ": " + name + " cannot run here: " + info->unavailableReason);
            continue;
        }
        if (std::find(info->dtypes.begin(), info->dtypes.end(), spec.dtype) == info->dtypes.end()) {
            std::vector<std::string> supported;
            for (DType d : info->dtypes) supported.push_back(toString(d));
            problems.push_back("--dtype: " + name + " does not support " + toString(spec.dtype) + " (it supports " +
                               joinStrings(supported) + ")");
        }
    }
    // One line per problem, without repeats (a backend both unknown and the baseline, say).
    std::vector<std::string> unique;
    for (const std::string& p : problems)
        if (std::find(unique.begin(), unique.end(), p) == unique.end()) unique.push_back(p);
    return unique;
}

} // namespace bertbench::cli
