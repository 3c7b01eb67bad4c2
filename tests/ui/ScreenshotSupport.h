#pragma once

// What the screenshot tools (dbops-widget-shots, dbops-panel-shots) share:
// showing a widget until it is painted, saving its grab, and the dark palette
// the tools also render with.

#include "ThemePalette.h"

#include <QColor>
#include <QPalette>
#include <QTest>
#include <QWidget>
#include <cstdio>

namespace dbops::ui::shots {

/// Shows `widget` and waits for its window and for delayed work (syntax
/// highlighting, layout) to settle.
inline void showAndSettle(QWidget& widget)
{
    widget.show();
    if (!QTest::qWaitForWindowExposed(&widget))
        std::fprintf(stderr, "window not exposed; the grab may be empty\n");
    QTest::qWait(200);
}

/// Grabs `widget` into the PNG at `path`, says so on stderr, and hides it again.
inline bool save(QWidget& widget, const QString& path)
{
    showAndSettle(widget);
    const bool ok = widget.grab().save(path);
    std::fprintf(stderr, "%s %s\n", ok ? "wrote" : "FAILED to write", qPrintable(path));
    widget.hide();
    return ok;
}

/// A dark desktop palette, to show that the widgets follow it.
/// The console's own dark palette (View > Theme > Dark).
inline QPalette darkPalette()
{
    return ThemePalette::dark();
}

} // namespace dbops::ui::shots
