// `workload FILE`: what a workload's lengths look like before anyone spends GPU time on it.
#include <algorithm>
#include <filesystem>
#include <ostream>

#include "app/cli/CliSupport.h"
#include "core/model/ModelConfig.h"
#include "core/workload/LengthDistribution.h"
#include "core/workload/TokenizerFiles.h"
#include "core/workload/WorkloadFiles.h"

namespace bertbench::cli {

namespace {

const CommandHelp& workloadHelp() {
    static const CommandHelp help{
        "bertbench-cli workload FILE [--model M | --tokenizer DIR] [--max-len L] [--counts] [--text-field F]",
        "Describe a workload: the number of examples, min / median / p90 / p99 / max length in\n"
        "tokens, the share of examples a max length of 128 / 256 / 512 (or L) would truncate, and a\n"
        "histogram. With --model or --tokenizer FILE holds texts, tokenized the way HuggingFace's\n"
        "fast tokenizer of that checkpoint counts them, special tokens included ([CLS] ... [SEP],\n"
        "<s> ... </s>); without, FILE holds token counts.",
        {{"--model", "M", "a checkpoint folder: its tokenizer files (a preset has none: use --tokenizer)"},
         {"--tokenizer", "DIR", "a folder with tokenizer.json, vocab.txt, vocab.json + merges.txt\n"
                                "or sentencepiece.bpe.model (and tokenizer_config.json)"},
         {"--text-field", "F", "the text field of a JSON Lines file or column of a CSV/TSV\n(default: text)"},
         {"--max-len", "L", "the one max length to report truncation at (default: 128, 256, 512)"},
         {"--counts", "", "print only each example's token count, one per line, in file order"}},
        "Token counts (no tokenizer): one whole number per line; a CSV/TSV with a column named\n"
        "length, len, num_tokens or tokens; or a JSON array.\n"
        "Texts (with a tokenizer): plain text, one example per line; JSON Lines (.jsonl, .ndjson)\n"
        "with --text-field; a CSV/TSV (.csv, .tsv) column.\n"
        "Tokenizers: WordPiece (BERT), byte-level BPE (GPT-2, RoBERTa), SentencePiece (XLM-R,\n"
        "CamemBERT). A checkpoint without tokenizer files: count the tokens elsewhere and pass\n"
        "the counts as FILE.\n"
        "\n"
        "Examples:\n"
        "  bertbench-cli workload reviews.txt --model path/to/bert-base-uncased\n"
        "  bertbench-cli workload data.jsonl --tokenizer path/to/roberta --text-field body --max-len 256\n"
        "  bertbench-cli workload data.csv --tokenizer path/to/bert --counts > lengths.txt\n"
        "  bertbench-cli workload lengths.txt\n"};
    return help;
}

// The tokenizer folder of --model / --tokenizer, or "" for a lengths file.
std::string tokenizerFolder(const ParsedArgs& parsed) {
    if (parsed.has("--model") && parsed.has("--tokenizer"))
        throw UsageError("give --model or --tokenizer, not both");
    if (parsed.has("--tokenizer")) return *parsed.value("--tokenizer");
    if (!parsed.has("--model")) return {};
    const std::string model = *parsed.value("--model");
    std::error_code ec;
    if (std::filesystem::is_directory(model, ec)) return model;
    const std::vector<std::string> presets = presetNames();
    if (std::find(presets.begin(), presets.end(), model) != presets.end())
        throw InputError("--model " + model + ": a preset has no tokenizer files; name a checkpoint folder with "
                         "--tokenizer DIR, or pass token counts as FILE (no --model)");
    throw InputError("--model " + model + ": not a checkpoint folder");
}

std::string percentText(double share) { return fixed(100.0 * share, 1) + "%"; }

std::string numberText(double value) {
    return value == static_cast<double>(static_cast<long long>(value)) ? std::to_string(static_cast<long long>(value))
                                                                       : fixed(value, 1);
}

} // namespace

int workloadCommand(const CommandArgs& args, std::ostream& out, std::ostream& err) {
    return guardedCommand("workload", err, [&] {
        ParsedArgs parsed;
        if (parseOrHelp(args, workloadHelp(), out, parsed)) return kExitOk;
        if (parsed.positionals.size() != 1) throw UsageError("name one workload file");
        const std::string file = parsed.positionals.front();
        const std::string folder = tokenizerFolder(parsed);
        std::vector<int> maxLengths{128, 256, 512};
        if (parsed.has("--max-len")) maxLengths = {static_cast<int>(parseInteger("--max-len", *parsed.value("--max-len"), 1, 1 << 20))};

        std::vector<int> lengths;
        std::string source;
        if (folder.empty()) {
            if (parsed.has("--text-field"))
                throw UsageError("--text-field needs a tokenizer (--model or --tokenizer): without one FILE holds token counts");
            lengths = readLengthsFile(file);
            source = "token counts";
        } else {
            const auto tokenizer = loadTokenizer(folder);
            lengths = countTokens(*tokenizer, readTextsFile(file, parsed.value("--text-field").value_or("")));
            source = "texts, " + tokenizer->description();
        }
        if (parsed.has("--counts")) {
            for (int n : lengths) out << n << "\n";
            return kExitOk;
        }
        const LengthDistribution d = describeLengths(lengths, maxLengths);
        out << "Workload: " << file << " (" << source << ")\n"
            << "Examples: " << d.examples << "\n"
            << "Tokens per example (special tokens included): min " << d.min << ", median " << numberText(d.median)
            << ", p90 " << numberText(d.p90) << ", p99 " << numberText(d.p99) << ", max " << d.max << ", mean "
            << fixed(d.mean, 1) << "\n"
            << "Truncated at max length:";
        for (const TruncationShare& t : d.truncation)
            out << "  " << t.maxLength << ": " << t.truncated << " (" << percentText(t.share) << ")";
        out << "\n\nHistogram (tokens: examples)\n" << lengthHistogramText(lengths, maxLengths.back());
        return kExitOk;
    });
}

} // namespace bertbench::cli
