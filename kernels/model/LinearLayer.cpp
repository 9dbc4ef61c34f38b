#include "kernels/model/LinearLayer.h"

#include "core/util/Errors.h"
#include "kernels/model/Fp8LinearLayer.h"
#include "kernels/runtime/Gemm.h"

namespace bertbench::cuda {

namespace {

// cublasLt with the epilogue it can fuse (bias, bias + GELU, bias + residual through beta = 1);
// what it cannot fuse (tanh, ReLU, the exact GELU of fp32, the gate) runs as one elementwise
// kernel after the GEMM.
class CublasLtLinear final : public LinearLayer {
public:
    CublasLtLinear(const LinearSpec& spec, DType dtype, Gemm& gemm) : spec_(spec), dtype_(dtype), gemm_(gemm) {}

    const LinearSpec& spec() const override { return spec_; }

    size_t scratchBytes(int64_t rows) const override {
        if (spec_.epilogue != LinearEpilogue::GatedActivation) return 0;
        return size_t(rows) * size_t(2 * spec_.out) * elementSize(dtype_);
    }

    void run(const LinearArgs& a) override {
        const int in = spec_.in, out = spec_.out;
        switch (spec_.epilogue) {
        case LinearEpilogue::Bias: gemm_.linear(dtype_, a.y, a.x, a.weight, a.bias, a.rows, in, out, a.ldx); break;
        case LinearEpilogue::Activation:
            if (spec_.activation == ops::Activation::Gelu && a.ldx == 0) {
                gemm_.linearGelu(dtype_, a.y, a.x, a.weight, a.bias, a.rows, in, out);
            } else {
                gemm_.linear(dtype_, a.y, a.x, a.weight, nullptr, a.rows, in, out, a.ldx);
                ops::biasActivation(dtype_, a.y, a.y, a.bias, a.rows, out, out, spec_.activation, gemm_.stream());
            }
            break;
        case LinearEpilogue::GatedActivation:
            gemm_.linear(dtype_, a.scratch, a.x, a.weight, a.bias, a.rows, in, 2 * out, a.ldx);
            ops::gatedActivation(dtype_, a.y, a.scratch, a.rows, out, spec_.activation, gemm_.stream());
            break;
        case LinearEpilogue::Residual:
            gemm_.linearResidual(dtype_, a.y, a.x, a.weight, a.bias, a.residual, a.rows, in, out, a.ldx);
            break;
        }
    }

    std::string path() const override {
        std::string p = describe();
        if (!spec_.hasBias) p += ", no bias";
        return p;
    }

private:
    std::string describe() const {
        switch (spec_.epilogue) {
        case LinearEpilogue::Bias: return spec_.hasBias ? "cublasLt, bias epilogue" : "cublasLt";
        case LinearEpilogue::Activation:
            if (spec_.activation == ops::Activation::Gelu && Gemm::geluIsTanhApproximation(dtype_))
                return spec_.hasBias ? "cublasLt, GELU_BIAS epilogue (tanh GELU)" : "cublasLt, GELU epilogue (tanh GELU)";
            return "cublasLt, then the bias + activation kernel";
        case LinearEpilogue::GatedActivation: return "cublasLt, then the gated activation kernel";
        case LinearEpilogue::Residual:
            return spec_.hasBias ? "cublasLt, bias + residual (beta = 1)" : "cublasLt, residual (beta = 1)";
        }
        return "cublasLt";
    }

    LinearSpec spec_;
    DType dtype_;
    Gemm& gemm_;
};

} // namespace

std::unique_ptr<LinearLayer> makeLinearLayer(const LinearSpec& spec, DType dtype, Gemm& gemm,
                                             const KernelOptions& options) {
    if (spec.in <= 0 || spec.out <= 0)
        throw BackendError("linear layer of shape " + std::to_string(spec.in) + " -> " + std::to_string(spec.out));
    if (spec.epilogue == LinearEpilogue::GatedActivation && spec.activation == ops::Activation::None)
        throw BackendError("a gated linear layer needs an activation");
    if (dtype == DType::Float8) {
        // e4m3 into cuBLASLt's fp8 matmul (Fp8LinearLayer.h); a shape it does not take runs in fp16.
        if (fp8ShapeSupported(spec)) return std::make_unique<Fp8Linear>(spec, gemm, gemm.context(), options);
        dtype = DType::Float16;
    }
    return std::make_unique<CublasLtLinear>(spec, dtype, gemm);
}

} // namespace bertbench::cuda
