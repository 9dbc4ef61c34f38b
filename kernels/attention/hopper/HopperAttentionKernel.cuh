#pragma once
// FlashAttention forward for Hopper (sm_90a): TMA loads, wgmma, a producer warpgroup and two
// consumer warpgroups (the FlashAttention-3 structure, written for BERT's bidirectional
// attention with a key-length mask). Same contract as FlashAttentionKernel.cuh.
//
// Block = 3 warpgroups, one block per SM, persistent: block b takes work tiles b, b + grid, …
// A work tile is 128 query rows of one (sequence, head), ordered head fastest, then query tile,
// then sequence, so the blocks running at one time share K/V of few sequences in L2.
//   producer  (warpgroup 0, one thread; its registers given to the consumers): for each work
//             tile, TMA-loads the Q tile into one of 2 Q buffers, then every K and V tile of the
//             sequence into a ring of 2 stages; full/empty mbarriers hand the buffers over, so
//             loads for the next work tile stream in while this one is computed.
//   consumers (warpgroups 1, 2: 64 query rows each), software-pipelined over the K/V tiles:
//       S_j  = Q K_jᵀ      wgmma m64n128k16, A = Q and B = K from shared memory (K-major), issued
//                          together with the previous tile's
//       O   += P_{j-1} V   wgmma m64n{d}k16, A = P from registers (the S accumulator layout is the
//                          A fragment layout), B = V from shared memory (N-major, trans-b);
//       while P V runs: mask keys ≥ length, online softmax of S_j in fp32 (exp2 with the scale
//       folded in); then O is rescaled by the new row maxima. K is released as soon as S_j is
//       done, V after its product (separate empty barriers), so the producer refills K early.
//   then O / l is staged through the warpgroup's own rows of its Q buffer and written with
//   16-byte stores, only rows that exist, and the Q buffer is released.
//
// Shared memory (1024-byte aligned boxes, 128-byte swizzle as TMA writes it): Q ×2, K ×2, V ×2
// tiles of [128 rows × d], each as d/64 boxes of [128 rows × 64 columns], then the mbarriers.
// Rows past a sequence's end are the next sequence's (or TMA's zeros past the tensor): keys there
// are masked to -inf, so P = 0 and finite V contributes nothing; query rows there are computed
// and discarded.
//
// Sliding window (params.window ≥ 0, ModernBERT's local layers: keys at |i − j| ≤ w only): a work
// tile's K/V tiles are only those holding a key within the window of one of its real query rows,
// [qStart − w, qLast + w] (decodeTile, the same for producer and consumers): at w = 64 and 128-row
// tiles that is 3 K/V tiles whatever S, so a local layer costs O(S). Each consumer then computes
// only the tiles its own 64 rows can see (consumerTiles: 2 of the 3 at w = 64, so a third less
// tensor work) and, for the others, only waits for them to land and releases them, in order, so
// the empty barriers' arrivals stay in their phase. Every computed tile is masked element by
// element (|i − j| > w or j ≥ length); a row whose first tiles are all masked keeps a -inf max,
// and 0 stands in for it in the update (no -inf − -inf). Query rows past the length use the
// position length − 1 for the window (finite; discarded or padding).
// CPU reference: core/cpu/CpuAttention.cpp:sdpaAttention (padded), flashAttention (packed).
// Check: kernels/verify/AttentionChecks.cpp:checkFusedAttention (allowHopper true, on an H100/H200).
#include <cstdint>

#include <cuda.h>
#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include "kernels/attention/AttentionDevice.cuh"
#include "kernels/hopper/HopperPtx.cuh"
#include "kernels/hopper/WgmmaOps.cuh"

namespace bertbench::attention::hopper {

using namespace bertbench::hopper;   // the sm_90a primitives

struct HopperKernelParams {
    void* out;
    int64_t outRowStride;     // elements
    float scaleLog2;          // softmaxScale · log2(e)
    const int32_t* cuSeqlens; // varlen: [batch + 1]
    const int32_t* lengths;   // padded: [batch]
    int paddedSeqLen;         // padded: S
    int batch, numHeads, mTiles;
    int window;               // the sliding window |i − j| ≤ window (read by the kWindowed instantiation only)
};

// kWindowed_: the sliding-window instantiation (ModernBERT's local layers; params.window ≥ 0).
// A compile-time switch, so BERT's attention carries none of the window's code.
template <int kHeadDim_, typename Element_, bool kWindowed_ = false>
struct HopperTraits {
    using Element = Element_;
    static constexpr int kHeadDim = kHeadDim_;
    static constexpr bool kWindowed = kWindowed_;
    static constexpr int kBlockM = 128;                  // 2 consumer warpgroups × 64 rows
    static constexpr int kBlockN = 128;                  // keys per K/V tile
    static constexpr int kStages = 2;                    // K/V ring
    static constexpr int kQBuffers = 2;
    static constexpr int kConsumers = 2;
    static constexpr int kThreads = 128 * (1 + kConsumers);
    static constexpr int kBoxCols = 64;                  // 128 bytes: one swizzle row
    static constexpr int kBoxes = kHeadDim / kBoxCols;   // boxes per tile
    static constexpr int kBoxBytes = 128 * 128;          // 128 rows × 128 bytes
    static_assert(kBoxCols == 64 && kBoxBytes == 128 * 128, "the box swizzledBoxOffset (HopperPtx.cuh) addresses");
    static constexpr int kTileBytes = kBoxes * kBoxBytes;
    static constexpr int kBarrierOffset = (kQBuffers + 2 * kStages) * kTileBytes;   // 2Q + 4·stages barriers follow
    static constexpr int kSmemBytes = kBarrierOffset + 128 + 1024;   // + slack to align to 1024
    static_assert(kHeadDim == 64 || kHeadDim == 128, "head dim 64 or 128");
};

// Which rows a work tile covers; decoded identically by producer and consumers.
struct WorkTile {
    int head, seqStart, qStart, qRows, kLen, numKTiles;
    int kTile0;    // the first K/V tile visited (0 unless a sliding window skips the ones before)
    bool exists;   // the tile holds query rows
    bool zeros;    // padded mode, every row is padding: written as zeros, nothing loaded
};

template <class T>
__device__ __forceinline__ WorkTile decodeTile(const HopperKernelParams& p, int tile)
{
    WorkTile w;
    // Head fastest, then query tile: with the persistent grid's stride (the SM count, often a
    // multiple of the query-tile count) a query-tile-fastest order handed each block the same
    // query tile of every sequence, so at pad 0.5 some blocks got all the long tiles (measured
    // 116 TFLOP/s against 345 at pad 0). Heads cost the same, so a block may keep one head.
    w.head = tile % p.numHeads;
    const int rest = tile / p.numHeads;
    const int qt = rest % p.mTiles;
    const int b = rest / p.mTiles;
    const SequenceRows seq = sequenceRows(p.cuSeqlens, p.lengths, p.paddedSeqLen, b);
    w.seqStart = seq.start;
    w.kLen = seq.keys;
    const int qLen = seq.queries;
    w.qStart = qt * T::kBlockM;
    w.exists = w.qStart < qLen;
    w.qRows = min(T::kBlockM, qLen - w.qStart);
    w.zeros = w.qStart >= w.kLen;
    w.numKTiles = (w.kLen + T::kBlockN - 1) / T::kBlockN;
    w.kTile0 = 0;
    if (T::kWindowed && w.exists && !w.zeros) {
        const int qLast = min(w.qStart + w.qRows, w.kLen) - 1;
        w.kTile0 = max(0, w.qStart - p.window) / T::kBlockN;
        const int keyEnd = min(w.kLen, qLast + p.window + 1);
        w.numKTiles = (keyEnd + T::kBlockN - 1) / T::kBlockN - w.kTile0;
    }
    return w;
}

// The K/V tiles (indices into the work tile's visited ones, 0 … numKTiles − 1) one consumer's
// rows [row0, row0 + 64) of the work tile can see: all of them without a window.
struct TileRange {
    int first, last;
};

template <class T>
__device__ __forceinline__ TileRange consumerTiles(const HopperKernelParams& p, const WorkTile& w, int row0)
{
    if (!T::kWindowed) return {0, w.numKTiles - 1};
    const int lo = min(w.qStart + row0, w.kLen - 1), hi = min(w.qStart + row0 + 63, w.kLen - 1);
    const int first = max(0, lo - p.window) / T::kBlockN - w.kTile0;
    const int last = min(w.kLen - 1, hi + p.window) / T::kBlockN - w.kTile0;
    return {max(0, first), min(w.numKTiles - 1, last)};
}

template <class T>
__global__ void __launch_bounds__(T::kThreads, 1)
hopperAttentionForward(const __grid_constant__ CUtensorMap tmQ, const __grid_constant__ CUtensorMap tmK,
                       const __grid_constant__ CUtensorMap tmV, const HopperKernelParams p)
{
#if defined(__CUDA_ARCH_FEAT_SM90_ALL)
    using Element = typename T::Element;
    constexpr int D = T::kHeadDim;
    constexpr int kS = T::kStages;

    extern __shared__ unsigned char smemRaw[];
    const uint32_t rawAddress = sharedAddress(smemRaw);
    const uint32_t base = (rawAddress + 1023u) & ~1023u;
    unsigned char* smem = smemRaw + (base - rawAddress);
    auto qTile = [&](int i) { return base + uint32_t(i * T::kTileBytes); };
    auto kTile = [&](int s) { return base + uint32_t((T::kQBuffers + s) * T::kTileBytes); };
    auto vTile = [&](int s) { return base + uint32_t((T::kQBuffers + kS + s) * T::kTileBytes); };
    const uint32_t bars = base + T::kBarrierOffset;
    auto fullQ = [&](int i) { return bars + 8u * i; };
    auto emptyQ = [&](int i) { return bars + 8u * (T::kQBuffers + i); };
    auto fullK = [&](int s) { return bars + 8u * (2 * T::kQBuffers + s); };
    auto fullV = [&](int s) { return bars + 8u * (2 * T::kQBuffers + kS + s); };
    auto emptyK = [&](int s) { return bars + 8u * (2 * T::kQBuffers + 2 * kS + s); };
    auto emptyV = [&](int s) { return bars + 8u * (2 * T::kQBuffers + 3 * kS + s); };
    constexpr uint32_t kConsumerWarps = 4 * T::kConsumers;   // each consumer warp arrives once

    const int warpgroup = threadIdx.x / 128;
    const int numTiles = p.mTiles * p.numHeads * p.batch;

    if (threadIdx.x == 0) {
        for (int i = 0; i < T::kQBuffers; ++i) {
            mbarrierInit(fullQ(i), 1);
            mbarrierInit(emptyQ(i), kConsumerWarps);
        }
        for (int s = 0; s < kS; ++s) {
            mbarrierInit(fullK(s), 1);
            mbarrierInit(fullV(s), 1);
            mbarrierInit(emptyK(s), kConsumerWarps);
            mbarrierInit(emptyV(s), kConsumerWarps);
        }
        mbarrierInitFence();
        tmaPrefetchDescriptor(&tmQ);
        tmaPrefetchDescriptor(&tmK);
        tmaPrefetchDescriptor(&tmV);
    }
    __syncthreads();

    if (warpgroup == 0) {   // ---------------------------------------------------------- producer
        warpgroupRegistersDown<40>();
        if (threadIdx.x != 0) return;
        int qIter = 0, kvIter = 0;
        for (int tile = blockIdx.x; tile < numTiles; tile += gridDim.x) {
            const WorkTile w = decodeTile<T>(p, tile);
            if (!w.exists || w.zeros) continue;
            const int qb = qIter % T::kQBuffers;
            mbarrierWait(emptyQ(qb), ((qIter / T::kQBuffers) & 1) ^ 1);
            mbarrierArriveExpectTx(fullQ(qb), T::kTileBytes);
#pragma unroll
            for (int box = 0; box < T::kBoxes; ++box)
                tmaLoad2d(qTile(qb) + box * T::kBoxBytes, &tmQ, w.head * D + box * T::kBoxCols,
                          w.seqStart + w.qStart, fullQ(qb));
            ++qIter;
            for (int j = 0; j < w.numKTiles; ++j, ++kvIter) {
                const int s = kvIter % kS;
                const int row = w.seqStart + (w.kTile0 + j) * T::kBlockN;
                mbarrierWait(emptyK(s), ((kvIter / kS) & 1) ^ 1);
                mbarrierArriveExpectTx(fullK(s), T::kTileBytes);
#pragma unroll
                for (int box = 0; box < T::kBoxes; ++box)
                    tmaLoad2d(kTile(s) + box * T::kBoxBytes, &tmK, w.head * D + box * T::kBoxCols, row, fullK(s));
                mbarrierWait(emptyV(s), ((kvIter / kS) & 1) ^ 1);
                mbarrierArriveExpectTx(fullV(s), T::kTileBytes);
#pragma unroll
                for (int box = 0; box < T::kBoxes; ++box)
                    tmaLoad2d(vTile(s) + box * T::kBoxBytes, &tmV, w.head * D + box * T::kBoxCols, row, fullV(s));
            }
        }
        return;
    }

    // ------------------------------------------------------------------------------- consumers
    warpgroupRegistersUp<232>();
    const int consumer = warpgroup - 1;          // rows consumer·64 … +63 of each work tile
    const int t = threadIdx.x % 128;
    const int warp = t / 32, lane = t % 32;
    const int rowInWg0 = warp * 16 + lane / 4;   // this thread's rows: rowInWg0 and rowInWg0 + 8
    const int colPair = 2 * (lane % 4);          // and, in every n8 chunk, these 2 columns
    constexpr int kSChunks = T::kBlockN / 8;     // n8 chunks of S
    constexpr int kOChunks = D / 8;              // n8 chunks of O
    constexpr int kPSteps = T::kBlockN / 16;     // k16 steps of P V
    constexpr int kQSteps = D / 16;              // k16 steps of Q Kᵀ

    auto issueS = [&](float (&sc)[T::kBlockN / 2], uint32_t qBase, int s) {
#pragma unroll
        for (int ks = 0; ks < kQSteps; ++ks) {
            const uint32_t inBox = uint32_t((ks / 4) * T::kBoxBytes + (ks % 4) * 32);
            wgmmaSS<T::kBlockN, Element>(sc, matrixDescriptor(qBase + inBox, 16, 1024),
                                         matrixDescriptor(kTile(s) + inBox, 16, 1024), ks > 0 ? 1 : 0);
        }
        wgmmaCommit();
    };
    auto issuePV = [&](float (&o)[D / 2], const uint32_t (&pa)[kPSteps][4], int s) {
#pragma unroll
        for (int ks = 0; ks < kPSteps; ++ks)
            wgmmaRS<D, Element>(o, pa[ks], matrixDescriptor(vTile(s) + uint32_t(ks * 16 * 128), T::kBoxBytes, 1024));
        wgmmaCommit();
    };
    auto release = [&](uint32_t bar) {
        __syncwarp();
        if (lane == 0) mbarrierArrive(bar);
    };
    // Masks keys ≥ kLen in K/V tile j (and, with a sliding window, keys outside each row's window:
    // rowPos = the positions of this thread's two rows), runs the online-softmax update of S into
    // P (in place) and returns each row's correction factor for O.
    auto softmax = [&](float (&sc)[T::kBlockN / 2], int j, int kLen, float (&rowMax)[2], float (&rowSum)[2],
                       float (&correction)[2], const int (&rowPos)[2]) {
        const int validCols = kLen - j * T::kBlockN;
        constexpr bool windowed = T::kWindowed;
        if constexpr (windowed) {
            const int keyBase = j * T::kBlockN;
#pragma unroll
            for (int c = 0; c < kSChunks; ++c) {
                const int col = c * 8 + colPair;
#pragma unroll
                for (int h = 0; h < 2; ++h) {
                    if (col >= validCols || abs(rowPos[h] - keyBase - col) > p.window) sc[4 * c + 2 * h] = -INFINITY;
                    if (col + 1 >= validCols || abs(rowPos[h] - keyBase - col - 1) > p.window)
                        sc[4 * c + 2 * h + 1] = -INFINITY;
                }
            }
        } else if (validCols < T::kBlockN) {
#pragma unroll
            for (int c = 0; c < kSChunks; ++c) {
                const int col = c * 8 + colPair;
                if (col >= validCols) sc[4 * c] = sc[4 * c + 2] = -INFINITY;
                if (col + 1 >= validCols) sc[4 * c + 1] = sc[4 * c + 3] = -INFINITY;
            }
        }
        // A row's 128 scores live in the 4 threads of a quad.
#pragma unroll
        for (int h = 0; h < 2; ++h) {
            float mx = rowMax[h];
#pragma unroll
            for (int c = 0; c < kSChunks; ++c) mx = fmaxf(mx, fmaxf(sc[4 * c + 2 * h], sc[4 * c + 2 * h + 1]));
            mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, 1));
            mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, 2));
            // A window may mask a row's whole tile before its first visible key: -inf stays its max,
            // and 0 stands in for it here (no -inf − -inf = NaN).
            const float mxUse = (windowed && mx == -INFINITY) ? 0.f : mx;
            correction[h] = fastExp2((rowMax[h] - mxUse) * p.scaleLog2);   // 0 on the first tile
            rowMax[h] = mx;
            const float maxScaled = mxUse * p.scaleLog2;
            float sum = 0.f;
#pragma unroll
            for (int c = 0; c < kSChunks; ++c) {
                const float a0 = fmaf(sc[4 * c + 2 * h], p.scaleLog2, -maxScaled);
                const float a1 = fmaf(sc[4 * c + 2 * h + 1], p.scaleLog2, -maxScaled);
                sc[4 * c + 2 * h] = fastExp2(a0);
                sc[4 * c + 2 * h + 1] = fastExp2(a1);
                sum += sc[4 * c + 2 * h] + sc[4 * c + 2 * h + 1];
            }
            rowSum[h] = rowSum[h] * correction[h] + sum;
        }
    };
    // P as the A operand of P V. Not inside softmax: the previous P V may still be reading pa.
    auto packP = [&](const float (&sc)[T::kBlockN / 2], uint32_t (&pa)[kPSteps][4]) {
#pragma unroll
        for (int ks = 0; ks < kPSteps; ++ks) {
            pa[ks][0] = pack2<Element>(sc[8 * ks + 0], sc[8 * ks + 1]);
            pa[ks][1] = pack2<Element>(sc[8 * ks + 2], sc[8 * ks + 3]);
            pa[ks][2] = pack2<Element>(sc[8 * ks + 4], sc[8 * ks + 5]);
            pa[ks][3] = pack2<Element>(sc[8 * ks + 6], sc[8 * ks + 7]);
        }
    };

    int qIter = 0, kvIter = 0;
    for (int tile = blockIdx.x; tile < numTiles; tile += gridDim.x) {
        const WorkTile w = decodeTile<T>(p, tile);
        if (!w.exists) continue;
        Element* gOut = static_cast<Element*>(p.out) + (int64_t(w.seqStart) + w.qStart) * p.outRowStride + w.head * D;
        const int myRow0 = consumer * 64;        // first tile row of this warpgroup
        if (w.zeros) {                           // padded mode: a tile of padding rows
            for (int i = t; i < 64 * (D / 8); i += 128) {
                const int row = myRow0 + i / (D / 8);
                if (row < w.qRows)
                    *reinterpret_cast<uint4*>(gOut + int64_t(row) * p.outRowStride + (i % (D / 8)) * 8) = make_uint4(0, 0, 0, 0);
            }
            continue;
        }

        const int qb = qIter % T::kQBuffers;
        mbarrierWait(fullQ(qb), (qIter / T::kQBuffers) & 1);
        const uint32_t qBase = qTile(qb) + uint32_t(myRow0 * 128);

        float o[D / 2];
#pragma unroll
        for (int i = 0; i < D / 2; ++i) o[i] = 0.f;
        float rowMax[2] = {-INFINITY, -INFINITY};
        float rowSum[2] = {0.f, 0.f};
        float correction[2];
        float sc[T::kBlockN / 2];
        uint32_t pa[kPSteps][4];
        // This thread's two rows as sequence positions (past the length: the last real one), for
        // the sliding window.
        const int rowPos[2] = {min(w.qStart + myRow0 + rowInWg0, w.kLen - 1),
                               min(w.qStart + myRow0 + rowInWg0 + 8, w.kLen - 1)};
        // The tiles this warpgroup computes, [first, first + n) of the work tile's; the ones
        // before and after are waited for and released untouched (a sliding window).
        const TileRange mine = consumerTiles<T>(p, w, myRow0);
        auto pass = [&](int it) {
            const int s = it % kS;
            mbarrierWait(fullK(s), (it / kS) & 1);
            release(emptyK(s));
            mbarrierWait(fullV(s), (it / kS) & 1);
            release(emptyV(s));
        };
        for (int j = 0; j < mine.first; ++j) pass(kvIter + j);
        const int k0 = w.kTile0 + mine.first;
        const int after = w.numKTiles - 1 - mine.last;
        kvIter += mine.first;

        // Software pipeline over the K/V tiles: S_j = Q K_jᵀ is issued together with
        // O += P_{j-1} V_{j-1}, and softmax(S_j) runs while the P V product is in flight. K and V
        // stages are released separately: K as soon as S_j is done, V after its product.
        const int n = mine.last - mine.first + 1;
        {
            const int s = kvIter % kS;
            mbarrierWait(fullK(s), (kvIter / kS) & 1);
            wgmmaFence();
            issueS(sc, qBase, s);
            wgmmaWait<0>();
            fenceRegisters(sc);
            release(emptyK(s));
            softmax(sc, k0, w.kLen, rowMax, rowSum, correction, rowPos);
            packP(sc, pa);
        }
        for (int j = 1; j < n; ++j) {
            const int s = (kvIter + j) % kS, sPrev = (kvIter + j - 1) % kS;
            mbarrierWait(fullK(s), ((kvIter + j) / kS) & 1);
            mbarrierWait(fullV(sPrev), ((kvIter + j - 1) / kS) & 1);
            fenceRegisters(o);
            wgmmaFence();
            issueS(sc, qBase, s);
            wgmmaFence();   // a new group: orders the P and O registers before its products
            issuePV(o, pa, sPrev);
            wgmmaWait<1>();
            fenceRegisters(sc);
            release(emptyK(s));
            softmax(sc, k0 + j, w.kLen, rowMax, rowSum, correction, rowPos);
            wgmmaWait<0>();
            fenceRegisters(o);
            fenceRegisters(sc);   // keeps packP below the wait: the P V just waited for read pa
            release(emptyV(sPrev));
            packP(sc, pa);
#pragma unroll
            for (int c = 0; c < kOChunks; ++c) {
                o[4 * c] *= correction[0];
                o[4 * c + 1] *= correction[0];
                o[4 * c + 2] *= correction[1];
                o[4 * c + 3] *= correction[1];
            }
        }
        {
            const int s = (kvIter + n - 1) % kS;
            mbarrierWait(fullV(s), ((kvIter + n - 1) / kS) & 1);
            fenceRegisters(o);
            wgmmaFence();
            issuePV(o, pa, s);
            wgmmaWait<0>();
            fenceRegisters(o);
            release(emptyV(s));
        }
        kvIter += n;
        for (int j = 0; j < after; ++j) pass(kvIter + j);
        kvIter += after;

        // Epilogue: O / l into this warpgroup's rows of the Q buffer (its last reader, the final
        // S wgmma, has completed), then 16-byte stores of the rows that exist.
#pragma unroll
        for (int h = 0; h < 2; ++h) {
            float l = rowSum[h];
            l += __shfl_xor_sync(0xffffffffu, l, 1);
            l += __shfl_xor_sync(0xffffffffu, l, 2);
            const float inv = 1.f / l;
            const int row = myRow0 + rowInWg0 + 8 * h;
#pragma unroll
            for (int c = 0; c < kOChunks; ++c)
                *reinterpret_cast<uint32_t*>(smem + (qTile(qb) - base) + swizzledBoxOffset(row, c * 8 + colPair)) =
                    pack2<Element>(o[4 * c + 2 * h] * inv, o[4 * c + 2 * h + 1] * inv);
        }
        namedBarrier(1 + consumer, 128);
        for (int i = t; i < 64 * (D / 8); i += 128) {
            const int row = myRow0 + i / (D / 8);
            const int col = (i % (D / 8)) * 8;
            if (row < w.qRows)
                *reinterpret_cast<uint4*>(gOut + int64_t(row) * p.outRowStride + col) =
                    *reinterpret_cast<const uint4*>(smem + (qTile(qb) - base) + swizzledBoxOffset(row, col));
        }
        fenceProxyAsyncShared();   // the next TMA write into this buffer comes after these reads
        __syncwarp();
        if (lane == 0) mbarrierArrive(emptyQ(qb));
        ++qIter;
    }
#endif
}

} // namespace bertbench::attention::hopper
