// `run`'s flags → a RunPlan, in steps: device, defaults, backends, model/dtype/tasks, axes,
// measurement flags, then where and how the run happens.
#include "app/cli/RunPlan.h"

#include <algorithm>
#include <climits>
#include <filesystem>
#include <limits>

#include "app/cli/CliSupport.h"
#include "core/backend/DTypeSupport.h"
#include "core/model/ModelConfig.h"
#include "core/sweep/SpecJson.h"

namespace bertbench::cli {

const std::vector<int> kSweepBatchSizes{1, 2, 4, 8, 16, 32, 64, 128};
const std::vector<int> kSweepSeqLens{128, 256, 512};
const std::vector<double> kSweepPads{0.0, 0.1, 0.2, 0.5, 0.75};

namespace {

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

// Device: --device, --use-cuda, the spec file's baseline, or what this machine offers.
// Sets plan.device and plan.deviceGiven.
void resolveDevice(const ParsedArgs& args, const BackendRegistry& registry, bool fromFile, RunPlan& plan) {
    std::string device;
    if (args.has("--device")) {
        device = *args.value("--device");
        if (device != "cpu" && device != "cuda")
            throw UsageError("--device: '" + device + "' is not one of cpu, cuda");
    }
    if (args.has("--use-cuda")) {
        if (!device.empty() && device != "cuda") throw UsageError("--use-cuda conflicts with --device " + device);
        device = "cuda";
    }
    plan.deviceGiven = !device.empty();
    if (!plan.deviceGiven) {
        const std::string fileDevice = fromFile ? deviceOf(plan.spec.baseline) : std::string();
        if (fileDevice == "cpu" || fileDevice == "cuda")   // a torch:* baseline says nothing of the device
            device = fileDevice;
        else
            device = registryHasDevice(registry, "cuda") ? "cuda" : "cpu";
    }
    plan.device = device;
}

// The old script's defaults when no spec file gives them.
void applyDefaults(const std::string& device, SweepSpec& spec) {
    spec.models = {device == "cuda" ? "bert-base" : "tiny"};
    spec.dtype = device == "cuda" ? DType::Float16 : DType::Float32;
    spec.tasks = {Task::Encoder};
    spec.numBatches = 50;
    spec.warmup = 2;
    spec.seqlenStdev = 10;
    spec.seed = 0;
}

// Baseline and candidates: the defaults (eager against --optimization) or the spec file's,
// moved to the device asked for; then --baseline and --backends.
void applyBackends(const ParsedArgs& args, bool fromFile, RunPlan& plan) {
    SweepSpec& spec = plan.spec;
    const std::string& device = plan.device;
    std::string optimization = "sdpa";
    if (args.has("--optimization")) {
        optimization = *args.value("--optimization");
        if (optimization != "sdpa" && optimization != "flash_attention_2")
            throw UsageError("--optimization: '" + optimization + "' is not one of sdpa, flash_attention_2");
    }
    if (!fromFile) {
        spec.baseline = device + ":eager";
        spec.candidates = {device + ":" + optimization};
    } else {
        if (plan.deviceGiven) {
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
    if (args.has("--baseline")) {
        // "cuda:eager:fp32": the baseline in its own data type (fp8 candidates against fp32).
        const BackendWithDType b = splitBackendDType(*args.value("--baseline"));
        if (!b.error.empty()) throw UsageError(args.spelling("--baseline") + " " + *args.value("--baseline") + ": " + b.error);
        spec.baseline = qualifyBackend(b.backend, device);
        spec.baselineDType = b.dtype;
    }
    if (args.has("--backends")) {
        if (args.has("--optimization"))
            plan.notes.push_back("--optimization is ignored: " + args.spelling("--backends") + " names the candidates");
        spec.candidates.clear();
        for (const std::string& name : splitList(args.spelling("--backends"), *args.value("--backends")))
            spec.candidates.push_back(qualifyBackend(name, device));
    }
}

// --model / --model-name / --models, --dtype / --use-half, --tasks.
void applyModelDtypeTasks(const ParsedArgs& args, SweepSpec& spec) {
    auto val = [&](const std::string& flag) { return *args.value(flag); };
    if (int(args.has("--model")) + int(args.has("--model-name")) + int(args.has("--models")) > 1)
        throw UsageError("--model, --model-name and --models all name the models; give one of them");
    if (args.has("--model")) spec.models = {normalizeModelName(val("--model"))};
    if (args.has("--model-name")) spec.models = {normalizeModelName(val("--model-name"))};
    if (args.has("--models")) {
        spec.models.clear();
        for (const std::string& name : splitList(args.spelling("--models"), val("--models")))
            spec.models.push_back(normalizeModelName(name));
    }

    if (args.has("--dtype")) {
        const std::optional<DType> dtype = parseDType(val("--dtype"));
        if (!dtype) throw UsageError("--dtype: '" + val("--dtype") + "' is not one of fp32, fp16, bf16, fp8");
        spec.dtype = *dtype;
    }
    if (args.has("--use-half")) {
        if (args.has("--dtype") && spec.dtype != DType::Float16)
            throw UsageError("--use-half conflicts with --dtype " + val("--dtype"));
        spec.dtype = DType::Float16;
    }
    if (args.has("--tasks")) spec.tasks = parseTasks(args.spelling("--tasks"), val("--tasks"));
}

// The old script's single cell: --batch-size, --max-seqlen, --avg-seqlen (as a pad fraction).
void applySingleCell(const ParsedArgs& args, bool fromFile, SweepSpec& spec) {
    auto val = [&](const std::string& flag) { return *args.value(flag); };
    const int maxInt = std::numeric_limits<int>::max();
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
        const int avg = args.has("--avg-seqlen") ? int(parseInteger("--avg-seqlen", val("--avg-seqlen"), 1, maxInt))
                                                 : std::min(512, maxLen);
        if (avg > maxLen)
            throw UsageError("--avg-seqlen: " + std::to_string(avg) + " is out of range 1.." + std::to_string(maxLen) +
                             " (the padded length, --max-seqlen)");
        spec.pads = {1.0 - double(avg) / double(maxLen)};
    }
}

// Axes: single cell (old flags), --sweep, the spec file; then the explicit lists.
void applyAxes(const ParsedArgs& args, bool fromFile, RunPlan& plan) {
    SweepSpec& spec = plan.spec;
    auto val = [&](const std::string& flag) { return *args.value(flag); };
    const bool sweep = args.has("--sweep");
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
        applySingleCell(args, fromFile, spec);
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
}

// How each cell is measured. Ranges are wide here on purpose: checkRunPlan reports every
// out-of-range value at once, naming the flag.
void applyMeasurementFlags(const ParsedArgs& args, SweepSpec& spec) {
    auto val = [&](const std::string& flag) { return *args.value(flag); };
    const double maxDouble = std::numeric_limits<double>::max();
    // Fixed count or adaptive: an explicit flag picks the mode over a spec file's.
    if (args.has("--num-batches") && args.has("--max-noise"))
        throw UsageError("--num-batches (a fixed count) and --max-noise (adaptive sampling) are two ways to time a "
                         "cell; give one");
    if (args.has("--num-batches")) {
        spec.numBatches = int(parseInteger("--num-batches", val("--num-batches"), INT_MIN, INT_MAX));
        spec.maxNoisePct = 0;
    }
    if (args.has("--max-noise")) spec.maxNoisePct = parseNumber("--max-noise", val("--max-noise"), -maxDouble, maxDouble);
    if (args.has("--min-time")) spec.minTimeS = parseNumber("--min-time", val("--min-time"), -maxDouble, maxDouble);
    if (args.has("--max-time")) spec.maxTimeS = parseNumber("--max-time", val("--max-time"), -maxDouble, maxDouble);
    if ((args.has("--min-time") || args.has("--max-time")) && !(spec.maxNoisePct > 0))
        throw UsageError(std::string(args.has("--min-time") ? "--min-time" : "--max-time") +
                         " sets adaptive sampling's time per cell; give --max-noise P too (with --num-batches every "
                         "backend takes that many forwards)");
    if (args.has("--sequential")) spec.interleave = false;
    if (args.has("--warmup")) spec.warmup = int(parseInteger("--warmup", val("--warmup"), INT_MIN, INT_MAX));
    if (args.has("--seqlen-stdev"))
        spec.seqlenStdev = parseNumber("--seqlen-stdev", val("--seqlen-stdev"), -maxDouble, maxDouble);
    if (args.has("--seed")) spec.seed = parseUnsigned("--seed", val("--seed"));
    if (args.has("--cuda-graphs")) spec.cudaGraphs = true;
    if (args.has("--no-profile")) spec.profile = false;
    if (args.has("--memory-limit-mb"))
        spec.memoryLimitMb = parseInteger("--memory-limit-mb", val("--memory-limit-mb"), INT64_MIN, INT64_MAX);
    if (args.has("--cell-timeout"))
        spec.cellTimeoutS = parseNumber("--cell-timeout", val("--cell-timeout"), -maxDouble, maxDouble);
}

// A data workload: --lengths / --texts (+ --text-field, --tokenizer), --batching, --batches-per-cell.
// Files are kept absolute, so a resume or a worker process started elsewhere finds them.
void applyWorkload(const ParsedArgs& args, SweepSpec& spec) {
    auto val = [&](const std::string& flag) { return *args.value(flag); };
    auto absolute = [](const std::string& path) {
        std::error_code ec;
        const std::filesystem::path p = std::filesystem::absolute(path, ec);
        return ec ? path : p.lexically_normal().string();
    };
    WorkloadSpec& w = spec.workload;
    if (args.has("--lengths") && args.has("--texts"))
        throw UsageError("--lengths (token counts) and --texts (texts to tokenize) both name the workload; give one");
    for (const char* flag : {"--lengths", "--texts"}) {
        if (!args.has(flag)) continue;
        if (val(flag).empty()) throw UsageError(std::string(flag) + ": the file name is empty");
        const WorkloadKind kind = std::string(flag) == "--lengths" ? WorkloadKind::Lengths : WorkloadKind::Texts;
        const std::string file = absolute(val(flag));
        if (w.kind != kind || w.file != file) {
            w.sha256.clear();   // another file: its identity is recorded when the run starts
            w.bytes = -1;
        }
        if (kind == WorkloadKind::Lengths) {
            w.textField.clear();
            w.tokenizer.clear();
        }
        w.kind = kind;
        w.file = file;
    }
    for (const char* flag : {"--text-field", "--tokenizer"}) {
        if (!args.has(flag)) continue;
        if (w.kind != WorkloadKind::Texts)
            throw UsageError(std::string(flag) + " is for a texts workload (--texts FILE); a lengths file holds token counts");
        if (std::string(flag) == "--text-field") w.textField = val(flag);
        else w.tokenizer = absolute(val(flag));
    }
    if (args.has("--batching")) {
        if (!w.isData()) throw UsageError("--batching needs a data workload (--lengths FILE or --texts FILE)");
        w.batching.clear();
        for (const std::string& item : splitList(args.spelling("--batching"), val("--batching"))) {
            const std::optional<Batching> b = parseBatching(item);
            if (!b) throw UsageError(args.spelling("--batching") + ": unknown policy '" + item + "' (one of random, sorted)");
            w.batching.push_back(*b);
        }
    }
    if (args.has("--batches-per-cell")) {
        if (!w.isData()) throw UsageError("--batches-per-cell needs a data workload (--lengths FILE or --texts FILE)");
        w.batchesPerCell = int(parseInteger("--batches-per-cell", val("--batches-per-cell"), INT_MIN, INT_MAX));
    }
    if (w.isData()) {
        for (const char* flag : {"--pads", "--avg-seqlen", "--seqlen-stdev"})
            if (args.has(flag))
                throw UsageError(std::string(flag) + " shapes the synthetic lengths; with " +
                                 (w.kind == WorkloadKind::Lengths ? "--lengths" : "--texts") +
                                 " the data gives the lengths and the padding (drop " + flag + ")");
        spec.pads = {0.0};   // not an axis of a data workload (cellsOf uses the policies)
    }
}

// Where and how the run happens: output folder, threads, interpreter, shard, GPUs.
void applyRunFlags(const ParsedArgs& args, RunPlan& plan) {
    auto val = [&](const std::string& flag) { return *args.value(flag); };
    if (args.has("--out")) {
        plan.outDir = val("--out");
        if (plan.outDir.empty()) throw UsageError("--out: the folder name is empty");
    }
    if (args.has("--threads")) plan.threads = int(parseInteger("--threads", val("--threads"), 0, 4096));
    if (args.has("--python")) {
        plan.python = val("--python");
        if (plan.python.empty()) throw UsageError("--python: the interpreter path is empty");
    }
    plan.quiet = args.has("--quiet");
    if (args.has("--shard")) plan.shard = parseShard("--shard", val("--shard"));
    if (args.has("--gpus")) {
        plan.gpus = val("--gpus");
        if (plan.gpus.empty()) throw UsageError("--gpus: the list is empty (expected 0,1,3, all, or cpu:N)");
    }
    if (args.has("--max_token")) plan.notes.push_back("--max_token is ignored (BERT encoders do not generate tokens)");
}

} // namespace

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
    const bool fromFile = args.has("--spec");
    if (fromFile) plan.spec = loadSpecFile(*args.value("--spec"));
    resolveDevice(args, registry, fromFile, plan);
    if (!fromFile) applyDefaults(plan.device, plan.spec);
    applyBackends(args, fromFile, plan);
    applyModelDtypeTasks(args, plan.spec);
    applyAxes(args, fromFile, plan);
    applyWorkload(args, plan.spec);
    applyMeasurementFlags(args, plan.spec);
    applyRunFlags(args, plan);
    return plan;
}

} // namespace bertbench::cli
