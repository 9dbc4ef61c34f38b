#include "core/sweep/Run.h"

#include <unistd.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <thread>

#include "core/cpu/CpuBackends.h"

namespace bertbench {

std::string isoTimeNow() {
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm utc{};
    gmtime_r(&now, &utc);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return buf;
}

void assignMissingModels(Run& run) {
    if (run.spec.models.empty()) return;
    for (ResultRow& r : run.rows)
        if (r.cell.model.empty()) r.cell.model = run.spec.models.front();
}

Run runOfModel(const Run& run, const std::string& model) {
    Run out = run;   // everything the run records (spec, environment, workload, ...) as it is
    out.spec.models = {model};
    std::erase_if(out.rows, [&](const ResultRow& r) { return r.cell.model != model; });
    return out;
}

namespace {

std::string hostName() {
    char buf[256] = {};
    if (gethostname(buf, sizeof buf - 1) != 0) return "unknown";
    return buf;
}

std::string cpuModel() {
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("model name", 0) == 0) {
            const size_t colon = line.find(':');
            if (colon != std::string::npos) {
                std::string model = line.substr(colon + 1);
                model.erase(0, model.find_first_not_of(' '));
                return model + " (" + std::to_string(std::thread::hardware_concurrency()) + " threads)";
            }
        }
    }
    return "unknown CPU (" + std::to_string(std::thread::hardware_concurrency()) + " threads)";
}

} // namespace

Environment currentEnvironment() {
    Environment env;
    env.host = hostName();
    env.cpu = cpuModel();
    env.blas = cpuBlasDescription();
    env.bertbenchVersion = BERTBENCH_VERSION;
    env.startTime = isoTimeNow();
    env.source = "bertbench";
    return env;
}

} // namespace bertbench
