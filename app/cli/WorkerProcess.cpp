#include "app/cli/WorkerProcess.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "app/cli/CliSupport.h"
#include "app/cli/WorkerProtocol.h"

extern char** environ;

namespace bertbench::cli {

namespace fs = std::filesystem;

namespace {

// The worker's environment: ours, with its GPU alone visible, in nvidia-smi's (PCI) numbering.
std::vector<std::string> workerEnvironment(const WorkerSlot& slot) {
    std::vector<std::string> env;
    for (char** e = environ; *e != nullptr; ++e) {
        const std::string entry = *e;
        if (entry.rfind("CUDA_VISIBLE_DEVICES=", 0) == 0 || entry.rfind("CUDA_DEVICE_ORDER=", 0) == 0) continue;
        env.push_back(entry);
    }
    env.push_back("CUDA_DEVICE_ORDER=PCI_BUS_ID");
    env.push_back("CUDA_VISIBLE_DEVICES=" + slot.visibleDevices);
    return env;
}

std::vector<std::string> workerArguments(const WorkerPoolConfig& config, const WorkerSlot& slot) {
    std::vector<std::string> args{config.executable, worker::kCommand,
                                  "--spec", config.specPath,
                                  "--dir", (fs::path(config.runDir) / slot.label).string(),
                                  "--workers", config.workersText};
    if (config.appendJournals) args.push_back("--append");
    if (!config.shard.empty()) args.insert(args.end(), {"--shard", config.shard});
    if (slot.gpuIndex >= 0) args.insert(args.end(), {"--gpu-index", std::to_string(slot.gpuIndex)});
    if (!slot.cpus.empty()) args.insert(args.end(), {"--cpus", joinInts(slot.cpus)});
    if (slot.threads > 0) args.insert(args.end(), {"--threads", std::to_string(slot.threads)});
    return args;
}

std::vector<char*> cStrings(std::vector<std::string>& strings) {
    std::vector<char*> out;
    for (std::string& s : strings) out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

} // namespace

void spawnWorker(WorkerProcess& w, const WorkerPoolConfig& config) {
    int toChild[2], fromChild[2];
    if (pipe2(toChild, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    if (pipe2(fromChild, O_CLOEXEC) != 0) {
        close(toChild[0]);
        close(toChild[1]);
        throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, toChild[0], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, fromChild[1], STDOUT_FILENO);
    std::vector<std::string> args = workerArguments(config, w.slot);
    std::vector<std::string> env = workerEnvironment(w.slot);
    std::vector<char*> argv = cStrings(args), envp = cStrings(env);
    const int rc = posix_spawn(&w.pid, config.executable.c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    close(toChild[0]);
    close(fromChild[1]);
    if (rc != 0) {
        close(toChild[1]);
        close(fromChild[0]);
        throw std::runtime_error("cannot start worker " + w.slot.label + " (" + config.executable + "): " +
                                 std::strerror(rc));
    }
    w.toFd = toChild[1];
    w.fromFd = fromChild[0];
}

bool sendLine(WorkerProcess& w, const std::string& line) {
    if (w.toFd < 0) return false;
    const std::string text = line + "\n";
    size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = write(w.toFd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;   // it died: its end of the pipe will report it
        done += size_t(n);
    }
    return true;
}

std::string describeExit(int status) {
    if (WIFSIGNALED(status)) {
        const int sig = WTERMSIG(status);
        return "killed by signal " + std::to_string(sig) + " (" + strsignal(sig) + ")";
    }
    if (WIFEXITED(status)) return "exited with code " + std::to_string(WEXITSTATUS(status));
    return "ended";
}

} // namespace bertbench::cli
