#include "ui/report/ReportRenderer.h"
#include "ui/report/FigureHeader.h"

#include <QChart>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QGraphicsScene>
#include <QPainter>
#include <QPdfWriter>
#include <QSvgGenerator>
#include <algorithm>

#include "ui/charts/HeatmapChart.h"
#include "ui/charts/LengthHistogramChart.h"
#include "ui/charts/LineChart.h"
#include "ui/models/HeatmapGridModel.h"
#include "ui/models/LengthHistogram.h"
#include "ui/models/RowText.h"
#include "ui/models/Breakdown.h"
#include "ui/models/RunFigures.h"
#include "ui/report/BreakdownFigure.h"

namespace bertbench::ui {
namespace {

constexpr double kHeatmapW = 600, kHeatmapH = 330;
constexpr double kHistogramH = 300;   // a data workload's length histogram, under the heatmaps
constexpr double kLinesW = 640, kLinesH = 360;
constexpr double kMargin = 16;

bool anyCuda(const Run& run) {
    const auto cuda = [](const std::string& b) { return b.rfind("cuda", 0) == 0; };
    if (cuda(run.spec.baseline)) return true;
    for (const std::string& c : run.spec.candidates)
        if (cuda(c)) return true;
    return std::any_of(run.rows.begin(), run.rows.end(), [](const ResultRow& r) { return r.isCuda; });
}

// Charts need one pass of the event loop to lay out their axes before they paint right.
void settle() { QCoreApplication::processEvents(); }

} // namespace

QImage renderImage(const QSizeF& logicalSize, qreal scale, const PaintFunction& paint) {
    const QSize px = (logicalSize * scale).toSize();
    QImage image(px, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(scale);
    image.fill(Qt::white);
    QPainter painter(&image);
    painter.setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing | QPainter::SmoothPixmapTransform);
    paint(painter);
    painter.end();
    return image;
}

bool saveDrawing(const QString& path, const QSizeF& logicalSize, qreal scale, const PaintFunction& paint,
                 QString* error) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    const QString dir = QFileInfo(path).absolutePath();
    if (!QDir().mkpath(dir)) {
        if (error) *error = QStringLiteral("cannot create folder %1").arg(dir);
        return false;
    }
    if (suffix == QLatin1String("svg")) {
        QSvgGenerator svg;
        svg.setFileName(path);
        svg.setSize(logicalSize.toSize());
        svg.setViewBox(QRectF(QPointF(0, 0), logicalSize));
        svg.setTitle(QStringLiteral("BertBench"));
        QPainter painter;
        if (!painter.begin(&svg)) {
            if (error) *error = QStringLiteral("cannot write %1").arg(path);
            return false;
        }
        painter.fillRect(QRectF(QPointF(0, 0), logicalSize), Qt::white);
        paint(painter);
        return true;
    }
    if (suffix == QLatin1String("pdf")) {
        QPdfWriter pdf(path);
        pdf.setResolution(72);   // one logical pixel = one point
        pdf.setPageSize(QPageSize(logicalSize, QPageSize::Point));
        pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
        pdf.setCreator(QStringLiteral("BertBench"));
        QPainter painter;
        if (!painter.begin(&pdf)) {
            if (error) *error = QStringLiteral("cannot write %1").arg(path);
            return false;
        }
        paint(painter);
        return true;
    }
    const QImage image = renderImage(logicalSize, scale, paint);
    if (!image.save(path, suffix.isEmpty() ? "PNG" : nullptr)) {
        if (error) *error = QStringLiteral("cannot write %1").arg(path);
        return false;
    }
    return true;
}

void paintChart(QChart& chart, QPainter& painter, const QRectF& target) {
    if (chart.scene()) {
        chart.scene()->render(&painter, target, chart.sceneBoundingRect(), Qt::IgnoreAspectRatio);
        return;
    }
    QGraphicsScene scene;
    scene.addItem(&chart);
    settle();
    scene.render(&painter, target, chart.sceneBoundingRect(), Qt::IgnoreAspectRatio);
    scene.removeItem(&chart);
}

bool saveChart(QChart& chart, const QString& path, qreal scale, QString* error) {
    const QSizeF size = chart.size();
    return saveDrawing(path, size, scale, [&](QPainter& p) { paintChart(chart, p, QRectF(QPointF(0, 0), size)); },
                       error);
}

QString deviceText(const Run& run) {
    const Environment& env = run.environment;
    if (anyCuda(run)) {
        if (!env.gpu.empty()) return QStringLiteral("GPU: ") + qstr(env.gpu);
        return isFromSeedCsv(run) ? QStringLiteral("GPU: not recorded") : QStringLiteral("GPU: unknown");
    }
    if (!env.cpu.empty()) return QStringLiteral("CPU: ") + qstr(env.cpu);
    return QStringLiteral("CPU");
}

QString runHeadline(const Run& run, Task task, const std::vector<std::string>& candidates) {
    QStringList names;
    for (const std::string& c : candidates) names << qstr(c);
    const bool half = std::any_of(run.rows.begin(), run.rows.end(), [](const ResultRow& r) { return r.isHalf; });
    const QString dtype = run.rows.empty() ? qstr(toString(run.spec.dtype))
                                           : (half ? QStringLiteral("half precision") : qstr(toString(run.spec.dtype)));
    const QString model = isFromSeedCsv(run) ? modelText(run) : QStringLiteral("model ") + modelText(run);
    return QStringLiteral("%1 · %2 · %3 vs %4 · %5")
        .arg(model, qstr(toString(task)), names.join(QStringLiteral(", ")), qstr(baselineLabel(run.spec)),
             dtype);
}

QString fileSafe(const std::string& name) {
    QString s = qstr(name);
    for (QChar& c : s)
        if (!c.isLetterOrNumber() && c != QLatin1Char('_') && c != QLatin1Char('-')) c = QLatin1Char('-');
    return s;
}

RunFigure::RunFigure(const Run& run, Kind kind, Task task, const std::vector<std::string>& candidates)
    : scene_(std::make_unique<QGraphicsScene>()) {
    const RunAxes axes = axesOf(run);
    const RowLookup rows(run);
    const int n = int(axes.seqLens.size());
    const double w = kind == Kind::Heatmaps ? kHeatmapW : kLinesW;
    const double h = kind == Kind::Heatmaps ? kHeatmapH : kLinesH;

    std::vector<HeatmapChart*> speedup, memory;
    for (int i = 0; i < n; ++i) {
        for (int col = 0; col < 2; ++col) {
            const Metric metric = col == 0 ? Metric::Speedup : Metric::MemorySaved;
            QChart* chart = nullptr;
            if (kind == Kind::Heatmaps) {
                auto model = std::make_unique<HeatmapGridModel>();
                model->setGrid(runHeatmap(rows, axes, baselineLabel(run.spec), task,
                                          candidates.empty() ? std::string() : candidates.front(),
                                          axes.seqLens[size_t(i)], metric));
                auto* heatmap = new HeatmapChart;
                heatmap->setShowSubtitle(false);   // the figure's title names the backends once
                heatmap->setModel(model.get());
                (col == 0 ? speedup : memory).push_back(heatmap);
                models_.push_back(std::move(model));
                chart = heatmap;
            } else {
                auto* lines = new LineChart;
                lines->setPanel(runLinePanel(rows, axes, task, candidates, axes.seqLens[size_t(i)], metric));
                chart = lines;
            }
            scene_->addItem(chart);
            chart->setGeometry(QRectF(col * w, i * h, w, h));
            charts_.push_back(chart);
        }
    }
    // One colour scale per metric across sequence lengths: equal colours mean equal values.
    for (auto* group : {&speedup, &memory}) {
        double limit = 0;
        for (HeatmapChart* c : *group) limit = std::max(limit, c->naturalColorLimit());
        for (HeatmapChart* c : *group) c->setColorLimit(limit);
    }

    // A data workload: its lengths under the heatmaps, the run's max lengths marked.
    double histogramH = 0;
    if (kind == Kind::Heatmaps && run.workload.recorded()) {
        auto* histogram = new LengthHistogramChart;
        histogram->setHistogram(runLengthHistogram(run.workload, axes.seqLens,
                                                   run.spec.models.empty() ? std::string() : run.spec.models.front()));
        scene_->addItem(histogram);
        histogramH = kHistogramH;
        histogram->setGeometry(QRectF(0, n * h, 2 * w, histogramH));
        histogram_ = histogram;
    }

    title_ = (kind == Kind::Heatmaps ? QStringLiteral("BertBench — ") : QStringLiteral("BertBench — lines — ")) +
             runHeadline(run, task, candidates);
    subtitle_ = deviceText(run);
    if (!run.environment.startTime.empty()) subtitle_ += QStringLiteral(" · ") + qstr(run.environment.startTime);
    const int batches = run.rows.empty() ? run.spec.numBatches : run.rows.front().numBatches;
    const QString timed = run.spec.maxNoisePct > 0
                              ? QStringLiteral("each backend timed until its median is known to ±%1 % (at most %2 s a cell)")
                                    .arg(run.spec.maxNoisePct, 0, 'g', 3)
                                    .arg(run.spec.maxTimeS, 0, 'g', 3)
                              : QStringLiteral("%1 timed batches per backend per cell").arg(batches);
    footer_ = QStringLiteral("speedup % = (t_baseline / t_candidate − 1) × 100 (median latencies) · memory saved % = "
                             "(peak_baseline / peak_candidate − 1) × 100 · %1")
                  .arg(timed);
    if (std::any_of(run.rows.begin(), run.rows.end(), [](const ResultRow& r) { return r.verdict == Verdict::Same; }))
        footer_ += kind == Kind::Heatmaps
                       ? QStringLiteral(" · hatched grey: same, the speedup's 95 % interval holds 0 (its value still written)")
                       : QStringLiteral(" · hollow markers: same, the speedup's 95 % interval holds 0");
    if (kind == Kind::Lines) footer_ += QStringLiteral(" · bands: candidate p10–p90 against the baseline median");
    if (run.spec.workload.isData())
        footer_ += QStringLiteral(" · your data (%1, %2 batches a cell, each padded to its longest row): per batch")
                       .arg(QFileInfo(qstr(run.spec.workload.file)).fileName())
                       .arg(run.spec.workload.batchesPerCell);
    if (!run.environment.source.empty() && run.environment.source != "bertbench")
        footer_ += QStringLiteral(" · source: ") + qstr(run.environment.source);

    const double titleH = 58, footerH = 36;
    chartsArea_ = QRectF(kMargin, kMargin + titleH, 2 * w, std::max(1, n) * h + histogramH);
    size_ = QSizeF(2 * w + 2 * kMargin, kMargin + titleH + chartsArea_.height() + footerH + kMargin);
    settle();
}

RunFigure::~RunFigure() {
    // The charts refer to models_; delete them first.
    scene_.reset();
}

void RunFigure::paint(QPainter& p) {
    paintSceneFigure(p, size_, kMargin, title_, subtitle_, *scene_, chartsArea_, footer_);
}

bool RunFigure::save(const QString& path, qreal scale, QString* error) {
    return saveDrawing(path, size_, scale, [this](QPainter& p) { paint(p); }, error);
}

namespace {

// One model's figures; `prefix` starts every file name (the model's, in a run of several).
QStringList renderModelPlots(const Run& run, const QDir& dir, const QString& prefix, qreal scale, QString* error,
                             const QString& format) {
    QStringList written;
    const RunAxes axes = axesOf(run);
    const auto save = [&](const QString& name, const std::function<bool(const QString&, QString*)>& write) {
        const QString path = dir.filePath(prefix + name);
        if (!write(path, error)) return false;
        written << path;
        return true;
    };
    for (Task task : axes.tasks) {
        const QString t = qstr(toString(task));
        for (const std::string& candidate : axes.candidates) {
            const bool measured = run.rows.empty() ||
                                  std::any_of(run.rows.begin(), run.rows.end(), [&](const ResultRow& r) {
                                      return r.cell.task == task && r.candidate.backend == candidate;
                                  });
            if (!measured) continue;   // merged files: not every task has every candidate
            RunFigure figure(run, RunFigure::Kind::Heatmaps, task, {candidate});
            const QString c = fileSafe(candidate);
            if (!save(QStringLiteral("report_%1_%2.%3").arg(t, c, format),
                      [&](const QString& path, QString* e) { return figure.save(path, scale, e); }))
                return written;
            // Shown alone, a heatmap names its backends and task under its title.
            for (QChart* chart : figure.charts()) static_cast<HeatmapChart*>(chart)->setShowSubtitle(true);
            settle();
            for (size_t i = 0; i < figure.charts().size(); ++i) {
                const int seq = axes.seqLens[i / 2];
                const QString metric = i % 2 == 0 ? QStringLiteral("speedup") : QStringLiteral("memory");
                QChart* chart = figure.charts()[i];
                if (!save(QStringLiteral("heatmap_%1_%2_seq%3_%4.png").arg(t, c).arg(seq).arg(metric),
                          [&](const QString& path, QString* e) { return saveChart(*chart, path, scale, e); }))
                    return written;
            }
        }
        if (run.workload.recorded() && task == axes.tasks.front() && !axes.candidates.empty()) {
            RunFigure first(run, RunFigure::Kind::Heatmaps, task, {axes.candidates.front()});
            if (QChart* histogram = first.histogram();
                histogram && !save(QStringLiteral("workload_lengths.png"),
                                   [&](const QString& path, QString* e) { return saveChart(*histogram, path, scale, e); }))
                return written;
        }
        RunFigure lines(run, RunFigure::Kind::Lines, task, axes.candidates);
        if (!save(QStringLiteral("lines_%1.%2").arg(t, format),
                  [&](const QString& path, QString* e) { return lines.save(path, scale, e); }))
            return written;
        if (!hasBreakdown(run)) continue;   // version-1 files and old CSVs: nothing to draw
        BreakdownFigure breakdown(run, task);
        if (!save(QStringLiteral("breakdown_%1.%2").arg(t, format),
                  [&](const QString& path, QString* e) { return breakdown.save(path, scale, e); }))
            return written;
    }
    return written;
}

} // namespace

QStringList renderRunPlots(const Run& run, const QString& outDir, qreal scale, QString* error,
                           const QString& format) {
    if (!QDir().mkpath(outDir)) {
        if (error) *error = QStringLiteral("cannot create folder %1").arg(outDir);
        return {};
    }
    const QDir dir(outDir);
    const std::vector<std::string> models = axesOf(run).models;
    if (models.size() <= 1) return renderModelPlots(run, dir, QString(), scale, error, format);
    // A run of several models: each model's figures, titled with it, its name first in the files'.
    QStringList written;
    for (const std::string& model : models) {
        written += renderModelPlots(runOfModel(run, model), dir, fileSafe(modelLabel(model)) + QLatin1Char('_'), scale,
                                    error, format);
        if (error && !error->isEmpty()) break;
    }
    return written;
}

} // namespace bertbench::ui
