// Kernel options between runs: the one-line text, and which options differ (only between runs that
// recorded the backend; options a run lacks are "(not set)").
#include <QtTest>

#include "core/sweep/KernelOptionDifferences.h"

using namespace bertbench;

namespace {

Environment withOptions(std::map<std::string, std::vector<KernelOption>> options) {
    Environment env;
    env.kernelOptions = std::move(options);
    return env;
}

} // namespace

class KernelOptionsTest : public QObject {
    Q_OBJECT
private slots:
    void oneLineKeepsTheOrder() {
        QCOMPARE(kernelOptionsLine({{"threads", "2"}, {"blas", "OpenBLAS 0.3.21, core Haswell"}}),
                 std::string("threads=2; blas=OpenBLAS 0.3.21, core Haswell"));
        QCOMPARE(kernelOptionsLine({}), std::string());
    }

    void sameOptionsDifferInNothing() {
        const Environment a = withOptions({{"cpu:eager", {{"threads", "2"}}}});
        QVERIFY(kernelOptionDifferences({&a, &a}).empty());
    }

    void aChangedValueIsNamedWithEveryRunsValue() {
        const Environment a = withOptions({{"cuda:sdpa", {{"attention_kernel", "hopper_sm90a"}, {"pdl", "on"}}},
                                           {"cuda:eager", {{"pdl", "on"}}}});
        const Environment b = withOptions({{"cuda:sdpa", {{"attention_kernel", "hopper_sm90a"}, {"pdl", "off"}}},
                                           {"cuda:eager", {{"pdl", "on"}}}});
        const Environment c = withOptions({{"cuda:sdpa", {{"attention_kernel", "hopper_sm90a"}, {"pdl", "on"}}}});
        const auto diffs = kernelOptionDifferences({&a, &b, &c});
        QCOMPARE(diffs.size(), size_t(1));
        QCOMPARE(diffs[0].backend, std::string("cuda:sdpa"));
        QCOMPARE(diffs[0].option, std::string("pdl"));
        QCOMPARE(diffs[0].values.size(), size_t(3));
        QCOMPARE(diffs[0].values[1].first, size_t(1));
        QCOMPARE(diffs[0].values[1].second, std::string("off"));
    }

    void aMissingOptionIsNotSetButAMissingBackendIsNotCompared() {
        const Environment a = withOptions({{"cpu:eager", {{"threads", "2"}, {"blas", "OpenBLAS"}}},
                                           {"cpu:sdpa", {{"threads", "2"}}}});
        const Environment b = withOptions({{"cpu:eager", {{"threads", "2"}}}});
        const Environment old;   // a file from before kernel_options
        const auto diffs = kernelOptionDifferences({&a, &b, &old});
        QCOMPARE(diffs.size(), size_t(1));
        QCOMPARE(diffs[0].option, std::string("blas"));
        QCOMPARE(diffs[0].values.size(), size_t(2));   // the old file takes no part
        QCOMPARE(diffs[0].values[1].second, std::string("(not set)"));
    }
};

QTEST_GUILESS_MAIN(KernelOptionsTest)
#include "test_kernel_options.moc"
