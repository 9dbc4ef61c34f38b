// Attention kernels alone: correctness against the CPU twin, then TFLOP/s.
//
//   attn_bench --check            every (dtype, head dim, mode) on fresh random inputs: odd lengths,
//                                 batch 1, pad 0.75, pad 0; poisoned outputs and guard rows;
//                                 relative L2 and max abs error against core/cpu/CpuAttention.h
//   attn_bench --time             b128 h12 s512 d64 (and d32/d128 at the same hidden size): the
//                                 library's kernels, varlen and padded, pad 0 and pad 0.5
//   attn_bench --variants         the bench-only tile shapes (attn_bench_variants.cu), checked and timed
//   attn_bench --profile          the shipped d64 fp16 kernel at b128 s512 (for ncu --launch-skip)
//   --quick                       --check with the odd-length and pad-0.75 cases only (sanitizers)
//   --lengths-dir DIR             where to write the pad-0.5 lengths that sdpa_peers.py reads
//
// Build: the CMake target bertbench-attn-bench (kernels/CMakeLists.txt: this file with
// attn_bench_check.cu, attn_bench_timing.cu, attn_bench_variants.cu and their shared attn_bench.h,
// linked with the kernels library, which carries the sm_90a kernel, and core's CPU twin);
// bench/device/build.sh attn.
//
// Flop count: 4·H·D·Σ len² (attn_bench_timing.cu: real keys × real queries), so the padded runs
// are credited only with real work.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <cuda_runtime.h>

#include "bench/attention/attn_bench.h"
#include "kernels/attention/FusedAttention.h"

using namespace bertbench::attnbench;

namespace {

// hopper = false: the FlashAttention-2 kernel (every GPU); true: the sm_90a kernel, which the
// library picks by itself on an H100/H200 (only offered where it runs, see main).
Kernel libraryKernel(int headDim, AttnDType dtype, bool hopper = false)
{
    const FusedAttentionTile t = fusedAttentionTile(headDim);
    char name[96];
    if (hopper)
        std::snprintf(name, sizeof name, "hopper d%d %s (128x128, 1+2 warpgroups)", headDim, dtypeName(dtype));
    else
        std::snprintf(name, sizeof name, "library d%d %s (%dx%d, %d warps)", headDim, dtypeName(dtype), t.blockM, t.blockN, t.warps);
    return {name, headDim, dtype,
            [hopper](const FusedAttentionParams& params, const int32_t* cu, const int32_t* lengths, int batch, int rows, cudaStream_t s) {
                FusedAttentionParams p = params;
                p.allowHopper = hopper;
                if (hopper && !fusedAttentionUsesHopper(p, rows)) {
                    std::fprintf(stderr, "the hopper kernel does not run here\n");
                    std::exit(2);
                }
                if (cu) launchFlashAttentionVarlen(p, cu, batch, rows, s);
                else launchSdpaPadded(p, lengths, batch, rows, s);
            }};
}

} // namespace

int main(int argc, char** argv)
{
    bool doCheck = false, doTime = false, doVariants = false, doProfile = false, quick = false;
    std::string lengthsDir;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--check") doCheck = true;
        else if (a == "--time") doTime = true;
        else if (a == "--variants") doVariants = true;
        else if (a == "--profile") doProfile = true;
        else if (a == "--quick") quick = true;
        else if (a == "--lengths-dir" && i + 1 < argc) lengthsDir = argv[++i];
        else {
            std::fprintf(stderr, "unknown argument %s\n", a.c_str());
            return 2;
        }
    }
    cudaDeviceProp prop;
    CUDA_CHECK(cudaGetDeviceProperties(&prop, 0));
    std::printf("# attn_bench on %s (%d SMs, sm_%d%d)\n", prop.name, prop.multiProcessorCount, prop.major, prop.minor);

    if (!lengthsDir.empty()) {
        const std::string path = lengthsDir + "/lengths_b128_s512_pad0.5.txt";
        FILE* f = std::fopen(path.c_str(), "w");
        if (!f) { std::fprintf(stderr, "cannot write %s\n", path.c_str()); return 2; }
        for (int32_t len : drawLengths(128, 512, 0.5, 2024)) std::fprintf(f, "%d\n", len);
        std::fclose(f);
    }

    std::vector<Kernel> library;
    for (AttnDType t : {AttnDType::F16, AttnDType::BF16})
        for (int d : {32, 64, 128}) library.push_back(libraryKernel(d, t));
    // The Hopper kernel beside it where this GPU runs it (d64, d128).
    for (AttnDType t : {AttnDType::F16, AttnDType::BF16})
        for (int d : {64, 128})
            if (fusedAttentionHopperAvailable(d)) library.push_back(libraryKernel(d, t, true));
    if (library.size() == 6) std::printf("# the Hopper kernel does not run on this GPU/build: FlashAttention-2 kernel only\n");

    bool ok = true;
    if (doCheck) ok = checkKernels(library, 20251124, quick) && ok;
    if (doVariants) {
        const std::vector<Kernel> vs = variants();
        // Only the pad 0.75 and odd-length cases: enough to catch a broken tile shape.
        ok = checkKernels(vs, 777, /*quick=*/true) && ok;
        timeTable(vs, "Tile-shape variants (fp16)", {0.0, 0.5});
    }
    if (doTime) {
        std::vector<Kernel> d64;
        for (const Kernel& k : library) if (k.headDim == 64) d64.push_back(k);
        timeTable(d64, "Library kernels, head dim 64 (BERT-base)", {0.0, 0.5});
        std::vector<Kernel> others;
        for (const Kernel& k : library) if (k.headDim != 64 && k.dtype == AttnDType::F16) others.push_back(k);
        timeTable(others, "Library kernels, head dims 32 and 128 at hidden 768", {0.0});
    }
    if (doProfile) {
        TimingShape sh;
        sh.lengths.assign(size_t(sh.batch), sh.seqLen);
        timeKernel(libraryKernel(64, AttnDType::F16), sh);
        if (library.size() > 6) timeKernel(libraryKernel(64, AttnDType::F16, true), sh);
    }
    std::printf("\n%s\n", ok ? "ALL CHECKS PASSED" : "SOME CHECKS FAILED");
    return ok ? 0 : 1;
}

