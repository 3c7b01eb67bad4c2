#pragma once

#include <QColor>
#include <QIcon>

namespace dbops::ui {

/// Small status icons that read without colour: every status has its own
/// shape (check mark, cross, plus, tilde, exclamation mark) drawn in white on
/// a coloured disc, so a colour-blind user, a grey-scale printout or a
/// screenshot in a ticket still tells MISSING from EXTRA.
class StatusGlyph
{
public:
    enum class Shape
    {
        Check,
        Cross,
        Plus,
        Tilde,
        Exclamation
    };

    /// Painted at the sizes item views and labels ask for (16 to 128 device pixels).
    static QIcon icon(Shape shape, const QColor& disc);
    /// One rendering, `size` device-independent pixels square.
    static QPixmap pixmap(Shape shape, const QColor& disc, int size, qreal devicePixelRatio = 1.0);
};

} // namespace dbops::ui
