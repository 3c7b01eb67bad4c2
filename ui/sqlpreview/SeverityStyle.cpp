#include "SeverityStyle.h"

#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

namespace dbops::ui::SeverityStyle {

// The same reds and ambers as the lock markers, so the gutter speaks one language.
QColor color(LintSeverity severity, bool dark)
{
    if (severity == LintSeverity::Error)
        return dark ? QColor(0xff, 0x6b, 0x5e) : QColor(0xd0, 0x3b, 0x2f);
    return dark ? QColor(0xff, 0xb3, 0x40) : QColor(0xc7, 0x7c, 0x02);
}

void paint(QPainter& painter, const QRectF& rect, LintSeverity severity, bool dark, const QColor& markColor)
{
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(color(severity, dark));
    const qreal side = std::min(rect.width(), rect.height());
    const QRectF box(rect.center().x() - side / 2, rect.center().y() - side / 2, side, side);
    if (severity == LintSeverity::Error) {
        painter.drawEllipse(box);
    } else {
        QPainterPath triangle;
        triangle.moveTo(box.center().x(), box.top());
        triangle.lineTo(box.right(), box.bottom());
        triangle.lineTo(box.left(), box.bottom());
        triangle.closeSubpath();
        painter.drawPath(triangle);
    }
    // The exclamation mark: a stroke and a dot, drawn so no font is needed.
    const qreal x = box.center().x();
    const qreal stroke = std::max<qreal>(1.0, side / 8);
    painter.setBrush(markColor);
    const qreal top = box.top() + side * (severity == LintSeverity::Error ? 0.22 : 0.32);
    painter.drawRect(QRectF(x - stroke / 2, top, stroke, box.top() + side * 0.62 - top));
    painter.drawRect(QRectF(x - stroke / 2, box.top() + side * 0.72, stroke, stroke));
    painter.restore();
}

QIcon icon(LintSeverity severity, bool dark, const QColor& markColor)
{
    QPixmap pixmap(16, 16);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    paint(painter, QRectF(1, 1, 14, 14), severity, dark, markColor);
    painter.end();
    return QIcon(pixmap);
}

} // namespace dbops::ui::SeverityStyle
