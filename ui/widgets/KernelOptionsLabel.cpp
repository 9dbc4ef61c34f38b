#include "ui/widgets/KernelOptionsLabel.h"

#include <QFontDatabase>
#include <QResizeEvent>

namespace bertbench::ui {

KernelOptionsLabel::KernelOptionsLabel(QWidget* parent) : QLabel(parent) {
    setObjectName(QStringLiteral("kernelOptions"));
    setTextFormat(Qt::PlainText);
    setTextInteractionFlags(Qt::TextSelectableByMouse);
    // The width comes from the window, never from the text: the lines are elided to it instead
    // of widening the run view (OpenBLAS's config string alone is ~90 characters).
    setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    // Fixed width: the option text of every backend starts in the same column.
    QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    fixed.setPointSizeF(font().pointSizeF() * 0.9);
    setFont(fixed);
    hide();
}

void KernelOptionsLabel::setOptions(const std::map<std::string, std::vector<KernelOption>>& options) {
    if (options == options_) return;   // the header refreshes often while a sweep runs
    options_ = options;
    lines_.clear();
    int width = 0;
    for (const auto& [backend, list] : options_) width = std::max(width, int(backend.size()));
    QString tooltip;
    for (const auto& [backend, list] : options_) {
        const QString name = QString::fromStdString(backend);
        lines_ << name.leftJustified(width + 2) + QString::fromStdString(kernelOptionsLine(list));
        tooltip += QStringLiteral("<p><b>%1</b><br>").arg(name.toHtmlEscaped());
        for (const KernelOption& o : list)
            tooltip += QStringLiteral("%1 = %2<br>")
                           .arg(QString::fromStdString(o.name).toHtmlEscaped(),
                                QString::fromStdString(o.value).toHtmlEscaped());
        tooltip += QStringLiteral("</p>");
    }
    setToolTip(lines_.isEmpty() ? QString() : QStringLiteral("<b>Kernel options</b>") + tooltip);
    setVisible(!lines_.isEmpty());
    showElided();
}

void KernelOptionsLabel::resizeEvent(QResizeEvent* event) {
    QLabel::resizeEvent(event);
    showElided();
}

void KernelOptionsLabel::showElided() {
    const QFontMetrics metrics(font());
    QStringList shown;
    for (const QString& line : lines_) shown << metrics.elidedText(line, Qt::ElideRight, std::max(40, width()));
    setText(shown.join(QLatin1Char('\n')));
}

} // namespace bertbench::ui
