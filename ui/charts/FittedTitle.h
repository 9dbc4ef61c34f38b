#pragma once
// Chart titles that never lose text. Qt Charts elides a title that is wider than its chart
// ("Speedup (%) · seq len ..." in a narrow heatmap); a fitted title is instead broken into lines
// at its " · " separators wherever the chart's width needs it, a font step or two smaller where
// that keeps each part on one line, and at spaces only where even that does not; again each
// time the chart is resized. The title is bold in the chart's title font, the subtitle a smaller
// grey line (or lines) under it.
#include <QFont>
#include <QString>
#include <QStringList>

QT_BEGIN_NAMESPACE
class QChart;
QT_END_NAMESPACE

namespace bertbench::ui {

// `text` as lines no wider than `width` in `font`: broken at " · ", then at spaces. A single
// word wider than `width` keeps a line of its own.
QStringList wrapTitleText(const QString& text, const QFont& font, qreal width);

// Sets `chart`'s title to `title` over `subtitle` (empty = none, in `subtitlePointSize` points),
// fitted to the chart's width now and whenever its geometry changes.
void setFittedTitle(QChart* chart, const QString& title, const QString& subtitle = {},
                    qreal subtitlePointSize = 8.5);

} // namespace bertbench::ui
