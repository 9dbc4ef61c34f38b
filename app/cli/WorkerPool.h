#pragma once
// The parent side of `run --gpus`: one worker process per slot (this same binary, hidden
// `__worker` command), cells handed out one at a time, rows gathered as they arrive.
//
// Why a dynamic queue rather than a static split: cells differ in cost by 1000x (batch 1 x 128
// against batch 128 x 512), so any static split leaves GPUs idle at the end, while a queue keeps
// every worker busy until the last cell; and a worker holds only the cell it measures, so when it
// dies nothing but that cell has to be redistributed: it goes back to the front of the queue and
// the others take it and the rest. The cost of a pipe round trip per cell (microseconds) is
// nothing beside a cell (milliseconds to minutes). The costliest cells go first (longest
// processing time first), which shortens the tail where one worker finishes a big cell alone.
#include <atomic>
#include <map>
#include <string>
#include <vector>

#include "app/cli/WorkerSlots.h"
#include "core/sweep/SweepRunner.h"

namespace bertbench::cli {

struct WorkerPoolConfig {
    std::string executable;     // the bertbench-cli to start (this one)
    std::string specPath;       // the sweep, as a spec file the workers read
    std::string runDir;         // each worker's folder is <runDir>/<label>
    std::string workersText;    // the --gpus value, recorded in their journals
    bool appendJournals = false;   // resume: workers append to their existing journals
    std::string shard;          // "i/n" of a --shard run (recorded in their journals), or empty
};

struct WorkerPoolResult {
    std::vector<ResultRow> rows;      // every completed cell's rows, in arrival order
    std::vector<GpuIdentity> gpus;    // the GPUs the workers reported
    // What each backend ran with, as the workers reported it (the last report of a backend wins).
    std::map<std::string, std::vector<KernelOption>> kernelOptions;
    std::string failure;              // set when cells were left (every worker died or failed)
    bool workerFailedToStart = false; // no worker got as far as loading the model
    std::vector<std::string> incidents;   // workers that died or failed, and what became of their cells
};

// Measures `cells` (of cellsOf(spec)) on the workers. `observer` sees cellStarted as cells are
// handed out, rowReady for each row of a completed cell (never rows of a cell whose worker died
// in it), progress and log lines. Stops handing out cells when `cancel` becomes true and
// forwards SIGINT to the workers, which then finish their forward and send cancelled rows.
WorkerPoolResult runWorkerPool(const WorkerPoolConfig& config, const std::vector<WorkerSlot>& slots,
                               const SweepSpec& spec, const std::vector<Cell>& cells, SweepObserver& observer,
                               const std::atomic<bool>& cancel);

// The path of the running executable (/proc/self/exe), unless BERTBENCH_WORKER_EXE names one:
// a program that embeds the CLI (the tests) points it at bertbench-cli.
std::string workerExecutable();

} // namespace bertbench::cli
