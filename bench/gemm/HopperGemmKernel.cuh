#pragma once
// y[M×N] = epilogue(x[M×K] · Wᵀ), W in HF layout [N×K], for Hopper (sm_90a): TMA loads, wgmma,
// one producer warp and two consumer warpgroups that take whole output tiles in turn, so that one
// consumer's epilogue (bias, erf GELU, residual, the fp16/bf16 stores) runs while the other's
// matrix products keep the tensor cores busy. BERT's GEMMs have short K (768 for three of the four),
// 12 k-blocks a tile, so an epilogue that is not hidden costs a large share of the tile's time:
// that is what this kernel is for (cublasLt's GELU_BIAS epilogue measured 125 % of its plain GEMM).
//
// Block = 3 warpgroups, one block per SM, in clusters of 2, persistent. Cluster c takes tile pairs
// c, c + clusters, …; pair q = (m tiles 2·(q / nTiles) + rank, n tile q % nTiles): the two CTAs of a
// cluster compute vertically adjacent tiles with the same weight columns, so each loads half of
// the W box and multicasts it to both (the L2 → shared traffic a k-block is 24 KiB a CTA instead
// of 32: at 128 × 128 tiles without it the kernel was bound by L2 bandwidth, 470 TFLOP/s). The n
// tiles of one row band run side by side, so the band of x is read from DRAM once and the weights
// stay in L2.
//   producer  (warpgroup 0, one thread; its registers given to the consumers): for every tile of
//             the block, every k-block's x box [128 rows × 64] (own) and half of the W box
//             [64 rows × 64] (multicast) into a ring of kStages stages; full/empty mbarriers hand
//             them over, a stage's empty barrier counting the consumer warps of both CTAs (the
//             peer writes into it too).
//   consumers (warpgroups 1, 2): consumer c takes the block's tiles c, c + 2, …; for each one,
//             per k-block 4 k16 steps of two wgmma m64n128k16 (tile rows 0-63 and 64-127), both
//             operands K-major from shared memory, accumulating 128×128 in fp32 registers; one
//             wgmma group in flight, a stage released as soon as its group has completed. The
//             consumers take turns for whole main loops (hardware barriers 1 and 2), so each
//             epilogue lines up with the other consumer's main loop. The turns are also what keeps
//             the ring's parity waits sound: a consumer starts tile i only after the other has
//             seen every stage of tile i - 1 fill, so no full barrier is two phases behind.
//   epilogue  from the accumulator registers: + bias[n] (loaded before the main loop), then GELU
//             (erf, fp32) or + residual (loaded 4 n8 chunks at a time, before their stores, so the
//             loads overlap), rounded once to fp16/bf16, rows < M only; 4-byte stores.
// M may be anything (TMA reads zeros past the last row); N must be a multiple of 128 and K of 64
// (HopperGemm.cu checks).
#include <cstdint>

#include <cuda.h>
#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include "kernels/hopper/HopperPtx.cuh"
#include "kernels/hopper/WgmmaOps.cuh"

// A bench knob: the ring depth (shared memory = stages × 32 KiB).
#ifndef BERTBENCH_HOPPER_GEMM_STAGES
#define BERTBENCH_HOPPER_GEMM_STAGES 6
#endif

// Bench knob: 0 = each CTA loads both W halves itself (no multicast; the cluster stays).
#ifndef BERTBENCH_HOPPER_GEMM_MULTICAST
#define BERTBENCH_HOPPER_GEMM_MULTICAST 1
#endif

// 1 (the default) = the epilogue stages the output tile in shared memory (128-byte swizzle,
// conflict-free from the accumulator layout) and writes it with TMA stores, the residual tile
// arriving by TMA during the main loop; 0 = direct 4-byte stores from the accumulators, which made
// 48 % of the L2 sectors excess. Costs one ring stage (5 instead of 6). Measured on an H100 at
// 65,536 rows, fp16: QKV 0.388 ms against 0.528 with direct stores, attention-out + residual 0.157
// against 0.221, FFN-up + GELU 0.680 against 0.781, FFN-down + residual 0.530 against 0.547; still
// behind cublasLt with the same epilogue in three of the four (docs/PERFORMANCE.md).
#ifndef BERTBENCH_HOPPER_GEMM_TMA_STORE
#define BERTBENCH_HOPPER_GEMM_TMA_STORE 1
#endif

namespace bertbench::hopper {

enum class GemmEpilogue : int {
    None = 0,       // y = x·Wᵀ (+ bias when given)
    BiasGelu = 1,   // y = GELU_erf(x·Wᵀ + bias)
    Residual = 2,   // y = x·Wᵀ (+ bias) + residual
};

struct HopperGemmParams {
    void* y;
    int64_t ldy;            // elements
    const void* bias;       // [N] or null
    const void* residual;   // Residual: [M × ldr], may equal y (each element read, then written, by one thread)
    int64_t ldr;
    int m, n, k;
    int mTiles, nTiles, kBlocks;
    GemmEpilogue epilogue;
};

template <typename Element_>
struct HopperGemmTraits {
    using Element = Element_;
    static constexpr int kBlockM = 128;
    static constexpr int kBlockN = 128;
    static constexpr int kBlockK = 64;                   // 128 bytes: one swizzle row
    static constexpr bool kTmaStore = BERTBENCH_HOPPER_GEMM_TMA_STORE != 0;
    static constexpr int kStages =
        kTmaStore && BERTBENCH_HOPPER_GEMM_STAGES > 5 ? 5 : BERTBENCH_HOPPER_GEMM_STAGES;
    static constexpr int kConsumers = 2;
    static constexpr int kThreads = 128 * (1 + kConsumers);
    static constexpr int kClusterSize = 2;                 // CTAs sharing (multicasting) W boxes
    static constexpr int kOperandBytes = 128 * 128;      // [128 rows × 64] fp16/bf16
    static constexpr int kStageBytes = 2 * kOperandBytes;  // x box, then W box (two 64-row halves)
    static constexpr int kWHalfBytes = kOperandBytes / 2;
    static constexpr int kStagingOffset = kStages * kStageBytes;   // kTmaStore: one output tile a consumer
    static constexpr int kStagingBytes = kBlockM * kBlockN * 2;     // two [128 × 64] boxes
    static constexpr int kBarrierOffset = kStagingOffset + (kTmaStore ? kConsumers * kStagingBytes : 0);
    // full + empty per stage, one residual-arrived per consumer; + slack to align to 1024
    static constexpr int kSmemBytes = kBarrierOffset + 16 * kStages + 8 * kConsumers + 1024;
};

template <typename Element>
__device__ __forceinline__ float2 loadPair(const Element* p);
template <>
__device__ __forceinline__ float2 loadPair<__half>(const __half* p)
{
    return __half22float2(*reinterpret_cast<const __half2*>(p));
}
template <>
__device__ __forceinline__ float2 loadPair<__nv_bfloat16>(const __nv_bfloat16* p)
{
    return __bfloat1622float2(*reinterpret_cast<const __nv_bfloat162*>(p));
}
// Two adjacent elements kept packed in one register until used (the consumers have 128 of their
// registers in accumulators).
template <typename Element>
__device__ __forceinline__ uint32_t loadPacked(const Element* p)
{
    return *reinterpret_cast<const uint32_t*>(p);
}
template <typename Element>
__device__ __forceinline__ float2 unpack(uint32_t v)
{
    return loadPair(reinterpret_cast<const Element*>(&v));
}
template <typename Element>
__device__ __forceinline__ uint32_t packPair(float lo, float hi);
template <>
__device__ __forceinline__ uint32_t packPair<__half>(float lo, float hi)
{
    const __half2 h = __floats2half2_rn(lo, hi);
    return *reinterpret_cast<const uint32_t*>(&h);
}
template <>
__device__ __forceinline__ uint32_t packPair<__nv_bfloat16>(float lo, float hi)
{
    const __nv_bfloat162 h = __floats2bfloat162_rn(lo, hi);
    return *reinterpret_cast<const uint32_t*>(&h);
}

// Bench knob: 1 = the tanh form of GELU on the MUFU (tanh.approx), as cublasLt's GELU_BIAS.
#ifndef BERTBENCH_HOPPER_GEMM_GELU_TANH
#define BERTBENCH_HOPPER_GEMM_GELU_TANH 0
#endif

// HF's "gelu": x · Φ(x), with the exact erf (or, with the knob, the tanh approximation).
__device__ __forceinline__ float geluErf(float v)
{
#if BERTBENCH_HOPPER_GEMM_GELU_TANH
    float th;
    const float u = 0.7978845608028654f * fmaf(0.044715f * v, v * v, v);
    asm("tanh.approx.f32 %0, %1;" : "=f"(th) : "f"(u));
    return 0.5f * v * (1.f + th);
#else
    return 0.5f * v * (1.f + erff(v * 0.70710678118654752f));
#endif
}

// One column pair of the epilogue: accumulators + bias, then GELU or + residual (packed; read only
// for the residual epilogue), rounded once to the output type.
template <typename Element>
__device__ __forceinline__ uint32_t finishPair(float a0, float a1, float2 b, uint32_t residualPair, GemmEpilogue epilogue)
{
    float v0 = a0 + b.x, v1 = a1 + b.y;
    if (epilogue == GemmEpilogue::BiasGelu) {
        v0 = geluErf(v0);
        v1 = geluErf(v1);
    } else if (epilogue == GemmEpilogue::Residual) {
        const float2 r = unpack<Element>(residualPair);
        v0 += r.x;
        v1 += r.y;
    }
    return packPair<Element>(v0, v1);
}

template <class T>
__global__ void __launch_bounds__(T::kThreads, 1)
hopperGemm(const __grid_constant__ CUtensorMap tmX, const __grid_constant__ CUtensorMap tmW,
           const __grid_constant__ CUtensorMap tmY, const __grid_constant__ CUtensorMap tmR, const HopperGemmParams p)
{
#if defined(__CUDA_ARCH_FEAT_SM90_ALL)
    using Element = typename T::Element;
    constexpr int kS = T::kStages;

    extern __shared__ unsigned char smemRaw[];
    const uint32_t rawAddress = sharedAddress(smemRaw);
    const uint32_t base = (rawAddress + 1023u) & ~1023u;   // the same offset in both CTAs
    auto xStage = [&](int s) { return base + uint32_t(s * T::kStageBytes); };
    auto wStage = [&](int s) { return base + uint32_t(s * T::kStageBytes + T::kOperandBytes); };
    const uint32_t bars = base + T::kBarrierOffset;
    auto full = [&](int s) { return bars + 8u * s; };
    auto empty = [&](int s) { return bars + 8u * (kS + s); };
    auto residualFull = [&](int c) { return bars + 8u * (2 * kS + c); };

    const int warpgroup = threadIdx.x / 128;
    const uint32_t rank = clusterCtaRank();
    const uint32_t peer = rank ^ 1u;
    const int cluster = blockIdx.x / T::kClusterSize, clusters = gridDim.x / T::kClusterSize;
    const int mPairs = (p.mTiles + 1) / 2;
    const int numPairs = mPairs * p.nTiles;
    auto tileOrigin = [&](int pair, int& m0, int& n0) {
        m0 = (2 * (pair / p.nTiles) + int(rank)) * T::kBlockM;
        n0 = (pair % p.nTiles) * T::kBlockN;
    };

    if (threadIdx.x == 0) {
        for (int s = 0; s < kS; ++s) {
            mbarrierInit(full(s), 1);
            mbarrierInit(empty(s), 4 * (BERTBENCH_HOPPER_GEMM_MULTICAST ? T::kClusterSize : 1));   // one consumer's 4 warps, in both CTAs
        }
        for (int c = 0; c < T::kConsumers; ++c) mbarrierInit(residualFull(c), 1);
        mbarrierInitFence();
        tmaPrefetchDescriptor(&tmX);
        tmaPrefetchDescriptor(&tmW);
    }
    clusterSync();   // the peer's barriers exist before anything is multicast or arrived on

    if (warpgroup == 0) {   // ---------------------------------------------------------- producer
        warpgroupRegistersDown<40>();
        if (threadIdx.x == 0) {
            int it = 0;
            for (int pair = cluster; pair < numPairs; pair += clusters) {
                int m0, n0;
                tileOrigin(pair, m0, n0);
                for (int kb = 0; kb < p.kBlocks; ++kb, ++it) {
                    const int s = it % kS;
                    mbarrierWait(empty(s), ((it / kS) & 1) ^ 1);   // released in both CTAs
                    mbarrierArriveExpectTx(full(s), T::kStageBytes);
                    tmaLoad2d(xStage(s), &tmX, kb * T::kBlockK, m0, full(s));
#if BERTBENCH_HOPPER_GEMM_MULTICAST
                    tmaLoad2dMulticast(wStage(s) + rank * T::kWHalfBytes, &tmW, kb * T::kBlockK,
                                       n0 + int(rank) * (T::kBlockN / 2), full(s), uint16_t(0x3));
#else
                    tmaLoad2d(wStage(s), &tmW, kb * T::kBlockK, n0, full(s));
                    tmaLoad2d(wStage(s) + T::kWHalfBytes, &tmW, kb * T::kBlockK, n0 + T::kBlockN / 2, full(s));
#endif
                }
            }
        }
    } else {   // ------------------------------------------------------------------- consumers
        warpgroupRegistersUp<232>();
        const int consumer = warpgroup - 1;
        const int t = threadIdx.x % 128;
        const int warp = t / 32, lane = t % 32;
        const int rowInWg0 = warp * 16 + lane / 4;   // this thread's rows: rowInWg0 (+8) of each 64-row half
        const int colPair = 2 * (lane % 4);          // and, in every n8 chunk, these 2 columns

        // Turn-taking as in the attention kernel: consumer c waits on barrier 1 + c and passes to
        // the other's; consumer 1 arrives first so that consumer 0 starts. Whoever would take the
        // turn after the block's last tile absorbs the last pass, so no barrier is left half-full.
        auto waitTurn = [&] { namedBarrier(1 + consumer, 256); };
        auto passTurn = [&] { namedBarrierArrive(1 + (1 - consumer), 256); };
        if (consumer == 1) namedBarrierArrive(1, 256);
        auto release = [&](int s) {
            __syncwarp();
            if (lane == 0) {
                mbarrierArrive(empty(s));
                if (BERTBENCH_HOPPER_GEMM_MULTICAST) mbarrierArriveCluster(empty(s), peer);
            }
        };

        Element* y = static_cast<Element*>(p.y);
        const Element* bias = static_cast<const Element*>(p.bias);
        const Element* residual = static_cast<const Element*>(p.residual);
        constexpr int kChunks = T::kBlockN / 8;
        constexpr int kGroup = 4;   // n8 chunks whose residuals are loaded together

        float acc[2][64];
        uint32_t b[kChunks];
        int it = 0, local = 0;
        const uint32_t staging = base + uint32_t(T::kStagingOffset + consumer * T::kStagingBytes);
        unsigned char* stagingPtr = smemRaw + (staging - rawAddress);
        int residualTiles = 0;   // phases of residualFull(consumer) used
        for (int pair = cluster; pair < numPairs; pair += clusters, ++local, it += p.kBlocks) {
            if ((local & 1) != consumer) continue;
            int m0, n0;
            tileOrigin(pair, m0, n0);
#pragma unroll
            for (int c = 0; c < kChunks; ++c)   // in flight during the main loop
                b[c] = bias ? loadPacked(bias + n0 + c * 8 + colPair) : 0u;   // 0 bits: +0.0 twice

            waitTurn();
            for (int kb = 0; kb < p.kBlocks; ++kb) {
                const int s = (it + kb) % kS;
                mbarrierWait(full(s), ((it + kb) / kS) & 1);
                fenceRegisters(acc[0]);
                fenceRegisters(acc[1]);
                wgmmaFence();
#pragma unroll
                for (int ks = 0; ks < 4; ++ks) {
                    const uint32_t inRow = uint32_t(ks * 32);   // 16 elements of the 128-byte row
                    const uint64_t descW = matrixDescriptor(wStage(s) + inRow, 16, 1024);
                    const int scaleD = (kb > 0 || ks > 0) ? 1 : 0;
                    wgmmaSS<128, Element>(acc[0], matrixDescriptor(xStage(s) + inRow, 16, 1024), descW, scaleD);
                    wgmmaSS<128, Element>(acc[1], matrixDescriptor(xStage(s) + 64 * 128 + inRow, 16, 1024), descW, scaleD);
                }
                wgmmaCommit();
                if constexpr (T::kTmaStore) {
                    // Halfway through, the residual tile into the staging buffer (the previous
                    // tile's store has long finished reading it by then).
                    if (p.epilogue == GemmEpilogue::Residual && kb == p.kBlocks / 2 && t == 0) {
                        bulkWaitGroupRead<0>();
                        mbarrierArriveExpectTx(residualFull(consumer), T::kStagingBytes);
                        tmaLoad2d(staging, &tmR, n0, m0, residualFull(consumer));
                        tmaLoad2d(staging + T::kStagingBytes / 2, &tmR, n0 + 64, m0, residualFull(consumer));
                    }
                }
                if (kb > 0) {
                    wgmmaWait<1>();
                    release((it + kb - 1) % kS);
                }
            }
            passTurn();
            wgmmaWait<0>();
            fenceRegisters(acc[0]);
            fenceRegisters(acc[1]);
            release((it + p.kBlocks - 1) % kS);

            if constexpr (T::kTmaStore) {
                // Epilogue through shared memory: each value at its place in the swizzled staging
                // tile (the residual's place, when it is there), then two TMA stores.
                if (p.epilogue == GemmEpilogue::Residual) {
                    mbarrierWait(residualFull(consumer), residualTiles & 1);
                    ++residualTiles;
                } else {
                    if (t == 0) bulkWaitGroupRead<0>();
                    namedBarrier(3 + consumer, 128);
                }
#pragma unroll
                for (int c = 0; c < kChunks; ++c) {
                    const float2 bc = unpack<Element>(b[c]);
#pragma unroll
                    for (int q = 0; q < 4; ++q) {   // q = 2 · half + h; (row, col) in the tile
                        const int row = (q / 2) * 64 + rowInWg0 + 8 * (q % 2);
                        uint32_t* slot = reinterpret_cast<uint32_t*>(stagingPtr + swizzledBoxOffset(row, c * 8 + colPair));
                        *slot = finishPair<Element>(acc[q / 2][4 * c + 2 * (q % 2)], acc[q / 2][4 * c + 2 * (q % 2) + 1],
                                                    bc, *slot, p.epilogue);
                    }
                }
                fenceProxyAsyncShared();   // the generic writes, before the async proxy reads them
                namedBarrier(3 + consumer, 128);
                if (t == 0) {
                    tmaStore2d(&tmY, n0, m0, staging);   // rows past M are not written
                    tmaStore2d(&tmY, n0 + 64, m0, staging + T::kStagingBytes / 2);
                    bulkCommitGroup();
                }
                continue;
            }

            // Epilogue, from the registers: column pair (col, col + 1) of rows row and row + 8 in
            // each n8 chunk c of each 64-row half.
#pragma unroll
            for (int g = 0; g < kChunks; g += kGroup) {
                uint32_t r[kGroup][4];
                if (p.epilogue == GemmEpilogue::Residual) {
#pragma unroll
                    for (int c = 0; c < kGroup; ++c)
#pragma unroll
                        for (int q = 0; q < 4; ++q) {
                            const int row = m0 + (q / 2) * 64 + rowInWg0 + 8 * (q % 2);
                            r[c][q] = row < p.m ? loadPacked(residual + int64_t(row) * p.ldr + n0 + (g + c) * 8 + colPair)
                                                : 0u;
                        }
                }
#pragma unroll
                for (int c = 0; c < kGroup; ++c) {
                    const int col = n0 + (g + c) * 8 + colPair;
                    const float2 bc = unpack<Element>(b[g + c]);
#pragma unroll
                    for (int q = 0; q < 4; ++q) {   // q = 2 · half + h
                        const int row = m0 + (q / 2) * 64 + rowInWg0 + 8 * (q % 2);
                        if (row >= p.m) continue;
                        *reinterpret_cast<uint32_t*>(y + int64_t(row) * p.ldy + col) =
                            finishPair<Element>(acc[q / 2][4 * (g + c) + 2 * (q % 2)],
                                                acc[q / 2][4 * (g + c) + 2 * (q % 2) + 1], bc,
                                                p.epilogue == GemmEpilogue::Residual ? r[c][q] : 0u, p.epilogue);
                    }
                }
            }
        }
        if (consumer == (local & 1)) waitTurn();   // absorb the last pass
        if (T::kTmaStore && t == 0) bulkWaitGroup<0>();   // the last tile's stores, done
    }
    // Neither CTA leaves while the other may still multicast into it or arrive on its barriers.
    clusterSync();
#endif
}

} // namespace bertbench::hopper
