#pragma once
// The CPU backends' dense ops: GEMM (OpenBLAS, or a built-in blocked kernel), the row-split
// parallel Linear with a fused per-chunk epilogue, LayerNorm and exact GELU.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace bertbench::cpu {

// C = alpha·A·op(B) + beta·C, row-major, on the calling thread only. op(B) = Bᵀ when transB
// (B is [N,K], the HF Linear layout), else B ([K,N]). beta = 0 overwrites C.
void sgemm(bool transB, int M, int N, int K, float alpha, const float* A, int lda, const float* B, int ldb,
           float beta, float* C, int ldc);
// The built-in kernel sgemm falls back to without OpenBLAS (exposed for its test).
void builtinSgemm(bool transB, int M, int N, int K, float alpha, const float* A, int lda, const float* B, int ldb,
                  float beta, float* C, int ldc);
bool haveOpenBlas();
// "OpenBLAS 0.3.21 ... (single-threaded calls)" or "built-in blocked GEMM".
std::string gemmDescription();
// The BLAS this build links: "OpenBLAS 0.3.21 DYNAMIC_ARCH ... Haswell MAX_THREADS=64, core Haswell"
// (openblas_get_config and the core it picked at run time) or the built-in SGEMM.
std::string blasLibrary();
// Makes OpenBLAS single-threaded: the pool splits work itself and calls it from each thread.
void configureBlasThreads();

// Input rows [inRow, inRow + rows) map to output rows [outRow, outRow + rows): one segment for
// a padded or packed layer, one per sequence when packed rows are scattered back to padding.
struct RowSegment {
    int64_t inRow = 0;
    int64_t outRow = 0;
    int64_t rows = 0;
};
// Called on the thread that computed output rows [begin, end), right after their GEMM and bias.
using RowEpilogue = std::function<void(int64_t begin, int64_t end)>;

// y[out] = x[in]·Wᵀ + bias for W [N,K]; rows split across cpuPool().
void linear(const float* x, int K, const float* W, const float* bias, int N, float* y,
            const std::vector<RowSegment>& segments, const RowEpilogue& epilogue = {});
void linear(const float* x, int64_t rows, int K, const float* W, const float* bias, int N, float* y,
            const RowEpilogue& epilogue = {});

// out = LayerNorm(x + residual)·gamma + beta over one row of n; out may alias residual.
// residual may be null, and beta (a LayerNorm without bias: ModernBERT's).
void addLayerNormRow(float* x, const float* residual, float* out, int n, const float* gamma, const float* beta,
                     float eps);
void geluInPlace(float* x, int64_t n);
// The heads' activations by config name: "gelu" (exact), "relu", "tanh".
void activationInPlace(const std::string& name, float* x, int64_t n);
// GeGLU (ModernBERT's MLP): out[r] = gelu(input[r]) · gate[r], where each input row holds the
// `width` inputs then the `width` gates (HF's Wi(x).chunk(2)); out rows are `width` wide.
void geGluRows(const float* inputAndGate, float* out, int64_t rows, int width);
void addBiasRows(float* y, int64_t rows, int n, const float* bias);

// Softmax building blocks on one row.
float rowMax(const float* x, int n);
// x[i] = e^(x[i] − shift); returns Σ x[i].
float expShiftedSum(float* x, int n, float shift);
void scaleRow(float* x, int n, float factor);

} // namespace bertbench::cpu
