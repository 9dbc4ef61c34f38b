// `list-backends` and `info`: what this build and this machine offer.
#include <ostream>

#include "app/cli/CliSupport.h"
#include "app/cli/TextTable.h"
#include "app/common/Backends.h"
#include "core/cpu/CpuBackends.h"

namespace bertbench::cli {

namespace {

const CommandHelp& listBackendsHelp() {
    static const CommandHelp help{
        "bertbench-cli list-backends [--names]",
        "List the backends this build registered on this machine: name, device, attention,\n"
        "data types and a description. CUDA backends appear only when BertBench was built\n"
        "with CUDA and a GPU of compute capability 8.0 or newer is present.",
        {{"--names", "", "print only the names, one a line (for scripts)"}},
        ""};
    return help;
}

const CommandHelp& infoHelp() {
    static const CommandHelp help{"bertbench-cli info",
                                  "Describe this machine as BertBench sees it: BertBench version, host, CPU, BLAS\n"
                                  "library and threads, GPUs (name, memory, driver, CUDA runtime) or why none.",
                                  {},
                                  ""};
    return help;
}

void rejectPositionals(const ParsedArgs& parsed) {
    if (!parsed.positionals.empty()) throw UsageError("unexpected argument '" + parsed.positionals.front() + "'");
}

} // namespace

int listBackendsCommand(const CommandArgs& args, std::ostream& out, std::ostream& err) {
    return guardedCommand("list-backends", err, [&] {
        ParsedArgs parsed;
        if (parseOrHelp(args, listBackendsHelp(), out, parsed)) return kExitOk;
        rejectPositionals(parsed);
        const BackendRegistry registry = app::makeRegistry();
        if (parsed.has("--names")) {
            for (const BackendInfo& info : registry.all()) out << info.name << "\n";
            return kExitOk;
        }
        using A = TextTable::Align;
        TextTable table({{"name", A::Left}, {"device", A::Left}, {"attention", A::Left}, {"dtypes", A::Left},
                         {"description", A::Left}});
        bool anyCuda = false;
        for (const BackendInfo& info : registry.all()) {
            std::vector<std::string> dtypes;
            for (DType d : info.dtypes) dtypes.push_back(toString(d));
            table.addRow({info.name, info.device, info.attention, joinStrings(dtypes, ","), info.description});
            anyCuda = anyCuda || info.device == "cuda";
        }
        out << table.str();
        if (!anyCuda) out << "\nNo CUDA backends in this build on this machine; `bertbench-cli info` says why.\n";
        return kExitOk;
    });
}

int infoCommand(const CommandArgs& args, std::ostream& out, std::ostream& err) {
    return guardedCommand("info", err, [&] {
        ParsedArgs parsed;
        if (parseOrHelp(args, infoHelp(), out, parsed)) return kExitOk;
        rejectPositionals(parsed);
        for (const std::string& line : app::machineInfoLines()) out << line << "\n";
        out << "CPU backend threads: " << cpuThreads() << " (run --threads N changes it)\n";
        return kExitOk;
    });
}

} // namespace bertbench::cli
