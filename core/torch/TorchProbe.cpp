#include "core/torch/TorchProbe.h"

#include <map>
#include <mutex>
#include <sstream>
#include <vector>

#include "core/torch/TorchFiles.h"
#include "core/torch/TorchWorkerProcess.h"

namespace bertbench::torch {

namespace {

std::vector<int> numericParts(const std::string& v) {
    std::vector<int> parts;
    std::string piece;
    std::istringstream in(v.substr(0, v.find('+')));
    while (std::getline(in, piece, '.')) {
        std::string digits;
        for (char c : piece) {
            if (c < '0' || c > '9') break;
            digits += c;
        }
        if (digits.empty()) break;
        parts.push_back(std::stoi(digits.substr(0, 9)));
    }
    return parts;
}

std::string stringField(const nlohmann::json& j, const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool boolField(const nlohmann::json& j, const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_boolean() && it->get<bool>();
}

} // namespace

bool versionAtLeast(const std::string& version, const std::string& minimum) {
    const std::vector<int> a = numericParts(version), b = numericParts(minimum);
    for (size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
        const int x = i < a.size() ? a[i] : 0, y = i < b.size() ? b[i] : 0;
        if (x != y) return x > y;
    }
    return true;
}

TorchProbeResult runTorchProbe(const std::string& python, const std::string& workerScript, double timeoutS) {
    TorchProbeResult r;
    r.python = python;
    try {
        TempFolder folder("bertbench-probe-");
        const std::string script = workerScript.empty() ? writeWorkerScript(folder.path()) : workerScript;
        TorchWorkerProcess worker;
        worker.start(python, {"-u", script}, {{"PYTHONDONTWRITEBYTECODE", "1"}});
        const nlohmann::json hello = worker.request({{"cmd", "hello"}}, timeoutS);
        worker.stop(2.0);
        if (!hello.contains("protocol") || !hello["protocol"].is_number_integer() || hello["protocol"].get<int>() != 1) {
            r.problem = python + " ran a worker speaking another protocol version (" +
                        (hello.contains("protocol") ? hello["protocol"].dump() : std::string("none")) + ", expected 1)";
            return r;
        }
        r.pythonVersion = stringField(hello, "python");
        r.torchVersion = stringField(hello, "torch");
        r.torchError = stringField(hello, "torch_error");
        r.transformersVersion = stringField(hello, "transformers");
        r.transformersError = stringField(hello, "transformers_error");
        r.cudaAvailable = boolField(hello, "cuda_available");
        r.cudaDevice = stringField(hello, "cuda_device");
        r.flashAttnVersion = stringField(hello, "flash_attn");
        if (const auto it = hello.find("bert_supports"); it != hello.end() && it->is_object()) {
            r.bertSdpa = boolField(*it, "sdpa");
            r.bertFlash = boolField(*it, "flash_attention_2");
        }
        if (const auto it = hello.find("family"); it != hello.end() && it->is_object()) {
            for (const auto& [modelType, tasks] : it->items()) {
                if (!tasks.is_object()) continue;
                for (const auto& [task, support] : tasks.items()) {
                    if (!support.is_object()) continue;
                    TorchClassSupport& s = r.family[modelType][task];
                    s.className = stringField(support, "class");
                    s.present = boolField(support, "present");
                    s.sdpa = boolField(support, "sdpa");
                    s.flash = boolField(support, "flash_attention_2");
                }
            }
        }
        if (const std::string m = stringField(hello, "min_torch"); !m.empty()) r.minTorch = m;
        if (const std::string m = stringField(hello, "min_transformers"); !m.empty()) r.minTransformers = m;
    } catch (const std::exception& e) {
        r.problem = e.what();
    }
    return r;
}

const TorchProbeResult& probeTorch(const std::string& python, const std::string& workerScript) {
    static std::mutex mutex;
    static std::map<std::pair<std::string, std::string>, TorchProbeResult> cache;
    std::lock_guard lock(mutex);
    const auto key = std::make_pair(python, workerScript);
    auto it = cache.find(key);
    if (it == cache.end()) it = cache.emplace(key, runTorchProbe(python, workerScript)).first;
    return it->second;
}

std::string torchUnavailableReason(const TorchProbeResult& p, const std::string& attention, const std::string& device) {
    if (!p.problem.empty()) return "the Python worker did not start: " + p.problem;
    const std::string py = p.python + " (Python " + p.pythonVersion + ")";
    if (p.torchVersion.empty())
        return py + " has no torch" + (p.torchError.empty() ? "" : ": " + p.torchError) +
               " (pip install torch, or give another interpreter with --python PATH)";
    if (!versionAtLeast(p.torchVersion, p.minTorch))
        return "torch " + p.torchVersion + " is too old (" + p.minTorch + " or newer is needed)";
    if (p.transformersVersion.empty())
        return py + " has no transformers" + (p.transformersError.empty() ? "" : ": " + p.transformersError) +
               " (pip install transformers)";
    if (!versionAtLeast(p.transformersVersion, p.minTransformers))
        return "transformers " + p.transformersVersion + " is too old (" + p.minTransformers +
               " or newer is needed for attn_implementation)";
    if (device == "cuda" && !p.cudaAvailable)
        return "torch " + p.torchVersion + " sees no CUDA device (torch.cuda.is_available() is False)";
    if (attention == "sdpa" && !p.bertSdpa)
        return "transformers " + p.transformersVersion + "'s BertModel does not support attn_implementation=sdpa";
    if (attention == "flash_attention_2") {
        if (device != "cuda") return "flash_attention_2 runs on CUDA only";
        if (p.flashAttnVersion.empty()) return "no flash_attn package in " + py + " (pip install flash-attn)";
        if (!p.bertFlash)
            return "transformers " + p.transformersVersion +
                   "'s BertModel does not support attn_implementation=flash_attention_2";
    }
    return "";
}

std::string torchModelUnavailableReason(const TorchProbeResult& p, const std::string& attention,
                                        const std::string& device, const std::string& modelType,
                                        const std::string& task) {
    const auto arch = p.family.find(modelType);
    if (arch == p.family.end()) {
        if (modelType == "bert" || p.family.empty()) return torchUnavailableReason(p, attention, device);
        return "transformers " + p.transformersVersion + " reports no " + modelType + " models to the worker";
    }
    // The architecture's own class decides sdpa and flash_attention_2, not BertModel's.
    TorchProbeResult general = p;
    general.bertSdpa = general.bertFlash = true;
    if (std::string why = torchUnavailableReason(general, attention, device); !why.empty()) return why;
    const auto cls = arch->second.find(task);
    if (cls == arch->second.end() || !cls->second.present) {
        const std::string name = cls == arch->second.end() ? std::string() : cls->second.className;
        return "transformers " + p.transformersVersion + " has no " + task + " head for " + modelType +
               (name.empty() ? std::string() : " (no " + name + ")");
    }
    const TorchClassSupport& c = cls->second;
    if ((attention == "sdpa" && !c.sdpa) || (attention == "flash_attention_2" && !c.flash))
        return "transformers " + p.transformersVersion + "'s " + c.className + " does not support attn_implementation=" +
               attention;
    return "";
}

} // namespace bertbench::torch
