#include "app/cli/VerifyReference.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>

#include "app/cli/CliSupport.h"
#include "app/cli/TextTable.h"
#include "app/common/Backends.h"
#include "core/backend/DTypeTolerance.h"
#include "core/cpu/CpuBackends.h"
#include "core/model/BertWeights.h"
#include "core/model/HfReference.h"
#include "core/sweep/SweepRunner.h"
#include "core/util/Errors.h"

namespace bertbench::cli {

namespace {

// Against HF's fp32 eager outputs: fp32 as two different summation orders (and HF's own kernels)
// allow, the reduced-precision types as DTypeTolerance.h says.
double usualTolerance(DType dtype) {
    return dtype == DType::Float32 ? 1e-4 : reducedPrecisionTolerance(dtype);
}

constexpr double kHfOwnMargin = 1.5;   // referenceTolerance

std::string hfVariantOf(DType dtype) {
    switch (dtype) {
    case DType::Float16: return "hf_fp16";
    case DType::BFloat16: return "hf_bf16";
    default: return "";
    }
}

std::string scientific(double v) {
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return "inf";
    char text[32];
    std::snprintf(text, sizeof text, "%.2e", v);
    return text;
}

// HF names its outputs one by one; qa's start and end are BertBench's two columns.
struct NamedOutput {
    std::string name;
    TaskOutput values;
};

std::vector<NamedOutput> namedOutputs(const TaskOutput& out) {
    switch (out.task) {
    case Task::Encoder: return {{"last_hidden_state", out}};
    case Task::Qa: {
        std::vector<NamedOutput> parts{{"start_logits", out}, {"end_logits", out}};
        for (int column = 0; column < 2; ++column) {
            TaskOutput& t = parts[size_t(column)].values;
            t.shape = {out.shape[0], out.shape[1], 1};
            t.values.clear();
            for (size_t i = size_t(column); i < out.values.size(); i += 2) t.values.push_back(out.values[i]);
        }
        return parts;
    }
    default: return {{"logits", out}};
    }
}

Task referenceTask(const ParsedArgs& parsed, const HfReference& reference, const ModelConfig& config) {
    const std::vector<Task> tasks = tasksWithReference(reference, config.architectures);
    if (const auto text = parsed.value("--tasks")) {
        const std::optional<Task> task = parseTask(*text);
        if (!task) throw UsageError("--task " + *text + ": one task (encoder, mlm, classification, token_classification, qa)");
        if (std::find(tasks.begin(), tasks.end(), *task) == tasks.end())
            throw InputError(reference.path + ": holds no output of task " + *text);
        return *task;
    }
    if (tasks.empty()) throw InputError(reference.path + ": holds none of HF's outputs (last_hidden_state, logits, start_logits)");
    return tasks.front();
}

std::vector<DType> dtypesFor(const ParsedArgs& parsed, const BackendInfo& info) {
    std::vector<DType> wanted;
    if (const auto text = parsed.value("--dtypes")) {
        for (const std::string& d : splitList("--dtypes", *text)) {
            const std::optional<DType> dtype = parseDType(d);
            if (!dtype) throw UsageError("--dtypes: '" + d + "' is not fp32, fp16, bf16 or fp8");
            wanted.push_back(*dtype);
        }
    } else {
        wanted = {DType::Float32, DType::Float16, DType::BFloat16};
    }
    std::vector<DType> out;
    for (DType d : wanted)
        if (std::find(info.dtypes.begin(), info.dtypes.end(), d) != info.dtypes.end()) out.push_back(d);
    return out;
}

} // namespace

// Where the reference file holds HF's own forward in a half type (make_hf_family.py on a GPU:
// "<name>.hf_fp16", "<name>.hf_bf16"), that type is judged against what HF itself reaches: a
// checkpoint whose activations make HF's own fp16 miss 3e-3 cannot hold BertBench to it. The bound
// is then the larger of the usual tolerance and 1.5 × HF's own rel L2 (the margin bf16's and fp8's
// tolerances got over their worst seed).
double referenceTolerance(DType dtype, std::optional<double> hfOwnRelL2) {
    const double usual = usualTolerance(dtype);
    if (!hfOwnRelL2 || !std::isfinite(*hfOwnRelL2)) return usual;
    return std::max(usual, kHfOwnMargin * *hfOwnRelL2);
}

std::string halfTypeHint(const std::vector<DType>& failedWithoutHfOwn) {
    std::vector<std::string> types;
    for (DType d : failedWithoutHfOwn) {
        if (d != DType::Float16 && d != DType::BFloat16) continue;
        const std::string name = toString(d);
        if (std::find(types.begin(), types.end(), name) == types.end()) types.push_back(name);
    }
    if (types.empty()) return {};
    std::string list = types.front();
    for (size_t i = 1; i < types.size(); ++i) list += " and " + types[i];
    const std::string suffix = types.size() == 1 ? "<name>.hf_" + types.front() : "<name>.hf_fp16 / <name>.hf_bf16";
    return "\nThe file holds no HF run in " + list + ", so the fixed tolerance judged it; HF's own " + list +
           " may miss it on this checkpoint too. Store HF's forward in that dtype under " + suffix +
           " (README: verify --reference) and the bound becomes 1.5 × HF's own error where that is larger.\n";
}

int verifyAgainstReference(const ParsedArgs& parsed, std::ostream& out, std::ostream& err) {
    const auto model = parsed.value("--model");
    if (!model) throw UsageError("--reference needs --model DIR: the checkpoint folder the reference was made with");
    if (const auto threads = parsed.value("--threads")) setCpuThreads(int(parseInteger("--threads", *threads, 1, 1024)));
    const BertWeights weights = loadHfCheckpoint(*model);
    const HfReference reference = loadHfReference(*parsed.value("--reference"));
    const Task task = referenceTask(parsed, reference, weights.config);
    const TaskOutput want = expectedOutput(reference, task);

    // The torch:* backends run HF itself, so by default they are not compared with HF; named in
    // --backends they are (their worker's choice of class, inputs and outputs for this architecture),
    // with the python3 found on PATH.
    std::vector<std::string> asked;
    if (const auto list = parsed.value("--backends")) asked = splitList("--backends", *list);
    app::RegistryOptions registryOptions;
    registryOptions.torch = std::any_of(asked.begin(), asked.end(), [](const std::string& n) {
        return n.rfind("torch:", 0) == 0;
    });
    const BackendRegistry registry = app::makeRegistry(registryOptions);
    const std::vector<std::string> names = asked.empty() ? registry.names() : asked;
    // The torch:* backends get the weights as a preset's reach them, through the checkpoint BertBench
    // writes (HfCheckpointWriter), not the folder as it is: the check covers the writer's names and
    // config.json for this architecture too.
    BertWeights written = weights;
    written.config.name.clear();

    out << "Model " << *model << " (" << weights.config.modelType << "), task " << toString(task) << ", reference "
        << reference.path << " (" << reference.batch.batchSize << " × " << reference.batch.maxSeqLen << ")\n";
    TextTable table({{"backend"}, {"dtype"}, {"output"}, {"rel L2", TextTable::Align::Right},
                     {"max abs", TextTable::Align::Right}, {"HF's own", TextTable::Align::Right},
                     {"tolerance", TextTable::Align::Right}, {""}});
    bool anyHfOwn = false;
    int failed = 0, checked = 0;
    std::vector<DType> failedWithoutHfOwn;
    for (const std::string& name : names) {
        const BackendInfo* info = registry.find(name);
        if (!info) throw UsageError("--backends: unknown backend " + name);
        if (!info->unavailableReason.empty()) {
            table.addRow({name, "-", "-", "-", "-", "-", "-", "not run: " + info->unavailableReason});
            continue;
        }
        if (info->unavailableFor) {
            if (const std::string why = info->unavailableFor(weights.config, task); !why.empty()) {
                table.addRow({name, "-", "-", "-", "-", "-", "-", "not run: " + why});
                continue;
            }
        }
        const bool viaWriter = name.rfind("torch:", 0) == 0;
        for (DType dtype : dtypesFor(parsed, *info)) {
            try {
                std::unique_ptr<Backend> backend = info->create();
                backend->loadModel(viaWriter ? written : weights, dtype);
                backend->prepare(task, reference.batch);
                backend->forward();
                const std::vector<NamedOutput> got = namedOutputs(backend->output());
                const std::vector<NamedOutput> expected = namedOutputs(want);
                const std::string variant = hfVariantOf(dtype);
                const bool withHfOwn = !variant.empty() && hasVariant(reference, task, variant);
                const std::vector<NamedOutput> hfOwn =
                    withHfOwn ? namedOutputs(expectedOutput(reference, task, variant)) : std::vector<NamedOutput>{};
                for (size_t i = 0; i < got.size(); ++i) {
                    const OutputError e = compareOutputs(got[i].values, expected[i].values, reference.batch);
                    std::optional<double> hf;
                    if (withHfOwn) {
                        hf = compareOutputs(hfOwn[i].values, expected[i].values, reference.batch).relL2;
                        anyHfOwn = true;
                    }
                    const double tolerance = referenceTolerance(dtype, hf);
                    const std::string hfOwnText = hf ? scientific(*hf) : "-";
                    const bool ok = e.relL2 <= tolerance;
                    failed += ok ? 0 : 1;
                    ++checked;
                    if (!ok && !hf) failedWithoutHfOwn.push_back(dtype);
                    table.addRow({name, toString(dtype), got[i].name, scientific(e.relL2), scientific(e.maxAbs), hfOwnText,
                                  scientific(tolerance), ok ? "ok" : "FAIL"});
                }
            } catch (const InputError&) {
                throw;
            } catch (const std::exception& e) {
                // A backend that cannot run this architecture says why; it is not a wrong answer.
                table.addRow({name, toString(dtype), "-", "-", "-", "-", "-", std::string("not run: ") + e.what()});
            }
        }
    }
    out << table.str("  ");
    if (anyHfOwn)
        out << "\nHF's own: HF's forward in that dtype (stored in the reference) against its fp32 outputs; the\n"
               "tolerance is the larger of the usual one and " << kHfOwnMargin << " × HF's own.\n";
    out << halfTypeHint(failedWithoutHfOwn);
    if (checked == 0) {
        err << "bertbench-cli verify: no backend of this build ran the checkpoint\n";
        return kExitFailedCell;
    }
    out << "\nverify: " << (failed == 0 ? "PASS" : "FAIL") << ", " << checked - failed << " of " << checked
        << " outputs within tolerance\n";
    return failed == 0 ? kExitOk : kExitFailedCell;
}

} // namespace bertbench::cli
