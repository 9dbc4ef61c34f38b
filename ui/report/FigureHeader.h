#pragma once
// The title and subtitle lines every exported figure starts with (report and breakdown figures):
// one look for all of them, drawn on a white page; and the whole page of a figure whose charts
// live in a scene: header, the scene in its area, a footer line under it.
#include <QColor>
#include <QFont>
#include <QGraphicsScene>
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

inline void paintSceneFigure(QPainter& p, const QSizeF& page, double margin, const QString& title,
                             const QString& subtitle, QGraphicsScene& scene, const QRectF& chartsArea,
                             const QString& footer) {
    paintFigureHeader(p, page, margin, title, subtitle);
    scene.render(&p, chartsArea, QRectF(QPointF(0, 0), chartsArea.size()), Qt::IgnoreAspectRatio);
    QFont f;   // the footer: small, in the header's grey
    f.setPixelSize(11);
    p.setFont(f);
    p.drawText(QRectF(margin, chartsArea.bottom() + 4, page.width() - 2 * margin, 32),
               Qt::AlignLeft | Qt::AlignVCenter | Qt::TextWordWrap, footer);
}

} // namespace bertbench::ui
