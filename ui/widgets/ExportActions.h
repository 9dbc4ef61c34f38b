#pragma once
// Saving and exporting what the window shows: the run file, the native and seed-compatible
// CSVs, the current chart, and the composed figures (heatmaps report, lines, breakdown) as
// PNG/SVG/PDF. Each has a plain method (tests, scripts) and a dialog around it (menus).
#include <QObject>
#include <QStringList>
#include <functional>

QT_BEGIN_NAMESPACE
class QChart;
class QWidget;
QT_END_NAMESPACE

namespace bertbench::ui {

class RecentFiles;
class RunView;

class ExportActions : public QObject {
    Q_OBJECT
public:
    enum class Figure { Report, Lines, Breakdown };

    ExportActions(QWidget* window, std::function<RunView*()> currentView, std::function<QChart*()> currentChart,
                  RecentFiles& recent);

    // False (with `error`) on failure, or when there is no run view to export.
    bool saveRun(const QString& path, QString* error);
    bool exportNativeCsv(const QString& path, QString* error);
    QStringList exportSeedCsvs(const QString& folder, QString* error);
    bool exportCurrentChart(const QString& path, qreal scale, QString* error);
    bool exportFigure(Figure figure, const QString& path, qreal scale, QString* error);

    // The dialogs.
    void saveRunDialog();
    void exportNativeCsvDialog();
    void exportSeedCsvDialog();
    void exportChartDialog(QChart* chart);
    void exportFigureDialog(Figure figure);

signals:
    void message(const QString& text);   // for the status bar
    void errorOccurred(const QString& title, const QString& text);

private:
    // A save dialog for PNG/SVG/PDF, then the scale for PNG (≥ 2×). False when cancelled.
    bool askImageFile(const QString& title, const QString& suggestedName, QString* file, int* scale);

    QWidget* window_;
    std::function<RunView*()> currentView_;
    std::function<QChart*()> currentChart_;
    RecentFiles& recent_;
};

// "report.png" stays; "report" becomes "report.png".
QString withSuffix(QString path, const QString& suffix);

} // namespace bertbench::ui
