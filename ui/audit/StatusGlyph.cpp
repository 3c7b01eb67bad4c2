#include "StatusGlyph.h"

#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

namespace dbops::ui {

QPixmap StatusGlyph::pixmap(Shape shape, const QColor& disc, int size, qreal devicePixelRatio)
{
    const int pixels = qRound(size * devicePixelRatio);
    QPixmap pixmap(pixels, pixels);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    // Draw on a 16-unit grid, whatever the size, so every size looks the same.
    painter.scale(pixels / 16.0, pixels / 16.0);

    painter.setPen(QPen(disc.darker(125), 0.6));
    painter.setBrush(disc);
    painter.drawEllipse(QRectF(0.8, 0.8, 14.4, 14.4));

    // White strokes: the highest contrast on every disc colour used here.
    QPen stroke(Qt::white, 2.0, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    painter.setPen(stroke);
    painter.setBrush(Qt::NoBrush);
    switch (shape) {
    case Shape::Check: {
        QPainterPath path;
        path.moveTo(4.4, 8.4);
        path.lineTo(6.9, 10.9);
        path.lineTo(11.6, 5.4);
        painter.drawPath(path);
        break;
    }
    case Shape::Cross:
        painter.drawLine(QPointF(5.2, 5.2), QPointF(10.8, 10.8));
        painter.drawLine(QPointF(10.8, 5.2), QPointF(5.2, 10.8));
        break;
    case Shape::Plus:
        painter.drawLine(QPointF(8.0, 4.3), QPointF(8.0, 11.7));
        painter.drawLine(QPointF(4.3, 8.0), QPointF(11.7, 8.0));
        break;
    case Shape::Tilde: {
        QPainterPath path;
        path.moveTo(4.0, 9.0);
        path.cubicTo(5.2, 5.6, 7.0, 6.2, 8.0, 8.0);
        path.cubicTo(9.0, 9.8, 10.8, 10.4, 12.0, 7.0);
        painter.drawPath(path);
        break;
    }
    case Shape::Exclamation:
        painter.drawLine(QPointF(8.0, 4.0), QPointF(8.0, 8.9));
        painter.setPen(Qt::NoPen);
        painter.setBrush(Qt::white);
        painter.drawEllipse(QPointF(8.0, 11.7), 1.2, 1.2);
        break;
    }
    painter.end();
    pixmap.setDevicePixelRatio(devicePixelRatio);
    return pixmap;
}

QIcon StatusGlyph::icon(Shape shape, const QColor& disc)
{
    QIcon icon;
    // Plain pixmaps per device-pixel size: QIcon picks the one a view's
    // screen needs (a 32 px one for a 16 px icon on a 2x screen).
    for (int size : { 16, 20, 24, 32, 40, 48, 64, 96, 128 })
        icon.addPixmap(pixmap(shape, disc, size));
    return icon;
}

} // namespace dbops::ui
