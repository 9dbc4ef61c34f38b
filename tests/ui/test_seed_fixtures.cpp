// Opening the old script's CSVs: the sdpa and flash_attention_2 files of a task, opened
// together, become one run with two candidates, and the heatmaps show the files' numbers.
#include <QDir>
#include <QFile>
#include <QTemporaryFile>
#include <QSignalSpy>
#include <QTest>
#include <cmath>

#include "UiTestSupport.h"
#include "ui/models/HeatmapGridModel.h"
#include "ui/models/ResultsTableModel.h"
#include "ui/models/RunDocument.h"
#include "ui/widgets/MainWindow.h"
#include "ui/widgets/RunView.h"

using namespace bertbench;
using namespace bertbench::ui;

namespace {

struct SeedLine {
    int batch, seq;
    double pad, speedup, memSaved;
};

// Reads the CSV on its own (not through core), so the test checks the file's numbers.
std::vector<SeedLine> readSeed(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) qFatal("cannot open %s", qPrintable(path));
    std::vector<SeedLine> lines;
    f.readLine();   // header
    while (!f.atEnd()) {
        const QList<QByteArray> c = f.readLine().trimmed().split(',');
        if (c.size() != 13) continue;
        lines.push_back({c[1].toInt(), c[2].toInt(), c[6].toDouble(), c[9].toDouble(), c[12].toDouble()});
    }
    return lines;
}

} // namespace

class TestSeedFixtures : public QObject {
    Q_OBJECT
    BackendRegistry registry_ = test::cpuRegistry();

private slots:
    void initTestCase() { test::useTestSettings(); }

    void twoFilesOfOneTaskAreTwoCandidatesInOneView() {
        MainWindow window(AppContext{&registry_, {}, loadWeightsFor});
        const QString sdpa = test::seedCsv("log_Bert_sdpa_mlm.csv");
        const QString flash = test::seedCsv("log_Bert_flash_attention_2_mlm.csv");
        QStringList errors;
        const QList<RunView*> views = window.openFiles({sdpa, flash}, &errors);
        QVERIFY2(errors.isEmpty(), qPrintable(errors.join('\n')));
        QCOMPARE(views.size(), 1);
        RunView* view = views.front();
        QCOMPARE(view->axes().candidates, (std::vector<std::string>{"torch:sdpa", "torch:flash_attention_2"}));
        QCOMPARE(view->axes().seqLens, (std::vector<int>{128, 256, 512}));
        QCOMPARE(view->axes().batchSizes.size(), size_t(8));
        QCOMPARE(view->axes().pads.size(), size_t(5));
        QCOMPARE(view->tableModel()->rowCount(), 240);
        QVERIFY(window.recentFiles().contains(QDir::cleanPath(sdpa)));

        for (const auto& [path, candidate] : {std::pair{sdpa, std::string("torch:sdpa")},
                                              std::pair{flash, std::string("torch:flash_attention_2")}}) {
            view->setCandidate(candidate);
            int checked = 0;
            for (const SeedLine& line : readSeed(path)) {
                const auto& axes = view->axes();
                const int s = int(std::find(axes.seqLens.begin(), axes.seqLens.end(), line.seq) - axes.seqLens.begin());
                const int x = int(std::find(axes.batchSizes.begin(), axes.batchSizes.end(), line.batch) - axes.batchSizes.begin());
                int y = 0;
                while (std::fabs(axes.pads[size_t(y)] - line.pad) > 1e-9) ++y;
                const double speedup = view->heatmapModel(s, Metric::Speedup)->index(y, x).data(HeatmapGridModel::ValueRole).toDouble();
                const double memory = view->heatmapModel(s, Metric::MemorySaved)->index(y, x).data(HeatmapGridModel::ValueRole).toDouble();
                // The heatmap derives both from the latencies and peaks; the file's own columns
                // agree to its rounding (3 decimals of ms and MB).
                QVERIFY2(std::fabs(speedup - line.speedup) < 0.05,
                         qPrintable(QString("%1 b%2 s%3 p%4: %5 vs %6").arg(path).arg(line.batch).arg(line.seq).arg(line.pad).arg(speedup).arg(line.speedup)));
                QVERIFY(std::fabs(memory - line.memSaved) < 0.01);
                ++checked;
            }
            QCOMPARE(checked, 120);
        }
    }

    void fourFilesOfTwoTasksOpenAsOneRun() {
        MainWindow window(AppContext{&registry_, {}, loadWeightsFor});
        QStringList errors;
        const QList<RunView*> views = window.openFiles(
            {test::seedCsv("log_Bert_sdpa_mlm.csv"), test::seedCsv("log_Bert_flash_attention_2_mlm.csv"),
             test::seedCsv("log_Bert_sdpa_classification.csv"), test::seedCsv("log_Bert_flash_attention_2_classification.csv")},
            &errors);
        QVERIFY(errors.isEmpty());
        QCOMPARE(views.size(), 1);
        QCOMPARE(views.front()->axes().tasks, (std::vector<Task>{Task::Encoder, Task::Classification}));
        views.front()->setTask(Task::Classification);
        views.front()->setCandidate("torch:sdpa");
        // First line of log_Bert_sdpa_classification.csv: batch 1, seq 128, pad 0, speedup 25.915.
        const double v = views.front()->heatmapModel(0, Metric::Speedup)->index(0, 0).data(HeatmapGridModel::ValueRole).toDouble();
        QVERIFY2(std::fabs(v - 25.915) < 0.05, qPrintable(QString::number(v)));
    }

    void aBadFileIsReportedAndTheOthersStillOpen() {
        MainWindow window(AppContext{&registry_, {}, loadWeightsFor});
        QTemporaryFile bad;
        QVERIFY(bad.open());
        bad.write("this is not a run\n");
        bad.close();
        QStringList errors;
        const QList<RunView*> views = window.openFiles({bad.fileName(), test::seedCsv("log_Bert_sdpa_mlm.csv")}, &errors);
        QCOMPARE(views.size(), 1);
        QCOMPARE(errors.size(), 1);
    }
};

QTEST_MAIN(TestSeedFixtures)
#include "test_seed_fixtures.moc"
