#pragma once
// FlashAttention-2 forward (Dao, 2023) with mma.sync tensor cores, for BERT's bidirectional
// attention: no causal mask, a key-length mask, and optionally a sliding window (ModernBERT's local
// layers: a query at i sees the keys at |i − j| ≤ window).
//
// Algorithm, per thread block = one tile of kBlockM query rows of one (sequence, head):
//   load the Q tile once into shared memory (cp.async); its A fragments are re-read by ldmatrix
//   for every K/V tile, or kept in registers when the traits say kQInRegisters;
//   for each K/V tile of kBlockN keys, double-buffered with cp.async (tile j+1 streams in while
//   tile j is used):
//       S  = Q Kᵀ                         mma.m16n8k16, fp32 accumulators in registers
//       S  = -inf where key ≥ length       (only in the last, partial tile)
//       m' = max(m, rowmax(S));  P = exp2(S·c − m'·c)  with c = scale·log2(e) folded into one FFMA
//       l  = l·exp2((m − m')·c) + rowsum(P);  O = O·exp2((m − m')·c)
//       O += P V                          P goes from the S accumulators straight into A fragments
//   O /= l once at the end (FA2: no per-tile division), then out through shared memory with
//   16-byte coalesced stores.
//
// Work split (the FA2 choice): warps split the Q rows, never the keys, so the softmax statistics
// of a row live in one quad of one warp and need only two shuffles, and no block-wide reduction
// is ever needed. Each warp owns kMTiles × 16 query rows; each thread owns 2 rows per m16 tile
// (lane/4 and lane/4 + 8) and, in every n8 column tile, 2 adjacent columns.
//
// Tile shapes (FlashAttentionLaunch.cuh picks them per head dim from the variant table in
// bench/attention/RESULTS.md, H100, b128 h12 s512). d = 64 (BERT): 4 warps × 2 m16 tiles = 128
// query rows, 64 keys per K/V tile, Q re-read from shared memory each tile rather than held in
// registers: 276 TFLOP/s against 257 with Q in registers (which spills at 255 registers), 222 for
// 64 rows (16 per warp: each K/V fragment feeds one MMA instead of two, twice the ldmatrix per
// FLOP) and 226 for 8 warps × 16 rows. Two m-tiles per warp is the point where every ldmatrix
// feeds two MMAs and S (32×64), O (32×64) in fp32 still fit in 255 registers; 2 blocks of 4 warps
// per SM. 128 rows per block also keep the K/V re-reads from L2 at S/128 per key.
//
// One barrier per K/V tile: at the top of tile j, K_j and V_j are resident (cp.async wait +
// barrier), tile j+1 is issued into the other buffers, then S, softmax and PV of tile j run as
// one basic block (the key mask is a template branch taken only for a partial last tile), so the
// compiler can overlap one m-tile's softmax with the other's MMAs. The first version (a second
// barrier between softmax and PV, Q in registers) took 702k cycles under ncu against 677k.
//
// Shared memory: Q [kBlockM × d] + 2 × K [kBlockN × d] + 2 × V [kBlockN × d], 16-byte chunks
// XOR-swizzled by row so that ldmatrix (8 rows at one column) and the cp.async writes hit 8
// different 16-byte bank groups.
//
// Rows past a sequence's end are zero-filled by cp.async (src-size 0): K and V padding is zero,
// so masked keys contribute exp2(-inf) · 0 = 0 and never NaN, and nothing past the buffer is read.
//
// Sliding window (params.window ≥ 0): a block visits only the K/V tiles that hold a key within the
// window of one of its (real) query rows, [qStart − w, qLast + w], so a local layer costs
// O(S · (blockM + 2w)) instead of O(S²); a warp skips the MMAs of a visited tile that lies wholly
// outside its own rows' windows (it still joins the block's loads and barriers). Every visited
// tile is masked element by element (|i − j| > w or j ≥ length → -inf): with 128 query rows per
// block and w = 64 no tile is wholly inside the window anyway. A row may then meet a tile whose
// keys are all masked before its first visible key: its running max stays -inf and the update
// uses 0 in its place, so the correction is exp2(-inf) = 0 instead of NaN. Padding query rows of
// the padded layout (i ≥ length) use the position length − 1 for the window: finite, like every
// other row, and never read.
// CPU reference: core/cpu/CpuAttention.cpp:sdpaAttention (padded), flashAttention (packed).
// Check: kernels/verify/AttentionChecks.cpp:checkFusedAttention (allowHopper false: this kernel).
#include <cstdint>

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include "kernels/attention/AttentionDevice.cuh"

namespace bertbench::attention::detail {

// What the kernel needs, resolved by the launcher. Exactly one of cuSeqlens / lengths is set.
struct FlashKernelParams {
    const void* q;
    const void* k;
    const void* v;
    void* out;
    int64_t qRowStride, kRowStride, vRowStride, outRowStride;  // elements
    float scaleLog2;              // softmaxScale · log2(e)
    const int32_t* cuSeqlens;     // varlen: [batch + 1]
    const int32_t* lengths;       // padded: [batch]
    int paddedSeqLen;             // padded: S
    int window;                   // ≥ 0: keys at |i − j| ≤ window only (sliding window); -1: all keys
};

// The sliding window's geometry for one warp: its rows' positions (padding rows clamped to the
// last real one) and the key range they may see.
struct WindowRows {
    int row0;      // position of the warp's first tile row (qStart + warpRow0)
    int kLen;      // real keys
    int window;
};

template <int kHeadDim_, int kWarps_, int kMTiles_, int kBlockN_, int kMinBlocks_, bool kQInRegisters_,
          typename Element_>
struct FlashTraits {
    using Element = Element_;                             // __half or __nv_bfloat16
    static constexpr int kHeadDim = kHeadDim_;
    static constexpr int kWarps = kWarps_;
    static constexpr int kThreads = kWarps * 32;
    static constexpr int kMTiles = kMTiles_;              // m16 tiles per warp
    static constexpr int kWarpRows = kMTiles * 16;
    static constexpr int kBlockM = kWarps * kWarpRows;    // query rows per block
    static constexpr int kBlockN = kBlockN_;              // keys per K/V tile
    static constexpr int kMinBlocks = kMinBlocks_;        // blocks per SM the register cap allows
    static constexpr bool kQInRegisters = kQInRegisters_; // else re-read Q by ldmatrix every tile
    static constexpr int kChunks = kHeadDim / 8;          // 16-byte chunks per row
    static constexpr int kQElems = kBlockM * kHeadDim;
    static constexpr int kKVElems = kBlockN * kHeadDim;
    static constexpr int kSmemBytes = (kQElems + 4 * kKVElems) * int(sizeof(Element));
    static_assert(kHeadDim == 32 || kHeadDim == 64 || kHeadDim == 128, "head dim 32, 64 or 128");
    static_assert(kBlockN % 16 == 0, "K/V tile is a whole number of k16 steps");
};

// ---- small PTX wrappers ------------------------------------------------------------------------

__device__ __forceinline__ uint32_t smemAddress(const void* p)
{
    return static_cast<uint32_t>(__cvta_generic_to_shared(p));
}

// 16 bytes global → shared, bypassing L1; src-size 0 writes zeros and reads nothing.
__device__ __forceinline__ void cpAsync16(void* smem, const void* gmem, bool valid)
{
    asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;\n"
                 :: "r"(smemAddress(smem)), "l"(gmem), "r"(valid ? 16 : 0));
}
__device__ __forceinline__ void cpAsyncCommit() { asm volatile("cp.async.commit_group;\n" ::); }
template <int kPending>
__device__ __forceinline__ void cpAsyncWait()
{
    asm volatile("cp.async.wait_group %0;\n" :: "n"(kPending) : "memory");
}

__device__ __forceinline__ void ldmatrixX4(uint32_t (&r)[4], const void* smem)
{
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0,%1,%2,%3}, [%4];\n"
                 : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3]) : "r"(smemAddress(smem)));
}
__device__ __forceinline__ void ldmatrixX4Trans(uint32_t (&r)[4], const void* smem)
{
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16 {%0,%1,%2,%3}, [%4];\n"
                 : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3]) : "r"(smemAddress(smem)));
}

// D = A·B + D, m16n8k16, A row-major (4 regs), B column-major (2 regs), fp32 accumulators.
template <typename Element>
__device__ __forceinline__ void mma16816(float (&d)[4], const uint32_t (&a)[4], uint32_t b0, uint32_t b1);

template <>
__device__ __forceinline__ void mma16816<__half>(float (&d)[4], const uint32_t (&a)[4], uint32_t b0, uint32_t b1)
{
    asm("mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};\n"
        : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
        : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
}
template <>
__device__ __forceinline__ void mma16816<__nv_bfloat16>(float (&d)[4], const uint32_t (&a)[4], uint32_t b0, uint32_t b1)
{
    asm("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};\n"
        : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
        : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
}

// Offset (elements) of 16-byte chunk `chunk` of tile row `row`, XOR-swizzled so that 8
// consecutive rows at one chunk index fall in 8 different 16-byte bank groups.
template <int kChunks>
__device__ __forceinline__ int swizzled(int row, int chunk)
{
    if constexpr (kChunks >= 8)
        return (row * kChunks + (chunk ^ (row & 7))) * 8;
    else  // 4 chunks (64-byte rows): two rows share a 128-byte line
        return (row * kChunks + (chunk ^ ((row >> 1) & 3))) * 8;
}

// Copy a [kRows × d] tile of rows with the given stride; rows ≥ validRows become zeros.
template <class T, int kRows>
__device__ __forceinline__ void loadTileAsync(typename T::Element* smem,
                                              const typename T::Element* gmem, int64_t rowStride,
                                              int validRows, int tid)
{
    constexpr int kTotal = kRows * T::kChunks;
    constexpr int kPerThread = (kTotal + T::kThreads - 1) / T::kThreads;
#pragma unroll
    for (int it = 0; it < kPerThread; ++it) {
        const int i = tid + it * T::kThreads;
        if (kTotal % T::kThreads != 0 && i >= kTotal) break;
        const int row = i / T::kChunks;
        const int chunk = i % T::kChunks;
        const bool valid = row < validRows;
        const typename T::Element* src = gmem + (valid ? row * rowStride : 0) + chunk * 8;
        cpAsync16(smem + swizzled<T::kChunks>(row, chunk), src, valid);
    }
}

// ---- one K/V tile ------------------------------------------------------------------------------

// Per-warp state carried across K/V tiles.
template <class T>
struct WarpState {
    static constexpr int kM = T::kMTiles;
    float acc[kM][T::kHeadDim / 8][4];   // O, unnormalised
    float rowMax[kM][2];                 // running max of the raw scores (rows lane/4, lane/4 + 8)
    float rowSum[kM][2];                 // this thread's partial row sums; the quad is summed at the end
};

// S = Q Kᵀ, mask, online softmax, O += P V for one resident K/V tile. One basic block (the mask
// is a compile-time choice), so the compiler can overlap one m-tile's softmax with MMAs.
// kWindow: the sliding-window mask too (keyBase: the tile's first key position; wr: the rows).
template <class T, bool kMasked, bool kWindow = false>
__device__ __forceinline__ void attendTile(WarpState<T>& st, const uint32_t (&qFrag)[T::kMTiles][T::kHeadDim / 16][4],
                                           const typename T::Element* sQ, int warpRow0,
                                           const typename T::Element* sKj, const typename T::Element* sVj,
                                           int validCols, float scaleLog2, int lane, int keyBase = 0,
                                           WindowRows wr = {})
{
    using Element = typename T::Element;
    constexpr int kM = T::kMTiles;
    constexpr int kNTiles = T::kBlockN / 8;   // n8 column tiles of S
    constexpr int kDTiles = T::kHeadDim / 8;  // n8 column tiles of O
    constexpr int kDSteps = T::kHeadDim / 16; // k16 steps of Q Kᵀ
    constexpr int kKSteps = T::kBlockN / 16;  // k16 steps of P V

    // S = Q Kᵀ. One ldmatrix.x4 gives the B fragments of two n8 tiles for one k16 step.
    float s[kM][kNTiles][4];
#pragma unroll
    for (int mt = 0; mt < kM; ++mt)
#pragma unroll
        for (int nt = 0; nt < kNTiles; ++nt)
            s[mt][nt][0] = s[mt][nt][1] = s[mt][nt][2] = s[mt][nt][3] = 0.f;
#pragma unroll
    for (int ds = 0; ds < kDSteps; ++ds) {
        uint32_t a[kM][4];
#pragma unroll
        for (int mt = 0; mt < kM; ++mt) {
            if constexpr (T::kQInRegisters) {
#pragma unroll
                for (int r = 0; r < 4; ++r) a[mt][r] = qFrag[mt][ds][r];
            } else {
                const int row = warpRow0 + mt * 16 + (lane & 7) + ((lane >> 3) & 1) * 8;
                ldmatrixX4(a[mt], sQ + swizzled<T::kChunks>(row, ds * 2 + (lane >> 4)));
            }
        }
#pragma unroll
        for (int np = 0; np < kNTiles / 2; ++np) {
            uint32_t b[4];
            const int keyRow = np * 16 + (lane & 7) + ((lane >> 4) << 3);
            ldmatrixX4(b, sKj + swizzled<T::kChunks>(keyRow, ds * 2 + ((lane >> 3) & 1)));
#pragma unroll
            for (int mt = 0; mt < kM; ++mt) {
                mma16816<Element>(s[mt][2 * np], a[mt], b[0], b[1]);
                mma16816<Element>(s[mt][2 * np + 1], a[mt], b[2], b[3]);
            }
        }
    }

    if constexpr (kMasked && !kWindow) {  // keys ≥ the sequence length (last tile only)
#pragma unroll
        for (int nt = 0; nt < kNTiles; ++nt) {
            const int col = nt * 8 + 2 * (lane & 3);
#pragma unroll
            for (int mt = 0; mt < kM; ++mt) {
                if (col >= validCols) s[mt][nt][0] = s[mt][nt][2] = -INFINITY;
                if (col + 1 >= validCols) s[mt][nt][1] = s[mt][nt][3] = -INFINITY;
            }
        }
    }
    if constexpr (kWindow) {  // keys ≥ the length, and keys outside each row's window
#pragma unroll
        for (int mt = 0; mt < kM; ++mt)
#pragma unroll
            for (int h = 0; h < 2; ++h) {
                const int row = min(wr.row0 + mt * 16 + (lane >> 2) + 8 * h, wr.kLen - 1);
#pragma unroll
                for (int nt = 0; nt < kNTiles; ++nt) {
                    const int col = nt * 8 + 2 * (lane & 3);
                    const int key = keyBase + col;
                    if (col >= validCols || abs(row - key) > wr.window) s[mt][nt][2 * h] = -INFINITY;
                    if (col + 1 >= validCols || abs(row - key - 1) > wr.window) s[mt][nt][2 * h + 1] = -INFINITY;
                }
            }
    }

    // Online softmax. Every tile holds ≥ 1 real key, so the new max is finite.
    uint32_t pFrag[kM][kKSteps][4];
#pragma unroll
    for (int mt = 0; mt < kM; ++mt) {
#pragma unroll
        for (int h = 0; h < 2; ++h) {   // h = 0: row lane/4, h = 1: row lane/4 + 8
            float mx = st.rowMax[mt][h];
#pragma unroll
            for (int nt = 0; nt < kNTiles; ++nt)
                mx = fmaxf(mx, fmaxf(s[mt][nt][2 * h], s[mt][nt][2 * h + 1]));
            mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, 1));
            mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, 2));
            // A window can mask a whole tile of a row before its first visible key: -inf stays the
            // max, and 0 stands in for it so that no -inf − -inf = NaN appears.
            const float mxUse = (kWindow && mx == -INFINITY) ? 0.f : mx;
            const float correction = fastExp2((st.rowMax[mt][h] - mxUse) * scaleLog2);  // 0 on the first tile
            st.rowMax[mt][h] = mx;
            const float maxScaled = mxUse * scaleLog2;
            float sum = 0.f;
#pragma unroll
            for (int nt = 0; nt < kNTiles; ++nt) {
                s[mt][nt][2 * h] = fastExp2(fmaf(s[mt][nt][2 * h], scaleLog2, -maxScaled));
                s[mt][nt][2 * h + 1] = fastExp2(fmaf(s[mt][nt][2 * h + 1], scaleLog2, -maxScaled));
                sum += s[mt][nt][2 * h] + s[mt][nt][2 * h + 1];
            }
            st.rowSum[mt][h] = st.rowSum[mt][h] * correction + sum;
#pragma unroll
            for (int dt = 0; dt < kDTiles; ++dt) {
                st.acc[mt][dt][2 * h] *= correction;
                st.acc[mt][dt][2 * h + 1] *= correction;
            }
        }
        // The S accumulator layout of n8 tiles 2k and 2k+1 is the A fragment of k16 step k.
#pragma unroll
        for (int ks = 0; ks < kKSteps; ++ks) {
            pFrag[mt][ks][0] = pack2<Element>(s[mt][2 * ks][0], s[mt][2 * ks][1]);
            pFrag[mt][ks][1] = pack2<Element>(s[mt][2 * ks][2], s[mt][2 * ks][3]);
            pFrag[mt][ks][2] = pack2<Element>(s[mt][2 * ks + 1][0], s[mt][2 * ks + 1][1]);
            pFrag[mt][ks][3] = pack2<Element>(s[mt][2 * ks + 1][2], s[mt][2 * ks + 1][3]);
        }
    }

    // O += P V. V is [key][d] in shared memory; ldmatrix.trans turns it into B fragments.
#pragma unroll
    for (int ks = 0; ks < kKSteps; ++ks)
#pragma unroll
        for (int dp = 0; dp < kDTiles / 2; ++dp) {
            uint32_t b[4];
            const int keyRow = ks * 16 + (lane & 7) + (((lane >> 3) & 1) << 3);
            ldmatrixX4Trans(b, sVj + swizzled<T::kChunks>(keyRow, dp * 2 + (lane >> 4)));
#pragma unroll
            for (int mt = 0; mt < kM; ++mt) {
                mma16816<Element>(st.acc[mt][2 * dp], pFrag[mt][ks], b[0], b[1]);
                mma16816<Element>(st.acc[mt][2 * dp + 1], pFrag[mt][ks], b[2], b[3]);
            }
        }
}

// ---- the kernel --------------------------------------------------------------------------------

template <class T>
__global__ void __launch_bounds__(T::kThreads, T::kMinBlocks)
flashAttentionForward(const FlashKernelParams p)
{
    using Element = typename T::Element;
    constexpr int kM = T::kMTiles;
    constexpr int kDTiles = T::kHeadDim / 8;
    constexpr int kDSteps = T::kHeadDim / 16;

    extern __shared__ __align__(128) unsigned char smemRaw[];
    Element* sQ = reinterpret_cast<Element*>(smemRaw);
    Element* sK = sQ + T::kQElems;            // 2 buffers
    Element* sV = sK + 2 * T::kKVElems;       // 2 buffers

    const int tid = threadIdx.x;
    const int lane = tid & 31;
    const int warp = tid >> 5;
    const int head = blockIdx.y;
    const int batch = blockIdx.z;

    const SequenceRows seq = sequenceRows(p.cuSeqlens, p.lengths, p.paddedSeqLen, batch);
    const int seqStart = seq.start, kLen = seq.keys, qLen = seq.queries;
    const int qStart = blockIdx.x * T::kBlockM;
    if (qStart >= qLen) return;
    const int qRows = min(T::kBlockM, qLen - qStart);
    const int64_t colOffset = int64_t(head) * T::kHeadDim;
    Element* gOut = static_cast<Element*>(p.out) + (int64_t(seqStart) + qStart) * p.outRowStride + colOffset;

    if (qStart >= kLen) {  // padded mode only: a tile of padding rows; zeros, finite and cheap
        for (int i = tid; i < qRows * T::kChunks; i += T::kThreads)
            *reinterpret_cast<uint4*>(gOut + (i / T::kChunks) * p.outRowStride + (i % T::kChunks) * 8) = make_uint4(0, 0, 0, 0);
        return;
    }

    // The K/V tiles this block visits: all of them, or (sliding window) those holding a key within
    // the window of one of its real query rows. Keys are counted from the first visited tile on.
    const bool windowed = p.window >= 0;
    int firstTile = 0, keyEnd = kLen;
    if (windowed) {
        const int qLast = min(qStart + qRows, kLen) - 1;   // the last real query row (padding clamps to it)
        firstTile = max(0, qStart - p.window) / T::kBlockN;
        keyEnd = min(kLen, qLast + p.window + 1);
    }
    const int keyStart = firstTile * T::kBlockN;
    const Element* gQ = static_cast<const Element*>(p.q) + (int64_t(seqStart) + qStart) * p.qRowStride + colOffset;
    const Element* gK = static_cast<const Element*>(p.k) + (int64_t(seqStart) + keyStart) * p.kRowStride + colOffset;
    const Element* gV = static_cast<const Element*>(p.v) + (int64_t(seqStart) + keyStart) * p.vRowStride + colOffset;
    const int numKTiles = (keyEnd - keyStart + T::kBlockN - 1) / T::kBlockN;
    const int keysFrom = kLen - keyStart;                            // real keys from the first visited tile on
    const int lastValidCols = keysFrom - (numKTiles - 1) * T::kBlockN;   // real keys in the last tile

    // Prologue: Q, K0 and V0 in one group.
    loadTileAsync<T, T::kBlockM>(sQ, gQ, p.qRowStride, qRows, tid);
    loadTileAsync<T, T::kBlockN>(sK, gK, p.kRowStride, min(T::kBlockN, keysFrom), tid);
    loadTileAsync<T, T::kBlockN>(sV, gV, p.vRowStride, min(T::kBlockN, keysFrom), tid);
    cpAsyncCommit();
    cpAsyncWait<0>();
    __syncthreads();

    // Q fragments (A operand) of this warp's rows, kept in registers when the traits say so.
    // A warp whose rows are all past the sequence's real rows (a partial last tile) only helps
    // with loads and barriers: its MMAs would be pure waste, and the SM's other block can use
    // the tensor cores meanwhile. In padded mode its rows are padding and get zeros.
    const int warpRow0 = warp * T::kWarpRows;
    const bool warpActive = warpRow0 < kLen - qStart;
    // Sliding window: this warp's rows (padding clamped to the last real one) and the keys they see.
    const WindowRows wr{qStart + warpRow0, kLen, p.window};
    const int warpFirstRow = qStart + warpRow0;
    const int warpLastRow = min(qStart + warpRow0 + T::kWarpRows, kLen) - 1;
    uint32_t qFrag[kM][kDSteps][4];
    if constexpr (T::kQInRegisters) {
#pragma unroll
        for (int mt = 0; mt < kM; ++mt)
#pragma unroll
            for (int ds = 0; ds < kDSteps; ++ds) {
                const int row = warpRow0 + mt * 16 + (lane & 7) + ((lane >> 3) & 1) * 8;
                ldmatrixX4(qFrag[mt][ds], sQ + swizzled<T::kChunks>(row, ds * 2 + (lane >> 4)));
            }
    }

    WarpState<T> st;
#pragma unroll
    for (int mt = 0; mt < kM; ++mt) {
#pragma unroll
        for (int dt = 0; dt < kDTiles; ++dt)
            st.acc[mt][dt][0] = st.acc[mt][dt][1] = st.acc[mt][dt][2] = st.acc[mt][dt][3] = 0.f;
        st.rowMax[mt][0] = st.rowMax[mt][1] = -INFINITY;
        st.rowSum[mt][0] = st.rowSum[mt][1] = 0.f;
    }

    // One barrier per tile: at the top of tile j, K_j and V_j have landed (wait + barrier) and
    // every warp is done with tile j-1, whose buffers then take tile j+1 while j is computed.
    for (int j = 0; j < numKTiles; ++j) {
        const int buf = j & 1;
        if (j > 0) {
            cpAsyncWait<0>();
            __syncthreads();
        }
        if (j + 1 < numKTiles) {
            const int next = (j + 1) * T::kBlockN;
            const int rows = min(T::kBlockN, keysFrom - next);
            loadTileAsync<T, T::kBlockN>(sK + (buf ^ 1) * T::kKVElems, gK + next * p.kRowStride, p.kRowStride, rows, tid);
            loadTileAsync<T, T::kBlockN>(sV + (buf ^ 1) * T::kKVElems, gV + next * p.vRowStride, p.vRowStride, rows, tid);
            cpAsyncCommit();
        }
        const Element* sKj = sK + buf * T::kKVElems;
        const Element* sVj = sV + buf * T::kKVElems;
        if (!warpActive) continue;
        if (windowed) {
            const int keyBase = keyStart + j * T::kBlockN;
            // A tile wholly outside every window of this warp's rows: nothing to add.
            if (keyBase > warpLastRow + p.window || keyBase + T::kBlockN - 1 < warpFirstRow - p.window) continue;
            attendTile<T, true, true>(st, qFrag, sQ, warpRow0, sKj, sVj, keysFrom - j * T::kBlockN, p.scaleLog2, lane,
                                      keyBase, wr);
            continue;
        }
        if (j + 1 == numKTiles && lastValidCols != T::kBlockN)
            attendTile<T, true>(st, qFrag, sQ, warpRow0, sKj, sVj, lastValidCols, p.scaleLog2, lane);
        else
            attendTile<T, false>(st, qFrag, sQ, warpRow0, sKj, sVj, T::kBlockN, p.scaleLog2, lane);
    }

    // Epilogue: O / l, staged through this warp's own Q rows (no other warp reads them; without
    // Q in registers, the warp's own last ldmatrix of them is behind it in program order), then
    // written with 16-byte stores, only rows that exist.
    __syncwarp();
#pragma unroll
    for (int mt = 0; mt < kM; ++mt)
#pragma unroll
        for (int h = 0; h < 2; ++h) {
            float l = st.rowSum[mt][h];
            l += __shfl_xor_sync(0xffffffffu, l, 1);
            l += __shfl_xor_sync(0xffffffffu, l, 2);
            const float inv = warpActive ? 1.f / l : 0.f;   // inactive: acc = 0, l = 0 → zeros
            const int row = warpRow0 + mt * 16 + (lane >> 2) + h * 8;
#pragma unroll
            for (int dt = 0; dt < kDTiles; ++dt) {
                const uint32_t v2 = pack2<Element>(st.acc[mt][dt][2 * h] * inv, st.acc[mt][dt][2 * h + 1] * inv);
                *reinterpret_cast<uint32_t*>(sQ + swizzled<T::kChunks>(row, dt) + 2 * (lane & 3)) = v2;
            }
        }
    __syncwarp();
    static_assert(T::kWarpRows * T::kChunks % 32 == 0);
#pragma unroll
    for (int it = 0; it < T::kWarpRows * T::kChunks / 32; ++it) {
        const int i = lane + it * 32;
        const int row = warpRow0 + i / T::kChunks;
        const int chunk = i % T::kChunks;
        if (row < qRows)
            *reinterpret_cast<uint4*>(gOut + row * p.outRowStride + chunk * 8) =
                *reinterpret_cast<const uint4*>(sQ + swizzled<T::kChunks>(row, chunk));
    }
}

} // namespace bertbench::attention::detail
