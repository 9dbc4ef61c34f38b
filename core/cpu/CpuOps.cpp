#include "core/cpu/CpuOps.h"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <stdexcept>

#include "core/cpu/CpuMath.h"
#include "core/cpu/ThreadPool.h"

#ifdef BERTBENCH_HAVE_OPENBLAS
#include <cblas.h>
#endif

namespace bertbench::cpu {

BERTBENCH_VECTOR_CLONES void builtinSgemm(bool transB, int M, int N, int K, float alpha, const float* A, int lda, const float* B, int ldb,
                  float beta, float* C, int ldc) {
    for (int i = 0; i < M; ++i) {
        float* c = C + int64_t(i) * ldc;
        for (int j = 0; j < N; ++j) c[j] = beta == 0.0f ? 0.0f : beta * c[j];
    }
    // op(B) is packed into a [KB x NB] panel so the inner loop is a contiguous axpy over
    // columns, which the compiler vectorises; the panel stays in L2 across all rows.
    constexpr int NB = 128, KB = 256;
    thread_local std::vector<float> panel(size_t(NB) * KB);
    for (int j0 = 0; j0 < N; j0 += NB) {
        const int nb = std::min(NB, N - j0);
        for (int k0 = 0; k0 < K; k0 += KB) {
            const int kb = std::min(KB, K - k0);
            for (int kk = 0; kk < kb; ++kk) {
                float* p = panel.data() + size_t(kk) * nb;
                for (int jj = 0; jj < nb; ++jj) {
                    p[jj] = transB ? B[int64_t(j0 + jj) * ldb + k0 + kk] : B[int64_t(k0 + kk) * ldb + j0 + jj];
                }
            }
            for (int i = 0; i < M; ++i) {
                float* c = C + int64_t(i) * ldc + j0;
                const float* a = A + int64_t(i) * lda + k0;
                for (int kk = 0; kk < kb; ++kk) {
                    const float av = alpha * a[kk];
                    const float* p = panel.data() + size_t(kk) * nb;
                    for (int jj = 0; jj < nb; ++jj) c[jj] += av * p[jj];
                }
            }
        }
    }
}

void sgemm(bool transB, int M, int N, int K, float alpha, const float* A, int lda, const float* B, int ldb,
           float beta, float* C, int ldc) {
    if (M <= 0 || N <= 0) return;
#ifdef BERTBENCH_HAVE_OPENBLAS
    cblas_sgemm(CblasRowMajor, CblasNoTrans, transB ? CblasTrans : CblasNoTrans, M, N, K, alpha, A, lda, B, ldb,
                beta, C, ldc);
#else
    builtinSgemm(transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
#endif
}

bool haveOpenBlas() {
#ifdef BERTBENCH_HAVE_OPENBLAS
    return true;
#else
    return false;
#endif
}

void configureBlasThreads() {
#ifdef BERTBENCH_HAVE_OPENBLAS
    static std::once_flag once;
    std::call_once(once, [] { openblas_set_num_threads(1); });
#endif
}

std::string blasLibrary() {
#ifdef BERTBENCH_HAVE_OPENBLAS
    std::string config = openblas_get_config();
    while (!config.empty() && config.back() == ' ') config.pop_back();
    return config + ", core " + openblas_get_corename();
#else
    return "built-in blocked SGEMM (OpenBLAS not found at build time)";
#endif
}

std::string gemmDescription() {
#ifdef BERTBENCH_HAVE_OPENBLAS
    return blasLibrary() + " (" + std::to_string(openblas_get_num_threads()) +
           " BLAS thread per call, rows split over BertBench's pool)";
#else
    return "built-in blocked GEMM (OpenBLAS not found at build time)";
#endif
}

void linear(const float* x, int K, const float* W, const float* bias, int N, float* y,
            const std::vector<RowSegment>& segments, const RowEpilogue& epilogue) {
    ThreadPool& pool = cpuPool();
    int64_t total = 0;
    for (const RowSegment& s : segments) total += s.rows;
    if (total == 0) return;
    // Chunks small enough that a chunk's output is still in cache for the epilogue, and
    // several per thread so a thread slowed by another process does not hold up the rest.
    const int64_t chunk = std::clamp<int64_t>((total + 4 * pool.size() - 1) / (4 * pool.size()), 16, 256);
    std::vector<RowSegment> pieces;
    for (const RowSegment& s : segments) {
        for (int64_t r = 0; r < s.rows; r += chunk) {
            pieces.push_back({s.inRow + r, s.outRow + r, std::min(chunk, s.rows - r)});
        }
    }
    pool.run(int64_t(pieces.size()), [&](int64_t t, int) {
        const RowSegment& p = pieces[size_t(t)];
        float* out = y + p.outRow * N;
        sgemm(true, int(p.rows), N, K, 1.0f, x + p.inRow * K, K, W, K, 0.0f, out, N);
        if (bias) addBiasRows(out, p.rows, N, bias);
        if (epilogue) epilogue(p.outRow, p.outRow + p.rows);
    });
}

void linear(const float* x, int64_t rows, int K, const float* W, const float* bias, int N, float* y,
            const RowEpilogue& epilogue) {
    linear(x, K, W, bias, N, y, {RowSegment{0, 0, rows}}, epilogue);
}

BERTBENCH_VECTOR_CLONES void addLayerNormRow(float* x, const float* residual, float* out, int n, const float* gamma, const float* beta,
                     float eps) {
    // Eight partial sums: vectorisable without reassociation flags, and more accurate too.
    float acc[8] = {};
    int i = 0;
    if (residual) {
        for (int j = 0; j < n; ++j) x[j] += residual[j];
    }
    for (; i + 8 <= n; i += 8)
        for (int j = 0; j < 8; ++j) acc[j] += x[i + j];
    float sum = 0.0f;
    for (; i < n; ++i) sum += x[i];
    for (float a : acc) sum += a;
    const float mean = sum / float(n);

    float sq[8] = {};
    i = 0;
    for (; i + 8 <= n; i += 8)
        for (int j = 0; j < 8; ++j) {
            const float d = x[i + j] - mean;
            sq[j] += d * d;
        }
    float var = 0.0f;
    for (; i < n; ++i) var += (x[i] - mean) * (x[i] - mean);
    for (float s : sq) var += s;
    var /= float(n);
    const float rstd = 1.0f / std::sqrt(var + eps);
    if (beta) {
        for (int j = 0; j < n; ++j) out[j] = (x[j] - mean) * rstd * gamma[j] + beta[j];
    } else {
        for (int j = 0; j < n; ++j) out[j] = (x[j] - mean) * rstd * gamma[j];
    }
}

BERTBENCH_VECTOR_CLONES void geluInPlace(float* x, int64_t n) {
    for (int64_t i = 0; i < n; ++i) x[i] = geluErf(x[i]);
}

void activationInPlace(const std::string& name, float* x, int64_t n) {
    if (name == "gelu") {
        geluInPlace(x, n);
    } else if (name == "relu") {
        for (int64_t i = 0; i < n; ++i) x[i] = std::max(x[i], 0.0f);
    } else if (name == "tanh") {
        for (int64_t i = 0; i < n; ++i) x[i] = std::tanh(x[i]);
    } else {
        throw std::invalid_argument("activation '" + name + "' is not implemented (gelu, relu, tanh)");
    }
}

BERTBENCH_VECTOR_CLONES void geGluRows(const float* inputAndGate, float* out, int64_t rows, int width) {
    for (int64_t r = 0; r < rows; ++r) {
        const float* input = inputAndGate + r * 2 * width;
        const float* gate = input + width;
        float* o = out + r * width;
        for (int j = 0; j < width; ++j) o[j] = geluErf(input[j]) * gate[j];
    }
}

BERTBENCH_VECTOR_CLONES void addBiasRows(float* y, int64_t rows, int n, const float* bias) {
    for (int64_t r = 0; r < rows; ++r) {
        float* row = y + r * n;
        for (int j = 0; j < n; ++j) row[j] += bias[j];
    }
}

// Reductions keep 16 independent lanes so they vectorise without reassociation flags.
BERTBENCH_VECTOR_CLONES float rowMax(const float* x, int n) {
    float lanes[16];
    for (float& l : lanes) l = x[0];
    int i = 0;
    for (; i + 16 <= n; i += 16)
        for (int j = 0; j < 16; ++j) lanes[j] = lanes[j] < x[i + j] ? x[i + j] : lanes[j];
    float m = x[0];
    for (; i < n; ++i) m = m < x[i] ? x[i] : m;
    for (float l : lanes) m = m < l ? l : m;
    return m;
}

BERTBENCH_VECTOR_CLONES float expShiftedSum(float* x, int n, float shift) {
    float lanes[16] = {};
    int i = 0;
    for (; i + 16 <= n; i += 16)
        for (int j = 0; j < 16; ++j) {
            const float e = expApprox(x[i + j] - shift);
            x[i + j] = e;
            lanes[j] += e;
        }
    float sum = 0.0f;
    for (; i < n; ++i) {
        x[i] = expApprox(x[i] - shift);
        sum += x[i];
    }
    for (float l : lanes) sum += l;
    return sum;
}

BERTBENCH_VECTOR_CLONES void scaleRow(float* x, int n, float factor) {
    for (int i = 0; i < n; ++i) x[i] *= factor;
}

} // namespace bertbench::cpu
