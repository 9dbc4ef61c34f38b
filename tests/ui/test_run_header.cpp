// The run header's kernel options: a real tiny CPU sweep's options shown one line per backend,
// elided to the window with all of it in the tooltip; hidden for a file without them.
// BERTBENCH_SCREENSHOTS=DIR also writes the window with them (run-header-kernel-options.png).
#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include "UiTestSupport.h"
#include "core/results/RunFiles.h"
#include "core/sweep/SweepRunner.h"
#include "ui/widgets/KernelOptionsLabel.h"
#include "ui/widgets/MainWindow.h"
#include "ui/widgets/RunView.h"

using namespace bertbench;
using namespace bertbench::ui;

namespace {

// A tiny CPU sweep, measured here: its options are what this machine's CPU backends report.
Run measuredTinyRun(const BackendRegistry& registry) {
    SweepSpec spec = test::tinySpec();
    spec.seqLens = {16};
    spec.pads = {0.0};
    spec.warmup = 1;
    spec.numBatches = 3;
    SweepObserver quiet;
    std::atomic<bool> cancel{false};
    SweepRunner runner(registry);
    return runner.run(spec, quiet, cancel);
}

} // namespace

class TestRunHeader : public QObject {
    Q_OBJECT
    BackendRegistry registry_ = test::cpuRegistry();

private slots:
    void initTestCase() { test::useTestSettings(); }

    void kernelOptionsShowOneElidedLinePerBackend() {
        QTemporaryDir dir;
        const Run run = measuredTinyRun(registry_);
        QCOMPARE(run.environment.kernelOptions.size(), size_t(3));
        const QString path = dir.filePath("run.json");
        writeRunJson(run, path.toStdString());

        MainWindow window(AppContext{&registry_, {}, loadWeightsFor});
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QStringList errors;
        QCOMPARE(window.openFiles({path}, &errors).size(), 1);
        QVERIFY2(errors.isEmpty(), qPrintable(errors.join('\n')));
        RunView* view = window.currentRunView();
        view->refreshNow();
        auto* label = view->findChild<KernelOptionsLabel*>(QStringLiteral("kernelOptions"));
        QVERIFY(label);
        QVERIFY(label->isVisible());
        QCOMPARE(label->fullLines().size(), 3);
        QVERIFY(label->fullLines()[0].startsWith(QStringLiteral("cpu:eager")));
        QVERIFY(label->fullLines()[0].contains(QStringLiteral("threads=")));
        QCOMPARE(label->text().count(QLatin1Char('\n')), 2);   // one line per backend
        // The tooltip holds every value in full, the BLAS string included.
        for (const KernelOption& o : run.environment.kernelOptions.at("cpu:eager"))
            QVERIFY2(label->toolTip().contains(QString::fromStdString(o.value).toHtmlEscaped()), o.name.c_str());

        if (const QString out = qEnvironmentVariable("BERTBENCH_SCREENSHOTS"); !out.isEmpty()) {
            QDir().mkpath(out);
            QTest::qWait(200);
            QVERIFY(window.grab().save(QDir(out).filePath("run-header-kernel-options.png")));
        }

        // Narrower than a line: elided, never widening the view.
        window.resize(700, 900);
        QTest::qWait(50);
        QApplication::processEvents();
        QVERIFY2(label->text().contains(QChar(0x2026)), qPrintable(label->text()));
        QVERIFY(label->width() <= view->width());
    }

    void aFileWithoutKernelOptionsShowsNone() {
        QTemporaryDir dir;
        Run run = measuredTinyRun(registry_);
        run.environment.kernelOptions.clear();   // as a file from before kernel_options
        const QString path = dir.filePath("old.json");
        writeRunJson(run, path.toStdString());
        MainWindow window(AppContext{&registry_, {}, loadWeightsFor});
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.openFiles({path}).size(), 1);
        auto* label = window.currentRunView()->findChild<KernelOptionsLabel*>(QStringLiteral("kernelOptions"));
        QVERIFY(label);
        QVERIFY(!label->isVisible());
        QVERIFY(label->fullLines().isEmpty());
    }
};

QTEST_MAIN(TestRunHeader)
#include "test_run_header.moc"
