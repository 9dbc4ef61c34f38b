#include "app/cli/WorkerSlots.h"

#include <sched.h>

#include <algorithm>

#include "app/cli/ArgParser.h"
#include "app/cli/CliSupport.h"

namespace bertbench::cli {

namespace {

constexpr int kMaxWorkers = 256;

std::string machineGpuList(const std::vector<GpuIdentity>& gpus) {
    if (gpus.empty()) return "this machine has no GPU (or this build has no CUDA)";
    std::string s = "this machine has " + std::to_string(gpus.size()) + ": ";
    for (size_t i = 0; i < gpus.size(); ++i) s += (i ? ", " : "") + std::to_string(gpus[i].index) + " " + gpus[i].name;
    return s;
}

// Contiguous shares of `cpus`, as even as can be: 5 cores over 2 workers → 3 + 2.
std::vector<std::vector<int>> shareCores(const std::vector<int>& cpus, int workers) {
    std::vector<std::vector<int>> shares(static_cast<size_t>(workers));
    const size_t n = cpus.size();
    for (int w = 0; w < workers; ++w) {
        const size_t begin = n * size_t(w) / size_t(workers), end = n * size_t(w + 1) / size_t(workers);
        shares[size_t(w)].assign(cpus.begin() + long(begin), cpus.begin() + long(end));
    }
    return shares;
}

} // namespace

std::vector<int> allowedCpus() {
    cpu_set_t set;
    CPU_ZERO(&set);
    std::vector<int> cpus;
    if (sched_getaffinity(0, sizeof set, &set) != 0) return cpus;
    for (int c = 0; c < CPU_SETSIZE; ++c)
        if (CPU_ISSET(c, &set)) cpus.push_back(c);
    return cpus;
}

std::vector<WorkerSlot> planWorkers(const WorkerRequest& request) {
    const std::string& text = request.gpus;
    std::vector<WorkerSlot> slots;
    if (text.rfind("cpu:", 0) == 0) {
        if (request.sweepUsesCuda)
            throw UsageError("--gpus " + text + " starts CPU workers, but the sweep has cuda:* backends; list GPUs "
                             "(--gpus 0,1 or --gpus all)");
        const int n = int(parseInteger("--gpus cpu:N", text.substr(4), 1, kMaxWorkers));
        for (int k = 0; k < n; ++k) slots.push_back({"cpu" + std::to_string(k), "", -1, {}, 0});
    } else if (text == "all") {
        if (request.machineGpus.empty())
            throw UsageError("--gpus all: " + machineGpuList(request.machineGpus) +
                             "; use --gpus cpu:N for N CPU workers");
        for (const GpuIdentity& gpu : request.machineGpus)
            slots.push_back({"gpu" + std::to_string(gpu.index), std::to_string(gpu.index), gpu.index, {}, 0});
    } else {
        for (const std::string& item : splitList("--gpus", text)) {
            if (item.empty() || item.find_first_not_of("0123456789") != std::string::npos)
                throw UsageError("--gpus: '" + item + "' is not a GPU index (expected a list like 0,1,3, all, or cpu:N)");
            const int index = int(parseInteger("--gpus", item, 0, 4095));
            for (const WorkerSlot& s : slots)
                if (s.gpuIndex == index) throw UsageError("--gpus: GPU " + item + " is listed twice");
            if (request.sweepUsesCuda && index >= int(request.machineGpus.size()))
                throw UsageError("--gpus: GPU " + item + " does not exist (" + machineGpuList(request.machineGpus) + ")");
            slots.push_back({"gpu" + std::to_string(index), std::to_string(index), index, {}, 0});
        }
        if (int(slots.size()) > kMaxWorkers)
            throw UsageError("--gpus: at most " + std::to_string(kMaxWorkers) + " workers");
    }

    if (request.sweepUsesCpu) {
        const std::vector<int>& cpus = request.allowedCpus;
        if (cpus.size() < slots.size())
            throw UsageError("--gpus " + text + ": " + std::to_string(slots.size()) + " workers with CPU backends need " +
                             std::to_string(slots.size()) + " cores of their own; this process may use " +
                             std::to_string(cpus.size()));
        const std::vector<std::vector<int>> shares = shareCores(cpus, int(slots.size()));
        for (size_t k = 0; k < slots.size(); ++k) {
            slots[k].cpus = shares[k];
            slots[k].threads = request.threads > 0 ? request.threads : int(shares[k].size());
        }
    } else if (request.threads > 0) {
        for (WorkerSlot& s : slots) s.threads = request.threads;
    }
    return slots;
}

} // namespace bertbench::cli
