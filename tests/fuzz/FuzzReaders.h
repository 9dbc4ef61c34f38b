#pragma once
// The readers of user files that take a path, fed arbitrary bytes the way their fuzz targets feed
// them (the first byte picks the file's name, hence its format); shared with test_hostile_inputs,
// which replays tests/fuzz/regressions/ through the same functions.
#include <string>

#include "core/model/HfReference.h"
#include "core/workload/WorkloadFiles.h"
#include "tests/fuzz/FuzzFiles.h"
#ifdef BERTBENCH_HAVE_TOKENIZERS
#include "core/workload/ByteLevelBpeTokenizer.h"
#include "core/workload/TokenizerFiles.h"
#include "core/workload/WordPieceTokenizer.h"
#endif

namespace bertbench::fuzz {

inline void readLengthsInput(const std::string& input) {
    readLengthsFile(writeInputFileNamedByFirstByte({"lengths.txt", "lengths.csv", "lengths.tsv", "lengths.json"}, input));
}

inline void readTextsInput(const std::string& input) {
    readTextsFile(writeInputFileNamedByFirstByte({"texts.txt", "texts.jsonl", "texts.csv", "texts.tsv"}, input));
}

// A `verify --reference` file (safetensors): the batch from its inputs, then HF's output of every
// task it holds, as an MLM checkpoint and as any other would read it, and HF's own halves if any.
inline void readHfReferenceInput(const std::string& input) {
    const HfReference reference = loadHfReference(writeInputFile("reference.safetensors", input));
    for (const std::vector<std::string>& architectures :
         {std::vector<std::string>{"BertForMaskedLM"}, std::vector<std::string>{}}) {
        for (const Task task : tasksWithReference(reference, architectures)) {
            expectedOutput(reference, task);
            for (const char* variant : {"hf_fp16", "hf_bf16"})
                if (hasVariant(reference, task, variant)) expectedOutput(reference, task, variant);
        }
    }
}

#ifdef BERTBENCH_HAVE_TOKENIZERS
// tokenizer.json (then the tokenizer it describes splits a few fixed texts), vocab.txt,
// vocab.json or merges.txt.
inline void readTokenizerFileInput(const std::string& input) {
    const std::string path =
        writeInputFileNamedByFirstByte({"tokenizer.json", "vocab.txt", "vocab.json", "merges.txt"}, input);
    if (path.ends_with("tokenizer.json")) {
        const auto tokenizer = loadTokenizerJson(path);
        for (const char* text : {"", "Hello, world!", "unaffable naïve café 東京 🙂", "[CLS] <s> a  b\tc\n"})
            tokenizer->tokens(text);
    } else if (path.ends_with("vocab.txt")) {
        readWordPieceVocab(path);
    } else if (path.ends_with("vocab.json")) {
        readBpeVocabJson(path);
    } else {
        readBpeMerges(path);
    }
}
#endif

} // namespace bertbench::fuzz
