// LayerNorm kernels against core's CPU LayerNorm (cpu::addLayerNormRow).
#include <algorithm>
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

// The embedding variants of the family: the table width, the first position id, the token-type
// table's size (0: none) and whether padding is removed (the packed gather) or kept.
struct EmbeddingCase {
    const char* name;
    int width;
    int positionOffset;
    int types;
    bool packed;
};

// Rows of lengths 11, 2, 7 (S = 11): packed, the real tokens gathered by rowToPadded in the
// kernel; padded, every position of every row.
KernelCheck checkEmbeddings(CheckDevice& dev, Rng& rng, DType dtype, const EmbeddingCase& k) {
    const int B = 3, S = 11, width = k.width, vocab = 97, positions = S + k.positionOffset + 2;
    const float eps = 1e-12f;
    auto word = randomValues(rng, size_t(vocab) * width, 0, 0.5, dtype);
    auto pos = randomValues(rng, size_t(positions) * width, 0, 0.5, dtype);
    auto type = randomValues(rng, size_t(std::max(k.types, 1)) * width, 0, 0.5, dtype);
    auto gamma = randomValues(rng, size_t(width), 1, 0.2, dtype);
    auto beta = randomValues(rng, size_t(width), 0, 0.2, dtype);
    std::vector<int32_t> ids(size_t(B) * S), tts(size_t(B) * S, 0);
    for (auto& id : ids) id = int32_t(rng.next() % uint64_t(vocab));
    if (k.types > 0)
        for (auto& t : tts) t = int32_t(rng.next() % uint64_t(k.types));
    const int lengths[B] = {11, 2, 7};
    std::vector<int32_t> rowToPadded;
    for (int b = 0; b < B; ++b)
        for (int s = 0; s < (k.packed ? lengths[b] : S); ++s) rowToPadded.push_back(b * S + s);
    const int64_t rows = int64_t(rowToPadded.size());
    auto dW = dev.upload(word, dtype), dP = dev.upload(pos, dtype), dT = dev.upload(type, dtype);
    auto dG = dev.upload(gamma, dtype), dB = dev.upload(beta, dtype);
    auto dIds = dev.uploadInts(ids), dTts = dev.uploadInts(tts), dMap = dev.uploadInts(rowToPadded);
    auto out = dev.poisoned(size_t(rows) * width, dtype);
    ops::EmbeddingTables tables;
    tables.word = dW.get();
    tables.vocab = vocab;
    tables.position = dP.get();
    tables.maxPositions = positions;
    tables.positionOffset = k.positionOffset;
    tables.tokenType = k.types > 0 ? dT.get() : nullptr;
    tables.typeVocab = k.types;
    tables.gamma = dG.get();
    tables.beta = dB.get();
    tables.width = width;
    tables.eps = eps;
    ops::embeddingLayerNorm(dtype, out.get(), dIds.as<int32_t>(), k.types > 0 ? dTts.as<int32_t>() : nullptr,
                            k.packed ? dMap.as<int32_t>() : nullptr, rows, S, tables, dev.context().stream());
    // The twin of CpuBertModel::embed: word + type, then + position (HF's order), LayerNorm.
    std::vector<float> want(static_cast<size_t>(rows) * width);
    std::vector<float> x(static_cast<size_t>(width));
    for (int64_t r = 0; r < rows; ++r) {
        const int p = rowToPadded[size_t(r)];
        const size_t position = size_t(k.positionOffset + p % S);
        for (int c = 0; c < width; ++c) {
            float v = word[size_t(ids[size_t(p)]) * width + c];
            if (k.types > 0) v += type[size_t(tts[size_t(p)]) * width + c];
            x[size_t(c)] = v + pos[position * width + c];
        }
        cpu::addLayerNormRow(x.data(), nullptr, want.data() + size_t(r) * width, width, gamma.data(), beta.data(), eps);
    }
    return compare(std::string("embeddings+layernorm (") + k.name + ")", dtype, dev.download(out, want.size(), dtype),
                   want);
}

} // namespace

void addNormChecks(CheckDevice& dev, Rng& rng, DType dtype, CheckList& list) {
    list.run("layernorm", dtype, [&] { return checkLayerNorm(dev, rng, dtype, 37, 768); });
    list.run("layernorm", dtype, [&] { return checkLayerNorm(dev, rng, dtype, 5, 1024); });
    list.run("layernorm", dtype, [&] { return checkLayerNorm(dev, rng, dtype, 3, 5120); });
    static const EmbeddingCase kEmbeddings[] = {
        {"BERT, packed gather", 256, 0, 2, true},
        {"RoBERTa positions from 2, one type, padded", 256, 2, 1, false},
        {"DistilBERT no token types, packed", 96, 0, 0, true},
        {"ELECTRA-small width 128, padded", 128, 0, 2, false},
    };
    for (const EmbeddingCase& k : kEmbeddings)
        list.run("embeddings", dtype, [&] { return checkEmbeddings(dev, rng, dtype, k); });
}

} // namespace bertbench::cuda
