// `verify`: can I trust these kernels on my GPU? Every CUDA backend (or the given ones) against
// the CPU fp32 reference (cpu:eager) on fresh random weights and padded batches, every task and
// dtype, errors over real positions only; then each fused kernel against its CPU twin.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <ostream>
#include <random>
#include <tuple>

#include "app/cli/CliSupport.h"
#include "app/cli/TextTable.h"
#include "app/cli/VerifyReference.h"
#include "app/common/Backends.h"
#include "core/cpu/CpuBackends.h"
#include "core/model/ModelConfig.h"
#include "core/sweep/SweepRunner.h"
#ifdef BERTBENCH_HAVE_CUDA
#include "kernels/CudaBackends.h"
#include "kernels/verify/KernelChecks.h"
#include "kernels/verify/ModelVerify.h"
#endif

namespace bertbench::cli {

namespace {

const CommandHelp& verifyHelp() {
    static const CommandHelp help{
        "bertbench-cli verify [--model PRESET|DIR] [--tasks ...] [--backends ...] [--dtypes ...] [options]",
        "Check every GPU backend against the CPU fp32 reference (cpu:eager) on fresh random padded\n"
        "batches: every task and dtype, batch 1 and larger, odd lengths, pad fractions 0 and 0.75.\n"
        "Errors are measured over real (non-padding) positions: max abs and relative L2 (‖a−b‖/‖b‖,\n"
        "with ‖b‖ taken as at least 0.25·√n: two logits that nearly cancel are not a tiny scale).\n"
        "Then each fused kernel (LayerNorm, bias+GELU, softmax, embeddings, eager and fused attention)\n"
        "is checked against its CPU twin with its output poisoned first, as are the padding-free\n"
        "encoder's plumbing and the allocator's out-of-memory path. Prints one row per task × backend\n"
        "× dtype with the rel L2 pooled over all cases (a single case may hold only two logits) and\n"
        "the worst single case beside it, and fails past the tolerances.",
        {
            {"--device", "cuda", "the device whose backends are checked (only cuda)"},
            {"--model", "PRESET|DIR", "tiny, bert-base, bert-large, ... or a HF checkpoint folder (default bert-base)"},
            {"--tasks", "LIST", "encoder,mlm,classification,token_classification,qa (default: all)", {"--task"}},
            {"--backends", "LIST", "candidates, e.g. cuda:eager (default: every cuda backend)", {"--backend"}},
            {"--dtypes", "LIST", "fp32,fp16,bf16,fp8 (default: all four; fp8 where a backend runs it)", {"--dtype"}},
            {"--cases", "LIST", "batches as BxS or BxS@PAD (default 1x512,3x77,4x512@0.75,8x128)"},
            {"--seed", "N", "weights and batches seed (default: a fresh one, printed)"},
            {"--tol-fp32", "X", "relative L2 tolerance for fp32 (default 1e-5)"},
            {"--tol-fp16", "X", "relative L2 tolerance for fp16 (default 3e-3)"},
            {"--tol-bf16", "X", "relative L2 tolerance for bf16 (default 2e-2: bf16 keeps 8 significant bits)"},
            {"--cuda-graphs", "", "candidates replay their forward as a captured CUDA graph"},
            {"--no-kernel-checks", "", "skip the per-kernel checks"},
            {"--threads", "N", "CPU threads of the reference (default: all cores)"},
            {"--verbose", "", "one row per case as well, and progress lines"},
            {"--reference", "FILE", "HF's own outputs for --model DIR (safetensors: input_ids, attention_mask,\n"
                                    "[token_type_ids], last_hidden_state | logits | start_logits + end_logits):\n"
                                    "every backend of this build, CPU ones included, on those inputs"},
        },
        "Exit codes: 0 every check within tolerance, 1 a check failed, 2 bad input or no usable GPU.\n"
        "Example: bertbench-cli verify --model bert-large --tasks mlm,qa --dtypes fp16"};
    return help;
}

#ifdef BERTBENCH_HAVE_CUDA

std::string sci(double v) {
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return "inf";
    char text[32];
    std::snprintf(text, sizeof text, "%.2e", v);
    return text;
}

template <typename T, typename Parse>
std::vector<T> parseList(const ParsedArgs& parsed, const std::string& flag, Parse parse, std::vector<T> fallback) {
    const auto text = parsed.value(flag);
    if (!text) return fallback;
    std::vector<T> values;
    for (const std::string& item : splitList(parsed.spelling(flag), *text)) {
        const auto v = parse(item);
        if (!v) throw UsageError(parsed.spelling(flag) + ": unknown value '" + item + "'");
        values.push_back(*v);
    }
    return values;
}

// BertBench's own GPU backends only: the torch:* ones are HF's code, compared by `run` (rel_error).
std::vector<std::string> gpuBackendsOf(const BackendRegistry& registry) {
    std::vector<std::string> names;
    for (const BackendInfo& info : registry.all())
        if (info.device == "cuda") names.push_back(info.name);
    return names;
}

// --backends, each checked to be one of this build's GPU backends; all of them by default.
std::vector<std::string> backendsToVerify(const ParsedArgs& parsed, const BackendRegistry& registry,
                                          const std::vector<std::string>& gpuBackends) {
    const auto list = parsed.value("--backends");
    if (!list) return gpuBackends;
    std::vector<std::string> names = splitList(parsed.spelling("--backends"), *list);
    for (const std::string& name : names) {
        if (name.rfind("torch:", 0) == 0)
            throw UsageError("--backends: verify checks BertBench's own CUDA kernels; compare " + name +
                             " with `run --baseline cuda:eager --backends " + name +
                             "` (its rel_error column), as bench/torch/grid.sh does");
        const BackendInfo* info = registry.find(name);
        if (!info) throw UsageError("unknown backend '" + name + "' (list-backends shows them)");
        if (info->device != "cuda") throw UsageError("backend " + name + " is not a GPU backend");
    }
    return names;
}

cuda::VerifyOptions verifyOptions(const ParsedArgs& parsed, const BackendRegistry& registry,
                                  const std::vector<std::string>& gpuBackends) {
    cuda::VerifyOptions options;
    options.tasks = parseList<Task>(parsed, "--tasks", parseTask, allTasks());
    options.dtypes = parseList<DType>(parsed, "--dtypes", parseDType,
                                      {DType::Float32, DType::Float16, DType::BFloat16, DType::Float8});
    options.backends = backendsToVerify(parsed, registry, gpuBackends);
    options.cases = cuda::parseVerifyCases(parsed.value("--cases").value_or(cuda::defaultVerifyCases()));
    options.cudaGraphs = parsed.has("--cuda-graphs");
    if (const auto s = parsed.value("--seed")) {
        options.seed = parseUnsigned("--seed", *s);
    } else {
        options.seed = std::random_device{}() % 1000000u;   // fresh inputs every run; printed to reproduce
    }
    for (auto [flag, dtype] : {std::pair{"--tol-fp32", DType::Float32}, std::pair{"--tol-fp16", DType::Float16},
                               std::pair{"--tol-bf16", DType::BFloat16}}) {
        if (const auto t = parsed.value(flag)) options.tolerance[dtype] = parseNumber(flag, *t, 0, 1);
    }
    return options;
}

void printVerifyHeader(std::ostream& out, const std::string& model, const ModelConfig& config,
                       const cuda::VerifyOptions& options) {
    const Environment env = app::machineEnvironment();
    out << "verify: model " << model << " (" << config.numLayers << " layers, hidden " << config.hiddenSize << ", "
        << config.numHeads << " heads), seed " << options.seed << ", reference cpu:eager fp32\n";
    out << "device: " << env.gpu << ", driver " << env.driver << ", CUDA runtime " << env.cudaRuntime
        << (options.cudaGraphs ? ", CUDA graphs on" : "") << "\n";
    std::string caseText;
    for (const auto& c : options.cases) caseText += (caseText.empty() ? "" : ", ") + c.label();
    out << "cases: " << caseText << " (lengths ~ Normal((1-pad)*S, 10), clamped)\n" << std::flush;
}

// How many checks ran and failed, and the error text of those that could not run.
struct CheckTally {
    int failed = 0;
    int total = 0;
    std::vector<std::string> failures;
};

using Align = TextTable::Align;

template <typename Rows>
void printPerCase(std::ostream& out, const Rows& rows) {
    TextTable perCase({{"case", Align::Left}, {"task", Align::Left}, {"backend", Align::Left}, {"dtype", Align::Left},
                       {"max abs", Align::Right}, {"rel L2", Align::Right}, {"", Align::Left}});
    for (const auto& r : rows) {
        perCase.addRow({r.verifyCase.label(), toString(r.task), r.backend, toString(r.dtype),
                        r.failure.empty() ? sci(r.error.maxAbs) : "-", r.failure.empty() ? sci(r.error.relL2) : "-",
                        !r.failure.empty() ? "ERROR: " + r.failure : r.pass ? "" : "(above tolerance alone)"});
    }
    out << "\nPer case:\n" << perCase.str("  ");
}

template <typename Rows>
void printModelSummary(std::ostream& out, const Rows& rows, CheckTally& tally) {
    TextTable table({{"task", Align::Left}, {"backend", Align::Left}, {"dtype", Align::Left},
                     {"max abs", Align::Right}, {"rel L2", Align::Right}, {"tolerance", Align::Right},
                     {"worst case", Align::Left}, {"(its rel L2)", Align::Right}, {"agree", Align::Right},
                     {"result", Align::Left}});
    for (const auto& s : cuda::summarizeVerify(rows)) {
        ++tally.total;
        if (!s.pass) ++tally.failed;
        table.addRow({toString(s.task), s.backend, toString(s.dtype), sci(s.maxAbs), sci(s.relL2), sci(s.tolerance),
                      s.worstCase, sci(s.worstCaseRelL2),
                      std::isfinite(s.agreementPct) ? fixed(s.agreementPct, 2) + "%" : "-",
                      s.pass ? "ok" : s.failure.empty() ? "FAIL" : "ERROR"});
        if (!s.failure.empty()) tally.failures.push_back(s.backend + " " + toString(s.dtype) + ": " + s.failure);
    }
    out << "\nModel outputs vs cpu:eager fp32 (rel L2 pooled over the cases' real positions, the reference's\n"
           "RMS floored at 0.25; max abs and the worst single case beside it; agree: the task decisions\n"
           "(argmax, QA start/end) that match the reference's, reported, not judged):\n"
        << table.str("  ");
}

void printKernelChecks(std::ostream& out, uint64_t seed, CheckTally& tally) {
    TextTable kt({{"kernel check", Align::Left}, {"dtype", Align::Left}, {"max abs", Align::Right},
                  {"rel L2", Align::Right}, {"tolerance", Align::Right}, {"result", Align::Left}});
    for (const auto& c : cuda::runKernelChecks(seed)) {
        ++tally.total;
        if (!c.pass) {
            ++tally.failed;
            if (!c.failure.empty()) tally.failures.push_back(c.name + " " + toString(c.dtype) + ": " + c.failure);
        }
        const bool numeric = c.tolerance > 0;
        kt.addRow({c.name, numeric ? toString(c.dtype) : "-", numeric ? sci(c.maxAbs) : "-",
                   numeric ? sci(c.relL2) : "-", numeric ? sci(c.tolerance) : "-",
                   c.pass ? "ok" : c.failure.empty() ? "FAIL" : "ERROR"});
    }
    out << "\nKernels vs their CPU twins (fresh random inputs, outputs poisoned with NaN first):\n" << kt.str("  ");
}

int verdict(std::ostream& out, const CheckTally& tally, double seconds, uint64_t seed) {
    for (const std::string& f : tally.failures) out << "  error: " << f << "\n";
    if (tally.failed == 0) {
        out << "\nverify: PASS, " << tally.total << " checks in " << fixed(seconds, 1) << " s\n";
        return kExitOk;
    }
    out << "\nverify: FAIL, " << tally.failed << " of " << tally.total << " checks past tolerance or failed (seed "
        << seed << ")\n";
    return kExitFailedCell;
}

int runVerify(const ParsedArgs& parsed, std::ostream& out, std::ostream& err) {
    if (!parsed.positionals.empty()) throw UsageError("unexpected argument '" + parsed.positionals.front() + "'");
    if (const auto device = parsed.value("--device"); device && *device != "cuda") {
        throw UsageError("--device " + *device + ": verify checks the GPU backends (--device cuda); the CPU "
                         "strategies are checked against each other by the core test suite");
    }
    if (const auto threads = parsed.value("--threads")) setCpuThreads(int(parseInteger("--threads", *threads, 1, 1024)));

    app::RegistryOptions registryOptions;
    registryOptions.torch = false;
    const BackendRegistry registry = app::makeRegistry(registryOptions);
    const std::vector<std::string> gpuBackends = gpuBackendsOf(registry);
    if (gpuBackends.empty()) {
        err << "bertbench-cli verify: no GPU backends to verify on this machine.\n";
        for (const std::string& line : cudaInfoLines()) err << "  " << line << "\n";
        return kExitBadInput;
    }
    const cuda::VerifyOptions options = verifyOptions(parsed, registry, gpuBackends);
    const bool verbose = parsed.has("--verbose");

    SweepSpec spec;
    const std::string model = parsed.value("--model").value_or("bert-base");
    spec.seed = options.seed;
    const auto started = std::chrono::steady_clock::now();
    const BertWeights weights = loadWeightsFor(spec, model);
    printVerifyHeader(out, model, weights.config, options);

    const auto rows = cuda::verifyBackends(weights, registry, options, [&](const std::string& line) {
        if (verbose) out << line << "\n" << std::flush;
    });
    CheckTally tally;
    if (verbose) printPerCase(out, rows);
    printModelSummary(out, rows, tally);
    if (!parsed.has("--no-kernel-checks")) printKernelChecks(out, options.seed, tally);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return verdict(out, tally, seconds, options.seed);
}

#endif

} // namespace

int verifyCommand(const CommandArgs& args, std::ostream& out, std::ostream& err) {
    return guardedCommand("verify", err, [&] {
        ParsedArgs parsed;
        if (parseOrHelp(args, verifyHelp(), out, parsed)) return kExitOk;
        if (parsed.has("--reference")) return verifyAgainstReference(parsed, out, err);
#ifdef BERTBENCH_HAVE_CUDA
        return runVerify(parsed, out, err);
#else
        err << "bertbench-cli verify: this build has no CUDA backends (built without nvcc); nothing to verify.\n"
               "Rebuild with the CUDA toolkit installed (-DBERTBENCH_CUDA=ON) on a machine with an NVIDIA GPU.\n";
        return kExitBadInput;
#endif
    });
}

} // namespace bertbench::cli
