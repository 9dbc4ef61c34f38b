#pragma once
// The fast attention strategies (issue 4), offered to CudaBackends.cpp (kernels/README.md):
//
//   cuda:sdpa               padded layout [B·S rows]; one fused FlashAttention-2 kernel with the
//                           key-padding mask given by lengths; S×S scores never materialised
//   cuda:flash_attention_2  packed layout: the encoder runs on real tokens only (padding removed
//                           after the embeddings, restored on the task output) and attention runs
//                           on the packed sequences addressed by cuSeqlens
//
// Both are the kernel of FusedAttention.h (fp16/bf16, head dims 32/64/128), reading q, k, v straight
// out of the QKV projection's [tokens, 3·hidden] rows and writing [tokens, hidden]: no split or
// merge of heads, no workspace.
#include <vector>

#include "kernels/model/AttentionStrategy.h"

namespace bertbench::cuda {

class FusedAttentionStrategy final : public AttentionStrategy {
public:
    explicit FusedAttentionStrategy(bool packed) : packed_(packed) {}

    std::string name() const override { return packed_ ? "flash_attention_2" : "sdpa"; }
    bool packed() const override { return packed_; }
    void checkSupported(int numHeads, int headDim, DType dtype) const override;
    size_t workspaceBytes(const AttentionShape&) const override { return 0; }
    // The kernel loads a block's Q tile into shared memory first and writes that block's output
    // rows last (FlashAttentionKernel.cuh), so O may be written over Q.
    bool overwritesQuery() const override { return true; }
    void run(const AttentionShape& shape, const AttentionArgs& args, CudaContext& context) override;

private:
    bool packed_;
};

std::vector<AttentionStrategyInfo> fastAttentionStrategies();

} // namespace bertbench::cuda
