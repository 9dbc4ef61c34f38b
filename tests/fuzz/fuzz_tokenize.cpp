// Tokenizing any valid UTF-8 text with the committed WordPiece (bert-base-uncased) and byte-level
// BPE (GPT-2) vocabularies: what every line of a user's texts file goes through.
#include "core/workload/TokenizerFiles.h"
#include "core/workload/Utf8.h"
#include "tests/fuzz/FuzzTarget.h"

namespace {

void tokenize(const std::string& input) {
    using namespace bertbench;
    if (firstInvalidUtf8(input)) return;   // the texts readers refuse invalid UTF-8 before this
    static const auto wordPiece = loadTokenizer(BERTBENCH_SOURCE_DIR "/tests/fixtures/tokenizers/bert-base-uncased");
    static const auto bpe = loadTokenizer(BERTBENCH_SOURCE_DIR "/tests/fixtures/tokenizers/gpt2");
    if (wordPiece->count(input) < 2) throw std::logic_error("WordPiece lost its [CLS] … [SEP]");
    bpe->count(input);
}

} // namespace

BERTBENCH_FUZZ_TARGET(tokenize(input))
