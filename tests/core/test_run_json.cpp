// Native run JSON: lossless round trip, defaults, malformed files; format sniffing and the
// atomic write every writer goes through.
#include <QtTest>

#include <nlohmann/json.hpp>

#include <fstream>
#include <sys/stat.h>

#include "core/ErrorOf.h"
#include "core/RunSamples.h"
#include "core/results/RunFiles.h"
#include "core/util/Errors.h"

using namespace bertbench;
using namespace bertbench::testing;

namespace {


const char* kMinimalRow =
    R"({"task":"encoder","batch_size":2,"seq_len":64,"pad":0.5,)"
    R"("baseline":{"backend":"cpu:eager"},"candidate":{"backend":"cpu:sdpa"},"status":"ok"})";

std::string minimalRun(const std::string& rows) {
    return R"({"format":"bertbench-run","version":1,"rows":[)" + rows + "]}";
}

void writeText(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

} // namespace

class RunJsonTest : public QObject {
    Q_OBJECT
private slots:
    void roundTripKeepsEveryField() {
        const Run run = sampleRun();
        const std::string json = runToJson(run);
        const Run back = runFromJson(json, "sample.json");
        const std::string diff = diffRuns(run, back);
        QVERIFY2(diff.empty(), diff.c_str());
        // Writing what was read gives the same text.
        QCOMPARE(QString::fromStdString(runToJson(back)), QString::fromStdString(json));
    }

    void documentShape() {
        const auto j = nlohmann::json::parse(runToJson(sampleRun()));
        QCOMPARE(QString::fromStdString(j.at("format").get<std::string>()), QStringLiteral("bertbench-run"));
        QCOMPARE(j.at("version").get<int>(), 2);   // breakdown, efficiency, energy per measurement
        QVERIFY(j.at("spec").is_object());
        QCOMPARE(j.at("spec").at("batch_sizes").size(), size_t(2));
        QCOMPARE(j.at("spec").at("seed").get<uint64_t>(), 18446744073709551557ull);
        QVERIFY(j.at("environment").is_object());
        QCOMPARE(j.at("rows").size(), sampleRun().rows.size());
        const auto& row = j.at("rows").at(3);
        QCOMPARE(QString::fromStdString(row.at("status").get<std::string>()), QStringLiteral("error"));
        QVERIFY(row.at("candidate").at("latency").at("median_ms").is_number());
        // Non-finite doubles become strings rather than null.
        QCOMPARE(QString::fromStdString(j.at("rows").at(7).at("rel_error").get<std::string>()), QStringLiteral("NaN"));
        QCOMPARE(QString::fromStdString(j.at("rows").at(7).at("max_abs_error").get<std::string>()),
                 QStringLiteral("Infinity"));
        // Optional keys: "gpu" only on rows that know their GPU; shard and workers in the environment.
        QVERIFY(!j.at("rows").at(8).contains("gpu"));
        QCOMPARE(j.at("rows").at(9).at("gpu").at("index").get<int>(), 0);
        QCOMPARE(j.at("environment").at("shard").at("count").get<int>(), 3);
        QCOMPARE(j.at("environment").at("workers").get<std::string>(), std::string("0,1"));
        const auto plain = nlohmann::json::parse(runToJson(Run{}));
        QVERIFY(!plain.at("environment").contains("shard"));
        QVERIFY(!plain.at("environment").contains("workers"));
        QVERIFY(!plain.at("environment").contains("kernel_options"));   // none recorded: no key
        // kernel_options: per backend an object of strings, in the backend's own order (not sorted).
        const auto ordered = nlohmann::ordered_json::parse(runToJson(sampleRun()));
        const auto& eager = ordered.at("environment").at("kernel_options").at("cpu:eager");
        QCOMPARE(eager.begin().key(), std::string("threads"));
        QCOMPARE((++eager.begin()).key(), std::string("blas"));
        QCOMPARE(eager.at("threads").get<std::string>(), std::string("2"));
        QCOMPARE(ordered.at("environment").at("kernel_options").size(), size_t(2));
    }

    // The per-forward samples live in run.json (and the journal), in the order timed, exactly; the
    // interval, verdict, stop reason and timing order as optional keys.
    void samplesAndVerdictsRoundTrip() {
        Run run = sampleRun();
        run.rows[0].baseline.samplesMs = {1.25, 0.1 + 0.2, 3.000001, 1e-6};
        run.rows[0].candidate.samplesMs = {0.5};
        const std::string json = runToJson(run);
        const Run back = runFromJson(json, "samples.json");
        const std::string diff = diffRuns(run, back);
        QVERIFY2(diff.empty(), diff.c_str());
        const auto j = nlohmann::json::parse(json);
        const auto& row = j.at("rows").at(0);
        QCOMPARE(row.at("baseline").at("latency").at("samples_ms").size(), size_t(4));
        QCOMPARE(row.at("verdict").get<std::string>(), std::string("faster"));
        QCOMPARE(row.at("speedup_ci_pct").at(1).get<double>(), 42.125);
        QCOMPARE(row.at("timing").get<std::string>(), std::string("interleaved"));
        QCOMPARE(row.at("baseline").at("latency").at("stop").get<std::string>(), std::string("count"));
        // Rows without them carry no such keys (older readers see the file they knew).
        const auto& plain = j.at("rows").at(1);
        for (const char* key : {"verdict", "speedup_ci_pct", "timing"}) QVERIFY(!plain.contains(key));
        for (const char* key : {"samples_ms", "stop", "median_lo_ms", "noise_pct"})
            QVERIFY(!plain.at("baseline").at("latency").contains(key));
    }

    void badVerdictOrSamplesAreNamed() {
        auto j = nlohmann::json::parse(runToJson(sampleRun()));
        j["rows"][0]["verdict"] = "quicker";
        std::string message = testing::errorOf<FileFormatError>([&] { runFromJson(j.dump(), "v.json"); });
        QVERIFY2(message.find("rows[0].verdict: unknown verdict \"quicker\"") != std::string::npos, message.c_str());
        j = nlohmann::json::parse(runToJson(sampleRun()));
        j["rows"][2]["candidate"]["latency"]["samples_ms"] = {1.0, "x"};
        message = testing::errorOf<FileFormatError>([&] { runFromJson(j.dump(), "v.json"); });
        QVERIFY2(message.find("rows[2].candidate.latency.samples_ms[1]: expected a number") != std::string::npos,
                 message.c_str());
        j = nlohmann::json::parse(runToJson(sampleRun()));
        j["rows"][0]["speedup_ci_pct"] = {1.0};
        message = testing::errorOf<FileFormatError>([&] { runFromJson(j.dump(), "v.json"); });
        QVERIFY2(message.find("rows[0].speedup_ci_pct: expected [low, high]") != std::string::npos, message.c_str());
    }

    void badShardIsRefused() {
        auto j = nlohmann::json::parse(runToJson(sampleRun()));
        j["environment"]["shard"] = {{"index", 3}, {"count", 3}};
        const std::string message = testing::errorOf<FileFormatError>([&] { runFromJson(j.dump(), "s.json"); });
        QVERIFY2(message.find("environment.shard: expected 0 <= index < count, got 3/3") != std::string::npos,
                 message.c_str());
    }

    void emptyRunRoundTrips() {
        Run run;
        const Run back = runFromJson(runToJson(run), "empty.json");
        const std::string diff = diffRuns(run, back);
        QVERIFY2(diff.empty(), diff.c_str());
    }

    void missingOptionalFieldsGetDefaults() {
        const Run run = runFromJson(minimalRun(kMinimalRow), "min.json");
        const Run defaults;
        Diff d;
        diffSpec(d, defaults.spec, run.spec);
        diffEnvironment(d, defaults.environment, run.environment);
        QVERIFY2(d.empty(), d.text().c_str());
        QCOMPARE(run.rows.size(), size_t(1));
        const ResultRow& r = run.rows[0];
        QCOMPARE(r.cell.batchSize, 2);
        QCOMPARE(r.cell.seqLen, 64);
        QCOMPARE(r.cell.pad, 0.5);
        QCOMPARE(QString::fromStdString(r.candidate.backend), QStringLiteral("cpu:sdpa"));
        const ResultRow def;
        QCOMPARE(r.candidate.hasStats, def.candidate.hasStats);
        QCOMPARE(r.candidate.latency.medianMs, 0.0);
        QCOMPARE(r.maxAbsError, def.maxAbsError);
        QCOMPARE(r.useMask, def.useMask);
        QVERIFY(r.message.empty());
        // compile_ms is optional: a row without it was not compiled.
        QCOMPARE(r.candidate.compileMs, -1.0);
    }

    void compileTimeIsWrittenOnlyWhenMeasured() {
        Run run = sampleRun();
        const std::string text = runToJson(run);
        QVERIFY(text.find("\"compile_ms\": 12345.25") != std::string::npos ||
                text.find("\"compile_ms\":12345.25") != std::string::npos);
        // Rows without a compile time carry no key (older readers see the file they expect).
        size_t count = 0;
        for (size_t at = text.find("compile_ms"); at != std::string::npos; at = text.find("compile_ms", at + 1)) ++count;
        QCOMPARE(count, size_t(2));   // row 9's baseline (0) and candidate
    }

    void integralFloatsAreIntegers() {
        std::string row = kMinimalRow;
        row.replace(row.find("\"batch_size\":2"), 14, "\"batch_size\":2.0");
        QCOMPARE(runFromJson(minimalRun(row), "f.json").rows[0].cell.batchSize, 2);
    }

    void malformed_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");   // fragments separated by '|'
        const std::string full = runToJson(sampleRun());
        auto row = [](const std::string& from, const std::string& to) {
            std::string r = kMinimalRow;
            r.replace(r.find(from), from.size(), to);
            return QString::fromStdString(minimalRun(std::string(kMinimalRow) + "," + r));
        };
        QTest::newRow("truncated") << QString::fromStdString(full.substr(0, full.size() / 2))
                                   << "run.json: not valid JSON|parse error";
        QTest::newRow("empty") << "" << "run.json: not valid JSON";
        QTest::newRow("array") << "[1, 2]" << "run.json: expected a JSON object";
        QTest::newRow("number") << "42" << "expected a JSON object";
        QTest::newRow("no format") << R"({"version":1,"rows":[]})" << "run.json: format: required field is missing";
        QTest::newRow("other format") << R"({"format":"x","version":1,"rows":[]})"
                                      << "format: expected \"bertbench-run\", got \"x\"";
        QTest::newRow("version 3") << R"({"format":"bertbench-run","version":3,"rows":[]})"
                                   << "version: unsupported version 3";
        QTest::newRow("version string") << R"({"format":"bertbench-run","version":"1","rows":[]})"
                                        << "version: expected an integer, got \"1\"";
        QTest::newRow("no rows") << R"({"format":"bertbench-run","version":1})" << "rows: required field is missing";
        QTest::newRow("rows object") << R"({"format":"bertbench-run","version":1,"rows":{}})"
                                     << "rows: expected an array, got {}";
        QTest::newRow("row not object") << QString::fromStdString(minimalRun("3")) << "rows[0]: expected an object, got 3";
        QTest::newRow("latency string")
            << row("\"candidate\":{\"backend\":\"cpu:sdpa\"}",
                   "\"candidate\":{\"backend\":\"cpu:sdpa\",\"latency\":{\"median_ms\":\"fast\"}}")
            << "run.json: rows[1].candidate.latency.median_ms: expected a number, got \"fast\"";
        QTest::newRow("latency not object")
            << row("\"candidate\":{\"backend\":\"cpu:sdpa\"}", "\"candidate\":{\"backend\":\"cpu:sdpa\",\"latency\":[]}")
            << "rows[1].candidate.latency: expected an object";
        QTest::newRow("bad task") << row("\"encoder\"", "\"mlmx\"") << "rows[1].task: unknown task \"mlmx\"|allowed";
        QTest::newRow("bad status") << row("\"ok\"", "\"fine\"") << "rows[1].status: unknown status \"fine\"";
        QTest::newRow("status number") << row("\"ok\"", "1") << "rows[1].status: expected a string, got 1";
        QTest::newRow("batch string") << row("\"batch_size\":2", "\"batch_size\":\"2\"")
                                      << "rows[1].batch_size: expected an integer, got \"2\"";
        QTest::newRow("batch fraction") << row("\"batch_size\":2", "\"batch_size\":2.5")
                                        << "rows[1].batch_size: expected an integer, got 2.5";
        QTest::newRow("batch huge") << row("\"batch_size\":2", "\"batch_size\":1e12") << "rows[1].batch_size: expected an integer from";
        QTest::newRow("bool as int") << row("\"status\"", "\"is_cuda\":1,\"status\"") << "rows[1].is_cuda: expected true or false, got 1";
        QTest::newRow("missing backend") << row("{\"backend\":\"cpu:eager\"}", "{}")
                                         << "rows[1].baseline.backend: required field is missing";
        QTest::newRow("missing candidate") << row(",\"candidate\":{\"backend\":\"cpu:sdpa\"}", "")
                                           << "rows[1].candidate: required field is missing";
        QTest::newRow("message number") << row("\"status\"", "\"message\":7,\"status\"") << "rows[1].message: expected a string";
        QTest::newRow("spec bad type")
            << R"({"format":"bertbench-run","version":1,"spec":{"batch_sizes":[1,"x"]},"rows":[]})"
            << "run.json: spec.batch_sizes[1]: expected an integer, got \"x\"";
        QTest::newRow("spec bad dtype") << R"({"format":"bertbench-run","version":1,"spec":{"dtype":"fp4"},"rows":[]})"
                                        << "spec.dtype: unknown dtype \"fp4\"";
        QTest::newRow("spec not object") << R"({"format":"bertbench-run","version":1,"spec":[],"rows":[]})"
                                         << "spec: expected a JSON object";
        QTest::newRow("environment type") << R"({"format":"bertbench-run","version":1,"environment":{"host":1},"rows":[]})"
                                          << "environment.host: expected a string, got 1";
        QTest::newRow("kernel_options type")
            << R"({"format":"bertbench-run","version":2,"environment":{"kernel_options":[]},"rows":[]})"
            << "environment.kernel_options: expected an object, got []";
        QTest::newRow("kernel_options backend")
            << R"({"format":"bertbench-run","version":2,"environment":{"kernel_options":{"cpu:eager":"2"}},"rows":[]})"
            << "environment.kernel_options.cpu:eager: expected an object, got \"2\"";
        QTest::newRow("kernel_options value")
            << R"({"format":"bertbench-run","version":2,"environment":{"kernel_options":{"cpu:eager":{"threads":2}}},"rows":[]})"
            << "environment.kernel_options.cpu:eager.threads: expected a string, got 2";
        QTest::newRow("kernel_options name")
            << R"({"format":"bertbench-run","version":2,"environment":{"kernel_options":{"cpu:eager":{"":"x"}}},"rows":[]})"
            << "environment.kernel_options.cpu:eager: an option name is empty";
    }
    void malformed() {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        const std::string msg = formatErrorOf([&] { runFromJson(text.toStdString(), "run.json"); });
        for (const QString& fragment : expected.split('|'))
            QVERIFY2(msg.find(fragment.toStdString()) != std::string::npos,
                     notIn(fragment.toStdString(), msg).c_str());
    }

    void unknownKeysAreIgnored() {
        const std::string text =
            R"({"format":"bertbench-run","version":1,"future":true,"spec":{"later":1},"environment":{"x":"y"},"rows":[]})";
        QVERIFY(runFromJson(text, "f.json").rows.empty());
    }

    void writeAndReadFile() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string path = dir.filePath("run.json").toStdString();
        const Run run = sampleRun();
        writeRunJson(run, path);
        QCOMPARE(filesIn(dir.path().toStdString()), std::vector<std::string>{"run.json"});
        const Run back = readRunFile(path);
        const std::string diff = diffRuns(run, back);
        QVERIFY2(diff.empty(), diff.c_str());
    }

    void detectFormatByContent() {
        const Run run = sampleRun();
        QCOMPARE(detectFormat(runToJson(run)), RunFileFormat::NativeJson);
        QCOMPARE(detectFormat("\xEF\xBB\xBF  \n{}"), RunFileFormat::NativeJson);
        QCOMPARE(detectFormat(runToNativeCsv(run)), RunFileFormat::NativeCsv);
        QCOMPARE(detectFormat("status,candidate,task,baseline\r\n"), RunFileFormat::NativeCsv);
        QCOMPARE(detectFormat(rowsToSeedCsv(run.rows)), RunFileFormat::SeedCsv);
        QCOMPARE(detectFormat(std::string(kSeedCsvHeader) + "\r\n"), RunFileFormat::SeedCsv);
        for (const char* bad : {"", "   \n", "hello,world\n1,2\n", "[1,2]", "\"unterminated"}) {
            const std::string msg = formatErrorOf([&] { detectFormat(bad); });
            QVERIFY2(msg.rfind("NO EXCEPTION", 0) != 0 && msg.rfind("WRONG", 0) != 0, msg.c_str());
        }
    }

    void readRunFileSniffsContentNotExtension() {
        QTemporaryDir dir;
        const Run run = sampleRun();
        // JSON in a .csv file and CSV in a .json file are both read by what they hold.
        const std::string jsonPath = dir.filePath("looks_like.csv").toStdString();
        const std::string csvPath = dir.filePath("looks_like.json").toStdString();
        writeText(jsonPath, runToJson(run));
        writeText(csvPath, runToNativeCsv(run));
        QVERIFY(diffRuns(run, readRunFile(jsonPath)).empty());
        Diff d;
        diffRows(d, run.rows, readRunFile(csvPath).rows);
        QVERIFY2(d.empty(), d.text().c_str());

        const std::string junk = dir.filePath("junk.txt").toStdString();
        writeText(junk, "just some text\n");
        const std::string msg = formatErrorOf([&] { readRunFile(junk); });
        QVERIFY2(msg.find(junk) != std::string::npos && msg.find("not a BertBench run") != std::string::npos, msg.c_str());
    }

    void readRunFileErrorsNameTheFile() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("broken.json").toStdString();
        writeText(path, minimalRun(R"({"task":"encoder"})"));
        const std::string msg = formatErrorOf([&] { readRunFile(path); });
        QVERIFY2(msg.find(path + ": rows[0].batch_size: required field is missing") != std::string::npos, msg.c_str());

        const std::string missing = dir.filePath("missing.json").toStdString();
        try {
            readRunFile(missing);
            QFAIL("no exception");
        } catch (const InputError& e) {
            const std::string m = e.what();
            QVERIFY2(m.find(missing) != std::string::npos && m.find("No such file") != std::string::npos, m.c_str());
        }
    }

    void atomicWriteReplacesTargetAndLeavesNoTempFiles() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("out.txt").toStdString();
        writeFileAtomic(path, "first version, longer than the second\n");
        QCOMPARE(QString::fromStdString(readTextFile(path)), QStringLiteral("first version, longer than the second\n"));
        ::chmod(path.c_str(), 0640);
        writeFileAtomic(path, "second");
        QCOMPARE(QString::fromStdString(readTextFile(path)), QStringLiteral("second"));
        struct stat st {};
        QCOMPARE(::stat(path.c_str(), &st), 0);
        QCOMPARE(int(st.st_mode & 0777), 0640);   // the replaced file's permissions are kept
        writeFileAtomic(path, "");
        QCOMPARE(QString::fromStdString(readTextFile(path)), QString());
        std::string big(3 << 20, 'x');
        big[12345] = '\0';
        writeFileAtomic(path, big);
        QVERIFY(readTextFile(path) == big);
        QCOMPARE(filesIn(dir.path().toStdString()), std::vector<std::string>{"out.txt"});
    }

    void atomicWriteErrorsNamePathAndReason() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("no/such/folder/out.txt").toStdString();
        try {
            writeFileAtomic(path, "x");
            QFAIL("no exception");
        } catch (const InputError& e) {
            const std::string m = e.what();
            QVERIFY2(m.find(path) != std::string::npos && m.find("No such file or directory") != std::string::npos,
                     m.c_str());
        }
        // A folder in the way of the rename: the error names it and no temp file stays behind.
        const std::string folder = dir.filePath("taken").toStdString();
        QVERIFY(QDir().mkdir(QString::fromStdString(folder)));
        QDir(QString::fromStdString(folder)).mkdir("inside");
        QVERIFY_THROWS_EXCEPTION(InputError, writeFileAtomic(folder, "x"));
        QCOMPARE(filesIn(dir.path().toStdString()), std::vector<std::string>{"taken"});
    }

    void readTextFileLimits() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("f.txt").toStdString();
        writeFileAtomic(path, std::string(100, 'a'));
        QCOMPARE(readTextFile(path, 100).size(), size_t(100));
        try {
            readTextFile(path, 99);
            QFAIL("no exception");
        } catch (const InputError& e) {
            const std::string m = e.what();
            QVERIFY2(m.find(path) != std::string::npos && m.find("limit") != std::string::npos, m.c_str());
        }
        QVERIFY_THROWS_EXCEPTION(InputError, readTextFile(dir.path().toStdString()));
    }
};

QTEST_GUILESS_MAIN(RunJsonTest)
#include "test_run_json.moc"
