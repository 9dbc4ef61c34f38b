// Each fused kernel against its CPU twin (fresh random inputs, poisoned outputs), all dtypes:
// the same checks `bertbench-cli verify` prints. Skips without a GPU.
#include <QtTest>

#include "kernels/CudaTestSupport.h"
#include "kernels/verify/KernelChecks.h"

using namespace bertbench;

class KernelChecksTest : public QObject {
    Q_OBJECT
private slots:
    void everyKernelMatchesItsCpuTwin() {
        BB_REQUIRE_GPU();
        const auto checks = cuda::runKernelChecks(uint64_t(QDateTime::currentMSecsSinceEpoch()));
        QVERIFY(checks.size() > 20);
        for (const auto& c : checks) {
            const QString what = QStringLiteral("%1 %2: rel L2 %3 (tolerance %4) %5")
                                     .arg(QString::fromStdString(c.name), QString::fromStdString(toString(c.dtype)))
                                     .arg(c.relL2)
                                     .arg(c.tolerance)
                                     .arg(QString::fromStdString(c.failure));
            QVERIFY2(c.pass, qPrintable(what));
        }
    }
};

QTEST_GUILESS_MAIN(KernelChecksTest)
#include "test_kernel_checks.moc"
