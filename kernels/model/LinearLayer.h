#pragma once
// The encoder's linear layers behind one seam, as AttentionStrategy is for attention.
//
// The model names what a layer computes (a LinearSpec: its shape and its epilogue) and gets one
// LinearLayer per shape from makeLinearLayer(), chosen once when the model is prepared. forward()
// then calls run() per layer without knowing how the GEMM and its epilogue are done. Today every
// layer is cublasLt with the epilogue fused where cublasLt has it (runtime/Gemm.h); a path for a
// new data type or a new GEMM is a new LinearLayer, not a branch in the forward.
//
//   Bias             y = x·Wᵀ (+ b)                         QKV, the heads' projections
//   Activation       y = act(x·Wᵀ (+ b))                    FFN-up (GELU), ELECTRA's and the heads'
//   GatedActivation  h = x·Wᵀ (+ b), [rows, 2·out];         GeGLU: act of the first half times
//                    y = act(h[:, :out]) ⊙ h[:, out:]       the second (a [rows, 2·out] scratch)
//   Residual         y = x·Wᵀ (+ b) + residual              attention-out, FFN-down (post-norm:
//                                                           a LayerNorm follows; pre-norm: none)
//
// W is in HF layout [out', in] (out' = 2·out for GatedActivation), bias optional (null: none), all
// in the model dtype; rows are contiguous unless ldx says otherwise. Only asynchronous work on the
// context's stream (the forward may be captured into a CUDA graph).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "core/backend/Task.h"
#include "kernels/ops/Ops.h"
#include "kernels/runtime/KernelOptions.h"

namespace bertbench::cuda {

class Gemm;

enum class LinearEpilogue { Bias, Activation, GatedActivation, Residual };

struct LinearSpec {
    int in = 0;
    int out = 0;    // y's columns (GatedActivation: half the GEMM's)
    LinearEpilogue epilogue = LinearEpilogue::Bias;
    ops::Activation activation = ops::Activation::None;   // Activation and GatedActivation
    bool hasBias = true;   // false: the layer is called without a bias (no bias read, no bias pass)
};

// An e4m3 tensor with its per-tensor scale on the device (x ≈ q · *scale; *inverseScale = 1 / *scale):
// an fp8 layer's input, written by the kernel before it instead of by the layer's quantize pass
// (Fp8LinearLayer.h, Fp8Linear::quantizedInput).
struct E4m3View {
    void* data = nullptr;
    const float* scale = nullptr;
    const float* inverseScale = nullptr;
};

struct LinearArgs {
    void* y = nullptr;                 // [rows, out], contiguous; Residual: may be the residual itself
    const void* x = nullptr;           // [rows, in], row stride ldx
    int64_t ldx = 0;                   // elements; 0 = in
    const void* weight = nullptr;
    const void* bias = nullptr;        // null: no bias
    const void* residual = nullptr;    // Residual: [rows, out], contiguous
    void* scratch = nullptr;           // GatedActivation: scratchBytes(rows) bytes
    int64_t rows = 0;
    // fp8 layers only (other layers ignore them):
    const void* x8 = nullptr;          // x already in e4m3 with this layer's input scale, contiguous: x is not read
    E4m3View y8{};                     // Activation: y written in e4m3 here (the next fp8 layer's input), not in y
};

class LinearLayer {
public:
    virtual ~LinearLayer() = default;
    virtual const LinearSpec& spec() const = 0;
    // Device scratch one run() of this many rows needs (0: none).
    virtual size_t scratchBytes(int64_t rows) const = 0;
    virtual void run(const LinearArgs& args) = 0;
    // How it runs, for the run's kernel options ("cublasLt GELU_BIAS epilogue (tanh GELU)").
    virtual std::string path() const = 0;
};

// The layer that computes `spec` in `dtype` on `gemm`'s stream.
std::unique_ptr<LinearLayer> makeLinearLayer(const LinearSpec& spec, DType dtype, Gemm& gemm,
                                             const KernelOptions& options);

} // namespace bertbench::cuda
