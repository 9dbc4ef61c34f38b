// `offline` (also `run --scenario offline`): the MLPerf-shaped offline scenario
// (core/sweep/OfflineScenario.h) over a lengths file: samples sorted by length into batches, the
// batch size searched per backend, samples/s and real tokens/s, task agreement with the first
// backend. docs/PERFORMANCE.md compares it with MLPerf Inference's published figures.
#include <filesystem>
#include <optional>
#include <ostream>

#include "app/cli/CliSupport.h"
#include "app/common/Backends.h"
#include "core/cpu/CpuBackends.h"
#include "core/backend/DTypeSupport.h"
#include "core/results/RunFiles.h"
#include "core/sweep/OfflineJson.h"
#include "core/sweep/OfflineScenario.h"
#include "core/util/Sha256.h"
#include "core/workload/WorkloadFiles.h"

namespace bertbench::cli {

namespace {

const CommandHelp& offlineHelp() {
    static const CommandHelp help{
        "bertbench-cli offline --lengths FILE [options]\n"
        "       bertbench-cli run --scenario offline --lengths FILE [options]",
        "The offline scenario, shaped like MLPerf Inference's Offline: N samples from a lengths file, all\n"
        "available at once, sorted by length and cut into batches (each padded to its longest row); for\n"
        "each backend the batch size with the most samples/s is searched (sizes of --batch-sizes in\n"
        "increasing order: a warm-up pass and --passes timed passes each, the median pass; the search\n"
        "stops at the first size out of memory, or after --patience sizes in a row slower than the best).\n"
        "Reports samples/s and real tokens/s, and the task agreement of every backend with the first on\n"
        "the same batches. A pass's time is the sum of the backend's device times over its batches.",
        {{"--lengths", "FILE", "token counts, one per line (or a CSV/TSV column length, len, num_tokens\n"
                               "or tokens, or a JSON array), e.g. bench/throughput/squad_v1.1_like_lengths.txt"},
         {"--samples", "N", "samples of the set (default: every row of FILE; beyond its rows, drawn\nwith replacement)"},
         {"--model", "M", "a preset or a checkpoint folder (default bert-large)"},
         {"--task", "T", "encoder, mlm, classification, token_classification or qa (default qa)", {"--tasks"}},
         {"--dtype", "D", "fp32, fp16, bf16 or fp8 (default fp16 on cuda, fp32 on cpu)"},
         {"--max-len", "L", "max sequence length; longer rows are truncated (default 384)", {"--max-seqlen"}},
         {"--backends", "LIST", "backends to measure, the first the agreement reference (default:\n"
                                "cuda:sdpa,cuda:flash_attention_2 on cuda, cpu:eager,cpu:sdpa on cpu)"},
         {"--device", "D", "cuda or cpu (default cuda when a CUDA backend is available)"},
         {"--batch-sizes", "LIST", "batch sizes to search (default 16,32,64,128,256,512,1024)"},
         {"--passes", "N", "timed passes per batch size (default 3)"},
         {"--warmup", "N", "warm-up passes per batch size (default 1)"},
         {"--patience", "N", "stop after N sizes in a row slower than the best (default 2)"},
         {"--agreement-samples", "N", "samples of the agreement check, spread over the lengths (default 512;\n0 = none)"},
         {"--agreement-batch", "N", "their batch size (default 32)"},
         {"--reference", "B[:D]", "the agreement reference, run for it alone, e.g. cuda:eager:fp32 (default:\nthe first of --backends in --dtype)"},
         {"--seed", "S", "weights of a preset, token ids, draws beyond the file (default 1)"},
         {"--cuda-graphs", "", "replay each batch's forward from a CUDA graph"},
         {"--memory-limit-mb", "MB", "refuse batches needing more (default: none)"},
         {"--threads", "N", "CPU threads of the cpu:* backends"},
         {"--python", "PATH", "the interpreter of the torch:* backends (default python3)"},
         {"--out", "DIR", "write offline.json and offline.txt there"},
         {"--scenario", "S", "offline (the only scenario of this command; for run's spelling)"},
         {"--quiet", "", "no per-batch-size progress lines"}},
        "Example (the MLPerf-shaped cell of docs/PERFORMANCE.md):\n"
        "  bertbench-cli offline --lengths bench/throughput/squad_v1.1_like_lengths.txt --model bert-large \\\n"
        "      --task qa --max-len 384 --dtype fp16 --cuda-graphs --backends cuda:flash_attention_2,torch:sdpa\n"
        "Exit codes: 0 every backend ran at some batch size, 1 one did not, 2 bad input.\n"};
    return help;
}

} // namespace

int offlineCommand(const CommandArgs& args, std::ostream& out, std::ostream& err) {
    return guardedCommand("offline", err, [&] {
        ParsedArgs parsed;
        if (parseOrHelp(args, offlineHelp(), out, parsed)) return kExitOk;
        if (!parsed.positionals.empty()) throw UsageError("unexpected argument '" + parsed.positionals.front() + "'");
        if (const auto s = parsed.value("--scenario"); s && *s != "offline")
            throw UsageError("--scenario " + *s + ": this command runs the offline scenario only");
        const auto lengthsFile = parsed.value("--lengths");
        if (!lengthsFile) throw UsageError("the offline scenario needs --lengths FILE");
        if (const auto threads = parsed.value("--threads")) setCpuThreads(int(parseInteger("--threads", *threads, 1, 1024)));

        OfflineSpec spec;
        spec.lengthsFile = *lengthsFile;
        const std::vector<int> workload = readLengthsFile(*lengthsFile);
        spec.lengthsSha256 = sha256OfFile(*lengthsFile);
        spec.samples = int(workload.size());
        if (const auto v = parsed.value("--samples")) spec.samples = int(parseInteger("--samples", *v, 1, 10000000));
        if (const auto v = parsed.value("--model")) spec.model = *v;
        if (const auto v = parsed.value("--task")) {
            const auto t = parseTask(*v);
            if (!t) throw UsageError("--task " + *v + ": unknown task");
            spec.task = *t;
        }
        if (const auto v = parsed.value("--max-len")) spec.maxLength = int(parseInteger("--max-len", *v, 1, 1 << 16));
        if (const auto v = parsed.value("--batch-sizes")) spec.batchSizes = parseIntList("--batch-sizes", *v);
        for (int b : spec.batchSizes)
            if (b < 1) throw UsageError("--batch-sizes: every size must be at least 1");
        if (const auto v = parsed.value("--passes")) spec.passes = int(parseInteger("--passes", *v, 1, 1000));
        if (const auto v = parsed.value("--warmup")) spec.warmupPasses = int(parseInteger("--warmup", *v, 0, 1000));
        if (const auto v = parsed.value("--patience")) spec.patience = int(parseInteger("--patience", *v, 1, 100));
        if (const auto v = parsed.value("--agreement-samples"))
            spec.agreementSamples = int(parseInteger("--agreement-samples", *v, 0, 1000000));
        if (const auto v = parsed.value("--agreement-batch"))
            spec.agreementBatch = int(parseInteger("--agreement-batch", *v, 1, 100000));
        if (const auto v = parsed.value("--seed")) spec.seed = parseUnsigned("--seed", *v);
        if (const auto v = parsed.value("--memory-limit-mb"))
            spec.memoryLimitMb = parseInteger("--memory-limit-mb", *v, 0, int64_t(1) << 40);
        spec.cudaGraphs = parsed.has("--cuda-graphs");
        if (const auto v = parsed.value("--reference")) {
            const BackendWithDType ref = splitBackendDType(*v);   // "cuda:eager:fp32"
            if (!ref.error.empty()) throw UsageError("--reference " + *v + ": " + ref.error);
            if (ref.dtype) spec.referenceDType = *ref.dtype;
            spec.reference = ref.backend;
        }

        app::RegistryOptions options;
        options.python = parsed.value("--python").value_or("python3");
        const BackendRegistry registry = app::makeRegistry(options);
        bool haveCuda = false;
        for (const BackendInfo& info : registry.all())
            if (info.device == "cuda" && info.unavailableReason.empty()) haveCuda = true;
        std::string device = parsed.value("--device").value_or(haveCuda ? "cuda" : "cpu");
        if (device != "cuda" && device != "cpu") throw UsageError("--device " + device + ": cuda or cpu");
        spec.dtype = device == "cuda" ? DType::Float16 : DType::Float32;
        if (const auto v = parsed.value("--dtype")) {
            const auto d = parseDType(*v);
            if (!d) throw UsageError("--dtype " + *v + ": fp32, fp16, bf16 or fp8");
            spec.dtype = *d;
        }
        if (const auto v = parsed.value("--backends")) spec.backends = splitList("--backends", *v);
        else if (device == "cuda") spec.backends = {"cuda:sdpa", "cuda:flash_attention_2"};
        else spec.backends = {"cpu:eager", "cpu:sdpa"};
        if (!spec.reference.empty()) {
            const BackendInfo* info = registry.find(spec.reference);
            if (!info) throw UsageError("--reference: unknown backend " + spec.reference);
            const std::string why = dtypeRefusal(*info, spec.referenceDType);
            if (!why.empty()) throw InputError("--reference: " + why);
        }
        for (const std::string& name : spec.backends) {
            const BackendInfo* info = registry.find(name);
            if (!info) throw UsageError("--backends: unknown backend " + name + " (bertbench-cli list-backends)");
            if (!info->unavailableReason.empty())
                throw InputError("--backends: " + name + " cannot run here: " + info->unavailableReason);
            const std::string why = dtypeRefusal(*info, spec.dtype);
            if (!why.empty()) throw InputError("--dtype " + toString(spec.dtype) + ": " + why);
        }

        const bool quiet = parsed.has("--quiet");
        const std::optional<std::string> dir = parsed.value("--out");
        auto write = [&](const OfflineResult& r) {   // after every backend: an interrupted run keeps what it finished
            if (!dir) return;
            std::filesystem::create_directories(*dir);   // atomic: a kill mid-write keeps the last whole file
            writeFileAtomic((std::filesystem::path(*dir) / "offline.json").string(), offlineToJson(r));
            writeFileAtomic((std::filesystem::path(*dir) / "offline.txt").string(), offlineTable(r));
        };
        const OfflineResult result = runOffline(
            spec, workload, registry, loadWeightsFor,
            [&](const std::string& line) {
                if (!quiet) err << "  " << line << "\n" << std::flush;
            },
            write);
        out << offlineTable(result);
        write(result);
        if (dir) out << "Wrote " << (std::filesystem::path(*dir) / "offline.json").string() << "\n";
        for (const OfflineBackendResult& b : result.backends)
            if (b.best < 0) return kExitFailedCell;
        return kExitOk;
    });
}

} // namespace bertbench::cli
