#include "core/torch/TorchBackend.h"

#include <algorithm>
#include <filesystem>

#include "core/batch/BatchValidation.h"
#include "core/model/HfCheckpointWriter.h"
#include "core/model/ModelConfig.h"
#include "core/util/Errors.h"

namespace bertbench::torch {

namespace fs = std::filesystem;

std::string torchBackendName(const std::string& attention, bool compile) {
    return "torch:" + attention + (compile ? "+compile" : "");
}

namespace {

// The user's checkpoint folder, when the weights came from one (loadHfCheckpoint names the config
// after it): handed to from_pretrained as it is.
std::optional<std::string> sourceCheckpoint(const BertWeights& weights) {
    std::error_code ec;
    const fs::path dir = weights.config.name;
    // A preset's weights are random: a folder that happens to share the preset's name is not them.
    if (weights.config.name.empty() || isPreset(weights.config.name) || !fs::is_directory(dir, ec))
        return std::nullopt;
    if (!fs::exists(dir / kHfConfigFile, ec) || !fs::exists(dir / kHfWeightsFile, ec)) return std::nullopt;
    return fs::absolute(dir, ec).string();
}

// The task's output shape in BertBench's padded layout (Backend.h TaskOutput).
std::vector<int64_t> expectedShape(Task task, int64_t b, int64_t s, const ModelConfig& c) {
    switch (task) {
    case Task::Encoder: return {b, s, c.hiddenSize};
    case Task::Mlm: return {b, s, c.vocabSize};
    case Task::Classification: return {b, c.numLabels};
    case Task::TokenClassification: return {b, s, c.numLabels};
    case Task::Qa: return {b, s, 2};
    }
    return {};
}

} // namespace

TorchBackend::TorchBackend(TorchBackendOptions options) : options_(std::move(options)) {
    const auto& a = options_.attention;
    if (a != "eager" && a != "sdpa" && a != "flash_attention_2")
        throw std::invalid_argument("TorchBackend: attention '" + a + "' is not eager, sdpa or flash_attention_2");
    if (options_.device != "cuda" && options_.device != "cpu")
        throw std::invalid_argument("TorchBackend: device '" + options_.device + "' is not cuda or cpu");
}

TorchBackend::~TorchBackend() {
    if (worker_) {
        try {
            worker_->stop(options_.stopGraceS);
        } catch (...) {
            worker_->kill();
        }
    }
}

std::string TorchBackend::name() const { return torchBackendName(options_.attention, options_.compile); }

std::string TorchBackend::deviceName() const {
    if (!deviceName_.empty()) return deviceName_;
    return options_.device == "cuda" ? "CUDA (HuggingFace transformers)" : "CPU (HuggingFace transformers)";
}

double TorchBackend::timeoutFor(double fallbackS) const {
    if (cellTimeoutS_ <= 0 || !prepared_) return fallbackS;
    const double spent = std::chrono::duration<double>(std::chrono::steady_clock::now() - cellStart_).count();
    // A little past the runner's own limit: a slow but alive worker is stopped by the runner between
    // forwards; only one that hangs inside a reply gets killed here.
    return std::max(0.5, cellTimeoutS_ - spent + 2.0);
}

nlohmann::json TorchBackend::call(const nlohmann::json& request, double timeoutS) {
    if (!worker_) throw BackendError("the torch worker is not running (an earlier failure stopped it)");
    try {
        return worker_->request(request, timeoutS);
    } catch (const WorkerFailure&) {
        worker_.reset();   // killed already; the next prepare starts a fresh one
        prepared_ = false;
        throw;
    }
}

void TorchBackend::startWorker() {
    worker_ = std::make_unique<TorchWorkerProcess>();
    worker_->start(options_.python, {"-u", script_},
                   {{"PYTHONDONTWRITEBYTECODE", "1"}, {"TRANSFORMERS_NO_ADVISORY_WARNINGS", "1"}});
    const nlohmann::json hello = call({{"cmd", "hello"}}, options_.startTimeoutS);
    if (!hello.contains("protocol") || hello["protocol"] != 1) {
        worker_->kill();
        worker_.reset();
        throw BackendError("the torch worker speaks protocol " +
                           (hello.contains("protocol") ? hello["protocol"].dump() : std::string("(none)")) +
                           ", this BertBench speaks 1");
    }
    versions_.clear();
    // Only what this backend uses: CUDA on the GPU, flash_attn for flash_attention_2.
    for (const char* key : {"torch", "transformers", "cuda_version", "flash_attn"}) {
        const std::string k = key;
        if ((k == "cuda_version" && options_.device != "cuda") ||
            (k == "flash_attn" && options_.attention != "flash_attention_2"))
            continue;
        if (hello.contains(k) && hello[k].is_string() && !hello[k].get<std::string>().empty())
            versions_.push_back({k == "cuda_version" ? "cuda" : k, hello[k].get<std::string>()});
    }
    loadInWorker();
}

void TorchBackend::loadInWorker() {
    nlohmann::json load = {{"cmd", "load"},
                           {"checkpoint", checkpoint_},
                           {"dtype", toString(dtype_)},
                           {"device", options_.device},
                           {"attention", options_.attention},
                           {"compile", options_.compile},
                           {"cpu_threads", options_.cpuThreads},
                           {"token_classifier", tokenClassifier_}};
    const nlohmann::json loaded = call(load, options_.loadTimeoutS);
    if (loaded.contains("device_name") && loaded["device_name"].is_string())
        deviceName_ = loaded["device_name"].get<std::string>();
    pciBusId_.clear();
    if (loaded.contains("pci_bus_id") && loaded["pci_bus_id"].is_string())
        pciBusId_ = loaded["pci_bus_id"].get<std::string>();
}

std::vector<KernelOption> TorchBackend::kernelOptions() const {
    std::vector<KernelOption> options{
        {"attn_implementation", options_.attention},
        {"compile", options_.compile ? "on (torch.compile, mode=reduce-overhead)" : "off"},
        {"device", options_.device}};
    if (options_.device == "cpu" && options_.cpuThreads > 0)
        options.push_back({"cpu_threads", std::to_string(options_.cpuThreads)});
    options.insert(options.end(), versions_.begin(), versions_.end());
    return options;
}

void TorchBackend::loadModel(const BertWeights& weights, DType dtype) {
    // The worker loads the architecture's own classes (config.json's model_type). A running worker
    // is kept and loads the next model (a --models run: Python and torch are imported once).
    prepared_ = false;
    dtype_ = dtype;
    config_ = weights.config;
    folder_ = std::make_unique<TempFolder>();
    script_ = options_.workerScript.empty() ? writeWorkerScript(folder_->path()) : options_.workerScript;
    tokenClassifier_.clear();
    if (const auto source = sourceCheckpoint(weights)) {
        checkpoint_ = *source;
    } else {
        checkpoint_ = folder_->file("checkpoint");
        if (writeHfCheckpoint(weights, checkpoint_))
            tokenClassifier_ = (fs::path(checkpoint_) / kTokenClassifierFile).string();
    }
    if (worker_) {
        try {
            loadInWorker();
            return;
        } catch (const WorkerFailure&) {
            // call() dropped it; a fresh worker below
        }
    }
    startWorker();
}

void TorchBackend::prepare(Task task, const Batch& batch) {
    if (!folder_) throw BackendError(name() + ": prepare before loadModel");
    // Refused here, before the worker sees it, with the message every other backend gives.
    validateBatch(batch, config_);
    cellStart_ = std::chrono::steady_clock::now();
    prepared_ = false;
    haveOutput_ = false;
    compileMs_ = -1;
    // A worker lost in an earlier cell: a fresh one, the model loaded again (untimed, like prepare).
    if (!worker_) startWorker();
    task_ = task;
    batchSize_ = batch.batchSize;
    seqLen_ = batch.maxSeqLen;
    const std::string ids = folder_->file("input_ids.bin"), mask = folder_->file("attention_mask.bin");
    writeInt32File(ids, batch.inputIds);
    writeInt32File(mask, batch.attentionMask);
    const nlohmann::json shape = {batch.batchSize, batch.maxSeqLen};
    nlohmann::json request = {{"cmd", "prepare"},
                              {"task", toString(task)},
                              {"input_ids", {{"path", ids}, {"shape", shape}, {"dtype", "i32"}}},
                              {"attention_mask", {{"path", mask}, {"shape", shape}, {"dtype", "i32"}}},
                              {"memory_limit_bytes", memoryLimitBytes_}};
    // Token types only where they are not all zeros (HF's default): a reference file's, say.
    const bool types = config_.hasTokenTypes() &&
                       std::any_of(batch.tokenTypeIds.begin(), batch.tokenTypeIds.end(), [](int32_t t) { return t != 0; });
    if (types) {
        const std::string path = folder_->file("token_type_ids.bin");
        writeInt32File(path, batch.tokenTypeIds);
        request["token_type_ids"] = {{"path", path}, {"shape", shape}, {"dtype", "i32"}};
    }
    prepared_ = true;   // from here on replies are bounded by the cell timeout
    const nlohmann::json reply = call(request, timeoutFor(options_.replyTimeoutS));
    if (reply.contains("compile_ms") && reply["compile_ms"].is_number()) compileMs_ = reply["compile_ms"].get<double>();
    if (options_.compile && compileMs_ < 0)
        throw BackendError(name() + ": the worker reported no compile time for a compiled model");
}

double TorchBackend::forward() {
    if (!prepared_) throw BackendError(name() + ": forward before prepare");
    const nlohmann::json reply =
        call({{"cmd", "forward"}, {"warmup", 0}, {"timed", 1}}, timeoutFor(options_.replyTimeoutS));
    const auto samples = reply.find("samples_ms");
    if (samples == reply.end() || !samples->is_array() || samples->size() != 1 || !(*samples)[0].is_number()) {
        worker_->kill();
        worker_.reset();
        prepared_ = false;
        throw BackendError(name() + ": the worker's forward reply has no single sample in samples_ms: " +
                           reply.dump().substr(0, 200));
    }
    const double ms = (*samples)[0].get<double>();
    if (!(ms >= 0)) throw BackendError(name() + ": the worker timed a forward at " + std::to_string(ms) + " ms");
    if (const auto peak = reply.find("peak_bytes"); peak != reply.end() && peak->is_number_integer())
        peakBytes_ = std::max(peakBytes_, peak->get<int64_t>());
    haveOutput_ = true;
    return ms;
}

TaskOutput TorchBackend::output() {
    if (!haveOutput_) throw BackendError(name() + ": output before forward");
    const std::string path = folder_->file("output.bin");
    std::error_code ec;
    fs::remove(path, ec);   // never read a previous cell's file
    const nlohmann::json reply = call({{"cmd", "output"}, {"path", path}}, timeoutFor(options_.replyTimeoutS));
    const std::vector<int64_t> expected = expectedShape(task_, batchSize_, seqLen_, config_);
    std::vector<int64_t> shape;
    if (const auto s = reply.find("shape"); s != reply.end() && s->is_array())
        for (const auto& d : *s) shape.push_back(d.is_number_integer() ? d.get<int64_t>() : -1);
    if (shape != expected)
        throw BackendError(name() + ": the worker's " + toString(task_) + " output has shape " + shapeText(shape) +
                           ", expected " + shapeText(expected));
    if (reply.value("dtype", std::string()) != "f32")
        throw BackendError(name() + ": the worker's output dtype is '" + reply.value("dtype", std::string()) +
                           "', the protocol's is f32");
    TaskOutput out;
    out.task = task_;
    out.shape = shape;
    out.perPosition = task_ != Task::Classification;
    out.values = readFloat32File(path, Tensor::numel(shape));
    fs::remove(path, ec);
    return out;
}

void TorchBackend::releaseCell() {
    haveOutput_ = false;
    if (prepared_ && worker_) call({{"cmd", "release"}}, timeoutFor(options_.replyTimeoutS));
    prepared_ = false;
}

} // namespace bertbench::torch
