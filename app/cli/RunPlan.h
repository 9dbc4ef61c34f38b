#pragma once
// `run`'s flags → a SweepSpec plus where and how to run it, and the whole-plan check that
// happens before anything is measured.
//
// Precedence: built-in defaults < --spec FILE < flags given on the command line.
#include <optional>
#include <string>
#include <vector>

#include "app/cli/ArgParser.h"
#include "core/sweep/Shard.h"
#include "core/backend/Backend.h"
#include "core/sweep/SweepSpec.h"

namespace bertbench::cli {

struct RunPlan {
    SweepSpec spec;
    std::string device;               // "cpu" | "cuda": the device of the default baseline/candidate
    std::string outDir;               // empty = ./bertbench-runs/<local time>/
    int threads = -1;                 // CPU threads; -1 = leave the library's default
    bool quiet = false;               // no per-row lines, no progress
    std::string python = "python3";   // interpreter of the torch:* backends (--python)
    bool deviceGiven = false;         // --device/--use-cuda given: the torch:* backends run there too
    std::optional<Shard> shard;       // --shard i/n: measure only that shard's cells
    std::string gpus;                 // --gpus: one worker process per GPU (WorkerSlots.h); empty = this process
    std::vector<std::string> notes;   // flags accepted for compatibility but without effect
};

// The old script's sweep (--sweep): 8 batch sizes × 3 lengths × 5 pads = 120 cells a task.
extern const std::vector<int> kSweepBatchSizes;
extern const std::vector<int> kSweepSeqLens;
extern const std::vector<double> kSweepPads;

// The options of `run` (and `demo`) and its --help text (RunOptions.cpp).
const CommandHelp& runHelp();

// Builds the plan. Throws UsageError for a malformed value or conflicting flags, and
// InputError for an unreadable/invalid --spec file.
RunPlan planRun(const ParsedArgs& args, const BackendRegistry& registry);

// Every problem with the plan at once (model, every spec field, backends and their dtypes),
// each line naming the flag, the value and the allowed range. Empty = ready to run (RunPlanCheck.cpp).
std::vector<std::string> checkRunPlan(const RunPlan& plan, const BackendRegistry& registry);

// "bert-base-uncased", "google-bert/bert-base-uncased" → "bert-base"; presets and folders unchanged.
std::string normalizeModelName(const std::string& name);
// "sdpa" → "<device>:sdpa"; names that already carry a device are unchanged.
std::string qualifyBackend(const std::string& name, const std::string& device);
// Whether this build and machine offer BertBench's own backends of `device` ("cuda:*");
// torch:* backends on the GPU do not count.
bool registryHasDevice(const BackendRegistry& registry, const std::string& device);
// "cuda:sdpa" → "cuda"; "" for a name without a device.
std::string deviceOf(const std::string& backend);
// Whether the plan's baseline or candidates include a torch:* backend (then the registry must
// carry them, which means probing the Python interpreter).
bool namesTorchBackend(const SweepSpec& spec);

} // namespace bertbench::cli
