#pragma once
// Where a tokenizer comes from: a checkpoint folder (or --tokenizer DIR) holding HF's tokenizer
// files. In order of preference: tokenizer.json (WordPiece or byte-level BPE model), vocab.txt
// (WordPiece; tokenizer_config.json's do_lower_case / strip_accents / tokenize_chinese_chars when
// present, uncased otherwise, as HF's BertTokenizerFast), vocab.json + merges.txt (byte-level BPE;
// <s> … </s> when the checkpoint is RoBERTa-style), sentencepiece.bpe.model (XLM-R, CamemBERT).
#include <memory>
#include <string>

#include "core/workload/TokenCounter.h"

namespace bertbench {

// Throws InputError when the folder has no tokenizer files ("… pass --lengths"), FileFormatError
// naming the file when one does not parse.
std::unique_ptr<TokenCounter> loadTokenizer(const std::string& folder);

// Whether `folder` holds any of the files above.
bool hasTokenizerFiles(const std::string& folder);

// tokenizer.json alone (HF's serialised fast tokenizer): its model, normaliser, pre-tokeniser,
// added tokens and post-processor. Throws FileFormatError naming the file and the field.
std::unique_ptr<TokenCounter> loadTokenizerJson(const std::string& path);

} // namespace bertbench
