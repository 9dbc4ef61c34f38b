// Checks above the single kernel: the device allocator's limit and recovery, and the padding-free
// encoder against the padded one.
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "core/batch/Batch.h"
#include "core/model/BertWeights.h"
#include "core/model/ModelConfig.h"
#include "core/sweep/SweepRunner.h"
#include "core/util/Errors.h"
#include "kernels/CudaBertBackend.h"
#include "kernels/model/EagerAttention.h"
#include "kernels/runtime/KernelOptions.h"
#include "kernels/verify/KernelCheckFamilies.h"

namespace bertbench::cuda {

namespace {

KernelCheck checkAllocatorLimit(CheckDevice& dev) {
    KernelCheck c;
    c.name = "allocator: limit → OutOfMemoryError, then recovery";
    DeviceAllocator& alloc = dev.allocator();
    const int64_t before = alloc.currentBytes();
    alloc.resetPeak();
    alloc.setLimit(before + (int64_t(8) << 20));
    bool threw = false;
    try {
        DeviceBuffer a(alloc, size_t(4) << 20, "a");
        DeviceBuffer b(alloc, size_t(6) << 20, "b");   // 10 MB > 8 MB limit
    } catch (const OutOfMemoryError&) {
        threw = true;
    }
    const bool released = alloc.currentBytes() == before;
    alloc.setLimit(0);
    bool recovered = false;
    try {
        DeviceBuffer big(alloc, size_t(64) << 20, "after the limit");
        recovered = alloc.peakBytes() >= before + (int64_t(64) << 20);
    } catch (const std::exception&) {
    }
    c.pass = threw && released && recovered && alloc.currentBytes() == before;
    if (!c.pass) {
        c.failure = std::string(threw ? "" : "no OutOfMemoryError; ") + (released ? "" : "memory not given back; ") +
                    (recovered ? "" : "next allocation failed or peak wrong");
    }
    return c;
}

// The padding-free encoder (padding removed in the embedding kernel, CLS rows and task outputs
// gathered / re-padded) against the padded one, same kernels otherwise: every task, real
// positions only. Checks the packed plumbing the fused-attention strategies build on.
std::vector<KernelCheck> checkPackedEncoder(int device, uint64_t seed, DType dtype) {
    const BertWeights weights = randomWeights(presetConfig("tiny"), seed);
    const KernelOptions options = KernelOptions::fromEnvironment();
    CudaBertBackend padded(std::make_unique<EagerAttention>(false), device, options);
    CudaBertBackend packed(std::make_unique<EagerAttention>(true), device, options);
    padded.loadModel(weights, dtype);
    packed.loadModel(weights, dtype);
    const Batch batch = makeBatch({5, 93, 0.5, 20, weights.config.vocabSize, seed + 3});
    std::vector<KernelCheck> checks;
    for (Task task : allTasks()) {
        padded.prepare(task, batch);
        padded.forward();
        const TaskOutput want = padded.output();
        packed.prepare(task, batch);
        packed.forward();
        const TaskOutput got = packed.output();
        padded.releaseCell();
        packed.releaseCell();
        KernelCheck c;
        c.name = "packed encoder vs padded, " + toString(task);
        c.dtype = dtype;
        c.tolerance = opTolerance(dtype);
        const OutputError e = compareOutputs(got, want, batch);
        c.maxAbs = e.maxAbs;
        c.relL2 = e.relL2;
        c.pass = e.relL2 <= c.tolerance;
        // Re-padded positions must be exactly zero.
        if (got.perPosition) {
            const size_t width = size_t(got.shape[2]);
            for (int b = 0; b < batch.batchSize && c.pass; ++b) {
                for (int p = batch.lengths[size_t(b)]; p < batch.maxSeqLen; ++p) {
                    const size_t at = (size_t(b) * size_t(batch.maxSeqLen) + size_t(p)) * width;
                    if (std::any_of(got.values.begin() + int64_t(at), got.values.begin() + int64_t(at + width),
                                    [](float v) { return v != 0.f; })) {
                        c.pass = false;
                        c.failure = "a padding position of the re-padded output is not zero";
                        break;
                    }
                }
            }
        }
        checks.push_back(c);
    }
    return checks;
}

} // namespace

void addAllocatorChecks(CheckDevice& dev, CheckList& list) {
    list.run("allocator", DType::Float32, [&] { return checkAllocatorLimit(dev); });
}

void addPackedEncoderChecks(CheckDevice& dev, uint64_t seed, DType dtype, CheckList& list) {
    try {
        for (KernelCheck& c : checkPackedEncoder(dev.allocator().device(), seed, dtype)) list.add(std::move(c));
    } catch (const std::exception& e) {
        list.fail("packed encoder", dtype, e.what());
    }
}

} // namespace bertbench::cuda
