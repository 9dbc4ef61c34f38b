// `plot`: renders run files to PNG (or SVG/PDF) with the GUI's own charts, offscreen.
#ifdef BERTBENCH_HAVE_GUI
#include "app/cli/PlotCommand.h"

#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <memory>
#include <ostream>

#include "app/cli/CliSupport.h"
#include "app/cli/RunInput.h"
#include "core/sweep/OfflineJson.h"
#include "ui/models/OfflineComparison.h"
#include "ui/models/OpenRuns.h"
#include "ui/report/OfflineFigure.h"
#include "ui/report/ReportRenderer.h"

namespace bertbench::cli {

namespace {

const CommandHelp& plotHelp() {
    static const CommandHelp help{
        "bertbench-cli plot FILE|DIR... --out DIR [--scale N] [--format png|svg|pdf]",
        "Draw the GUI's figures of runs, offscreen: per task x candidate x max sequence length a\n"
        "speedup % and a memory saved % heatmap (x batch size, y pad fraction), per task x\n"
        "candidate the combined report figure (every sequence length, both metrics), and per task\n"
        "the lines figure (the old script's plot: both metrics against batch size, one line per\n"
        "pad fraction, one line style per candidate), and per task the breakdown figure when the\n"
        "run recorded per-op breakdowns (stacked bars per backend for one cell, category shares\n"
        "against batch size). A run over your data (run --lengths / --texts) has its batching\n"
        "policies (random, sorted) where the pads stand, its length histogram under the report\n"
        "figure's heatmaps, and workload_lengths.png. Files that fit together (same baseline, no\n"
        "task x candidate in common, e.g. log_Bert_sdpa_mlm.csv and\n"
        "log_Bert_flash_attention_2_mlm.csv) are drawn as one run. offline.json files (bertbench-cli\n"
        "offline) of one cell are drawn together as offline_<model>_<task>_max<N>: samples/s\n"
        "against batch size per backend, MLPerf's published figures beside bert-large qa 384.",
        {{"--out", "DIR", "folder for the figures (created if needed)"},
         {"--scale", "N", "device pixels per figure pixel for PNG, 1..8 (default 2, for print)"},
         {"--format", "FMT", "png (default), svg or pdf; svg/pdf write the report and lines\nfigures as vector files, heatmaps stay PNG"}},
        "Example:\n"
        "  bertbench-cli plot tests/fixtures/seed-csv/log_Bert_*_mlm.csv --out plots/\n"};
    return help;
}

// Charts need a QApplication; the CLI makes an offscreen one unless one exists.
std::unique_ptr<QApplication> ensureApplication() {
    if (QCoreApplication::instance()) return nullptr;
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    static int argc = 1;
    static char name[] = "bertbench-cli";
    static char* argv[] = {name, nullptr};
    return std::make_unique<QApplication>(argc, argv);
}

} // namespace

int plotCommand(const CommandArgs& args, std::ostream& out, std::ostream& err) {
    return guardedCommand("plot", err, [&] {
        ParsedArgs parsed;
        if (parseOrHelp(args, plotHelp(), out, parsed)) return kExitOk;
        if (parsed.positionals.empty()) throw UsageError("name at least one run file or folder");
        const std::optional<std::string> outDir = parsed.value("--out");
        if (!outDir) throw UsageError("--out DIR is required (the folder for the figures)");
        const double scale = parsed.has("--scale") ? double(parseInteger("--scale", *parsed.value("--scale"), 1, 8)) : 2.0;
        const QString format = QString::fromStdString(parsed.value("--format").value_or("png")).toLower();
        if (format != QLatin1String("png") && format != QLatin1String("svg") && format != QLatin1String("pdf"))
            throw UsageError("--format must be png, svg or pdf (got '" + format.toStdString() + "')");
        if (QCoreApplication::instance() && !qobject_cast<QApplication*>(QCoreApplication::instance()))
            throw std::runtime_error("plot needs a QApplication, and this process already has another Qt application object");

        std::vector<ui::OpenedRun> opened;
        std::vector<ui::OfflineFile> offline;
        for (const std::string& path : parsed.positionals) {
            if (std::optional<OfflineResult> result = readIfOfflineFile(path)) {
                offline.push_back({QString::fromStdString(path), std::move(*result)});
                continue;
            }
            ui::OpenedRun r;
            r.run = loadRunInput(path);
            r.paths = QStringList{QString::fromStdString(path)};
            r.title = QFileInfo(QString::fromStdString(path)).completeBaseName();
            opened.push_back(std::move(r));
        }
        std::vector<ui::OpenedRun> groups = ui::mergeCompatible(std::move(opened));
        const std::unique_ptr<QApplication> app = ensureApplication();

        int files = 0;
        if (!offline.empty()) {
            QStringList problems;
            const ui::OfflineComparison comparison = ui::compareOffline(offline, &problems);
            if (!problems.isEmpty()) throw InputError(problems.join(QLatin1Char('\n')).toStdString());
            QString error;
            const QString path = ui::renderOfflinePlot(comparison, offline.front().result.spec,
                                                       QString::fromStdString(*outDir), scale, format, &error);
            if (path.isEmpty()) throw InputError(error.toStdString());
            out << path.toStdString() << "\n";
            ++files;
        }
        for (size_t g = 0; g < groups.size(); ++g) {
            // Runs that did not merge each get their own subfolder.
            const QString dir = groups.size() == 1
                                    ? QString::fromStdString(*outDir)
                                    : QDir(QString::fromStdString(*outDir)).filePath(QStringLiteral("run%1").arg(g + 1));
            QString error;
            const QStringList written = ui::renderRunPlots(groups[g].run, dir, scale, &error, format);
            for (const QString& p : written) out << p.toStdString() << "\n";
            files += int(written.size());
            if (!error.isEmpty()) throw InputError(error.toStdString());
        }
        out << files << " figure" << (files == 1 ? "" : "s") << " written\n";
        return kExitOk;
    });
}

} // namespace bertbench::cli
#endif
