#pragma once
// A run: the spec, the machine it ran on, and its rows.
#include <map>
#include <string>
#include <vector>

#include "core/backend/KernelOption.h"

#include "core/sweep/ResultRow.h"
#include "core/sweep/SweepSpec.h"
#include "core/sweep/WorkloadRecord.h"

namespace bertbench {

struct Environment {
    std::string host;
    std::string cpu;
    std::string blas;
    std::string gpu;          // empty without CUDA
    std::string driver;
    std::string cudaRuntime;
    std::string bertbenchVersion;
    std::string startTime;    // ISO 8601 UTC
    std::string endTime;
    bool cudaGraphs = false;
    std::string source;       // "bertbench" or "seed-csv:<file>" for imported files
    // GEMM probe at sweep start: this GPU's attainable dense fp16/bf16 rate, the
    // denominator of every cell's % of peak. <= 0 = not measured; the note says why or how.
    double gemmPeakTflops = -1;
    std::string gemmProbeNote;
    int shardIndex = 0;       // --shard i/n: this run measured shard i (0-based) of n
    int shardCount = 0;       // 0 = the whole sweep (not a shard)
    std::string workers;      // --gpus of a multi-worker run ("0,1,3", "cpu:2"); empty = one process
    // Per backend name, the options and kernel choices it ran with (Backend::kernelOptions, the
    // latest after its cells). Empty = none recorded (older files, CSVs, backends without any).
    std::map<std::string, std::vector<KernelOption>> kernelOptions;
};

struct Run {
    SweepSpec spec;
    Environment environment;
    std::vector<ResultRow> rows;
    // A data workload's file identity and each model's lengths (not recorded: kind Synthetic).
    WorkloadRecord workload;
};

// Rows read from a file that records no model per row (run files written before the model axis)
// belong to the spec's first model.
void assignMissingModels(Run& run);

// The run as if it had measured `model` alone: its rows only, spec.models = {model}. Views
// and figures show a run of several models one model at a time through it.
Run runOfModel(const Run& run, const std::string& model);

// Environment of this process (host, CPU, BLAS, version, start time now). GPU fields
// are filled by app/ when the CUDA library is present.
Environment currentEnvironment();
std::string isoTimeNow();

} // namespace bertbench
