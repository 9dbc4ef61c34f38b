#pragma once
// The sm_90a primitives the Hopper kernels (attention, GEMM) are built from, one thin wrapper
// each: mbarriers (producer/consumer hand-off, also across a thread-block cluster), TMA tile loads
// (multicast to a cluster too), wgmma fences and shared-memory matrix descriptors, warpgroup
// register reallocation, named and cluster barriers.
#include <cstdint>

#include <cuda.h>

namespace bertbench::hopper {

__device__ __forceinline__ uint32_t sharedAddress(const void* p)
{
    return static_cast<uint32_t>(__cvta_generic_to_shared(p));
}

// ---- mbarriers ---------------------------------------------------------------------------------

__device__ __forceinline__ void mbarrierInit(uint32_t bar, uint32_t arrivals)
{
    asm volatile("mbarrier.init.shared::cta.b64 [%0], %1;\n" :: "r"(bar), "r"(arrivals) : "memory");
}
// Makes the inits visible to the async proxy (TMA) before any thread uses the barriers.
__device__ __forceinline__ void mbarrierInitFence()
{
    asm volatile("fence.mbarrier_init.release.cluster;\n" ::: "memory");
}
// One arrival that also announces `bytes` of TMA traffic the phase must wait for.
__device__ __forceinline__ void mbarrierArriveExpectTx(uint32_t bar, uint32_t bytes)
{
    asm volatile("mbarrier.arrive.expect_tx.shared::cta.b64 _, [%0], %1;\n" :: "r"(bar), "r"(bytes) : "memory");
}
__device__ __forceinline__ void mbarrierArrive(uint32_t bar)
{
    asm volatile("mbarrier.arrive.shared::cta.b64 _, [%0];\n" :: "r"(bar) : "memory");
}
// Spin until the phase of the given parity has completed. A fresh barrier counts its (virtual)
// previous phase, parity 1, as completed: a producer waiting on "empty" with parity 1 passes.
__device__ __forceinline__ void mbarrierWait(uint32_t bar, uint32_t parity)
{
    asm volatile("{\n"
                 ".reg .pred done;\n"
                 "WAIT_LOOP:\n"
                 "mbarrier.try_wait.parity.shared::cta.b64 done, [%0], %1;\n"
                 "@!done bra WAIT_LOOP;\n"
                 "}\n" :: "r"(bar), "r"(parity) : "memory");
}

// ---- clusters ----------------------------------------------------------------------------------

__device__ __forceinline__ uint32_t clusterCtaRank()
{
    uint32_t r;
    asm volatile("mov.u32 %0, %%cluster_ctarank;\n" : "=r"(r));
    return r;
}
// One arrival on the mbarrier at the same shared-memory offset as `bar` in CTA `cta` of the cluster.
// Release at CTA scope (the PTX default), as for a local arrive: what it publishes is that this
// CTA's wgmma reads of a stage are done. A cluster-scope release also waited for the thread's
// outstanding global stores (the previous tile's epilogue) and cost the GEMM a third of its speed.
__device__ __forceinline__ void mbarrierArriveCluster(uint32_t bar, uint32_t cta)
{
    asm volatile("{\n.reg .b32 remote;\n"
                 "mapa.shared::cluster.u32 remote, %0, %1;\n"
                 "mbarrier.arrive.shared::cluster.b64 _, [remote];\n}\n"
                 :: "r"(bar), "r"(cta) : "memory");
}
// Every thread of every CTA of the cluster (all must call it).
__device__ __forceinline__ void clusterSync()
{
    asm volatile("barrier.cluster.arrive.release.aligned;\nbarrier.cluster.wait.acquire.aligned;\n" ::: "memory");
}

// ---- TMA ---------------------------------------------------------------------------------------

// A 2-D box of the tensor map at (column c0, row c1) into shared memory; completion is counted
// in bytes on `bar`. Rows past the tensor's end arrive as zeros.
__device__ __forceinline__ void tmaLoad2d(uint32_t dst, const CUtensorMap* map, int c0, int c1, uint32_t bar)
{
    asm volatile("cp.async.bulk.tensor.2d.shared::cluster.global.mbarrier::complete_tx::bytes [%0], [%1, {%2, %3}], [%4];\n"
                 :: "r"(dst), "l"(reinterpret_cast<uint64_t>(map)), "r"(c0), "r"(c1), "r"(bar) : "memory");
}
// The same box written into the shared memory of every CTA of the cluster in `ctaMask`, at the
// same offset, each completing `bytes` on its own mbarrier at `bar`'s offset.
__device__ __forceinline__ void tmaLoad2dMulticast(uint32_t dst, const CUtensorMap* map, int c0, int c1, uint32_t bar,
                                                   uint16_t ctaMask)
{
    asm volatile("cp.async.bulk.tensor.2d.shared::cluster.global.mbarrier::complete_tx::bytes.multicast::cluster"
                 " [%0], [%1, {%2, %3}], [%4], %5;\n"
                 :: "r"(dst), "l"(reinterpret_cast<uint64_t>(map)), "r"(c0), "r"(c1), "r"(bar), "h"(ctaMask) : "memory");
}
// A 2-D box from shared memory to the tensor at (column c0, row c1); rows past the tensor's end
// are not written. Completion is tracked per bulk group (commit, then wait).
__device__ __forceinline__ void tmaStore2d(const CUtensorMap* map, int c0, int c1, uint32_t src)
{
    asm volatile("cp.async.bulk.tensor.2d.global.shared::cta.bulk_group [%0, {%1, %2}], [%3];\n"
                 :: "l"(reinterpret_cast<uint64_t>(map)), "r"(c0), "r"(c1), "r"(src) : "memory");
}
__device__ __forceinline__ void bulkCommitGroup() { asm volatile("cp.async.bulk.commit_group;\n" ::: "memory"); }
// Until at most kPending of this thread's bulk groups still read their shared memory.
template <int kPending>
__device__ __forceinline__ void bulkWaitGroupRead()
{
    asm volatile("cp.async.bulk.wait_group.read %0;\n" :: "n"(kPending) : "memory");
}
// Until at most kPending of this thread's bulk groups are still incomplete (writes done).
template <int kPending>
__device__ __forceinline__ void bulkWaitGroup()
{
    asm volatile("cp.async.bulk.wait_group %0;\n" :: "n"(kPending) : "memory");
}
__device__ __forceinline__ void tmaPrefetchDescriptor(const CUtensorMap* map)
{
    asm volatile("prefetch.tensormap [%0];\n" :: "l"(reinterpret_cast<uint64_t>(map)) : "memory");
}
// Orders this thread's generic-proxy shared-memory accesses before later async-proxy (TMA)
// writes to the same bytes.
__device__ __forceinline__ void fenceProxyAsyncShared()
{
    asm volatile("fence.proxy.async.shared::cta;\n" ::: "memory");
}

// ---- wgmma -------------------------------------------------------------------------------------

__device__ __forceinline__ void wgmmaFence() { asm volatile("wgmma.fence.sync.aligned;\n" ::: "memory"); }
__device__ __forceinline__ void wgmmaCommit() { asm volatile("wgmma.commit_group.sync.aligned;\n" ::: "memory"); }
template <int kPending>
__device__ __forceinline__ void wgmmaWait()
{
    asm volatile("wgmma.wait_group.sync.aligned %0;\n" :: "n"(kPending) : "memory");
}
// Keeps the compiler from moving accesses of accumulator registers across wgmma issue/wait.
template <int kN>
__device__ __forceinline__ void fenceRegisters(float (&r)[kN])
{
#pragma unroll
    for (int i = 0; i < kN; ++i) asm volatile("" : "+f"(r[i]) :: "memory");
}

// Byte offset of 16-bit element (row, col) in a tile of [128 rows × 64] boxes laid out one after
// another as TMA writes (and reads) them with CU_TENSOR_MAP_SWIZZLE_128B: 128-byte rows, whose
// 16-byte chunks are XOR-ed with the row's index mod 8.
__device__ __forceinline__ uint32_t swizzledBoxOffset(int row, int col)
{
    constexpr int kBoxBytes = 128 * 128;
    const int byteInRow = (col % 64) * 2;
    return uint32_t((col / 64) * kBoxBytes + row * 128 + ((((byteInRow >> 4) ^ (row & 7)) << 4) | (byteInRow & 15)));
}

// Shared-memory matrix descriptor, 128-byte swizzle (the layout TMA writes with
// CU_TENSOR_MAP_SWIZZLE_128B into a 1024-byte-aligned box of 128-byte rows).
//   K-major operand (Q, K): rows of 64 elements; SBO = 1024 (next 8 rows), LBO unused.
//   N-major operand (V, trans-b): rows are the k index; SBO = 1024 (next 8 k), LBO = the byte
//   distance to the next 64 columns of N.
__device__ __forceinline__ uint64_t matrixDescriptor(uint32_t address, uint32_t leadingBytes, uint32_t strideBytes)
{
    return uint64_t((address & 0x3FFFFu) >> 4) | (uint64_t(leadingBytes >> 4) << 16) |
           (uint64_t(strideBytes >> 4) << 32) | (uint64_t(1) << 62);
}

// ---- warpgroups --------------------------------------------------------------------------------

template <int kRegisters>
__device__ __forceinline__ void warpgroupRegistersDown() { asm volatile("setmaxnreg.dec.sync.aligned.u32 %0;\n" :: "n"(kRegisters)); }
template <int kRegisters>
__device__ __forceinline__ void warpgroupRegistersUp() { asm volatile("setmaxnreg.inc.sync.aligned.u32 %0;\n" :: "n"(kRegisters)); }

// Barrier among `threads` threads on hardware barrier `id` (0 is __syncthreads').
__device__ __forceinline__ void namedBarrier(int id, int threads)
{
    asm volatile("bar.sync %0, %1;\n" :: "r"(id), "r"(threads) : "memory");
}
// Counts this warp's threads on barrier `id` without waiting for it to complete.
__device__ __forceinline__ void namedBarrierArrive(int id, int threads)
{
    asm volatile("bar.arrive %0, %1;\n" :: "r"(id), "r"(threads) : "memory");
}

} // namespace bertbench::hopper
