#pragma once
// torch:eager | torch:sdpa | torch:flash_attention_2 | torch:sdpa+compile: HuggingFace transformers'
// BERT-family models (the architecture's own *Model / *For<Task> class) in a Python worker
// (TorchWorkerProcess), driven through docs/TORCH_WORKER_PROTOCOL.md.
//
// One worker per backend: started by the first loadModel and kept for the sweep (a later loadModel
// sends the running worker the next model); stopped in the destructor.
// The weights reach it as a temporary HF checkpoint folder written from the same BertWeights (or
// the user's checkpoint folder, as it is); every cell's batch as raw files. A worker that dies,
// hangs past the cell timeout or breaks the protocol is killed and that cell throws; the next
// prepare() starts a fresh worker and loads the model again.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/backend/Backend.h"
#include "core/torch/TorchFiles.h"
#include "core/torch/TorchWorkerProcess.h"

namespace bertbench::torch {

struct TorchBackendOptions {
    std::string python = "python3";     // the interpreter (PATH is searched)
    std::string workerScript;           // empty = the embedded worker (tests give a fake one)
    std::string attention = "sdpa";     // eager | sdpa | flash_attention_2
    bool compile = false;               // torch.compile(mode="reduce-overhead")
    std::string device = "cuda";        // cuda | cpu
    int cpuThreads = 0;                 // torch.set_num_threads on the CPU; 0 = torch's default
    double startTimeoutS = 180;         // starting Python + `hello` (importing torch)
    double loadTimeoutS = 900;          // from_pretrained of the encoder, moving it to the device
    double replyTimeoutS = 1800;        // any other reply when no cell timeout is set
    double stopGraceS = 5;              // shutdown → SIGTERM → SIGKILL steps
};

// "torch:sdpa+compile" for {sdpa, compile}.
std::string torchBackendName(const std::string& attention, bool compile);

class TorchBackend final : public Backend {
public:
    explicit TorchBackend(TorchBackendOptions options);
    ~TorchBackend() override;

    std::string name() const override;
    std::string deviceName() const override;
    // The worker's GPU as NVML names it, so that energy, clocks and the throttled flag are read for
    // torch:* rows as for cuda:* rows (empty on the CPU, or where torch does not report it).
    std::string pciBusId() const override { return pciBusId_; }

    void loadModel(const BertWeights& weights, DType dtype) override;
    void prepare(Task task, const Batch& batch) override;
    double forward() override;
    TaskOutput output() override;
    void releaseCell() override;

    int64_t peakMemoryBytes() const override { return peakBytes_; }
    void resetPeakMemory() override { peakBytes_ = 0; }
    void setMemoryLimitBytes(int64_t limit) override { memoryLimitBytes_ = limit; }
    double compileTimeMs() const override { return compileMs_; }
    // attn_implementation, compile, device (and torch's CPU threads when set), then the versions the
    // worker reported in its hello: torch, transformers, CUDA, flash_attn.
    std::vector<KernelOption> kernelOptions() const override;

    // Replies are awaited at most this long past prepare() (the runner's --cell-timeout), so a hung
    // worker cannot hold the sweep: it is killed and the cell becomes an error row. 0 = no cell limit.
    void setCellTimeoutS(double seconds) override { cellTimeoutS_ = seconds; }
    // The worker's pid, or -1 (tests).
    pid_t workerPid() const { return worker_ ? worker_->pid() : -1; }

private:
    void startWorker();             // start + hello + load; throws
    void loadInWorker();            // the load request for the current checkpoint; throws
    double timeoutFor(double fallbackS) const;
    // Runs one request; a WorkerFailure drops the worker (the next prepare starts a fresh one).
    nlohmann::json call(const nlohmann::json& request, double timeoutS);

    TorchBackendOptions options_;
    std::unique_ptr<TempFolder> folder_;
    std::string script_;
    std::string checkpoint_;        // the folder given to from_pretrained
    std::string tokenClassifier_;   // its token classifier file, or empty
    DType dtype_ = DType::Float32;
    ModelConfig config_;
    std::unique_ptr<TorchWorkerProcess> worker_;
    std::string deviceName_;
    std::string pciBusId_;          // the worker's GPU ("0000:19:00.0"), empty on the CPU
    std::vector<KernelOption> versions_;   // from the latest worker's hello

    Task task_ = Task::Encoder;
    int batchSize_ = 0, seqLen_ = 0;
    bool prepared_ = false, haveOutput_ = false;
    std::chrono::steady_clock::time_point cellStart_{};
    double cellTimeoutS_ = 0;
    int64_t memoryLimitBytes_ = 0;
    int64_t peakBytes_ = 0;
    double compileMs_ = -1;
};

} // namespace bertbench::torch
