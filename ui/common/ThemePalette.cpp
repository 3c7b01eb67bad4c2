#include "ThemePalette.h"

#include <QApplication>
#include <QSettings>
#include <optional>

namespace dbops::ui {

namespace {

std::optional<QPalette>& systemPalette()
{
    static std::optional<QPalette> palette;
    return palette;
}

} // namespace

QPalette ThemePalette::dark()
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
    p.setColor(QPalette::Link, QColor(0x6c, 0xa0, 0xf0));
    // setColor(role, ...) sets every colour group: disabled controls need
    // their own, dimmer text or they look enabled.
    const QColor dimmed(0x75, 0x78, 0x7e);
    for (const QPalette::ColorRole role : { QPalette::WindowText, QPalette::Text, QPalette::ButtonText })
        p.setColor(QPalette::Disabled, role, dimmed);
    return p;
}

QPalette ThemePalette::light()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0xef, 0xf0, 0xf1));
    p.setColor(QPalette::WindowText, QColor(0x23, 0x26, 0x29));
    p.setColor(QPalette::Base, Qt::white);
    p.setColor(QPalette::AlternateBase, QColor(0xf7, 0xf7, 0xf7));
    p.setColor(QPalette::Text, QColor(0x23, 0x26, 0x29));
    p.setColor(QPalette::Button, QColor(0xef, 0xf0, 0xf1));
    p.setColor(QPalette::ButtonText, QColor(0x23, 0x26, 0x29));
    p.setColor(QPalette::Highlight, QColor(0x3d, 0xae, 0xe9));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::PlaceholderText, QColor(0x70, 0x74, 0x78));
    p.setColor(QPalette::ToolTipBase, QColor(0xf7, 0xf7, 0xf7));
    p.setColor(QPalette::ToolTipText, QColor(0x23, 0x26, 0x29));
    const QColor dimmed(0xa0, 0xa2, 0xa4);
    for (const QPalette::ColorRole role : { QPalette::WindowText, QPalette::Text, QPalette::ButtonText })
        p.setColor(QPalette::Disabled, role, dimmed);
    return p;
}

void ThemePalette::rememberSystemPalette()
{
    if (!systemPalette())
        systemPalette() = QApplication::palette();
}

void ThemePalette::apply(Theme theme)
{
    rememberSystemPalette();
    switch (theme) {
    case Theme::System:
        QApplication::setPalette(*systemPalette());
        break;
    case Theme::Light:
        QApplication::setPalette(light());
        break;
    case Theme::Dark:
        QApplication::setPalette(dark());
        break;
    }
}

QString ThemePalette::key(Theme theme)
{
    switch (theme) {
    case Theme::Light:
        return QStringLiteral("light");
    case Theme::Dark:
        return QStringLiteral("dark");
    case Theme::System:
        break;
    }
    return QStringLiteral("system");
}

ThemePalette::Theme ThemePalette::saved()
{
    const QString value = QSettings().value(QStringLiteral("view/theme")).toString();
    for (Theme theme : { Theme::Light, Theme::Dark }) {
        if (value == key(theme))
            return theme;
    }
    return Theme::System;
}

void ThemePalette::save(Theme theme)
{
    QSettings().setValue(QStringLiteral("view/theme"), key(theme));
}

} // namespace dbops::ui
