#pragma once
// The one seam between "what to measure" and "where it runs" (docs/ARCHITECTURE.md).
// A backend = a device × an attention strategy. The runner drives it:
//   loadModel (once per model × dtype, untimed) → prepare (per cell, untimed)
//   → warm-up forwards → timed forwards → output (compared with the baseline).
// Every backend implements the required part; the optional parts below it each serve one family
// of backends and have defaults that mean "not this kind of backend".
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/backend/KernelOption.h"
#include "core/backend/Task.h"
#include "core/batch/Batch.h"
#include "core/model/BertWeights.h"
#include "core/profile/OpCategory.h"

namespace bertbench {

// A task's output on the host, in the padded layout:
//   encoder: last hidden state [B,S,H]; mlm: logits [B,S,V]; token_classification [B,S,L];
//   qa: [B,S,2] (start, end); classification: [B,L].
// perPosition says whether dim 1 is the sequence (so padding positions are ignored in comparisons).
struct TaskOutput {
    Task task = Task::Encoder;
    std::vector<int64_t> shape;
    std::vector<float> values;
    bool perPosition = true;
};

class Backend {
public:
    virtual ~Backend() = default;

    // ---- Required: what every backend does ----

    virtual std::string name() const = 0;      // "cpu:eager"
    virtual std::string deviceName() const = 0; // "CPU: AMD EPYC ... (2 threads)" / "NVIDIA H100 80GB HBM3"

    // Upload/convert weights for this dtype. Untimed. Throws BackendError for an unsupported dtype.
    virtual void loadModel(const BertWeights& weights, DType dtype) = 0;
    // Set up one cell: inputs, activations, workspace. Untimed. Throws InputError for a batch the
    // model cannot take (validateBatch, core/batch/BatchValidation.h), may throw OutOfMemoryError.
    virtual void prepare(Task task, const Batch& batch) = 0;
    // One forward pass of the prepared cell; returns its time in ms, measured on the device
    // (steady clock on the CPU, CUDA events on the GPU).
    virtual double forward() = 0;
    // The last forward's output, copied to the host as fp32.
    virtual TaskOutput output() = 0;
    // Free the cell's activations (weights stay).
    virtual void releaseCell() = 0;

    // Allocator accounting, bytes. Peak = high-water mark since the last reset, weights included.
    virtual int64_t peakMemoryBytes() const = 0;
    virtual void resetPeakMemory() = 0;
    // 0 = no limit. Allocations past it throw OutOfMemoryError.
    virtual void setMemoryLimitBytes(int64_t limit) = 0;

    // ---- Optional, every backend: what it ran with ----

    // The options and effective kernel choices this backend ran with, in display order; read after
    // the cell's forwards (some choices, such as autotuned algorithms, exist only after a run).
    // The runner records the latest per backend in the run (environment.kernel_options).
    virtual std::vector<KernelOption> kernelOptions() const { return {}; }

    // ---- Optional, profiling: why a backend is fast ----

    // One extra forward of the prepared cell with per-operation timing, run by the sweep after
    // the timed forwards so their statistics stay unperturbed. Returns the parts (forwardMs left
    // 0: the runner fills in the timed median); nullopt = this backend cannot profile (the row
    // says "not available").
    virtual std::optional<OpBreakdown> profileForward() { return std::nullopt; }

    // ---- Optional, GPU backends ----

    // Replay the forward as a recorded CUDA graph for the timed repeats (--cuda-graphs).
    // Backends without graphs ignore it.
    virtual void setUseCudaGraphs(bool /*enabled*/) {}
    // The attainable dense GEMM rate of this backend's device in the given dtype, TFLOP/s,
    // measured once (a large cuBLAS GEMM timed with events): the denominator of % of peak.
    // <= 0 = no probe (CPU backends).
    virtual double gemmPeakTflops(DType /*dtype*/) { return -1; }
    // The GPU's PCI bus id ("0000:17:00.0") for NVML's energy counters; empty = no GPU (the
    // row's energy says "not available").
    virtual std::string pciBusId() const { return {}; }

    // ---- Optional, out-of-process backends (torch:*, a Python worker) ----

    // Milliseconds the last prepare() spent compiling for this cell (torch:sdpa+compile), kept out
    // of the forwards' times and reported beside them; < 0 = this backend does not compile.
    virtual double compileTimeMs() const { return -1; }
    // The runner's --cell-timeout (0 = none), for backends that wait on another process: they stop
    // waiting (and kill it) when a cell runs that much past its prepare(). Others ignore it.
    virtual void setCellTimeoutS(double /*seconds*/) {}
    // The data type the loaded model really runs in, where it can differ from the one asked for
    // (fp8: e4m3 GEMM inputs, fp16 everywhere else); nullopt = the one asked for.
    virtual std::optional<DType> dtypeRan() const { return std::nullopt; }
};

struct BackendInfo {
    std::string name;        // "cuda:flash_attention_2"
    std::string device;      // "cpu" | "cuda"
    std::string attention;   // "eager" | "sdpa" | "flash_attention_2"
    std::string description; // one line for list-backends
    std::vector<DType> dtypes;
    std::function<std::unique_ptr<Backend>()> create;
    // Why this backend cannot run on this machine (e.g. "python3 has no torch"); empty = it can.
    // Listed so that list-backends and the GUI can say why; a run that names it is refused.
    std::string unavailableReason;
    // Why it cannot run this task of this model here although it runs others (an architecture's
    // head or attention the installed stack lacks: torch:* asks transformers); empty = it can.
    // Null = every model and task it loads. A run that needs one is refused before measuring.
    std::function<std::string(const ModelConfig&, Task)> unavailableFor;
    // Why a data type this backend implements cannot run on this machine (fp8 on a GPU before
    // compute capability 8.9); such a dtype is not in `dtypes`. DTypeSupport.h words the rest.
    std::vector<std::pair<DType, std::string>> dtypeUnavailable;
};

// Filled explicitly by app/ (no static-initialiser magic: the build and the machine decide).
class BackendRegistry {
public:
    void add(BackendInfo info);               // throws std::logic_error on a duplicate name
    const BackendInfo* find(const std::string& name) const;
    const std::vector<BackendInfo>& all() const { return backends_; }
    std::vector<std::string> names() const;
private:
    std::vector<BackendInfo> backends_;
};

} // namespace bertbench
