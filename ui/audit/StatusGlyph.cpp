#include "StatusGlyph.h"

#include <QApplication>
#include <QHash>
#include <QIconEngine>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>
#include <QStyle>
#include <QStyleOption>

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

namespace {

// Paints a glyph when a size is first asked for and keeps it: painting every
// size up front (16 to 128 px, for each status) cost the console's window
// some 30 ms before it could first appear.
class StatusGlyphEngine : public QIconEngine
{
public:
    StatusGlyphEngine(StatusGlyph::Shape shape, const QColor& disc)
        : m_shape(shape)
        , m_disc(disc)
    { }

    QPixmap pixmap(const QSize& size, QIcon::Mode mode, QIcon::State state) override
    {
        Q_UNUSED(state)
        const int side = qMax(1, qMin(size.width(), size.height()));
        const quint64 key = (quint64(side) << 8) | quint64(mode);
        auto found = m_cache.constFind(key);
        if (found != m_cache.constEnd())
            return found.value();
        QPixmap rendered = StatusGlyph::pixmap(m_shape, m_disc, side);
        if (mode == QIcon::Disabled && qobject_cast<QApplication*>(QCoreApplication::instance())) {
            QStyleOption option;
            option.palette = QApplication::palette();
            rendered = QApplication::style()->generatedIconPixmap(mode, rendered, &option);
        }
        m_cache.insert(key, rendered);
        return rendered;
    }

    void paint(QPainter* painter, const QRect& rect, QIcon::Mode mode, QIcon::State state) override
    {
        const qreal ratio = painter->device() ? painter->device()->devicePixelRatioF() : 1.0;
        QPixmap rendered = pixmap(rect.size() * ratio, mode, state);
        rendered.setDevicePixelRatio(ratio);
        painter->drawPixmap(rect, rendered);
    }

    QIconEngine* clone() const override { return new StatusGlyphEngine(*this); }

private:
    StatusGlyph::Shape m_shape;
    QColor m_disc;
    QHash<quint64, QPixmap> m_cache;
};

} // namespace

QIcon StatusGlyph::icon(Shape shape, const QColor& disc)
{
    // Any size a view or label asks for, device pixels included (a 32 px
    // rendering for a 16 px icon on a 2x screen).
    return QIcon(new StatusGlyphEngine(shape, disc));
}

} // namespace dbops::ui
