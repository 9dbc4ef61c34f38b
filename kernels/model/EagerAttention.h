#pragma once
// cuda:eager — HF's eager attention on the GPU, the baseline every GPU backend is measured against.
//
//   split qkv into q, k, v [B, H, S, d]            (ops::splitHeads)
//   scores = scale · q kᵀ  [B·H, S, ldS] materialised in device memory (strided-batched cuBLAS)
//   p = softmax(scores + key mask) in place, fp32 math (ops::maskedSoftmax); a sliding window
//     (args.window) masks the scores outside it, as HF's eager attention does
//   RoPE (args.rotary, ModernBERT) is applied to q and k by the split, on the way
//   ctx = p v [B, H, S, d] (strided-batched cuBLAS), merged back to [tokens, H·d] (ops::mergeHeads)
//
// The scale is the GEMM's alpha (fp32 epilogue, before rounding to the dtype). ldS is S rounded
// up to 8 so every score row starts 16-byte aligned. Works in both layouts; in the packed one the
// padding positions of q, k, v are zeros and only real rows are merged back.
#include "kernels/model/AttentionStrategy.h"

namespace bertbench::cuda {

class EagerAttention final : public AttentionStrategy {
public:
    // packed = true runs the padding-free encoder around the same eager attention (tests use it to
    // check the packed plumbing; the registered cuda:eager is padded, like HF's).
    explicit EagerAttention(bool packed = false) : packed_(packed) {}

    std::string name() const override { return "eager"; }
    bool packed() const override { return packed_; }
    void checkSupported(int numHeads, int headDim, DType dtype) const override;
    size_t workspaceBytes(const AttentionShape& shape) const override;
    // RoPE in the head split (ops::splitHeads reads both halves of each head anyway).
    bool rotatesQueryKey() const override { return true; }
    void run(const AttentionShape& shape, const AttentionArgs& args, CudaContext& context) override;

    static int64_t scoreStride(int seqLen) { return (int64_t(seqLen) + 7) / 8 * 8; }

private:
    bool packed_;
};

AttentionStrategyInfo eagerAttentionInfo();

} // namespace bertbench::cuda
