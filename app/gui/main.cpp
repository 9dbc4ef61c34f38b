// bertbench: the workbench GUI. Without a display (no DISPLAY / WAYLAND_DISPLAY, or the
// "offscreen" platform) it runs the quick CPU demo sweep headless instead and writes its
// CSVs and figures into ./bertbench-runs/<timestamp>/, so the README's main command works
// anywhere. Debug options take screenshots for docs/screenshots.
#include <QApplication>
#include <QCommandLineParser>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QTimer>
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <iostream>

#include "app/common/Backends.h"
#include "app/common/Gpus.h"
#include "core/results/RunFiles.h"
#include "core/sweep/SpecJson.h"
#include "core/sweep/SweepRunner.h"
#include "ui/models/RowText.h"
#include "ui/report/ReportRenderer.h"
#include "ui/runner/SweepWorker.h"
#include "ui/widgets/CompareView.h"
#include "ui/widgets/MainWindow.h"
#include "ui/widgets/RunSettingsSection.h"
#include "ui/widgets/RunView.h"
#include "ui/widgets/SpecPresets.h"
#include "ui/widgets/SweepPanel.h"

using namespace bertbench;

namespace {

std::string joinModels(const SweepSpec& spec) {
    std::string s;
    for (const std::string& m : spec.models) s += (s.empty() ? "" : ", ") + m;
    return s;
}

bool hasFlag(int argc, char** argv, const char* flag) {
    for (int i = 1; i < argc; ++i)
        if (std::strcmp(argv[i], flag) == 0) return true;
    return false;
}

// Decided before QApplication exists: the platform plugin is chosen at construction.
bool shouldRunHeadless(int argc, char** argv) {
    if (hasFlag(argc, argv, "--headless")) return true;
    if (hasFlag(argc, argv, "--gui")) return false;
    const QByteArray platform = qgetenv("QT_QPA_PLATFORM");
    if (platform.startsWith("offscreen") || platform.startsWith("minimal")) return true;
    if (!platform.isEmpty()) return false;   // the user chose a platform (eglfs, vnc, ...)
    return qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
}

class PrintingObserver : public SweepObserver {
public:
    void cellStarted(const Cell& cell, int index, int total) override {
        std::printf("[%2d/%d] %s batch %d, seq len %d, pad %s\n", index + 1, total, toString(cell.task).c_str(),
                    cell.batchSize, cell.seqLen, ui::padLabel(cell.pad).toUtf8().constData());
        std::fflush(stdout);
    }
    void rowReady(const ResultRow& row) override {
        if (row.status == RowStatus::Ok)
            std::printf("        %-24s speedup %+7.1f %%, memory saved %+6.1f %%\n", row.candidate.backend.c_str(),
                        row.speedupPercent(), row.memorySavedPercent());
        else
            std::printf("        %-24s %s %s\n", row.candidate.backend.c_str(), toString(row.status).c_str(),
                        row.message.c_str());
    }
};

int runHeadless(QCommandLineParser& args) {
    SweepSpec spec = ui::defaultSpec();
    try {
        if (args.isSet(QStringLiteral("spec"))) spec = loadSpecFile(args.value(QStringLiteral("spec")).toStdString());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bertbench: %s\n", e.what());
        return 2;
    }
    const QString out = args.isSet(QStringLiteral("out"))
                            ? args.value(QStringLiteral("out"))
                            : QDir(QStringLiteral("bertbench-runs"))
                                  .filePath(QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd_HH-mm-ss")));
    std::printf("BertBench %s: no display, so running the quick sweep headless (the GUI needs a display;\n"
                "bertbench --gui forces it). Model %s, baseline %s, %zu candidates.\n",
                BERTBENCH_VERSION, joinModels(spec).c_str(), spec.baseline.c_str(), spec.candidates.size());
    const BackendRegistry registry = app::makeRegistry();
    const std::vector<std::string> known = registry.names();
    int maxPositions = 0;
    try {
        for (const std::string& m : spec.models)
            if (isPreset(m)) {
                const int len = presetConfig(m).maxSequenceLength();
                maxPositions = maxPositions == 0 ? len : std::min(maxPositions, len);
            }
    } catch (const std::exception&) {
    }
    const std::vector<SpecProblem> problems = validateSpec(spec, maxPositions, known);
    if (!problems.empty()) {
        for (const SpecProblem& p : problems) std::fprintf(stderr, "bertbench: %s: %s\n", p.field.c_str(), p.message.c_str());
        return 2;
    }
    PrintingObserver observer;
    std::atomic<bool> cancel{false};
    Run run;
    try {
        SweepRunner runner(registry);
        run = runner.run(spec, observer, cancel);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bertbench: the sweep failed: %s\n", e.what());
        return 1;
    }
    const Environment machine = app::machineEnvironment();
    if (run.environment.host.empty()) run.environment = machine;
    if (run.environment.gpu.empty()) run.environment.gpu = machine.gpu;

    QStringList written;
    try {
        QDir().mkpath(out);
        const QDir dir(out);
        writeRunJson(run, dir.filePath(QStringLiteral("run.json")).toStdString());
        written << dir.filePath(QStringLiteral("run.json"));
        writeNativeCsv(run, dir.filePath(QStringLiteral("results.csv")).toStdString());
        written << dir.filePath(QStringLiteral("results.csv"));
        for (const std::string& p : writeSeedCsvs(run, out.toStdString())) written << QString::fromStdString(p);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bertbench: %s\n", e.what());
        return 1;
    }
    QString error;
    written << ui::renderRunPlots(run, QDir(out).filePath(QStringLiteral("plots")), 2, &error);
    std::printf("\nWrote:\n");
    for (const QString& p : written) std::printf("  %s\n", QDir::current().relativeFilePath(p).toUtf8().constData());
    if (!error.isEmpty()) {
        std::fprintf(stderr, "bertbench: %s\n", error.toUtf8().constData());
        return 1;
    }
    const bool allOk = std::all_of(run.rows.begin(), run.rows.end(), [](const ResultRow& r) { return r.status == RowStatus::Ok; });
    return allOk ? 0 : 1;
}

// --screenshot PATH: grab the window N ms after start (or after the sweep finishes) and quit.
void scheduleScreenshot(ui::MainWindow& window, const QString& path, int afterMs, bool whenFinished) {
    const auto shoot = [&window, path] {
        QDir().mkpath(QFileInfo(path).absolutePath());
        const bool ok = window.grab().save(path);
        std::printf("%s %s\n", ok ? "screenshot" : "could not write", path.toUtf8().constData());
        window.stopSweep();
        QTimer::singleShot(0, qApp, [] { QApplication::exit(0); });
    };
    if (whenFinished)
        QObject::connect(window.controller(), &ui::SweepController::finished, &window,
                         [afterMs, shoot] { QTimer::singleShot(afterMs, shoot); });
    else
        QTimer::singleShot(afterMs, &window, shoot);
}

} // namespace

int main(int argc, char** argv) {
    const bool headless = shouldRunHeadless(argc, argv);
    if (headless) qputenv("QT_QPA_PLATFORM", "offscreen");   // figures are still rendered by Qt

    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("BertBench"));
    QApplication::setApplicationName(QStringLiteral("BertBench"));
    QApplication::setApplicationVersion(QStringLiteral(BERTBENCH_VERSION));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/bertbench.svg")));

    QCommandLineParser args;
    args.setApplicationDescription(QStringLiteral(
        "BertBench: how BERT inference speed and memory change with attention implementation, batch size, "
        "sequence length and padding. Without a display it runs the quick CPU sweep headless."));
    args.addHelpOption();
    args.addVersionOption();
    args.addPositionalArgument(QStringLiteral("files"), QStringLiteral("Run files to open (native .json/.csv, old log_Bert_*.csv)."),
                               QStringLiteral("[files...]"));
    args.addOptions({
        {QStringLiteral("headless"), QStringLiteral("Run the sweep without a window and write CSV + PNG files.")},
        {QStringLiteral("gui"), QStringLiteral("Open the window even where no display was detected.")},
        {QStringLiteral("out"), QStringLiteral("Headless: output folder (default ./bertbench-runs/<timestamp>)."), QStringLiteral("dir")},
        {QStringLiteral("spec"), QStringLiteral("Sweep spec JSON to load (headless: the sweep to run)."), QStringLiteral("file")},
        {QStringLiteral("preset"), QStringLiteral("Select a preset by name."), QStringLiteral("name")},
        {QStringLiteral("run"), QStringLiteral("Start the sweep at once.")},
        {QStringLiteral("compare"), QStringLiteral("Open the Compare tab on the opened files.")},
        {QStringLiteral("tab"), QStringLiteral("Show heatmaps, lines, breakdown, table or log."), QStringLiteral("page")},
        {QStringLiteral("candidate"), QStringLiteral("Show this candidate first."), QStringLiteral("backend")},
        {QStringLiteral("screenshot"), QStringLiteral("Debug: save a screenshot of the window, then quit."), QStringLiteral("path")},
        {QStringLiteral("after-ms"), QStringLiteral("Debug: when to take the screenshot (default 1500)."), QStringLiteral("ms"), QStringLiteral("1500")},
        {QStringLiteral("when-finished"), QStringLiteral("Debug: take the screenshot after the sweep finishes.")},
        {QStringLiteral("size"), QStringLiteral("Window size, e.g. 1600x1000."), QStringLiteral("WxH")},
    });
    args.process(app);
    if (headless) return runHeadless(args);

    // The torch:* backends run in the interpreter saved in the Sweep panel's settings (a change
    // applies from the next start: the registry's probe of it is made once, here).
    app::RegistryOptions registryOptions;
    registryOptions.python = ui::RunSettingsSection::pythonSetting().toStdString();
    const BackendRegistry registry = app::makeRegistry(registryOptions);
    QStringList gpuLabels;
    for (const GpuIdentity& gpu : app::listGpus())
        gpuLabels << QStringLiteral("%1 (%2)").arg(QString::fromStdString(gpu.name)).arg(gpu.index);
    ui::MainWindow window(ui::AppContext{&registry, &app::machineEnvironment, loadWeightsFor, gpuLabels});

    if (args.isSet(QStringLiteral("spec"))) {
        try {
            window.sweepPanel()->setSpec(loadSpecFile(args.value(QStringLiteral("spec")).toStdString()));
        } catch (const std::exception& e) {
            std::fprintf(stderr, "bertbench: %s\n", e.what());
        }
    }
    if (args.isSet(QStringLiteral("preset")))
        for (const ui::SpecPreset& p : ui::loadSpecPresets())
            if (p.name.startsWith(args.value(QStringLiteral("preset")), Qt::CaseInsensitive)) window.sweepPanel()->setSpec(p.spec);

    if (args.isSet(QStringLiteral("size"))) {
        const QStringList wh = args.value(QStringLiteral("size")).split(QLatin1Char('x'));
        if (wh.size() == 2) window.resize(wh[0].toInt(), wh[1].toInt());
    }
    window.show();

    const QStringList files = args.positionalArguments();
    if (!files.isEmpty()) window.openFiles(files);
    if (args.isSet(QStringLiteral("run"))) window.startSweep();
    if (args.isSet(QStringLiteral("candidate")))
        for (ui::RunView* v : window.runViews()) v->setCandidate(args.value(QStringLiteral("candidate")).toStdString());
    if (args.isSet(QStringLiteral("compare"))) window.showCompare();
    if (args.isSet(QStringLiteral("tab"))) {
        const int page = int(ui::RunView::pageNames().indexOf(args.value(QStringLiteral("tab")).toLower()));
        if (page >= 0)
            for (ui::RunView* v : window.runViews()) v->showPage(ui::RunView::Page(page));
    }
    if (args.isSet(QStringLiteral("screenshot")))
        scheduleScreenshot(window, args.value(QStringLiteral("screenshot")), args.value(QStringLiteral("after-ms")).toInt(),
                           args.isSet(QStringLiteral("when-finished")));
    // A sweep that a crash or kill interrupted: offer to resume it or open its rows.
    if (!args.isSet(QStringLiteral("screenshot")) && !args.isSet(QStringLiteral("run")))
        QTimer::singleShot(0, &window, [&window] { window.offerRecovery(); });
    return app.exec();
}
