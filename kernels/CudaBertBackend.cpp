#include "kernels/CudaBertBackend.h"

#include "core/backend/DTypeSupport.h"
#include "core/util/Errors.h"
#include "kernels/runtime/CudaCheck.h"
#include "kernels/runtime/GraphCapture.h"

namespace bertbench::cuda {

CudaBertBackend::CudaBertBackend(std::unique_ptr<AttentionStrategy> attention, int device,
                                 const KernelOptions& options)
    : options_(options), allocator_(device), context_(device, allocator_), attention_(std::move(attention)),
      model_(context_, options) {}

CudaBertBackend::~CudaBertBackend() {
    cudaSetDevice(context_.device());
    destroyGraph();
    model_.releaseCell();
}

std::string CudaBertBackend::deviceName() const { return context_.properties().name; }

void CudaBertBackend::loadModel(const BertWeights& weights, DType dtype) {
    context_.makeCurrent();
    const cudaDeviceProp& p = context_.properties();
    if (p.major < 8) {
        throw BackendError(std::string(p.name) + " has compute capability " + std::to_string(p.major) + "." +
                           std::to_string(p.minor) + "; BertBench's CUDA backends need 8.0 or newer");
    }
    if (dtype == DType::Float8 && p.major * 10 + p.minor < kFp8MinComputeCapability)
        throw BackendError(fp8GpuReason(p.major * 10 + p.minor, p.name));
    // fp8: activations, attention, LayerNorm and residuals in fp16; the encoder GEMMs in e4m3.
    attention_->checkSupported(weights.config.numHeads, weights.config.headDim(),
                               dtype == DType::Float8 ? DType::Float16 : dtype);
    destroyGraph();
    model_.load(weights, dtype);
    if (dtype == DType::Float8) model_.calibrateFp8(*attention_);
}

std::optional<DType> CudaBertBackend::dtypeRan() const {
    if (!model_.loaded()) return std::nullopt;
    return model_.dtypeRan();
}

void CudaBertBackend::prepare(Task task, const Batch& batch) {
    context_.makeCurrent();
    destroyGraph();
    model_.prepare(task, batch, *attention_);
}

void CudaBertBackend::setUseCudaGraphs(bool enabled) {
    if (enabled == useGraphs_) return;
    context_.makeCurrent();
    destroyGraph();
    useGraphs_ = enabled;
}

void CudaBertBackend::destroyGraph() {
    if (graph_) {
        cudaStreamSynchronize(context_.stream());
        cudaGraphExecDestroy(graph_);
        graph_ = nullptr;
    }
}

void CudaBertBackend::captureGraph() {
    // One plain forward first: cublasLt's heuristics run and its plans are cached outside the capture.
    model_.forward(*attention_);
    context_.synchronize();
    graph_ = captureGraphExec(context_.stream(), [&] { model_.forward(*attention_); });
}

double CudaBertBackend::forward() {
    if (!model_.prepared()) throw BackendError("forward() before prepare()");
    context_.makeCurrent();
    if (useGraphs_ && !graph_) captureGraph();
    timer_.start(context_.stream());
    if (graph_) BB_CUDA_CHECK(cudaGraphLaunch(graph_, context_.stream()));
    else model_.forward(*attention_);
    timer_.stop(context_.stream());
    const double ms = timer_.elapsedMs();
    // Surface asynchronous kernel faults here, inside the forward that caused them.
    BB_CUDA_CHECK(cudaStreamSynchronize(context_.stream()));
    return ms;
}

std::vector<KernelOption> CudaBertBackend::kernelOptions() const {
    std::vector<KernelOption> options;
    options.push_back({"hopper_attention", options_.hopperAttention ? "on" : "off"});
    if (model_.prepared()) options.push_back({"attention_kernel", attention_->kernelName(model_.cell().shape, model_.cell().attention)});
    for (const auto& [name, path] : model_.linearPaths()) options.push_back({name, path});
    options.push_back({"cuda_graphs", useGraphs_ ? "on" : "off"});
    // fp8 asked: what ran (fp8 = the encoder's GEMMs in e4m3; fp16 where they could not be).
    if (model_.loaded() && model_.fp8Requested()) options.push_back({"dtype_ran", toString(model_.dtypeRan())});
    return options;
}

TaskOutput CudaBertBackend::output() { return model_.output(); }

void CudaBertBackend::releaseCell() {
    context_.makeCurrent();
    destroyGraph();
    model_.releaseCell();
}

} // namespace bertbench::cuda
