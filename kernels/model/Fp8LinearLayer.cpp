#include "kernels/model/Fp8LinearLayer.h"

#include <algorithm>
#include <cstdlib>
#include <cstdint>
#include <tuple>

#include <cublasLt.h>

#include "core/util/Errors.h"
#include "kernels/ops/Fp8Ops.h"
#include "kernels/ops/Ops.h"
#include "kernels/runtime/CudaCheck.h"
#include "kernels/runtime/Gemm.h"
#include "kernels/runtime/MatmulAlgoSearch.h"

namespace bertbench::cuda {

namespace {

bool capturing(cudaStream_t stream) {
    cudaStreamCaptureStatus status = cudaStreamCaptureStatusNone;
    BB_CUDA_CHECK(cudaStreamIsCapturing(stream, &status));
    return status != cudaStreamCaptureStatusNone;
}

void check(cublasStatus_t s, const char* what) {
    if (s != CUBLAS_STATUS_SUCCESS)
        throw BackendError(std::string("fp8 linear layer: ") + what + " failed (cuBLAS status " + std::to_string(int(s)) + ")");
}

// The largest power of two (up to 256, cuBLASLt's default assumption) dividing a pointer.
uint32_t alignmentOf(const void* p) {
    const auto address = reinterpret_cast<uintptr_t>(p);
    uint32_t alignment = 256;
    while (alignment > 1 && address % alignment != 0) alignment /= 2;
    return alignment;
}

// A weight's four floats, each at the start of its own 256 bytes. cuBLASLt 13.1's fp8 matmul
// refuses scale pointers that are not aligned enough, at launch (CUBLAS_STATUS_NOT_SUPPORTED for
// every algorithm the heuristic offered), not at the heuristic: on an H100, the A / B scales at
// byte offsets 0 / 0 of a cudaMalloc ran, 4 / 12, 16 / 24 and 32 / 40 did not (packed together,
// the four floats were 4 / 12).
constexpr int kScaleStride = 64;
constexpr int kWeightAmax = 0, kWeightScale = kScaleStride, kInputAmax = 2 * kScaleStride, kInputScale = 3 * kScaleStride,
              kInputInverseScale = 4 * kScaleStride, kScaleFloats = 5 * kScaleStride;

} // namespace

bool fp8ShapeSupported(const LinearSpec& spec) {
    const int gemmOut = spec.epilogue == LinearEpilogue::GatedActivation ? 2 * spec.out : spec.out;
    return spec.in % 16 == 0 && gemmOut % 16 == 0;
}

// One cuBLASLt plan per (rows, output columns, residual, GELU, bias, e4m3 output, input and output
// alignment): descriptors and the heuristic's first algorithm. Not timed among candidates as Gemm's
// are: that was written, but no GPU time was left to show it pays (docs/PERFORMANCE.md), so the
// fp8 path keeps the choice every fp8 number so far was measured with.
struct Fp8Linear::Plan : MatmulDescriptors {
    cublasLtMatmulAlgo_t algo{};
    bool hasAlgo = false;   // false: cuBLASLt offers none for this shape and epilogue
    bool fused = true;   // false: DEFAULT epilogue, the bias / GELU as a separate kernel
    ~Plan() { destroyDescriptors(*this); }
};

Fp8Linear::Fp8Linear(const LinearSpec& spec, Gemm& gemm, CudaContext& context, const KernelOptions& options)
    : spec_(spec), gemm_(gemm), context_(context),
      fp16_(makeLinearLayer(spec, DType::Float16, gemm, options)), fastAccum_(options.fp8FastAccumulate) {
    if (!fp8ShapeSupported(spec)) throw BackendError("fp8 linear layer of a shape cuBLASLt's fp8 matmul does not take");
}

Fp8Linear::~Fp8Linear() {
    for (auto& [key, plan] : plans_) delete plan;
}

std::string Fp8Linear::path() const {
    std::string epilogue;
    switch (spec_.epilogue) {
    case LinearEpilogue::Bias: epilogue = spec_.hasBias ? "bias epilogue" : "no epilogue"; break;
    case LinearEpilogue::Activation:
        epilogue = spec_.activation == ops::Activation::Gelu ? "GELU_BIAS epilogue (tanh GELU)"
                                                              : "bias epilogue, then the activation kernel";
        break;
    case LinearEpilogue::GatedActivation: epilogue = "bias epilogue, then the gated activation kernel"; break;
    case LinearEpilogue::Residual: epilogue = "bias + residual (beta = 1)"; break;
    }
    // One object serves every layer of its shape: some runs may read a handed-over input, others not
    // (layer 0's QKV).
    const std::string input = !fusedInput_ ? "input quantize pass"
                              : passInput_ ? "input quantized by the kernel before where it writes one, else a pass"
                                           : "input quantized by the kernel before (fused)";
    std::string out = "fp16 out";
    if (e4m3Out_) out = "e4m3 out for the next fp8 layer (D scale)";
    if (e4m3OutRefused_) out = "fp16 out, then quantized for the next fp8 layer (cuBLASLt refused e4m3 out)";
    return std::string("cublasLt fp8 e4m3 (per-tensor scales: weights at load, inputs static from calibration), ") +
           (fastAccum_ ? "fast accumulate" : "fp32 accumulate") + ", " + input + ", " + out + ", " + epilogue + ", cuBLASLt's first algorithm" +
           (unfusedEpilogue_ ? " (for some shapes: no fp8 epilogue algorithm, the bias / GELU as a separate kernel)" : "");
}

void Fp8Linear::setCalibrating(bool on) {
    if (on == calibrating_) return;
    calibrating_ = on;
    if (on) return;
    // Fix the input scales: scale = amax / 448, on the device (read by the quantize kernel), and
    // its inverse (cuBLASLt's D scale when a producer writes this input in e4m3).
    for (auto& [weight, s] : slots_) {
        const float scale = std::max(s.inputAmax, 1e-12f) / ops::kE4m3Max;
        const float inverse = 1.0f / scale;
        BB_CUDA_CHECK(cudaMemcpyAsync(s.scales.as<float>() + kInputScale, &scale, sizeof scale, cudaMemcpyHostToDevice,
                                      context_.stream()));
        BB_CUDA_CHECK(cudaMemcpyAsync(s.scales.as<float>() + kInputInverseScale, &inverse, sizeof inverse,
                                      cudaMemcpyHostToDevice, context_.stream()));
    }
    context_.synchronize();
    calibrated_ = !slots_.empty();
}

void Fp8Linear::reserve(int64_t rows) {
    if (rows <= inputRows_) return;
    input8_ = DeviceBuffer(context_.allocator(), size_t(rows) * size_t(spec_.in), "fp8 linear input [rows, in] e4m3");
    inputRows_ = rows;
}

Fp8Linear::Slot& Fp8Linear::slotOf(const void* weight) {
    auto it = slots_.find(weight);
    if (it != slots_.end()) return it->second;
    if (!calibrating_)
        throw BackendError("fp8 linear layer: a weight not seen by the calibration forward (load calibrates every layer)");
    Slot& s = slots_[weight];
    s.scales = DeviceBuffer(context_.allocator(), kScaleFloats * sizeof(float), "fp8 scales");
    quantizeWeight(s, weight);
    return s;
}

E4m3View Fp8Linear::quantizedInput(const void* weight) {
    auto it = slots_.find(weight);
    if (!calibrated_ || it == slots_.end())
        throw BackendError("fp8 linear layer: a quantized input asked for before calibration, or for a weight it never saw");
    const float* scales = it->second.scales.as<float>();
    return E4m3View{input8_.get(), scales + kInputScale, scales + kInputInverseScale};
}

void Fp8Linear::quantizeWeight(Slot& s, const void* weight) {
    const int outRows = spec_.epilogue == LinearEpilogue::GatedActivation ? 2 * spec_.out : spec_.out;
    s.weight8 = DeviceBuffer(context_.allocator(), size_t(outRows) * size_t(spec_.in), "fp8 weight [out, in] e4m3");
    float* scales = s.scales.as<float>();
    ops::absMax(DType::Float16, weight, outRows, spec_.in, spec_.in, scales + kWeightAmax, context_.stream());
    ops::scaleFromAmax(scales + kWeightAmax, scales + kWeightScale, context_.stream());
    ops::quantizeE4m3(DType::Float16, s.weight8.get(), weight, outRows, spec_.in, spec_.in, scales + kWeightScale,
                      context_.stream());
}

void Fp8Linear::run(const LinearArgs& a) {
    Slot& s = slotOf(a.weight);
    if (calibrating_ && (a.x8 || a.y8.data))
        throw BackendError("fp8 linear layer: a fused e4m3 input or output while calibrating (the scales are not fixed)");
    if (calibrating_) {
        float* amax = s.scales.as<float>() + kInputAmax;
        ops::absMax(DType::Float16, a.x, a.rows, spec_.in, a.ldx == 0 ? spec_.in : a.ldx, amax, context_.stream());
        float seen = 0;
        BB_CUDA_CHECK(cudaMemcpyAsync(&seen, amax, sizeof seen, cudaMemcpyDeviceToHost, context_.stream()));
        context_.synchronize();
        s.inputAmax = std::max(s.inputAmax, seen);
        fp16_->run(a);
        return;
    }
    if (a.rows > inputRows_ && !a.x8) {
        if (capturing(context_.stream()))
            throw BackendError("fp8 linear layer: input buffer not reserved before a CUDA graph capture");
        reserve(a.rows);
    }
    const void* x8 = a.x8;
    if (x8) {
        fusedInput_ = true;
    } else {
        passInput_ = true;
        ops::quantizeE4m3(DType::Float16, input8_.get(), a.x, a.rows, spec_.in, a.ldx == 0 ? spec_.in : a.ldx,
                          s.scales.as<float>() + kInputScale, context_.stream());
        x8 = input8_.get();
    }
    const bool e4m3Out = a.y8.data != nullptr;
    if (e4m3Out && spec_.epilogue != LinearEpilogue::Activation)
        throw BackendError("fp8 linear layer: an e4m3 output is for the activation epilogue only");
    switch (spec_.epilogue) {
    case LinearEpilogue::Bias: matmul(a, s, x8, a.y, spec_.out, false, false); break;
    case LinearEpilogue::Activation: {
        const bool gelu = spec_.activation == ops::Activation::Gelu;
        if (e4m3Out && gelu && matmul(a, s, x8, a.y, spec_.out, false, true, &a.y8)) {
            e4m3Out_ = true;
            break;
        }
        matmul(a, s, x8, a.y, spec_.out, false, gelu);
        if (!gelu)
            ops::biasActivation(DType::Float16, a.y, a.y, nullptr, a.rows, spec_.out, spec_.out, spec_.activation,
                                context_.stream());
        if (e4m3Out) {   // no e4m3-out algorithm: the consumer's quantize pass here
            e4m3OutRefused_ = true;
            ops::quantizeE4m3(DType::Float16, a.y8.data, a.y, a.rows, spec_.out, spec_.out, a.y8.scale, context_.stream());
        }
        break;
    }
    case LinearEpilogue::GatedActivation:
        matmul(a, s, x8, a.scratch, 2 * spec_.out, false, false);
        ops::gatedActivation(DType::Float16, a.y, a.scratch, a.rows, spec_.out, spec_.activation, context_.stream());
        break;
    case LinearEpilogue::Residual: matmul(a, s, x8, a.y, spec_.out, true, false); break;
    }
}

// Yᵀ(out × rows) = op_T(W8) · X8ᵀ in cuBLAS's column-major terms: A = W8 [in × out] column-major
// transposed, B = X8 [in × rows] column-major, C/D fp16 [out × rows]. The scales multiply inside:
// D = scaleD · (alpha · (scaleA · A) · (scaleB · B) + beta · C), scaleD only with an e4m3 D.
bool Fp8Linear::matmul(const LinearArgs& a, const Slot& s, const void* x8, void* y, int outCols, bool residual, bool gelu,
                       const E4m3View* y8) {
    const bool bias = a.bias != nullptr;
    const void* c = residual ? a.residual : y;
    void* d = y8 ? y8->data : y;
    const auto key = std::make_tuple(a.rows, outCols, residual, gelu, bias, y8 != nullptr, alignmentOf(x8),
                                     std::min(alignmentOf(d), alignmentOf(c)));
    Plan*& p = plans_[key];
    if (!p) {
        p = makePlan(a, s, x8, d, c, outCols, bias || gelu, y8);
        if (!p->hasAlgo && p->fused && !y8) {   // no fused fp8 epilogue: the plain fp8 GEMM, then the bias / GELU kernel
            delete p;
            p = makePlan(a, s, x8, d, c, outCols, false, nullptr);
        }
    }
    if (!p->hasAlgo) {
        if (y8) return false;   // the caller writes fp16 and quantizes
        throw BackendError("fp8 linear layer: cuBLASLt offers no fp8 algorithm for " + std::to_string(a.rows) + " x " +
                           std::to_string(spec_.in) + " -> " + std::to_string(outCols) +
                           " (fp8 needs compute capability 8.9+)");
    }
    // Per call: this weight's scales, the consumer's D scale and the bias pointer (the plan is
    // shared by the layers).
    setCallAttributes(*p, s, p->fused ? a.bias : nullptr, y8);
    const float alpha = 1.f, beta = residual ? 1.f : 0.f;
    const cublasStatus_t status = cublasLtMatmul(context_.cublasLt(), p->op, &alpha, s.weight8.get(), p->a, x8, p->b,
                                                 &beta, c, p->c, d, p->d, &p->algo, context_.workspace(),
                                                 context_.workspaceBytes(), context_.stream());
    if (status != CUBLAS_STATUS_SUCCESS && y8 && !capturing(context_.stream())) {
        // An e4m3 D refused at launch, as the scale alignment once was (the heuristic does not see
        // everything): this plan stays off and the caller takes the fp16 path. The first forward
        // runs outside any capture, so this is decided before a graph is.
        p->hasAlgo = false;
        return false;
    }
    check(status, "cublasLtMatmul");
    if (!p->fused && (bias || gelu)) {
        unfusedEpilogue_ = true;   // y (+ residual) then + bias, GELU: the order the fused epilogue has
        ops::biasActivation(DType::Float16, y, y, a.bias, a.rows, outCols, outCols,
                            gelu ? ops::Activation::Gelu : ops::Activation::None, context_.stream());
    }
    return true;
}

// The A / B scale pointers, the D scale (an e4m3 output's) and the bias pointer of this call on the
// plan's descriptor.
void Fp8Linear::setCallAttributes(Plan& p, const Slot& s, const void* bias, const E4m3View* y8) {
    const float* scales = s.scales.as<float>();
    const void* scaleA = scales + kWeightScale;
    const void* scaleB = scales + kInputScale;
    check(cublasLtMatmulDescSetAttribute(p.op, CUBLASLT_MATMUL_DESC_A_SCALE_POINTER, &scaleA, sizeof scaleA), "A scale");
    check(cublasLtMatmulDescSetAttribute(p.op, CUBLASLT_MATMUL_DESC_B_SCALE_POINTER, &scaleB, sizeof scaleB), "B scale");
    if (y8) {
        const void* scaleD = y8->inverseScale;
        check(cublasLtMatmulDescSetAttribute(p.op, CUBLASLT_MATMUL_DESC_D_SCALE_POINTER, &scaleD, sizeof scaleD), "D scale");
    }
    if (bias) check(cublasLtMatmulDescSetAttribute(p.op, CUBLASLT_MATMUL_DESC_BIAS_POINTER, &bias, sizeof bias), "bias");
}

// The descriptors and the heuristic's first algorithm for one call's shape, epilogue, output type
// and alignments. What the call sets (scale and bias pointers, the pointers' alignment) is on the
// descriptor before the heuristic is asked, as cuBLASLt's fp8 samples do.
Fp8Linear::Plan* Fp8Linear::makePlan(const LinearArgs& a, const Slot& s, const void* x8, const void* y, const void* c,
                                     int outCols, bool fusedEpilogue, const E4m3View* y8) {
    const bool bias = fusedEpilogue && a.bias != nullptr;
    const bool gelu = fusedEpilogue && spec_.epilogue == LinearEpilogue::Activation &&
                      spec_.activation == ops::Activation::Gelu;
    auto plan = std::make_unique<Plan>();
    plan->fused = fusedEpilogue;
    check(cublasLtMatmulDescCreate(&plan->op, CUBLAS_COMPUTE_32F, CUDA_R_32F), "cublasLtMatmulDescCreate");
    const cublasOperation_t transA = CUBLAS_OP_T, transB = CUBLAS_OP_N;
    check(cublasLtMatmulDescSetAttribute(plan->op, CUBLASLT_MATMUL_DESC_TRANSA, &transA, sizeof transA), "TRANSA");
    check(cublasLtMatmulDescSetAttribute(plan->op, CUBLASLT_MATMUL_DESC_TRANSB, &transB, sizeof transB), "TRANSB");
    const int8_t fast = fastAccum_ ? 1 : 0;
    check(cublasLtMatmulDescSetAttribute(plan->op, CUBLASLT_MATMUL_DESC_FAST_ACCUM, &fast, sizeof fast), "FAST_ACCUM");
    const cublasLtEpilogue_t epilogue = gelu ? (bias ? CUBLASLT_EPILOGUE_GELU_BIAS : CUBLASLT_EPILOGUE_GELU)
                                             : (bias ? CUBLASLT_EPILOGUE_BIAS : CUBLASLT_EPILOGUE_DEFAULT);
    check(cublasLtMatmulDescSetAttribute(plan->op, CUBLASLT_MATMUL_DESC_EPILOGUE, &epilogue, sizeof epilogue), "EPILOGUE");
    if (bias) {
        const cudaDataType_t biasType = CUDA_R_16F;
        check(cublasLtMatmulDescSetAttribute(plan->op, CUBLASLT_MATMUL_DESC_BIAS_DATA_TYPE, &biasType, sizeof biasType),
              "BIAS_DATA_TYPE");
    }
    setCallAttributes(*plan, s, bias ? a.bias : nullptr, y8);
    check(cublasLtMatrixLayoutCreate(&plan->a, CUDA_R_8F_E4M3, spec_.in, outCols, spec_.in), "layout A");
    check(cublasLtMatrixLayoutCreate(&plan->b, CUDA_R_8F_E4M3, spec_.in, a.rows, spec_.in), "layout B");
    check(cublasLtMatrixLayoutCreate(&plan->c, CUDA_R_16F, outCols, a.rows, outCols), "layout C");
    check(cublasLtMatrixLayoutCreate(&plan->d, y8 ? CUDA_R_8F_E4M3 : CUDA_R_16F, outCols, a.rows, outCols), "layout D");
    cublasLtMatmulPreference_t pref = nullptr;
    check(cublasLtMatmulPreferenceCreate(&pref), "cublasLtMatmulPreferenceCreate");
    const size_t workspace = context_.workspaceBytes();
    const uint32_t alignA = alignmentOf(s.weight8.get()), alignB = alignmentOf(x8);
    const uint32_t alignC = alignmentOf(c), alignD = alignmentOf(y);
    cublasLtMatmulPreferenceSetAttribute(pref, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &workspace, sizeof workspace);
    cublasLtMatmulPreferenceSetAttribute(pref, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_A_BYTES, &alignA, sizeof alignA);
    cublasLtMatmulPreferenceSetAttribute(pref, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_B_BYTES, &alignB, sizeof alignB);
    cublasLtMatmulPreferenceSetAttribute(pref, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_C_BYTES, &alignC, sizeof alignC);
    cublasLtMatmulPreferenceSetAttribute(pref, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_D_BYTES, &alignD, sizeof alignD);
    cublasLtMatmulHeuristicResult_t result{};
    int returned = 0;
    const cublasStatus_t st = cublasLtMatmulAlgoGetHeuristic(context_.cublasLt(), plan->op, plan->a, plan->b, plan->c,
                                                             plan->d, pref, 1, &result, &returned);
    cublasLtMatmulPreferenceDestroy(pref);
    plan->hasAlgo = st == CUBLAS_STATUS_SUCCESS && returned > 0;
    if (plan->hasAlgo) plan->algo = result.algo;
    return plan.release();
}
} // namespace bertbench::cuda
