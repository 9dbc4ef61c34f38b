// `list-backends`, `list-models` and `info`: what this build and this machine offer.
#include <ostream>

#include "core/model/ModelConfig.h"

#include "app/cli/CliSupport.h"
#include "app/cli/TextTable.h"
#include "app/common/Backends.h"
#include "core/cpu/CpuBackends.h"

namespace bertbench::cli {

namespace {

const CommandHelp& listBackendsHelp() {
    static const CommandHelp help{
        "bertbench-cli list-backends [--names] [--python PATH] [--model PRESET|DIR]",
        "List the backends this build registered on this machine: name, device, attention,\n"
        "data types and a description. CUDA backends appear only when BertBench was built\n"
        "with CUDA and a GPU of compute capability 8.0 or newer is present. The torch:*\n"
        "backends (HuggingFace transformers in a Python worker) are always listed; those the\n"
        "interpreter cannot run say why (no torch, no transformers, no CUDA in torch, no\n"
        "flash_attn, a version too old, no such interpreter). With --model, each backend that\n"
        "runs here also says which tasks of that model it cannot run and why (a head dim its\n"
        "attention kernel lacks, a head or an attention transformers has not for the architecture).",
        {{"--names", "", "print only the names of the backends that can run here, one a line"},
         {"--python", "PATH", "the interpreter of the torch:* backends (default python3)"},
         {"--model", "PRESET|DIR", "a preset or HF checkpoint folder: what each backend cannot run of it"}},
        ""};
    return help;
}

const CommandHelp& listModelsHelp() {
    static const CommandHelp help{
        "bertbench-cli list-models [--names]",
        "List the model presets: random weights (seeded by --seed) at the shapes of the published\n"
        "checkpoints, for --model / --models. A HuggingFace checkpoint folder (config.json +\n"
        "model.safetensors) of a model type listed here works as well.",
        {{"--names", "", "print only the preset names, one a line"}},
        ""};
    return help;
}

const CommandHelp& infoHelp() {
    static const CommandHelp help{"bertbench-cli info [--python PATH]",
                                  "Describe this machine as BertBench sees it: BertBench version, host, CPU, BLAS\n"
                                  "library and threads, GPUs (name, memory, driver, CUDA runtime) or why none, and\n"
                                  "what the Python interpreter offers the torch:* backends.",
                                  {{"--python", "PATH", "the interpreter of the torch:* backends (default python3)"}},
                                  ""};
    return help;
}

std::string pythonFlag(const ParsedArgs& parsed) {
    const std::string python = parsed.value("--python").value_or("python3");
    if (python.empty()) throw UsageError("--python: the interpreter path is empty");
    return python;
}

// Per backend that runs here, the tasks of `model` it cannot run and why (BackendInfo::unavailableFor).
void printModelLimits(std::ostream& out, const BackendRegistry& registry, const std::string& model) {
    const ModelConfig config = isPreset(model) ? presetConfig(model) : loadHfConfig(model + "/config.json");
    out << "\nModel " << model << " (" << config.modelType << "):\n";
    bool any = false;
    for (const BackendInfo& info : registry.all()) {
        if (!info.unavailableReason.empty() || !info.unavailableFor) continue;
        for (Task task : allTasks()) {
            const std::string why = info.unavailableFor(config, task);
            if (why.empty()) continue;
            out << "  " << info.name << " cannot run " << toString(task) << ": " << why << "\n";
            any = true;
        }
    }
    if (!any) out << "  every backend that runs here runs every task of it\n";
}

void rejectPositionals(const ParsedArgs& parsed) {
    if (!parsed.positionals.empty()) throw UsageError("unexpected argument '" + parsed.positionals.front() + "'");
}

} // namespace

int listModelsCommand(const CommandArgs& args, std::ostream& out, std::ostream& err) {
    return guardedCommand("list-models", err, [&] {
        ParsedArgs parsed;
        if (parseOrHelp(args, listModelsHelp(), out, parsed)) return kExitOk;
        rejectPositionals(parsed);
        if (parsed.has("--names")) {
            for (const std::string& name : presetNames()) out << name << "\n";
            return kExitOk;
        }
        using A = TextTable::Align;
        TextTable table({{"preset", A::Left}, {"model_type", A::Left}, {"layers", A::Right}, {"hidden", A::Right},
                         {"heads", A::Right}, {"ffn", A::Right}, {"vocab", A::Right}, {"max len", A::Right}});
        for (const std::string& name : presetNames()) {
            const ModelConfig c = presetConfig(name);
            table.addRow({name, c.modelType, std::to_string(c.numLayers), std::to_string(c.hiddenSize),
                          std::to_string(c.numHeads), std::to_string(c.intermediateSize), std::to_string(c.vocabSize),
                          std::to_string(c.maxSequenceLength())});
        }
        out << table.str();
        std::string types;
        for (const std::string& t : supportedModelTypes()) types += (types.empty() ? "" : ", ") + t;
        out << "\nCheckpoint folders of these model types load too: " << types << ".\n";
        return kExitOk;
    });
}

int listBackendsCommand(const CommandArgs& args, std::ostream& out, std::ostream& err) {
    return guardedCommand("list-backends", err, [&] {
        ParsedArgs parsed;
        if (parseOrHelp(args, listBackendsHelp(), out, parsed)) return kExitOk;
        rejectPositionals(parsed);
        app::RegistryOptions options;
        options.python = pythonFlag(parsed);
        const BackendRegistry registry = app::makeRegistry(options);
        if (parsed.has("--names")) {
            for (const BackendInfo& info : registry.all())
                if (info.unavailableReason.empty()) out << info.name << "\n";
            return kExitOk;
        }
        using A = TextTable::Align;
        TextTable table({{"name", A::Left}, {"device", A::Left}, {"attention", A::Left}, {"dtypes", A::Left},
                         {"description", A::Left}});
        bool anyCuda = false;
        for (const BackendInfo& info : registry.all()) {
            std::vector<std::string> dtypes;
            for (DType d : info.dtypes) dtypes.push_back(toString(d));
            const std::string description =
                info.unavailableReason.empty() ? info.description : "unavailable: " + info.unavailableReason;
            table.addRow({info.name, info.device, info.attention, joinStrings(dtypes, ","), description});
            anyCuda = anyCuda || info.name.rfind("cuda:", 0) == 0;
        }
        out << table.str();
        if (!anyCuda) out << "\nNo CUDA backends in this build on this machine; `bertbench-cli info` says why.\n";
        if (const auto model = parsed.value("--model")) printModelLimits(out, registry, *model);
        return kExitOk;
    });
}

int infoCommand(const CommandArgs& args, std::ostream& out, std::ostream& err) {
    return guardedCommand("info", err, [&] {
        ParsedArgs parsed;
        if (parseOrHelp(args, infoHelp(), out, parsed)) return kExitOk;
        rejectPositionals(parsed);
        for (const std::string& line : app::machineInfoLines(pythonFlag(parsed))) out << line << "\n";
        out << "CPU backend threads: " << cpuThreads() << " (run --threads N changes it)\n";
        return kExitOk;
    });
}

} // namespace bertbench::cli
