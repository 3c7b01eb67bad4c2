#pragma once

// What the screenshot tools (dbops-widget-shots, dbops-panel-shots) share:
// showing a widget until it is painted, saving its grab, and the dark palette
// the tools also render with.

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
inline QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x2b, 0x2d, 0x31));
    p.setColor(QPalette::WindowText, QColor(0xdf, 0xe1, 0xe5));
    p.setColor(QPalette::Base, QColor(0x1e, 0x1f, 0x22));
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x28, 0x2b));
    p.setColor(QPalette::Text, QColor(0xdf, 0xe1, 0xe5));
    p.setColor(QPalette::Button, QColor(0x2b, 0x2d, 0x31));
    p.setColor(QPalette::ButtonText, QColor(0xdf, 0xe1, 0xe5));
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x65, 0xca));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9d, 0xa3));
    p.setColor(QPalette::ToolTipBase, QColor(0x2b, 0x2d, 0x31));
    p.setColor(QPalette::ToolTipText, QColor(0xdf, 0xe1, 0xe5));
    // setColor(role, ...) sets every colour group: disabled controls need
    // their own, dimmer text or they look enabled.
    const QColor dimmed(0x75, 0x78, 0x7e);
    for (const QPalette::ColorRole role : { QPalette::WindowText, QPalette::Text, QPalette::ButtonText })
        p.setColor(QPalette::Disabled, role, dimmed);
    return p;
}

} // namespace dbops::ui::shots
