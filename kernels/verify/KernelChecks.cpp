// The list of kernel checks: every op family in every dtype it runs, then the checks above the
// single kernel. One device and one random stream for all, so a seed reproduces the whole list.
#include "kernels/verify/KernelChecks.h"

#include "kernels/verify/Fp8Checks.h"
#include "kernels/verify/KernelCheckFamilies.h"

namespace bertbench::cuda {

std::vector<KernelCheck> runKernelChecks(uint64_t seed) {
    CheckDevice dev;
    Rng rng(seed * 7919ull + 17);
    CheckList list;
    for (DType dtype : {DType::Float32, DType::Float16, DType::BFloat16}) {
        addNormChecks(dev, rng, dtype, list);
        addActivationChecks(dev, rng, dtype, list);
        addGemmChecks(dev, rng, dtype, list);
        addAttentionChecks(dev, rng, dtype, list);   // the fused-attention strategies in fp16/bf16
        addModernBertChecks(dev, rng, dtype, list);
    }
    addFp8Checks(dev, rng, list);   // the quantize kernels; the fp8 linear layer on sm_89+
    addAllocatorChecks(dev, list);
    for (DType dtype : {DType::Float32, DType::BFloat16}) addPackedEncoderChecks(dev, seed + 5, dtype, list);
    return list.take();
}

} // namespace bertbench::cuda
