// Two runs made with different kernel paths are told apart: two tiny CPU sweeps differing only in
// --threads record different kernel_options in run.json, and `summary` on both names the difference.
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <sstream>

#include "app/CliTestSupport.h"
#include "core/results/RunFiles.h"

using namespace bertbench;
using namespace bertbench::cli;
using namespace bertbench::cli::test;

namespace {

QString notIn(const std::string& part, const std::string& text) {
    return QStringLiteral("'%1' not in:\n%2").arg(QString::fromStdString(part), QString::fromStdString(text));
}
#define EXPECT_CONTAINS(text, part) QVERIFY2(contains(text, part), qPrintable(notIn(part, text)))

CliResult tinyRun(const std::string& out, const std::string& threads) {
    return runCliCaptured({"run", "--device", "cpu", "--model", "tiny", "--batch-size", "2", "--max-seqlen", "32",
                           "--avg-seqlen", "16", "--num-batches", "2", "--warmup", "1", "--threads", threads,
                           "--quiet", "--out", out});
}

std::string readText(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string optionOf(const Run& run, const std::string& backend, const std::string& name) {
    for (const KernelOption& o : run.environment.kernelOptions.at(backend))
        if (o.name == name) return o.value;
    return "(absent)";
}

} // namespace

class TestCliKernelOptions : public QObject {
    Q_OBJECT
private slots:
    void runsWithDifferentThreadsDifferInKernelOptions() {
        QTemporaryDir tmp;
        const std::string a = tmp.filePath("one-thread").toStdString();
        const std::string b = tmp.filePath("two-threads").toStdString();
        const CliResult ra = tinyRun(a, "1");
        QVERIFY2(ra.code == kExitOk, ra.err.c_str());
        const CliResult rb = tinyRun(b, "2");
        QVERIFY2(rb.code == kExitOk, rb.err.c_str());

        // run.json: environment.kernel_options per backend, the thread count among them.
        EXPECT_CONTAINS(readText(a + "/run.json"), "\"kernel_options\"");
        const Run runA = readRunFile(a + "/run.json"), runB = readRunFile(b + "/run.json");
        for (const char* backend : {"cpu:eager", "cpu:sdpa"}) {
            QCOMPARE(optionOf(runA, backend, "threads"), std::string("1"));
            QCOMPARE(optionOf(runB, backend, "threads"), std::string("2"));
            QVERIFY(optionOf(runA, backend, "blas") != "(absent)");
            QCOMPARE(optionOf(runA, backend, "blas"), optionOf(runB, backend, "blas"));
        }
        QVERIFY(contains(optionOf(runA, "cpu:sdpa", "attention"), "sdpa"));
        QVERIFY(runA.environment.kernelOptions != runB.environment.kernelOptions);

        // summary: each run's options under its header, then the difference named with both values.
        const CliResult s = runCliCaptured({"summary", a, b});
        QVERIFY2(s.code == kExitOk, s.err.c_str());
        EXPECT_CONTAINS(s.out, "Kernel options:\n  cpu:eager  attention=eager: ");
        EXPECT_CONTAINS(s.out, "; threads=1; blas=");
        EXPECT_CONTAINS(s.out, "kernel options differ: cpu:eager threads: 1 (" + a + ") vs 2 (" + b + ")");
        EXPECT_CONTAINS(s.out, "kernel options differ: cpu:sdpa threads: 1 (" + a + ") vs 2 (" + b + ")");
        QVERIFY2(!contains(s.out, "differ: cpu:eager blas"), s.out.c_str());   // the same library in both

        // The same run twice: nothing differs, and it says so.
        const CliResult same = runCliCaptured({"summary", a, a});
        QVERIFY2(!contains(same.out, "kernel options differ"), same.out.c_str());
        EXPECT_CONTAINS(same.out, "Kernel options: the same in every run that recorded them");
    }
};

QTEST_GUILESS_MAIN(TestCliKernelOptions)
#include "test_cli_kernel_options.moc"
