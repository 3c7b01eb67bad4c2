#pragma once

#include <QIcon>
#include <QPalette>

namespace dbops::ui {

/// The console's own icons (resources/icons/*.svg), drawn in the palette's
/// text colour so they stay readable on light and dark palettes alike
/// (QStyle's standard icons are dark glyphs that vanish on a dark palette).
/// An SVG strokes with `currentColor`; this class puts the palette's colour
/// there for the normal, active and disabled modes.  Accent colours written
/// in a file (the production warning's red) stay as they are.
class IconSet
{
public:
    /// `name` is a file of resources/icons without ".svg"; a null icon for an unknown name.
    static QIcon icon(const QString& name, const QPalette& palette);
    /// Every icon the console uses, for tests.
    static QStringList names();
};

} // namespace dbops::ui
