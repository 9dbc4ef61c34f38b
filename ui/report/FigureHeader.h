#pragma once
// The title and subtitle lines every exported figure starts with (report and breakdown figures):
// one look for all of them, drawn on a white page.
#include <QColor>
#include <QFont>
#include <QPainter>
#include <QRectF>
#include <QSizeF>
#include <QString>

namespace bertbench::ui {

inline void paintFigureHeader(QPainter& p, const QSizeF& page, double margin, const QString& title,
                              const QString& subtitle) {
    p.fillRect(QRectF(QPointF(0, 0), page), Qt::white);
    QFont f;
    f.setPixelSize(19);
    f.setBold(true);
    p.setFont(f);
    p.setPen(QColor(0x20, 0x20, 0x20));
    p.drawText(QRectF(margin, margin, page.width() - 2 * margin, 26), Qt::AlignLeft | Qt::AlignVCenter, title);
    f.setPixelSize(13);
    f.setBold(false);
    p.setFont(f);
    p.setPen(QColor(0x50, 0x50, 0x50));
    p.drawText(QRectF(margin, margin + 28, page.width() - 2 * margin, 20), Qt::AlignLeft | Qt::AlignVCenter, subtitle);
}

} // namespace bertbench::ui
