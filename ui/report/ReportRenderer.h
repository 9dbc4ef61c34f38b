#pragma once
// Figures as files: one rendering path for the GUI's exports and `bertbench-cli plot`.
// Charts are the same HeatmapChart / LineChart the GUI shows, built from the same
// ui/models data; they are painted through a QGraphicsScene into any QPainter, so a PNG at
// 2×–4× device pixels, an SVG and a PDF all come from the same drawing.
// Needs a QApplication (the offscreen platform is fine).
#include <QImage>
#include <QString>
#include <QStringList>
#include <functional>
#include <memory>
#include <vector>

#include "core/sweep/Run.h"

QT_BEGIN_NAMESPACE
class QChart;
class QGraphicsScene;
class QPainter;
QT_END_NAMESPACE

namespace bertbench::ui {

class HeatmapChart;
class HeatmapGridModel;
class LineChart;

using PaintFunction = std::function<void(QPainter&)>;

// Paints `logicalSize` worth of drawing at `scale` device pixels per logical pixel, on white.
QImage renderImage(const QSizeF& logicalSize, qreal scale, const PaintFunction& paint);
// By suffix: .png (at `scale`), .svg, .pdf. False with `error` set when the file can't be written.
bool saveDrawing(const QString& path, const QSizeF& logicalSize, qreal scale, const PaintFunction& paint,
                 QString* error);
// Paints a chart (in its view's scene, or alone) into `target`.
void paintChart(QChart& chart, QPainter& painter, const QRectF& target);
// The chart at its current size.
bool saveChart(QChart& chart, const QString& path, qreal scale, QString* error);

// A composed figure of one run, titled with model, task, backends and device.
//   Heatmaps: one row per sequence length: speedup % | memory saved %, for one candidate.
//   Lines:    the old script's figure, all candidates: one row per sequence length,
//             speedup % | memory saved % against batch size.
class RunFigure {
public:
    enum class Kind { Heatmaps, Lines };
    RunFigure(const Run& run, Kind kind, Task task, const std::vector<std::string>& candidates);
    ~RunFigure();

    QSizeF size() const { return size_; }
    const QString& title() const { return title_; }
    void paint(QPainter& painter);
    bool save(const QString& path, qreal scale, QString* error);

    // The figure's charts (heatmaps: speedup then memory saved for each seq len), for
    // rendering one alone.
    const std::vector<QChart*>& charts() const { return charts_; }
    // A data workload's length histogram under the heatmaps (null: synthetic, or lines).
    QChart* histogram() const { return histogram_; }

private:
    std::unique_ptr<QGraphicsScene> scene_;
    std::vector<std::unique_ptr<HeatmapGridModel>> models_;
    std::vector<QChart*> charts_;
    QChart* histogram_ = nullptr;
    QString title_, subtitle_, footer_;
    QSizeF size_;
    QRectF chartsArea_;
};

// Every figure of a run into `outDir` (created if needed), PNG at `scale`:
//   heatmap_<task>_<candidate>_seq<N>_<speedup|memory>.png, report_<task>_<candidate>.<format>,
//   lines_<task>.<format>, and breakdown_<task>.<format> when the run recorded per-op
//   breakdowns (format png, svg or pdf); workload_lengths.png for a data workload's run (the
//   report figure shows the same histogram under its heatmaps). A run of several models gives each model's set,
//   every name starting with the model's ("distilbert-base_report_encoder_cuda-sdpa.png")
//   and every title naming it. Returns the paths written; on failure, what was written so
//   far and `error`.
QStringList renderRunPlots(const Run& run, const QString& outDir, qreal scale, QString* error = nullptr,
                           const QString& format = QStringLiteral("png"));

// "CPU: …" or "GPU: …" — the device a run measured on, for titles.
QString deviceText(const Run& run);
// "model tiny · encoder · cpu:sdpa vs cpu:eager · fp32"
QString runHeadline(const Run& run, Task task, const std::vector<std::string>& candidates);
// "cpu-sdpa": a backend name usable in a file name.
QString fileSafe(const std::string& name);

} // namespace bertbench::ui
