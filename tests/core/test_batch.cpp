// Batch generation semantics (docs/ARCHITECTURE.md): seeded lengths ~ Normal((1 − pad)·max, stdev),
// toward zero, clamped to [1, max]; ids in [1, vocab − 2] on real positions, 0 on padding.
#include <QtTest>

#include <cmath>

#include "core/batch/Batch.h"
#include "core/util/Errors.h"

using namespace bertbench;

class BatchTest : public QObject {
    Q_OBJECT
private slots:
    void sameSeedSameBatch() {
        BatchSpec s{8, 128, 0.5, 10, 30522, 42};
        const Batch a = makeBatch(s), b = makeBatch(s);
        QCOMPARE(a.lengths, b.lengths);
        QCOMPARE(a.inputIds, b.inputIds);
        s.seed = 43;
        QVERIFY(makeBatch(s).inputIds != a.inputIds);
    }

    void lengthStatisticsFollowThePadFraction() {
        BatchSpec s{4096, 512, 0.5, 10, 30522, 7};
        const Batch b = makeBatch(s);
        double sum = 0, sum2 = 0;
        for (int len : b.lengths) {
            sum += len;
            sum2 += double(len) * len;
        }
        const double mean = sum / b.batchSize;
        const double stdev = std::sqrt(sum2 / b.batchSize - mean * mean);
        // Truncation toward zero lowers the mean by ~0.5.
        QVERIFY2(std::fabs(mean - 255.5) < 1.0, qPrintable(QString::number(mean)));
        QVERIFY2(std::fabs(stdev - 10.0) < 0.6, qPrintable(QString::number(stdev)));
    }

    void lengthsAreClampedToOneAndMax() {
        const Batch full = makeBatch({256, 64, 0.0, 10, 100, 1});
        int atMax = 0;
        for (int len : full.lengths) {
            QVERIFY(len >= 1 && len <= 64);
            atMax += len == 64;
        }
        QVERIFY(atMax > 100);  // half the draws land above max and are clamped
        const Batch tiny = makeBatch({256, 16, 0.99, 50, 100, 1});
        for (int len : tiny.lengths) QVERIFY(len >= 1 && len <= 16);
    }

    void idsAndMaskMatchTheLengths() {
        const Batch b = makeBatch({16, 100, 0.3, 20, 50, 3});
        QCOMPARE(int(b.inputIds.size()), 16 * 100);
        for (int r = 0; r < b.batchSize; ++r)
            for (int p = 0; p < b.maxSeqLen; ++p) {
                const size_t i = size_t(r) * 100 + size_t(p);
                if (p < b.lengths[size_t(r)]) {
                    QVERIFY(b.inputIds[i] >= 1 && b.inputIds[i] <= 48);
                    QCOMPARE(b.attentionMask[i], 1);
                } else {
                    QCOMPARE(b.inputIds[i], 0);
                    QCOMPARE(b.attentionMask[i], 0);
                }
                QCOMPARE(b.tokenTypeIds[i], 0);
            }
        int64_t real = 0;
        for (int len : b.lengths) real += len;
        QCOMPARE(b.realTokens(), real);
    }

    void zeroStdevGivesExactLengths() {
        const Batch b = makeBatch({5, 128, 0.25, 0, 30522, 9});
        for (int len : b.lengths) QCOMPARE(len, 96);
    }

    void invalidSpecsAreRefused() {
        QVERIFY_THROWS_EXCEPTION(InputError, makeBatch({0, 128, 0, 10, 30522, 0}));
        QVERIFY_THROWS_EXCEPTION(InputError, makeBatch({1, 0, 0, 10, 30522, 0}));
    }
};

QTEST_GUILESS_MAIN(BatchTest)
#include "test_batch.moc"
