#include "ui/report/OfflineFigure.h"

#include <QCoreApplication>
#include <QDir>
#include <QGraphicsScene>

#include "ui/charts/OfflineChart.h"
#include "ui/report/ReportRenderer.h"

namespace bertbench::ui {

namespace {

constexpr double kWidth = 960, kHeight = 620;

} // namespace

QString renderOfflinePlot(const OfflineComparison& comparison, const OfflineSpec& spec, const QString& outDir,
                          qreal scale, const QString& format, QString* error) {
    auto* chart = new OfflineChart;
    QGraphicsScene scene;   // owns the chart from here
    scene.addItem(chart);
    chart->resize(kWidth, kHeight);
    chart->setComparison(comparison);
    // Charts need a pass or two of the event loop to lay out their axes and title before they paint.
    for (int i = 0; i < 2; ++i) QCoreApplication::processEvents();
    const QString path = QDir(outDir).filePath(QStringLiteral("offline_%1_%2_max%3.%4")
                                                   .arg(fileSafe(spec.model), fileSafe(toString(spec.task)))
                                                   .arg(spec.maxLength)
                                                   .arg(format));
    return saveChart(*chart, path, scale, error) ? path : QString();
}

} // namespace bertbench::ui
