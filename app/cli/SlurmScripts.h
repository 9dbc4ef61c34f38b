#pragma once
// The scripts `bertbench-cli slurm` writes: a job array whose task i measures shard i/N of a
// sweep (run --shard), a merge job, and submit.sh, which submits the array, then the merge job
// with --dependency=afterok:<array job id> (captured with sbatch --parsable).
#include <string>

namespace bertbench::cli {

struct SlurmJob {
    std::string cli;          // absolute path of bertbench-cli on the cluster
    std::string spec;         // absolute path of the sweep's spec file
    std::string outDir;       // absolute: shard-<i>/ per task, merged/, slurm/ (these scripts, logs)
    int tasks = 1;            // N
    std::string partition;    // empty = the cluster's default
    std::string gres;         // "gpu:1"; empty = none
    std::string time;         // "1:00:00"; empty = the partition's default
    int cpusPerTask = 0;      // 0 = SLURM's default; else also each shard's --threads
};

struct SlurmScripts {
    std::string array;    // slurm/array.sbatch
    std::string merge;    // slurm/merge.sbatch
    std::string submit;   // slurm/submit.sh
};

SlurmScripts makeSlurmScripts(const SlurmJob& job);

// 'text' for sh, with embedded single quotes closed and reopened.
std::string shellQuote(const std::string& text);

// Whether `text` is a time limit sbatch accepts: minutes, minutes:seconds, hours:minutes:seconds,
// days-hours, days-hours:minutes, days-hours:minutes:seconds, or UNLIMITED/INFINITE.
bool isSlurmTime(const std::string& text);

} // namespace bertbench::cli
