// Few-row linear layers (SmallLinear.h): split-K tensor-core GEMM with the epilogue in the
// split-K reduction.
//
// Block = 256 threads (8 warps as 4 along rows × 2 along columns, a 32 × 32 warp tile), one
// column tile of 64 outputs × all rows (≤ 128), K range = this block's split. Shared memory: 4
// stages × (x [128 × 64] + W [64 × 64]), rows padded to 72 elements so that ldmatrix's 8 rows of
// 16 bytes fall in distinct banks.
#include "kernels/ops/DependentLaunch.cuh"
#include "kernels/ops/LayerNormRow.cuh"
#include "kernels/ops/Ops.h"
#include "kernels/ops/SmallLinear.h"
#include "kernels/runtime/CudaCheck.h"
#include "kernels/runtime/CudaContext.h"

#include <algorithm>
#include <string>
#include <type_traits>

namespace bertbench::cuda::ops {

namespace {

constexpr int kRows = kSmallLinearMaxRows;
constexpr int kTileN = kSmallLinearTile;
constexpr int kTileK = kSmallLinearTile;
constexpr int kStages = 4;
constexpr int kPitch = kTileK + 8;   // elements per shared row
constexpr int kThreads = 256;
constexpr int kStageElements = (kRows + kTileN) * kPitch;
constexpr int kSmemBytes = kStages * kStageElements * 2;
static_assert(kSmallLinearCounters * sizeof(unsigned) <= CudaContext::kCounterBytes, "counters fit the context buffer");

struct Params {
    void* y;
    const void* x;
    const void* w;
    const void* bias;
    float* partials;      // [splits][rows][out]
    unsigned* counters;   // one per column tile
    int rows, in, out, splits, tilesN, kBlocks;
    int64_t ldx, ldy;
};

__device__ __forceinline__ uint32_t smemAddress(const void* p) { return uint32_t(__cvta_generic_to_shared(p)); }

__device__ __forceinline__ void cpAsync16(uint32_t dst, const void* src, bool valid)
{
    asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;\n" :: "r"(dst), "l"(src), "r"(valid ? 16 : 0) : "memory");
}
__device__ __forceinline__ void cpAsyncCommit() { asm volatile("cp.async.commit_group;\n" ::: "memory"); }
template <int kPending>
__device__ __forceinline__ void cpAsyncWait() { asm volatile("cp.async.wait_group %0;\n" :: "n"(kPending) : "memory"); }

__device__ __forceinline__ void ldmatrixX4(uint32_t (&r)[4], uint32_t address)
{
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0, %1, %2, %3}, [%4];\n"
                 : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3]) : "r"(address));
}

template <typename T>
__device__ __forceinline__ void mma16816(float (&c)[4], const uint32_t (&a)[4], uint32_t b0, uint32_t b1);
template <>
__device__ __forceinline__ void mma16816<__half>(float (&c)[4], const uint32_t (&a)[4], uint32_t b0, uint32_t b1)
{
    asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};\n"
                 : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3])
                 : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
}
template <>
__device__ __forceinline__ void mma16816<__nv_bfloat16>(float (&c)[4], const uint32_t (&a)[4], uint32_t b0, uint32_t b1)
{
    asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};\n"
                 : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3])
                 : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
}

__device__ __forceinline__ float geluErf(float v) { return 0.5f * v * (1.f + erff(v * 0.70710678118654752f)); }

template <typename T>
__device__ __forceinline__ void storePair(T* p, float a, float b)
{
    T pair[2] = {fromFloat<T>(a), fromFloat<T>(b)};
    *reinterpret_cast<uint32_t*>(p) = *reinterpret_cast<const uint32_t*>(pair);
}

// kEpilogue: 0 bias, 1 bias + GELU (both: reduce in the last block of the tile), 2 partials only
// (the LayerNorm kernel reduces).
template <typename T, int kEpilogue>
__global__ void __launch_bounds__(kThreads, 1) smallLinearKernel(const Params p)
{
    extern __shared__ __align__(128) unsigned char smem[];
    T* tiles = reinterpret_cast<T*>(smem);
    const int tile = blockIdx.x % p.tilesN;
    const int split = blockIdx.x / p.tilesN;
    const int kb0 = int(int64_t(split) * p.kBlocks / p.splits);
    const int kb1 = int(int64_t(split + 1) * p.kBlocks / p.splits);
    const int numK = kb1 - kb0;
    const int n0 = tile * kTileN;
    const int tid = threadIdx.x, warp = tid / 32, lane = tid % 32;
    const T* x = static_cast<const T*>(p.x);
    const T* w = static_cast<const T*>(p.w);

    auto stageX = [&](int s) { return tiles + s * kStageElements; };
    auto stageW = [&](int s) { return tiles + s * kStageElements + kRows * kPitch; };
    auto loadW = [&](int s, int kb) {
#pragma unroll
        for (int i = 0; i < kTileN * kTileK / 8 / kThreads; ++i) {
            const int c = tid + i * kThreads, row = c / 8, col = (c % 8) * 8;
            cpAsync16(smemAddress(stageW(s) + row * kPitch + col), w + int64_t(n0 + row) * p.in + kb * kTileK + col, true);
        }
    };
    auto loadX = [&](int s, int kb) {
#pragma unroll
        for (int i = 0; i < kRows * kTileK / 8 / kThreads; ++i) {
            const int c = tid + i * kThreads, row = c / 8, col = (c % 8) * 8;
            const bool valid = row < p.rows;   // rows past the end are zeros
            cpAsync16(smemAddress(stageX(s) + row * kPitch + col), x + int64_t(valid ? row : 0) * p.ldx + kb * kTileK + col,
                      valid);
        }
    };

    // Weights first: no earlier kernel writes them, so they stream while that kernel finishes.
#pragma unroll
    for (int s = 0; s < kStages - 1; ++s)
        if (s < numK) loadW(s, kb0 + s);
    allowNextGrid();
    waitForPreviousGrid();
#pragma unroll
    for (int s = 0; s < kStages - 1; ++s) {
        if (s < numK) loadX(s, kb0 + s);
        cpAsyncCommit();
    }

    const int wm = warp % 4, wn = warp / 4;   // rows 32·wm …, columns 32·wn … of the tile
    const bool rowsHere = wm * 32 < p.rows;
    float acc[2][4][4] = {};
    for (int kb = 0; kb < numK; ++kb) {
        cpAsyncWait<kStages - 2>();
        __syncthreads();   // stage kb is in; stage kb - 1 is free
        const int next = kb + kStages - 1;
        if (next < numK) {
            loadW(next % kStages, kb0 + next);
            loadX(next % kStages, kb0 + next);
        }
        cpAsyncCommit();
        if (!rowsHere) continue;
        const T* sx = stageX(kb % kStages);
        const T* sw = stageW(kb % kStages);
#pragma unroll
        for (int ks = 0; ks < kTileK / 16; ++ks) {
            uint32_t a[2][4], b[2][4];
#pragma unroll
            for (int mi = 0; mi < 2; ++mi) {
                const int row = wm * 32 + mi * 16 + (lane % 8) + ((lane / 8) % 2) * 8;
                ldmatrixX4(a[mi], smemAddress(sx + row * kPitch + ks * 16 + (lane / 16) * 8));
            }
#pragma unroll
            for (int pj = 0; pj < 2; ++pj) {
                const int n = wn * 32 + pj * 16 + (lane % 8) + (lane / 16) * 8;
                ldmatrixX4(b[pj], smemAddress(sw + n * kPitch + ks * 16 + ((lane / 8) % 2) * 8));
            }
#pragma unroll
            for (int mi = 0; mi < 2; ++mi)
#pragma unroll
                for (int nj = 0; nj < 4; ++nj)
                    mma16816<T>(acc[mi][nj], a[mi], b[nj / 2][(nj % 2) * 2], b[nj / 2][(nj % 2) * 2 + 1]);
        }
    }
    cpAsyncWait<0>();

    // This thread's outputs: rows wm·32 + mi·16 + lane/4 (+8), columns n0 + wn·32 + nj·8 + 2·(lane%4) (+1).
    const int rowBase = wm * 32 + lane / 4;
    const int colBase = n0 + wn * 32 + 2 * (lane % 4);
    auto forEach = [&](auto&& f) {
#pragma unroll
        for (int mi = 0; mi < 2; ++mi)
#pragma unroll
            for (int nj = 0; nj < 4; ++nj)
#pragma unroll
                for (int h = 0; h < 2; ++h) {
                    const int row = rowBase + mi * 16 + h * 8;
                    if (row < p.rows) f(row, colBase + nj * 8, acc[mi][nj][2 * h], acc[mi][nj][2 * h + 1]);
                }
    };
    auto partial = [&](int s, int row, int col) { return p.partials + (int64_t(s) * p.rows + row) * p.out + col; };

    const T* bias = static_cast<const T*>(p.bias);
    T* y = static_cast<T*>(p.y);
    auto epilogue = [&](float v, int col) {
        if (bias) v += toFloat(bias[col]);
        return kEpilogue == 1 ? geluErf(v) : v;
    };
    if (kEpilogue != 2 && p.splits == 1) {
        forEach([&](int row, int col, float& v0, float& v1) {
            storePair(y + int64_t(row) * p.ldy + col, epilogue(v0, col), epilogue(v1, col + 1));
        });
        return;
    }
    forEach([&](int row, int col, float& v0, float& v1) { __stcg(reinterpret_cast<float2*>(partial(split, row, col)), make_float2(v0, v1)); });
    if (kEpilogue == 2) return;   // the LayerNorm kernel sums the splits
    __shared__ bool last;
    __threadfence();
    __syncthreads();
    if (tid == 0) {
        last = atomicAdd(p.counters + tile, 1u) == unsigned(p.splits - 1);
        if (last) p.counters[tile] = 0;   // every split has arrived: ready for the next launch
    }
    __syncthreads();
    if (!last) return;
    __threadfence();
    // The last block sums the tile's splits with the whole block: each thread owns up to kPer
    // float4 of the [rows × 64] tile and issues all of a split's loads before adding, so a split
    // costs one L2 round trip rather than one per output pair (the first version's serial loop).
    constexpr int kQuads = kTileN / 4, kPer = kRows * kQuads / kThreads;
    float4 sum[kPer];
#pragma unroll
    for (int i = 0; i < kPer; ++i) sum[i] = make_float4(0.f, 0.f, 0.f, 0.f);
    for (int s = 0; s < p.splits; ++s) {
        float4 f[kPer];
#pragma unroll
        for (int i = 0; i < kPer; ++i) {
            const int q = tid + i * kThreads, row = q / kQuads;
            f[i] = row < p.rows ? __ldcg(reinterpret_cast<const float4*>(partial(s, row, n0 + (q % kQuads) * 4)))
                                : make_float4(0.f, 0.f, 0.f, 0.f);
        }
#pragma unroll
        for (int i = 0; i < kPer; ++i) {
            sum[i].x += f[i].x;
            sum[i].y += f[i].y;
            sum[i].z += f[i].z;
            sum[i].w += f[i].w;
        }
    }
#pragma unroll
    for (int i = 0; i < kPer; ++i) {
        const int q = tid + i * kThreads, row = q / kQuads, col = n0 + (q % kQuads) * 4;
        if (row >= p.rows) continue;
        T* dst = y + int64_t(row) * p.ldy + col;
        storePair(dst, epilogue(sum[i].x, col), epilogue(sum[i].y, col + 1));
        storePair(dst + 2, epilogue(sum[i].z, col + 2), epilogue(sum[i].w, col + 3));
    }
}

// y = LN(Σ_splits partials + bias + residual) row by row (layout of LayerNormRow.cuh).
template <typename T>
__global__ void splitSumResidualLayerNormKernel(T* y, const float* partials, int splits, const T* __restrict__ bias,
                                                const T* residual, const T* __restrict__ gamma,
                                                const T* __restrict__ beta, int rows, int hidden, float eps)
{
    constexpr int N = kVec<T>;
    __shared__ float shared[kLnThreads / 32 * 32];
    const int row = int(blockIdx.x) * int(blockDim.y) + int(threadIdx.y);
    const bool active = row < rows;
    const int vectors = hidden / N;
    float v[kLnMaxVecs][N];
    waitForPreviousGrid();
    allowNextGrid();
#pragma unroll
    for (int k = 0; k < kLnMaxVecs; ++k) {
        const int vi = threadIdx.x + k * blockDim.x;
        if (!active || vi >= vectors) continue;
#pragma unroll
        for (int i = 0; i < N; ++i) v[k][i] = 0.f;
        // Splits in groups of kGroup whose loads are all issued before any add (one L2 round
        // trip a group; up to 11 splits on the 768-wide layers).
        constexpr int kGroup = 4;
        for (int s0 = 0; s0 < splits; s0 += kGroup) {
            float4 f[kGroup][N / 4];
#pragma unroll
            for (int g = 0; g < kGroup; ++g) {
                const float4* src = reinterpret_cast<const float4*>(partials + (int64_t(s0 + g) * rows + row) * hidden + vi * N);
#pragma unroll
                for (int q = 0; q < N / 4; ++q) f[g][q] = s0 + g < splits ? __ldcg(src + q) : make_float4(0.f, 0.f, 0.f, 0.f);
            }
#pragma unroll
            for (int g = 0; g < kGroup; ++g)
#pragma unroll
                for (int q = 0; q < N / 4; ++q) {
                    v[k][4 * q] += f[g][q].x;
                    v[k][4 * q + 1] += f[g][q].y;
                    v[k][4 * q + 2] += f[g][q].z;
                    v[k][4 * q + 3] += f[g][q].w;
                }
        }
        float r[N];
        loadVec(residual + int64_t(row) * hidden + vi * N, r);
#pragma unroll
        for (int i = 0; i < N; ++i) v[k][i] += r[i];
        if (bias) {
            float b[N];
            loadVec(bias + vi * N, b);
#pragma unroll
            for (int i = 0; i < N; ++i) v[k][i] += b[i];
        }
    }
    layerNormStore<T>(v, active, vectors, hidden, y + int64_t(active ? row : 0) * hidden, gamma, beta, eps, shared);
}

int splitsFor(int in, int out, int sms)
{
    const int tilesN = out / kTileN, kBlocks = in / kTileK;
    return std::max(1, std::min(kBlocks, std::max(1, sms) / tilesN));
}

template <typename T>
void run(const SmallLinearArgs& a, cudaStream_t stream)
{
    Params p{};
    p.y = a.y;
    p.x = a.x;
    p.w = a.weight;
    p.bias = a.bias;
    p.partials = a.workspace;
    p.counters = a.counters;
    p.rows = int(a.rows);
    p.in = a.in;
    p.out = a.out;
    p.tilesN = a.out / kTileN;
    p.kBlocks = a.in / kTileK;
    p.splits = splitsFor(a.in, a.out, a.sms);
    p.ldx = a.ldx ? a.ldx : a.in;
    p.ldy = a.ldy ? a.ldy : a.out;
    const dim3 grid(unsigned(p.tilesN * p.splits));
    // One shared-memory attribute per kernel (the three share a function-pointer type, so the
    // epilogue is the template argument that keeps their static results apart).
    auto launch = [&](auto epilogue) {
        constexpr int kEpilogue = decltype(epilogue)::value;
        static const cudaError_t attributeError =
            cudaFuncSetAttribute(smallLinearKernel<T, kEpilogue>, cudaFuncAttributeMaxDynamicSharedMemorySize, kSmemBytes);
        if (attributeError != cudaSuccess)
            throw BackendError(std::string("small linear: cannot raise shared memory: ") + cudaGetErrorString(attributeError));
        launchDependent(smallLinearKernel<T, kEpilogue>, grid, dim3(kThreads), size_t(kSmemBytes), stream, p);
    };
    switch (a.epilogue) {
    case SmallEpilogue::Bias: launch(std::integral_constant<int, 0>{}); break;
    case SmallEpilogue::BiasGelu: launch(std::integral_constant<int, 1>{}); break;
    case SmallEpilogue::BiasResidualLayerNorm: {
        launch(std::integral_constant<int, 2>{});
        const RowLaunch rl = layerNormLaunch(a.rows, a.out / kVec<T>);
        launchDependent(splitSumResidualLayerNormKernel<T>, dim3(rl.grid), rl.block, size_t(0), stream, static_cast<T*>(a.y),
                  static_cast<const float*>(a.workspace), p.splits, static_cast<const T*>(a.bias),
                  static_cast<const T*>(a.residual), static_cast<const T*>(a.gamma), static_cast<const T*>(a.beta),
                  p.rows, a.out, a.eps);
        break;
    }
    }
}

bool aligned16(const void* ptr) { return (reinterpret_cast<uintptr_t>(ptr) & 15u) == 0; }

} // namespace

void useContextScratch(SmallLinearArgs& args, float* workspace, size_t workspaceBytes, unsigned* counters, int sms)
{
    args.workspace = workspace;
    args.workspaceBytes = workspaceBytes;
    args.counters = counters;
    args.sms = sms;
}

bool smallLinearFits(DType dtype, int64_t rows, int in, int out)
{
    return dtype != DType::Float32 && rows >= 1 && rows <= kSmallLinearMaxRows && in >= kTileK && in % kTileK == 0 &&
           out >= kTileN && out % kTileN == 0 && out / kTileN <= kSmallLinearCounters;
}

size_t smallLinearWorkspaceBytes(int64_t rows, int in, int out, int sms)
{
    return size_t(splitsFor(in, out, sms)) * size_t(rows) * size_t(out) * sizeof(float);
}

void smallLinear(const SmallLinearArgs& a, cudaStream_t stream)
{
    if (!smallLinearFits(a.dtype, a.rows, a.in, a.out))
        throw BackendError("small linear: shape " + std::to_string(a.rows) + "x" + std::to_string(a.in) + "x" +
                           std::to_string(a.out) + " is not one the kernel takes");
    const int64_t ldx = a.ldx ? a.ldx : a.in, ldy = a.ldy ? a.ldy : a.out;
    if (!aligned16(a.x) || !aligned16(a.weight) || !aligned16(a.y) || ldx % 8 != 0 || ldy % 8 != 0)
        throw BackendError("small linear: operands must be 16-byte aligned with row strides a multiple of 8");
    const bool layerNorm = a.epilogue == SmallEpilogue::BiasResidualLayerNorm;
    if (layerNorm && (!a.residual || !a.gamma || !a.beta || ldy != a.out))
        throw BackendError("small linear: the LayerNorm epilogue needs residual, gamma, beta and contiguous rows");
    if (!a.workspace || a.workspaceBytes < smallLinearWorkspaceBytes(a.rows, a.in, a.out, a.sms) || !a.counters)
        throw BackendError("small linear: workspace too small for " + std::to_string(a.rows) + "x" + std::to_string(a.out));
    if (a.dtype == DType::Float16) run<__half>(a, stream);
    else run<__nv_bfloat16>(a, stream);
}

} // namespace bertbench::cuda::ops
