#include "core/batch/Batch.h"

#include <algorithm>
#include <cmath>

#include "core/util/Errors.h"
#include "core/util/Random.h"

namespace bertbench {

int64_t Batch::realTokens() const {
    int64_t n = 0;
    for (int len : lengths) n += len;
    return n;
}

Batch makeBatch(const BatchSpec& spec) {
    if (spec.batchSize < 1) throw InputError("batch size must be >= 1");
    if (spec.maxSeqLen < 1) throw InputError("max sequence length must be >= 1");
    if (spec.vocabSize < 3) throw InputError("vocabulary must have at least 3 tokens");

    Batch batch;
    batch.batchSize = spec.batchSize;
    batch.maxSeqLen = spec.maxSeqLen;
    const size_t total = size_t(spec.batchSize) * size_t(spec.maxSeqLen);
    // Padding positions hold the model's padding id (RoBERTa's is 1), real ones never do: the
    // RoBERTa family counts positions over the ids that are not padding.
    const int32_t pad = spec.padTokenId >= 0 ? spec.padTokenId : 0;
    batch.inputIds.assign(total, pad);
    batch.tokenTypeIds.assign(total, 0);
    batch.attentionMask.assign(total, 0);
    batch.lengths.resize(size_t(spec.batchSize));

    Rng rng(spec.seed);
    const double mean = (1.0 - spec.padFraction) * spec.maxSeqLen;
    for (int row = 0; row < spec.batchSize; ++row) {
        const double drawn = mean + spec.seqlenStdev * rng.normal();
        // Toward zero, then into [1, max]; the clamp also catches NaN-free huge values.
        const double truncated = std::trunc(drawn);
        const int length = int(std::clamp(truncated, 1.0, double(spec.maxSeqLen)));
        batch.lengths[size_t(row)] = length;
        for (int pos = 0; pos < length; ++pos) {
            const size_t i = size_t(row) * size_t(spec.maxSeqLen) + size_t(pos);
            int32_t id = int32_t(rng.uniformInt(1, spec.vocabSize - 2));
            if (id == pad) ++id;   // never the padding id on a real position (still < vocab)
            batch.inputIds[i] = id;
            batch.attentionMask[i] = 1;
        }
    }
    return batch;
}

Batch makeBatchOfLengths(const std::vector<int>& lengths, int width, int vocabSize, int padTokenId, uint64_t seed) {
    if (lengths.empty()) throw InputError("a batch needs at least one row");
    if (width < 1) throw InputError("max sequence length must be >= 1");
    if (vocabSize < 3) throw InputError("vocabulary must have at least 3 tokens");
    Batch batch;
    batch.batchSize = int(lengths.size());
    batch.maxSeqLen = width;
    const size_t total = lengths.size() * size_t(width);
    const int32_t pad = padTokenId >= 0 ? padTokenId : 0;
    batch.inputIds.assign(total, pad);
    batch.tokenTypeIds.assign(total, 0);
    batch.attentionMask.assign(total, 0);
    batch.lengths = lengths;
    Rng rng(seed);
    for (size_t row = 0; row < lengths.size(); ++row) {
        const int length = lengths[row];
        if (length < 1 || length > width)
            throw InputError("row " + std::to_string(row) + " has length " + std::to_string(length) +
                             ", outside 1.." + std::to_string(width));
        for (int pos = 0; pos < length; ++pos) {
            const size_t i = row * size_t(width) + size_t(pos);
            int32_t id = int32_t(rng.uniformInt(1, vocabSize - 2));
            if (id == pad) ++id;
            batch.inputIds[i] = id;
            batch.attentionMask[i] = 1;
        }
    }
    return batch;
}

} // namespace bertbench
