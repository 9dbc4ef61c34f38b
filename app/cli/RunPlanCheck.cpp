// The whole-plan check before anything is measured: the model, every spec field (named by the
// flag that sets it), and whether each backend can run here in the plan's dtype.
#include "app/cli/RunPlan.h"

#include <algorithm>
#include <filesystem>
#include <optional>

#include "app/cli/CliSupport.h"
#include "core/backend/DTypeSupport.h"
#include "core/model/ModelConfig.h"

namespace bertbench::cli {
namespace {

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
        {"max_noise_pct", "--max-noise"}, {"min_time_s", "--min-time"},
        {"max_time_s", "--max-time"},   {"interleave", "--sequential"},
        {"workload.file", "--lengths/--texts"}, {"workload.kind", "--lengths/--texts"},
        {"workload.text_field", "--text-field"}, {"workload.tokenizer", "--tokenizer"},
        {"workload.batching", "--batching"}, {"workload.batches_per_cell", "--batches-per-cell"},
        {"workload.sha256", "--spec"}, {"workload.bytes", "--spec"},
    };
    const std::string key = field.substr(0, field.find('['));
    for (const auto& [name, flag] : kFlags)
        if (name == key) return flag;
    return field;
}

// The model's config (for the length and backend checks), or a problem naming --model.
std::optional<ModelConfig> modelConfigOf(const std::string& model, std::vector<std::string>& problems) {
    namespace fs = std::filesystem;
    try {
        if (isPreset(model)) return presetConfig(model);
        std::error_code ec;
        if (fs::is_directory(model, ec)) {
            const fs::path config = fs::path(model) / "config.json";
            const fs::path weights = fs::path(model) / "model.safetensors";
            if (!fs::exists(config, ec)) {
                problems.push_back("--model: folder '" + model +
                                   "' has no config.json (a HuggingFace checkpoint folder holds config.json + "
                                   "model.safetensors)");
                return std::nullopt;
            }
            if (!fs::exists(weights, ec))
                problems.push_back("--model: folder '" + model + "' has no model.safetensors");
            return loadHfConfig(config.string());
        }
        problems.push_back("--model: '" + model + "' is neither a preset (" + joinStrings(presetNames()) +
                           ") nor a checkpoint folder");
    } catch (const std::exception& e) {
        problems.push_back(std::string("--model: ") + e.what());
    }
    return std::nullopt;
}

} // namespace

std::vector<std::string> checkRunPlan(const RunPlan& plan, const BackendRegistry& registry) {
    std::vector<std::string> problems;
    const SweepSpec& spec = plan.spec;
    // Every model of the axis is read before anything is measured; the sequence axis must fit
    // the shortest of them.
    std::vector<ModelConfig> models;
    for (const std::string& name : spec.models) {
        if (std::optional<ModelConfig> config = modelConfigOf(name, problems)) {
            config->name = name;   // as the user named it, in the problems below
            models.push_back(std::move(*config));
        }
    }
    int maxPositions = 0;
    for (const ModelConfig& m : models)
        maxPositions = maxPositions == 0 ? m.maxSequenceLength() : std::min(maxPositions, m.maxSequenceLength());

    std::vector<std::string> named{spec.baseline};
    named.insert(named.end(), spec.candidates.begin(), spec.candidates.end());
    bool wantsCuda = false;
    for (const std::string& name : named) wantsCuda = wantsCuda || deviceOf(name) == "cuda";
    if (wantsCuda && !registryHasDevice(registry, "cuda"))
        problems.push_back("--device: no CUDA backend in this build and machine (bertbench-cli info says why); "
                           "use --device cpu");

    for (const SpecProblem& p : validateSpec(spec, maxPositions, registry.names()))
        problems.push_back(flagForField(p.field) + ": " + p.message + " (spec field " + p.field + ")");

    for (size_t i = 0; i < named.size(); ++i) {
        const std::string& name = named[i];
        const BackendInfo* info = registry.find(name);
        if (info == nullptr) continue;   // reported above
        const bool isBaseline = i == 0;   // the baseline may also be a candidate (A/A), in another dtype
        const std::string flag = isBaseline ? "--baseline" : "--backends";
        const DType dtype = isBaseline ? baselineDTypeOf(spec) : spec.dtype;
        const std::string dtypeFlag =
            isBaseline && spec.baselineDType ? "--baseline " + baselineLabel(spec) : "--dtype " + toString(dtype);
        if (!info->unavailableReason.empty()) {
            problems.push_back(flag + ": " + name + " cannot run here: " + info->unavailableReason);
            continue;
        }
        // What the backend cannot run of these models, as it says itself: an architecture the CUDA
        // forward does not implement or a head dim its kernel lacks, a head or an attention the
        // installed transformers has not for that architecture.
        bool refused = false;
        if (info->unavailableFor) {
            for (const ModelConfig& model : models) {
                for (Task task : spec.tasks) {
                    const std::string why = info->unavailableFor(model, task);
                    if (why.empty()) continue;
                    problems.push_back(flag + ": " + name + " cannot run " + model.name + " (" + model.modelType +
                                       ") for " + toString(task) + ": " + why);
                    refused = true;
                }
            }
        }
        if (refused) continue;
        // Why, in words (DTypeSupport.h): the types it runs, or for fp8 a CPU/torch backend or a GPU before sm_89.
        if (const std::string why = dtypeRefusal(*info, dtype); !why.empty()) problems.push_back(dtypeFlag + ": " + why);
    }
    // One line per problem, without repeats (a backend both unknown and the baseline, say).
    std::vector<std::string> unique;
    for (const std::string& p : problems)
        if (std::find(unique.begin(), unique.end(), p) == unique.end()) unique.push_back(p);
    return unique;
}

} // namespace bertbench::cli
