// LayerNorm kernels against core's CPU LayerNorm (cpu::addLayerNormRow).
#include <string>
#include <vector>

#include "core/cpu/CpuOps.h"
#include "kernels/ops/Ops.h"
#include "kernels/verify/KernelCheckFamilies.h"

namespace bertbench::cuda {

namespace {

KernelCheck checkLayerNorm(CheckDevice& dev, Rng& rng, DType dtype, int rows, int hidden) {
    const float eps = 1e-12f;
    auto in = randomValues(rng, size_t(rows) * hidden, 0, 1, dtype);
    auto residual = randomValues(rng, size_t(rows) * hidden, 0.5, 2, dtype);
    auto bias = randomValues(rng, size_t(hidden), 0, 0.1, dtype);
    auto gamma = randomValues(rng, size_t(hidden), 1, 0.2, dtype);
    auto beta = randomValues(rng, size_t(hidden), 0, 0.2, dtype);
    auto dIn = dev.upload(in, dtype), dRes = dev.upload(residual, dtype), dBias = dev.upload(bias, dtype);
    auto dG = dev.upload(gamma, dtype), dB = dev.upload(beta, dtype);
    auto out = dev.poisoned(in.size(), dtype);
    ops::biasResidualLayerNorm(dtype, out.get(), dIn.get(), dBias.get(), dRes.get(), dG.get(), dB.get(), rows, hidden,
                               eps, dev.context().stream());
    std::vector<float> want(in.size());
    for (int r = 0; r < rows; ++r) {
        float* x = in.data() + size_t(r) * hidden;
        for (int c = 0; c < hidden; ++c) x[c] += bias[size_t(c)];
        cpu::addLayerNormRow(x, residual.data() + size_t(r) * hidden, want.data() + size_t(r) * hidden, hidden,
                             gamma.data(), beta.data(), eps);
    }
    return compare("bias+residual+layernorm " + std::to_string(rows) + "x" + std::to_string(hidden), dtype,
                   dev.download(out, want.size(), dtype), want);
}

// Packed: the real tokens of rows of lengths 11, 2, 7, gathered by rowToPadded in the kernel.
KernelCheck checkEmbeddings(CheckDevice& dev, Rng& rng, DType dtype) {
    const int B = 3, S = 11, hidden = 256, vocab = 97, positions = 16, types = 2;
    const float eps = 1e-12f;
    auto word = randomValues(rng, size_t(vocab) * hidden, 0, 0.5, dtype);
    auto pos = randomValues(rng, size_t(positions) * hidden, 0, 0.5, dtype);
    auto type = randomValues(rng, size_t(types) * hidden, 0, 0.5, dtype);
    auto gamma = randomValues(rng, size_t(hidden), 1, 0.2, dtype);
    auto beta = randomValues(rng, size_t(hidden), 0, 0.2, dtype);
    std::vector<int32_t> ids(size_t(B) * S), tts(size_t(B) * S);
    for (auto& id : ids) id = int32_t(rng.next() % uint64_t(vocab));
    for (auto& t : tts) t = int32_t(rng.next() % uint64_t(types));
    const int lengths[B] = {11, 2, 7};
    std::vector<int32_t> rowToPadded;
    for (int b = 0; b < B; ++b)
        for (int s = 0; s < lengths[b]; ++s) rowToPadded.push_back(b * S + s);
    const int64_t rows = int64_t(rowToPadded.size());
    auto dW = dev.upload(word, dtype), dP = dev.upload(pos, dtype), dT = dev.upload(type, dtype);
    auto dG = dev.upload(gamma, dtype), dB = dev.upload(beta, dtype);
    auto dIds = dev.uploadInts(ids), dTts = dev.uploadInts(tts), dMap = dev.uploadInts(rowToPadded);
    auto out = dev.poisoned(size_t(rows) * hidden, dtype);
    ops::embeddingLayerNorm(dtype, out.get(), dIds.as<int32_t>(), dTts.as<int32_t>(), dMap.as<int32_t>(), rows, S,
                            dW.get(), vocab, dP.get(), positions, dT.get(), types, dG.get(), dB.get(), hidden, eps,
                            dev.context().stream());
    std::vector<float> want(static_cast<size_t>(rows) * hidden);
    std::vector<float> x(static_cast<size_t>(hidden));
    for (int64_t r = 0; r < rows; ++r) {
        const int p = rowToPadded[size_t(r)];
        for (int c = 0; c < hidden; ++c) {
            x[size_t(c)] = word[size_t(ids[size_t(p)]) * hidden + c] + pos[size_t(p % S) * hidden + c] +
                           type[size_t(tts[size_t(p)]) * hidden + c];
        }
        cpu::addLayerNormRow(x.data(), nullptr, want.data() + size_t(r) * hidden, hidden, gamma.data(), beta.data(), eps);
    }
    return compare("embeddings+layernorm (packed gather)", dtype, dev.download(out, want.size(), dtype), want);
}

} // namespace

void addNormChecks(CheckDevice& dev, Rng& rng, DType dtype, CheckList& list) {
    list.run("layernorm", dtype, [&] { return checkLayerNorm(dev, rng, dtype, 37, 768); });
    list.run("layernorm", dtype, [&] { return checkLayerNorm(dev, rng, dtype, 5, 1024); });
    list.run("layernorm", dtype, [&] { return checkLayerNorm(dev, rng, dtype, 3, 5120); });
    list.run("embeddings", dtype, [&] { return checkEmbeddings(dev, rng, dtype); });
}

} // namespace bertbench::cuda
