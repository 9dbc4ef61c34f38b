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
// Fused quantize: a separate pass over each input reads 2 bytes and writes 1 per element, about
// 4 ms of bert-base's 128 × 512 forward. So the kernel that writes an input may write it in e4m3
// into quantizedInput(weight) (the buffer and this weight's input scale) and the run passes it as
// LinearArgs::x8: the LayerNorm before QKV and FFN-up does (layernorm.cu's out8), and FFN-up
// itself writes FFN-down's input through cuBLASLt's fp8 output (LinearArgs::y8: D in e4m3 with
// D scale 1 / FFN-down's input scale, after the GELU epilogue, so the fp16 intermediate is never
// written). The attention output, strided in its scratch, keeps the pass.
//
// Algorithm: cuBLASLt's heuristic's first for each plan (GEMM autotuning is the fp16 / bf16
// path's; see Fp8LinearLayer.cpp's Plan).
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
    // Where a producer writes this weight's input in e4m3 (reserve()'s buffer, [rows, in]) and its
    // scale; only once calibrated (the scales are fixed then).
    E4m3View quantizedInput(const void* weight);
    bool calibrated() const { return calibrated_; }
    // Calibrated and not calibrating: a producer may write this layer's input (quantizedInput).
    bool quantizeFusable() const { return calibrated_ && !calibrating_; }

private:
    struct Slot {
        DeviceBuffer weight8;        // [out', in] e4m3
        DeviceBuffer scales;         // weight amax, weight scale, input amax (scratch), input scale, its
                                     // inverse (cuBLASLt's D scale for a producer writing e4m3): 256 bytes apart
        float inputAmax = 0;         // the largest seen while calibrating
    };
    Slot& slotOf(const void* weight);
    void quantizeWeight(Slot& s, const void* weight);
    // y8: the output in e4m3 with y8->inverseScale as D scale (y then only C's placeholder);
    // false when cuBLASLt has no such algorithm or refused it (the caller writes fp16 and quantizes).
    bool matmul(const LinearArgs& a, const Slot& s, const void* x8, void* y, int outCols, bool residual, bool gelu,
                const E4m3View* y8 = nullptr);
    struct Plan;
    Plan* makePlan(const LinearArgs& a, const Slot& s, const void* x8, const void* y, const void* c, int outCols,
                   bool fusedEpilogue, const E4m3View* y8);
    static void setCallAttributes(Plan& p, const Slot& s, const void* bias, const E4m3View* y8);

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
    // rows, out cols, residual, gelu, bias, e4m3 out, the input's and the output's (and residual's)
    // pointer alignment
    std::map<std::tuple<int64_t, int, bool, bool, bool, bool, uint32_t, uint32_t>, Plan*> plans_;
    bool unfusedEpilogue_ = false;        // some shape fell back to a separate bias / GELU kernel
    bool fusedInput_ = false;             // some run read an input a producer had quantized (x8)
    bool passInput_ = false;              // some run quantized its input itself
    bool e4m3Out_ = false, e4m3OutRefused_ = false;   // some run wrote y8 through cuBLASLt / had to quantize
};

} // namespace bertbench::cuda
