// The kernels ModernBERT adds or uses in a new way, against their CPU twins: RoPE in place on
// qkv (ops::rotaryEmbedding, the fused strategies' rotation) in both layouts, the LayerNorm and the
// embeddings without a bias and without a position table, and mean pooling over real rows. The
// sliding-window attention and RoPE in the eager split are AttentionChecks.cpp's; the GEMMs
// without a bias GemmChecks.cpp's; GeGLU ActivationChecks.cpp's.
#include <string>
#include <vector>

#include "core/cpu/CpuOps.h"
#include "kernels/ops/Ops.h"
#include "kernels/verify/KernelCheckFamilies.h"
#include "kernels/verify/OpReferences.h"

namespace bertbench::cuda {

namespace {

// Rows of lengths 40, 1, 17 (S = 40): packed rows at their positions inside the sequence (the
// kernel reads them through rowToPadded), or every padded row at b·S + s.
KernelCheck checkRotary(CheckDevice& dev, Rng& rng, DType dtype, bool packed, int heads, int headDim, double theta) {
    const int S = 40;
    const std::vector<int> lengths{40, 1, 17};
    std::vector<int32_t> rowToPadded;
    std::vector<int> positions;
    for (int b = 0; b < int(lengths.size()); ++b)
        for (int s = 0; s < (packed ? lengths[size_t(b)] : S); ++s) {
            rowToPadded.push_back(b * S + s);
            positions.push_back(s);
        }
    const int64_t rows = int64_t(positions.size());
    const int hidden = heads * headDim;
    auto qkv = randomValues(rng, size_t(rows) * 3 * size_t(hidden), 0, 1, dtype);
    const std::vector<float> table = rotaryTableReference(S + 3, headDim, theta);
    auto dQkv = dev.upload(qkv, dtype);
    auto dTable = dev.upload(table, DType::Float32);
    auto dMap = dev.uploadInts(rowToPadded);
    ops::rotaryEmbedding(dtype, dQkv.get(), packed ? dMap.as<int32_t>() : nullptr, rows, S, heads, headDim,
                         ops::RotaryTable{dTable.as<float>(), S + 3}, dev.context().stream());
    std::vector<float> want = qkv;
    rotaryReference(want, positions, heads, headDim, table);
    return compare(std::string("rotary embedding ") + (packed ? "packed" : "padded") + " d" + std::to_string(headDim) +
                       " theta " + std::to_string(int(theta)),
                   dtype, dev.download(dQkv, want.size(), dtype), want);
}

// ModernBERT's norms: weight only (norm_bias false), on the residual stream in place.
KernelCheck checkLayerNormNoBias(CheckDevice& dev, Rng& rng, DType dtype, int rows, int hidden) {
    const float eps = 1e-5f;
    auto in = randomValues(rng, size_t(rows) * hidden, 0.3, 1.5, dtype);
    auto gamma = randomValues(rng, size_t(hidden), 1, 0.2, dtype);
    auto dIn = dev.upload(in, dtype), dG = dev.upload(gamma, dtype);
    auto out = dev.poisoned(in.size(), dtype);
    ops::biasResidualLayerNorm(dtype, out.get(), dIn.get(), nullptr, nullptr, dG.get(), nullptr, rows, hidden, eps,
                               dev.context().stream());
    std::vector<float> want(in.size()), zero(size_t(hidden), 0.f);
    for (int r = 0; r < rows; ++r)
        cpu::addLayerNormRow(in.data() + size_t(r) * hidden, nullptr, want.data() + size_t(r) * hidden, hidden,
                             gamma.data(), zero.data(), eps);
    return compare("layernorm without bias " + std::to_string(rows) + "x" + std::to_string(hidden), dtype,
                   dev.download(out, want.size(), dtype), want);
}

// ModernBERT's embeddings: the token row alone (no positions, no token types), a norm without
// bias; packed (the gather of real tokens) or padded. The twin of CpuModernBertModel::embed.
KernelCheck checkEmbeddingsTokenOnly(CheckDevice& dev, Rng& rng, DType dtype, bool packed) {
    const int B = 3, S = 11, width = 64, vocab = 97;
    const float eps = 1e-5f;
    auto word = randomValues(rng, size_t(vocab) * width, 0, 0.5, dtype);
    auto gamma = randomValues(rng, size_t(width), 1, 0.2, dtype);
    std::vector<int32_t> ids(size_t(B) * S);
    for (auto& id : ids) id = int32_t(rng.next() % uint64_t(vocab));
    const int lengths[B] = {11, 2, 7};
    std::vector<int32_t> rowToPadded;
    for (int b = 0; b < B; ++b)
        for (int s = 0; s < (packed ? lengths[b] : S); ++s) rowToPadded.push_back(b * S + s);
    const int64_t rows = int64_t(rowToPadded.size());
    auto dW = dev.upload(word, dtype), dG = dev.upload(gamma, dtype);
    auto dIds = dev.uploadInts(ids), dMap = dev.uploadInts(rowToPadded);
    auto out = dev.poisoned(size_t(rows) * width, dtype);
    ops::EmbeddingTables tables;
    tables.word = dW.get();
    tables.vocab = vocab;
    tables.maxPositions = S;
    tables.gamma = dG.get();
    tables.width = width;
    tables.eps = eps;
    ops::embeddingLayerNorm(dtype, out.get(), dIds.as<int32_t>(), nullptr, packed ? dMap.as<int32_t>() : nullptr, rows,
                            S, tables, dev.context().stream());
    std::vector<float> want(static_cast<size_t>(rows) * width), x(static_cast<size_t>(width)), zero(static_cast<size_t>(width), 0.f);
    for (int64_t r = 0; r < rows; ++r) {
        const int p = rowToPadded[size_t(r)];
        for (int c = 0; c < width; ++c) x[size_t(c)] = word[size_t(ids[size_t(p)]) * width + c];
        cpu::addLayerNormRow(x.data(), nullptr, want.data() + size_t(r) * width, width, gamma.data(), zero.data(), eps);
    }
    return compare(std::string("embeddings token only, norm without bias, ") + (packed ? "packed" : "padded"), dtype,
                   dev.download(out, want.size(), dtype), want);
}

// Mean over real rows: a row of 1, a long one (the phases' partial sums), one at S.
KernelCheck checkMeanPool(CheckDevice& dev, Rng& rng, DType dtype, bool packed, int cols) {
    const int S = 1100;
    const std::vector<int> lengths{1, 1100, 333, 64};
    const int B = int(lengths.size());
    std::vector<int64_t> first;
    std::vector<int32_t> cu{0};
    for (int b = 0; b < B; ++b) {
        first.push_back(packed ? int64_t(cu.back()) : int64_t(b) * S);
        cu.push_back(cu.back() + lengths[size_t(b)]);
    }
    const int64_t rows = packed ? int64_t(cu.back()) : int64_t(B) * S;
    auto in = randomValues(rng, size_t(rows) * cols, 0.2, 1, dtype);
    auto dIn = dev.upload(in, dtype);
    auto dLen = dev.uploadInts(std::vector<int32_t>(lengths.begin(), lengths.end()));
    auto dCu = dev.uploadInts(cu);
    auto out = dev.poisoned(size_t(B) * cols, dtype);
    ops::meanPoolRows(dtype, out.get(), dIn.get(), dLen.as<int32_t>(), packed ? dCu.as<int32_t>() : nullptr, B, S,
                      cols, dev.context().stream());
    return compare(std::string("mean pooling ") + (packed ? "packed" : "padded") + " width " + std::to_string(cols),
                   dtype, dev.download(out, size_t(B) * cols, dtype), meanPoolReference(in, first, lengths, cols));
}

} // namespace

void addModernBertChecks(CheckDevice& dev, Rng& rng, DType dtype, CheckList& list) {
    for (bool packed : {false, true}) {
        list.run("rotary embedding", dtype, [&] { return checkRotary(dev, rng, dtype, packed, 3, 64, 160000.0); });
        list.run("rotary embedding", dtype, [&] { return checkRotary(dev, rng, dtype, packed, 2, 16, 10000.0); });
        list.run("embeddings token only", dtype, [&] { return checkEmbeddingsTokenOnly(dev, rng, dtype, packed); });
        list.run("mean pooling", dtype, [&] { return checkMeanPool(dev, rng, dtype, packed, 768); });
    }
    list.run("mean pooling", dtype, [&] { return checkMeanPool(dev, rng, dtype, true, 32); });
    list.run("layernorm without bias", dtype, [&] { return checkLayerNormNoBias(dev, rng, dtype, 37, 768); });
    list.run("layernorm without bias", dtype, [&] { return checkLayerNormNoBias(dev, rng, dtype, 5, 1024); });
}

} // namespace bertbench::cuda
