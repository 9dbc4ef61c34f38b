#include "ui/charts/FittedTitle.h"

#include <QChart>
#include <QFontMetricsF>

namespace bertbench::ui {

namespace {

const char* const kTitleProperty = "bertbench_fitted_title";
const char* const kSubtitleProperty = "bertbench_fitted_subtitle";
const char* const kSubtitleSizeProperty = "bertbench_fitted_subtitle_pt";
const char* const kConnectedProperty = "bertbench_fitted_connected";
// Qt lays the title out in a slightly narrower box than the chart's margins leave.
constexpr qreal kTitleSlack = 16;

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

void refit(QChart* chart) {
    const QString title = chart->property(kTitleProperty).toString();
    const QString subtitle = chart->property(kSubtitleProperty).toString();
    const qreal subtitlePt = chart->property(kSubtitleSizeProperty).toReal();
    const QMargins m = chart->margins();
    // Before the first layout the width is 0: one line each until then.
    const qreal width = chart->size().width() > 0 ? chart->size().width() - m.left() - m.right() - kTitleSlack : 1e9;
    QStringList lines;
    for (const QString& line : wrapTitleText(title, chart->titleFont(), width)) lines << line.toHtmlEscaped();
    QString html = lines.join(QStringLiteral("<br>"));
    if (!subtitle.isEmpty()) {
        QFont small = chart->titleFont();
        small.setBold(false);
        small.setPointSizeF(subtitlePt);
        QStringList sub;
        for (const QString& line : wrapTitleText(subtitle, small, width)) sub << line.toHtmlEscaped();
        html += QStringLiteral("<br><span style=\"font-weight:normal; font-size:%1pt; color:#555555\">%2</span>")
                    .arg(subtitlePt)
                    .arg(sub.join(QStringLiteral("<br>")));
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
