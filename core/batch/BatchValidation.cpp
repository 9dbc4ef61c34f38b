#include "core/batch/BatchValidation.h"

#include <string>

#include "core/util/Errors.h"

namespace bertbench {

namespace {

std::string at(int row, int pos) {
    return "row " + std::to_string(row) + ", position " + std::to_string(pos);
}

void checkSize(const char* field, size_t actual, size_t expected, const char* shape) {
    if (actual != expected) {
        throw InputError(std::string("batch ") + field + " has " + std::to_string(actual) + " values, expected " +
                         std::to_string(expected) + " (" + shape + ")");
    }
}

} // namespace

void validateBatch(const Batch& batch, const ModelConfig& config) {
    const int B = batch.batchSize, S = batch.maxSeqLen;
    if (B < 1) throw InputError("batch size " + std::to_string(B) + ": an empty batch (at least 1 row)");
    if (S < 1) throw InputError("batch sequence length " + std::to_string(S) + ": an empty batch (at least 1 position)");
    if (S > config.maxSequenceLength()) {
        const std::string offset = config.positionOffset > 0 ? " less the first position id " +
                                                                   std::to_string(config.positionOffset)
                                                             : std::string();
        throw InputError("batch sequence length " + std::to_string(S) + " is longer than the model's " +
                         std::to_string(config.maxSequenceLength()) + " positions (max_position_embeddings" +
                         offset + ")");
    }
    const size_t cells = size_t(B) * size_t(S);
    checkSize("lengths", batch.lengths.size(), size_t(B), "one per row");
    checkSize("input_ids", batch.inputIds.size(), cells, "batch size × sequence length");
    // Token types and the mask are optional: empty means zeros and "every real position".
    if (!batch.tokenTypeIds.empty())
        checkSize("token_type_ids", batch.tokenTypeIds.size(), cells, "batch size × sequence length");
    if (!batch.attentionMask.empty())
        checkSize("attention_mask", batch.attentionMask.size(), cells, "batch size × sequence length");

    for (int b = 0; b < B; ++b) {
        const int len = batch.lengths[size_t(b)];
        if (len < 1 || len > S) {
            throw InputError("batch lengths: row " + std::to_string(b) + " has length " + std::to_string(len) +
                             ", outside 1.." + std::to_string(S));
        }
        for (int p = 0; p < S; ++p) {
            const size_t i = size_t(b) * size_t(S) + size_t(p);
            // Every backend assumes right padding: real tokens first, then masked positions.
            if (!batch.attentionMask.empty() && (batch.attentionMask[i] != 0) != (p < len)) {
                throw InputError("batch attention_mask at " + at(b, p) + " is " +
                                 std::to_string(batch.attentionMask[i]) + ": it must be 1 on exactly the first " +
                                 std::to_string(len) + " positions of the row (its length) and 0 after");
            }
            // Padding ids are checked too: some backends embed the padded rows before masking them.
            const int32_t id = batch.inputIds[i];
            if (id < 0 || id >= config.vocabSize) {
                throw InputError("batch input_ids at " + at(b, p) + ": token id " + std::to_string(id) +
                                 " is outside the vocabulary 0.." + std::to_string(config.vocabSize - 1));
            }
            // An architecture without token types (DistilBERT) ignores them.
            if (!batch.tokenTypeIds.empty() && config.hasTokenTypes()) {
                const int32_t type = batch.tokenTypeIds[i];
                if (type < 0 || type >= config.typeVocabSize) {
                    throw InputError("batch token_type_ids at " + at(b, p) + ": token type " + std::to_string(type) +
                                     " is outside 0.." + std::to_string(config.typeVocabSize - 1));
                }
            }
        }
    }
}

} // namespace bertbench
