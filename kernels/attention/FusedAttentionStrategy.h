#pragma once
// The fused-attention strategies, offered to CudaBackends.cpp (kernels/README.md):
//
//   cuda:sdpa               padded layout [B·S rows]; one fused attention kernel with the
//                           key-padding mask given by lengths; S×S scores never materialised
//   cuda:flash_attention_2  packed layout: the encoder runs on real tokens only (padding removed
//                           after the embeddings, restored on the task output) and attention runs
//                           on the packed sequences addressed by cuSeqlens
//
// Both are the one fused-attention call of FusedAttention.h (fp16/bf16, head dims 32/64/128: the
// Hopper kernel where it runs, else the FlashAttention-2 kernel), reading q, k, v straight out of
// the QKV projection's [tokens, 3·hidden] rows and writing [tokens, hidden]: no split or merge of
// heads, no workspace.
#include <vector>

#include "kernels/attention/FusedAttention.h"
#include "kernels/model/AttentionStrategy.h"

namespace bertbench::cuda {

class FusedAttentionStrategy final : public AttentionStrategy {
public:
    // allowHopper: use the sm_90a kernel where it runs (KernelOptions::hopperAttention); the
    // kernel checks pass false to check the FlashAttention-2 kernel on a Hopper GPU too.
    FusedAttentionStrategy(bool packed, bool allowHopper) : packed_(packed), allowHopper_(allowHopper) {}

    std::string name() const override { return packed_ ? "flash_attention_2" : "sdpa"; }
    bool packed() const override { return packed_; }
    void checkSupported(int numHeads, int headDim, DType dtype) const override;
    size_t workspaceBytes(const AttentionShape&) const override { return 0; }
    // Both kernels load a block's Q tile into shared memory before its first use and write that
    // tile's output rows last (FlashAttentionKernel.cuh, hopper/HopperAttentionKernel.cuh), and no
    // block reads another's Q rows, so O may be written over Q.
    bool overwritesQuery() const override { return true; }
    void run(const AttentionShape& shape, const AttentionArgs& args, CudaContext& context) override;

    // Whether a run of this shape takes the Hopper kernel (reports, checks).
    bool usesHopper(const AttentionShape& shape, const AttentionArgs& args) const;
    // "hopper_sm90a" or "flash_attention_2_kernel", as usesHopper says.
    std::string kernelName(const AttentionShape& shape, const AttentionArgs& args) const override {
        return usesHopper(shape, args) ? "hopper_sm90a" : "flash_attention_2_kernel";
    }

private:
    attention::FusedAttentionParams params(const AttentionShape& shape, const AttentionArgs& args) const;

    bool packed_;
    bool allowHopper_;
};

std::vector<AttentionStrategyInfo> fusedAttentionStrategies();

} // namespace bertbench::cuda
