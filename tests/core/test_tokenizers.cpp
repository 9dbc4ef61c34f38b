// The tokenizers count as HF's fast tokenizers do: texts.txt against HF's counts, line for line,
// through every way a tokenizer is found (vocab.txt, vocab.json + merges.txt, tokenizer.json).
#include <QTemporaryDir>
#include <QtTest>

#include "core/util/Errors.h"
#include "core/workload/LengthDistribution.h"
#include "core/workload/SentencePieceTokenizer.h"
#include "core/workload/TokenizerFiles.h"
#include "core/workload/WorkloadFiles.h"
#include "tests/core/ErrorOf.h"
#include "tests/core/TokenizerFixtures.h"

using namespace bertbench;
using namespace bertbench::testing;

namespace {

std::vector<int> countsOf(const TokenCounter& t) {
    return countTokens(t, readTextsFile(tokenizerFixture("texts.txt")));
}

void compareCounts(const std::vector<int>& got, const std::vector<int>& want) {
    QCOMPARE(got.size(), want.size());
    for (std::size_t i = 0; i < got.size(); ++i)
        if (got[i] != want[i]) QFAIL(qPrintable(QString("texts.txt line %1: %2 tokens, HF counts %3").arg(i + 1).arg(got[i]).arg(want[i])));
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// A tokenizer.json in HF's shape (what tokenizers 0.23 saves for BertTokenizerFast / RobertaTokenizerFast).
std::string bertTokenizerJson() {
    nlohmann::json vocab = nlohmann::json::object();
    std::istringstream lines(readAll(tokenizerFixture("bert-base-uncased/vocab.txt")));
    std::string token;
    for (int id = 0; std::getline(lines, token); ++id) vocab[token] = id;
    nlohmann::json added = nlohmann::json::array();
    for (const char* t : {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"})
        added.push_back({{"id", vocab[t]}, {"content", t}, {"single_word", false}, {"lstrip", false},
                         {"rstrip", false}, {"normalized", false}, {"special", true}});
    return nlohmann::json{
        {"version", "1.0"}, {"added_tokens", added},
        {"normalizer", {{"type", "BertNormalizer"}, {"clean_text", true}, {"handle_chinese_chars", true},
                        {"strip_accents", nullptr}, {"lowercase", true}}},
        {"pre_tokenizer", {{"type", "BertPreTokenizer"}}},
        {"post_processor", {{"type", "TemplateProcessing"},
                            {"single", {{{"SpecialToken", {{"id", "[CLS]"}, {"type_id", 0}}}},
                                        {{"Sequence", {{"id", "A"}, {"type_id", 0}}}},
                                        {{"SpecialToken", {{"id", "[SEP]"}, {"type_id", 0}}}}}},
                            {"special_tokens", {{"[CLS]", {{"id", "[CLS]"}, {"ids", {101}}, {"tokens", {"[CLS]"}}}},
                                                {"[SEP]", {{"id", "[SEP]"}, {"ids", {102}}, {"tokens", {"[SEP]"}}}}}}}},
        {"model", {{"type", "WordPiece"}, {"unk_token", "[UNK]"}, {"continuing_subword_prefix", "##"},
                   {"max_input_chars_per_word", 100}, {"vocab", vocab}}}}.dump();
}

std::string robertaTokenizerJson() {
    const nlohmann::json vocab = nlohmann::json::parse(readAll(tokenizerFixture("gpt2/vocab.json")));
    nlohmann::json merges = nlohmann::json::array();
    std::istringstream lines(readAll(tokenizerFixture("gpt2/merges.txt")));
    std::string line;
    while (std::getline(lines, line))
        if (!line.empty() && line[0] != '#') merges.push_back({line.substr(0, line.find(' ')), line.substr(line.find(' ') + 1)});
    return nlohmann::json{
        {"version", "1.0"},
        {"added_tokens", {{{"id", 50256}, {"content", "<|endoftext|>"}, {"special", true}, {"lstrip", false}, {"rstrip", false}}}},
        {"normalizer", nullptr},
        {"pre_tokenizer", {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", true}, {"use_regex", true}}},
        {"post_processor", {{"type", "RobertaProcessing"}, {"sep", {"</s>", 2}}, {"cls", {"<s>", 0}},
                            {"trim_offsets", true}, {"add_prefix_space", false}}},
        {"model", {{"type", "BPE"}, {"dropout", nullptr}, {"unk_token", nullptr}, {"vocab", vocab}, {"merges", merges}}}}.dump();
}

} // namespace

class TokenizersTest : public QObject {
    Q_OBJECT
private slots:
    void wordPieceFromVocabTxtCountsAsHf() {
        const auto t = loadTokenizer(tokenizerFixture("bert-base-uncased"));
        compareCounts(countsOf(*t), expectedCounts("wordpiece_with_special_tokens"));
    }
    void wordPieceTokensOfFirstLinesAreHfs() {
        const auto t = loadTokenizer(tokenizerFixture("bert-base-uncased"));
        const auto texts = readTextsFile(tokenizerFixture("texts.txt"));
        const nlohmann::json want = expectedCounts()["wordpiece_tokens_first_lines"];
        for (std::size_t i = 0; i < want.size(); ++i)
            QCOMPARE(t->tokens(texts[i].text), want[i].get<std::vector<std::string>>());
    }
    void byteLevelBpeFromVocabJsonCountsAsHf() {
        const auto t = loadTokenizer(tokenizerFixture("gpt2"));
        compareCounts(countsOf(*t), expectedCounts("byte_level_bpe_without_special_tokens"));
        const auto texts = readTextsFile(tokenizerFixture("texts.txt"));
        const nlohmann::json want = expectedCounts()["byte_level_bpe_tokens_first_lines"];
        for (std::size_t i = 0; i < want.size(); ++i)
            QCOMPARE(t->tokens(texts[i].text), want[i].get<std::vector<std::string>>());
    }
    void robertaStyleCheckpointAddsTwoTokens() {
        QTemporaryDir dir;
        writeFile(dir, "vocab.json", readAll(tokenizerFixture("gpt2/vocab.json")));
        writeFile(dir, "merges.txt", readAll(tokenizerFixture("gpt2/merges.txt")));
        writeFile(dir, "config.json", R"({"model_type": "roberta"})");
        const auto t = loadTokenizer(dir.path().toStdString());
        compareCounts(countsOf(*t), expectedCounts("byte_level_bpe_roberta_with_special_tokens"));
    }
    void tokenizerJsonCountsAsHf() {
        QTemporaryDir bert, roberta;
        writeFile(bert, "tokenizer.json", bertTokenizerJson());
        writeFile(roberta, "tokenizer.json", robertaTokenizerJson());
        compareCounts(countsOf(*loadTokenizer(bert.path().toStdString())), expectedCounts("wordpiece_with_special_tokens"));
        compareCounts(countsOf(*loadTokenizer(roberta.path().toStdString())),
                      expectedCounts("byte_level_bpe_roberta_with_special_tokens"));
    }
    void specialTokensInTheTextAreOneToken() {
        const auto t = loadTokenizer(tokenizerFixture("bert-base-uncased"));
        QCOMPARE(t->tokens("hello [SEP] world"),
                 (std::vector<std::string>{"[CLS]", "hello", "[SEP]", "world", "[SEP]"}));
    }
    void casedCheckpointKeepsCaseAndAccents() {
        QTemporaryDir dir;
        writeFile(dir, "vocab.txt", "[PAD]\n[UNK]\n[CLS]\n[SEP]\nCafé\ncafe\n");
        writeFile(dir, "tokenizer_config.json", R"({"do_lower_case": false})");
        QCOMPARE(loadTokenizer(dir.path().toStdString())->tokens("Café cafe CAFE"),
                 (std::vector<std::string>{"[CLS]", "Café", "cafe", "[UNK]", "[SEP]"}));
    }
    void sentencePieceModelThroughTheLibrary() {
        if (!sentencePieceAvailable()) QSKIP("this build has no SentencePiece library");
        const auto t = loadTokenizer(tokenizerFixture("sentencepiece"));
        compareCounts(countsOf(*t), expectedCounts("sentencepiece_library_with_special_tokens"));
        // HF's XLMRobertaTokenizerFast on the same model (made on the GPU machine) counts the same.
        compareCounts(countsOf(*t), expectedCounts("sentencepiece_xlmr_with_special_tokens"));
    }
    void sentencePieceModelThatDoesNotParseNamesTheFile() {
        if (!sentencePieceAvailable()) QSKIP("this build has no SentencePiece library");
        QTemporaryDir dir;
        const std::string model = writeFile(dir, "sentencepiece.bpe.model", "this is not a protobuf model\n");
        const std::string message = errorOf<FileFormatError>([&] { loadTokenizer(dir.path().toStdString()); });
        QVERIFY2(contains(message, model) && contains(message, "not a SentencePiece model"), message.c_str());
    }
    void folderWithoutTokenizerFilesAsksForLengths() {
        QTemporaryDir dir;
        writeFile(dir, "config.json", "{}");
        const std::string message = errorOf<InputError>([&] { loadTokenizer(dir.path().toStdString()); });
        QVERIFY2(contains(message, "no tokenizer files") && contains(message, "--lengths"), message.c_str());
    }
    void tokenizerFilesThatDoNotParseNameFileAndLine() {
        QTemporaryDir json, merges, vocab;
        const std::string tj = writeFile(json, "tokenizer.json", "{\"model\": {\"type\": \"WordPiece\", ");
        std::string message = errorOf<FileFormatError>([&] { loadTokenizer(json.path().toStdString()); });
        QVERIFY2(contains(message, tj) && contains(message, "not valid JSON"), message.c_str());

        writeFile(merges, "vocab.json", R"({"a": 0, "b": 1})");
        const std::string mt = writeFile(merges, "merges.txt", "#version: 0.2\na b\nab\n");
        message = errorOf<FileFormatError>([&] { loadTokenizer(merges.path().toStdString()); });
        QVERIFY2(contains(message, mt + " line 3") && contains(message, "\"left right\""), message.c_str());

        const std::string vt = writeFile(vocab, "vocab.txt", std::string("[UNK]\nok\nbad\xff\n"));
        message = errorOf<FileFormatError>([&] { loadTokenizer(vocab.path().toStdString()); });
        QVERIFY2(contains(message, vt + " line 3") && contains(message, "invalid UTF-8"), message.c_str());
    }
};

QTEST_GUILESS_MAIN(TokenizersTest)
#include "test_tokenizers.moc"
