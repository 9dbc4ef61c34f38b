#include "ui/widgets/ExportActions.h"

#include <QChart>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QRegularExpression>
#include <QTextDocumentFragment>

#include "core/results/RunFiles.h"
#include "ui/models/RowText.h"
#include "ui/models/RunDocument.h"
#include "ui/report/BreakdownFigure.h"
#include "ui/report/ReportRenderer.h"
#include "ui/widgets/RecentFiles.h"
#include "ui/widgets/RunView.h"

namespace bertbench::ui {
namespace {

// Core's writers throw; the window wants a message.
template <typename Write>
bool attempt(QString* error, Write write) {
    try {
        write();
        return true;
    } catch (const std::exception& e) {
        if (error) *error = qstr(e.what());
        return false;
    }
}

} // namespace

QString withSuffix(QString path, const QString& suffix) {
    if (QFileInfo(path).suffix().isEmpty()) path += QLatin1Char('.') + suffix;
    return path;
}

ExportActions::ExportActions(QWidget* window, std::function<RunView*()> currentView,
                             std::function<QChart*()> currentChart, RecentFiles& recent)
    : QObject(window), window_(window), currentView_(std::move(currentView)), currentChart_(std::move(currentChart)),
      recent_(recent) {}

bool ExportActions::saveRun(const QString& path, QString* error) {
    RunView* v = currentView_();
    if (!v) return false;
    if (!attempt(error, [&] { writeRunJson(v->document()->run(), path.toStdString()); })) return false;
    recent_.add(QFileInfo(path).absoluteFilePath());
    return true;
}

bool ExportActions::exportNativeCsv(const QString& path, QString* error) {
    RunView* v = currentView_();
    return v && attempt(error, [&] { writeNativeCsv(v->document()->run(), path.toStdString()); });
}

QStringList ExportActions::exportSeedCsvs(const QString& folder, QString* error) {
    QStringList written;
    RunView* v = currentView_();
    if (!v) return written;
    attempt(error, [&] {
        QDir().mkpath(folder);
        for (const std::string& p : writeSeedCsvs(v->document()->run(), folder.toStdString())) written << qstr(p);
    });
    return written;
}

bool ExportActions::exportCurrentChart(const QString& path, qreal scale, QString* error) {
    QChart* chart = currentChart_();
    if (!chart) {
        if (error) *error = tr("no chart on this page (choose Heatmaps, Lines, Breakdown or Compare)");
        return false;
    }
    return saveChart(*chart, path, scale, error);
}

bool ExportActions::exportFigure(Figure figure, const QString& path, qreal scale, QString* error) {
    RunView* v = currentView_();
    if (!v) return false;
    const Run& run = v->shownRun();   // the model on screen, of a run of several
    switch (figure) {
    case Figure::Report: return RunFigure(run, RunFigure::Kind::Heatmaps, v->task(), {v->candidate()}).save(path, scale, error);
    case Figure::Lines: return RunFigure(run, RunFigure::Kind::Lines, v->task(), v->axes().candidates).save(path, scale, error);
    case Figure::Breakdown: return BreakdownFigure(run, v->task(), v->selectedCell()).save(path, scale, error);
    }
    return false;
}

void ExportActions::saveRunDialog() {
    RunView* v = currentView_();
    if (!v) return;
    const QString path = QFileDialog::getSaveFileName(window_, tr("Save run"), v->document()->title() + QStringLiteral(".json"),
                                                      tr("Native runs (*.json)"));
    if (path.isEmpty()) return;
    QString error;
    if (!saveRun(withSuffix(path, QStringLiteral("json")), &error)) emit errorOccurred(tr("Save run"), error);
}

void ExportActions::exportNativeCsvDialog() {
    RunView* v = currentView_();
    if (!v) return;
    const QString path = QFileDialog::getSaveFileName(window_, tr("Export native CSV"),
                                                      v->document()->title() + QStringLiteral(".csv"), tr("CSV (*.csv)"));
    if (path.isEmpty()) return;
    QString error;
    if (!exportNativeCsv(withSuffix(path, QStringLiteral("csv")), &error)) emit errorOccurred(tr("Export CSV"), error);
}

void ExportActions::exportSeedCsvDialog() {
    if (!currentView_()) return;
    const QString folder = QFileDialog::getExistingDirectory(window_, tr("Folder for the seed-compatible CSVs"));
    if (folder.isEmpty()) return;
    QString error;
    const QStringList written = exportSeedCsvs(folder, &error);
    if (!error.isEmpty()) emit errorOccurred(tr("Export seed CSVs"), error);
    else emit message(tr("Wrote %1").arg(written.join(QStringLiteral(", "))));
}

bool ExportActions::askImageFile(const QString& title, const QString& suggestedName, QString* file, int* scale) {
    const QString path = QFileDialog::getSaveFileName(window_, title, suggestedName + QStringLiteral(".png"),
                                                      tr("PNG (*.png);;SVG (*.svg);;PDF (*.pdf)"));
    if (path.isEmpty()) return false;
    *file = withSuffix(path, QStringLiteral("png"));
    *scale = 1;
    if (QFileInfo(*file).suffix().toLower() != QLatin1String("png")) return true;   // vector: no scale
    bool ok = true;
    *scale = QInputDialog::getInt(window_, tr("Scale"), tr("Device pixels per pixel (2× or more for print):"), 2, 2, 8, 1, &ok);
    return ok;
}

void ExportActions::exportChartDialog(QChart* chart) {
    if (!chart) {
        emit message(tr("No chart on this page: choose Heatmaps, Lines, Breakdown or Compare."));
        return;
    }
    // "Speedup (%) · seq len 128<br>…" → "Speedup_seq_len_128"
    static const QRegularExpression notWord(QStringLiteral("[^A-Za-z0-9]+"));
    QString plain = QTextDocumentFragment::fromHtml(chart->title()).toPlainText().section(QLatin1Char('\n'), 0, 0);
    QString name = plain.replace(notWord, QStringLiteral("_"));
    while (name.endsWith(QLatin1Char('_'))) name.chop(1);
    QString file, error;
    int scale = 2;
    if (!askImageFile(tr("Save chart"), name.isEmpty() ? QStringLiteral("chart") : name, &file, &scale)) return;
    if (!saveChart(*chart, file, scale, &error)) emit errorOccurred(tr("Save chart"), error);
    else emit message(tr("Saved %1").arg(file));
}

void ExportActions::exportFigureDialog(Figure figure) {
    RunView* v = currentView_();
    if (!v) return;
    const QString task = qstr(toString(v->task()));
    QString name, title;
    switch (figure) {
    case Figure::Report:
        name = QStringLiteral("report_%1_%2").arg(task, fileSafe(v->candidate()));
        title = tr("Export report figure");
        break;
    case Figure::Lines:
        name = QStringLiteral("lines_") + task;
        title = tr("Export lines figure");
        break;
    case Figure::Breakdown:
        name = QStringLiteral("breakdown_") + task;
        title = tr("Export breakdown figure");
        break;
    }
    QString file, error;
    int scale = 2;
    if (!askImageFile(title, name, &file, &scale)) return;
    if (!exportFigure(figure, file, scale, &error)) emit errorOccurred(tr("Export figure"), error);
    else emit message(tr("Saved %1").arg(file));
}

} // namespace bertbench::ui
