#include "ui/charts/FittedTitle.h"

#include <QChart>
#include <QFontMetricsF>
#include <QGraphicsLayout>
#include <algorithm>

namespace bertbench::ui {

namespace {

const char* const kTitleProperty = "bertbench_fitted_title";
const char* const kSubtitleProperty = "bertbench_fitted_subtitle";
const char* const kSubtitleSizeProperty = "bertbench_fitted_subtitle_pt";
const char* const kConnectedProperty = "bertbench_fitted_connected";
// Qt elides a title whose rich-text box is wider than the chart's contents: the chart less its
// layout's contents margins (9 px a side by default) and its margins. The box adds a document
// margin each side, and rich text can lay out a pixel or two wider than QFontMetricsF measures,
// so lines are fitted to a little less than that width.
constexpr qreal kTitleSlack = 8;
// How much smaller (points) a title or subtitle may get before its parts break at spaces: a step
// that keeps "Memory saved (%)" whole in a narrow heatmap, not so much that the title stops
// reading as one.
constexpr qreal kTitleSteps = 1.5;
constexpr qreal kSubtitleSteps = 1;

// The width Qt gives the title of `chart` (before the slack).
qreal titleBoxWidth(QChart* chart) {
    qreal left = 0, top = 0, right = 0, bottom = 0;
    if (QGraphicsLayout* layout = chart->layout()) layout->getContentsMargins(&left, &top, &right, &bottom);
    const QMargins m = chart->margins();
    return chart->size().width() - left - right - m.left() - m.right();
}

// Greedy: as many parts on a line as fit, joined by `separator`.
QStringList joinGreedy(const QStringList& parts, const QString& separator, const QFontMetricsF& fm, qreal width) {
    QStringList lines;
    QString line;
    for (const QString& part : parts) {
        const QString longer = line.isEmpty() ? part : line + separator + part;
        if (line.isEmpty() || fm.horizontalAdvance(longer) <= width) {
            line = longer;
        } else {
            lines << line;
            line = part;
        }
    }
    if (!line.isEmpty()) lines << line;
    return lines;
}

// The largest size from `largest` down to `smallest` (half-point steps) at which every " · "
// part of `text` fits `width` on a line of its own, so the text breaks only between parts;
// `smallest` where none does (then a part breaks at its spaces too).
qreal pointSizeKeepingParts(const QString& text, QFont font, qreal largest, qreal smallest, qreal width) {
    for (qreal pt = largest; pt > smallest; pt -= 0.5) {
        font.setPointSizeF(pt);
        const QFontMetricsF fm(font);
        const QStringList parts = text.split(QStringLiteral(" · "));
        if (std::all_of(parts.begin(), parts.end(), [&](const QString& p) { return fm.horizontalAdvance(p) <= width; }))
            return pt;
    }
    return smallest;
}

// `text` wrapped to `width` in `font`, a step or two smaller where that keeps its parts whole
// ("Memory saved (%)" on one line rather than "(%)" on a line of its own), as HTML lines.
QString fittedLines(const QString& text, QFont font, qreal width, qreal smallestStep) {
    if (text.isEmpty()) return {};   // no title at all, not an empty line
    if (font.pointSizeF() > 0)
        font.setPointSizeF(pointSizeKeepingParts(text, font, font.pointSizeF(), font.pointSizeF() - smallestStep, width));
    QStringList lines;
    for (const QString& line : wrapTitleText(text, font, width)) lines << line.toHtmlEscaped();
    return QStringLiteral("<span style=\"font-size:%1pt\">%2</span>").arg(font.pointSizeF()).arg(lines.join(QStringLiteral("<br>")));
}

void refit(QChart* chart) {
    const QString title = chart->property(kTitleProperty).toString();
    const QString subtitle = chart->property(kSubtitleProperty).toString();
    const qreal subtitlePt = chart->property(kSubtitleSizeProperty).toReal();
    // Before the first layout the width is 0: one line each until then.
    const qreal width = chart->size().width() > 0 ? titleBoxWidth(chart) - kTitleSlack : 1e9;
    QString html = fittedLines(title, chart->titleFont(), width, kTitleSteps);
    if (!subtitle.isEmpty()) {
        QFont small = chart->titleFont();
        small.setBold(false);
        small.setPointSizeF(subtitlePt);
        html += QStringLiteral("<br><span style=\"font-weight:normal; color:#555555\">%1</span>")
                    .arg(fittedLines(subtitle, small, width, kSubtitleSteps));
    }
    if (chart->title() != html) chart->setTitle(html);
}

} // namespace

QStringList wrapTitleText(const QString& text, const QFont& font, qreal width) {
    const QFontMetricsF fm(font);
    if (text.isEmpty() || fm.horizontalAdvance(text) <= width) return {text};
    const QString dot = QStringLiteral(" · ");
    QStringList lines;
    for (const QString& line : joinGreedy(text.split(dot), dot, fm, width)) {
        if (fm.horizontalAdvance(line) <= width) lines << line;
        else lines << joinGreedy(line.split(QLatin1Char(' ')), QStringLiteral(" "), fm, width);
    }
    return lines;
}

void setFittedTitle(QChart* chart, const QString& title, const QString& subtitle, qreal subtitlePointSize) {
    chart->setProperty(kTitleProperty, title);
    chart->setProperty(kSubtitleProperty, subtitle);
    chart->setProperty(kSubtitleSizeProperty, subtitlePointSize);
    if (!chart->property(kConnectedProperty).toBool()) {
        chart->setProperty(kConnectedProperty, true);
        QObject::connect(chart, &QGraphicsWidget::geometryChanged, chart, [chart] { refit(chart); });
    }
    refit(chart);
}

} // namespace bertbench::ui
