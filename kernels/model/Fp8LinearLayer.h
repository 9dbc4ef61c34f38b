#pragma once
// The fp8 linear layer (DType::Float8): e4m3 weights and activations into a cuBLASLt fp8 matmul,
// per-tensor scales, fp32 accumulate, fp16 out with the same epilogues as the fp16 layer
// (LinearLayer.h): bias, bias + GELU (cuBLASLt's GELU_BIAS, tanh form), bias + residual (beta = 1,
// C = the residual in fp16), gated (the GEMM into the scratch, then the gate kernel).
//
// Scales (x ≈ q · scale, scale = amax / 448):
//   weights      at load, the first time a weight is seen (the calibration forward sees them
//                all): amax of the fp16 weight on the device, then quantized once and kept.
//   activations  static, from the calibration forward at load (CudaBertModel::calibrateFp8: one
//                seeded synthetic batch, kFp8Calibration* below): the largest amax each layer's
//                input had; at run time the input is quantized with it, saturating at ±448
//                whatever a later batch holds.
// One object serves every encoder layer of its shape (makeLinearLayer's contract), so weights,
// scales and amaxes are kept per weight pointer. The quantized input lives in a buffer of the
// layer's own, grown by reserve() (prepare, untimed) or by a run outside a graph capture.
//
// cuBLASLt's fp8 rules: A (the weight) transposed, B (the input) not ("TN"), in and out multiples
// of 16, fp16 C/D; compute capability 8.9+. Where cuBLASLt offers no fp8 algorithm with the bias
// or GELU epilogue for a shape, the plain fp8 GEMM runs and the bias (+ GELU, erf form) follows as
// the bias + activation kernel (path() says so). makeLinearLayer gives a shape that does not fit the
// fp16 layer instead (its path() says so), and the backend reports the dtype it really ran.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <tuple>

#include "kernels/model/LinearLayer.h"
#include "kernels/runtime/CudaContext.h"

namespace bertbench::cuda {

// The calibration batch: 8 rows, width min(128, the model's positions), real lengths
// Normal(0.75 · width, 10) (pad 0.25), token ids uniform from seed kFp8CalibrationSeed.
constexpr int kFp8CalibrationRows = 8;
constexpr int kFp8CalibrationWidth = 128;
constexpr double kFp8CalibrationPad = 0.25;
constexpr uint64_t kFp8CalibrationSeed = 0xF8CA11B;

// Whether cuBLASLt's fp8 matmul takes this shape (in and out multiples of 16).
bool fp8ShapeSupported(const LinearSpec& spec);

class Fp8Linear final : public LinearLayer {
public:
    Fp8Linear(const LinearSpec& spec, Gemm& gemm, CudaContext& context, const KernelOptions& options);
    ~Fp8Linear() override;

    const LinearSpec& spec() const override { return spec_; }
    size_t scratchBytes(int64_t rows) const override { return fp16_->scratchBytes(rows); }
    void run(const LinearArgs& args) override;
    std::string path() const override;

    // Calibration: while on, run() records each input's amax and computes in fp16; turning it off
    // fixes the activation scales. A weight never seen while calibrating cannot run in fp8.
    void setCalibrating(bool on);
    // Grows the quantized-input buffer to `rows` rows (untimed; never during a capture).
    void reserve(int64_t rows);
    bool calibrated() const { return calibrated_; }

private:
    struct Slot {
        DeviceBuffer weight8;        // [out', in] e4m3
        DeviceBuffer scales;         // weight amax, weight scale, input amax (scratch), input scale: 256 bytes apart
        float inputAmax = 0;         // the largest seen while calibrating
    };
    Slot& slotOf(const void* weight);
    void quantizeWeight(Slot& s, const void* weight);
    void matmul(const LinearArgs& a, const Slot& s, void* y, int outCols, bool residual, bool gelu);
    struct Plan;
    Plan* makePlan(const LinearArgs& a, const Slot& s, const void* y, const void* c, int outCols, bool fusedEpilogue);
    static void setCallAttributes(Plan& p, const Slot& s, const void* bias);

    LinearSpec spec_;
    Gemm& gemm_;
    CudaContext& context_;
    std::unique_ptr<LinearLayer> fp16_;   // the calibration forward's path
    std::map<const void*, Slot> slots_;
    DeviceBuffer input8_;                 // the quantized input, [rows, in]
    int64_t inputRows_ = 0;
    bool calibrating_ = false;
    bool calibrated_ = false;
    bool fastAccum_ = false;              // KernelOptions::fp8FastAccumulate (off: fp32 accumulate throughout)
    // rows, out cols, residual, gelu, bias, the output's (and residual's) pointer alignment
    std::map<std::tuple<int64_t, int, bool, bool, bool, uint32_t>, Plan*> plans_;
    bool unfusedEpilogue_ = false;        // some shape fell back to a separate bias / GELU kernel
};

} // namespace bertbench::cuda
