#pragma once
// One padded input batch, generated as docs/ARCHITECTURE.md's batch/ entry says.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace bertbench {

struct BatchSpec {
    int batchSize = 1;
    int maxSeqLen = 128;
    double padFraction = 0.0;   // lengths ~ Normal((1 − pad)·max, stdev), toward zero, clamped [1, max]
    double seqlenStdev = 10.0;
    int vocabSize = 30522;      // ids uniform in [1, vocab − 2] on real positions (the padding id
                                // drawn becomes the next id), padTokenId on padding
    uint64_t seed = 0;
    int padTokenId = 0;         // the model's pad_token_id (-1: none, 0 is used); last: {B, S, ...} inits
};

struct Batch {
    int batchSize = 0;
    int maxSeqLen = 0;
    std::vector<int> lengths;             // [B] real tokens per row (padding on the right)
    std::vector<int32_t> inputIds;        // [B·S]
    std::vector<int32_t> tokenTypeIds;    // [B·S], zeros
    std::vector<int32_t> attentionMask;   // [B·S], 1 on real positions

    int64_t realTokens() const;
    int64_t paddedTokens() const { return int64_t(batchSize) * maxSeqLen; }
    bool isReal(int row, int pos) const { return pos < lengths[size_t(row)]; }
};

// Deterministic across platforms (own PRNG and Box–Muller, no std:: distributions).
Batch makeBatch(const BatchSpec& spec);

// A batch of given real lengths (a data workload's rows, each in [1, width]) padded to `width`:
// ids uniform in [1, vocab − 2] on real positions (never padTokenId), padTokenId elsewhere, as
// makeBatch fills them. Seeded, reproducible.
Batch makeBatchOfLengths(const std::vector<int>& lengths, int width, int vocabSize, int padTokenId, uint64_t seed);

} // namespace bertbench
