// One instantiation per file (head dim 128, bf16): builds in parallel, errors point at one case.
// CPU reference: core/cpu/CpuAttention.cpp:sdpaAttention (padded), flashAttention (packed).
// Check: kernels/verify/AttentionChecks.cpp:checkFusedAttention (allowHopper false: this kernel).
#include "kernels/attention/FlashAttentionLaunch.cuh"

namespace bertbench::attention::detail {
template void runFlashForwardDefault<128, __nv_bfloat16>(const FlashKernelParams&, int, int, int, cudaStream_t);
} // namespace bertbench::attention::detail
