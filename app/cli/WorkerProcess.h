#pragma once
// One `run --gpus` worker as the parent sees it: the child process (this same binary, hidden
// `__worker` command) with its GPU alone visible, its stdin, and the private pipe it answers on.
#include <sys/types.h>

#include <string>
#include <vector>

#include "app/cli/WorkerPool.h"

namespace bertbench::cli {

enum class WorkerState { Starting, Idle, Busy, Stopping, Gone };

struct WorkerProcess {
    WorkerSlot slot;
    pid_t pid = -1;
    int toFd = -1;     // its stdin
    int fromFd = -1;   // its protocol pipe
    std::string buffer;
    WorkerState state = WorkerState::Starting;
    int inFlight = -1;                 // cell number it measures, -1 = none
    std::vector<ResultRow> pending;    // rows of the cell in flight, released on "done"
    std::string fatal;                 // what it said before it gave up
};

// Starts the worker with its stdin and protocol pipe connected to us. Throws on failure.
void spawnWorker(WorkerProcess& w, const WorkerPoolConfig& config);
// One protocol line to the worker; false when it is gone (its end of the pipe reports why).
bool sendLine(WorkerProcess& w, const std::string& line);
// A wait() status as words: "exited with code 3", "killed by signal 9 (Killed)".
std::string describeExit(int status);

} // namespace bertbench::cli
