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

/// The colours a theme of our own sets; the rest are Qt's defaults.
struct ThemeColors
{
    QColor window;
    QColor text; ///< window, base and button text alike
    QColor base;
    QColor alternateBase;
    QColor highlight;
    QColor placeholder;
    QColor toolTipBase;
    QColor disabledText;
    QColor link; ///< invalid: Qt's default
};

QPalette paletteOf(const ThemeColors& colors)
{
    QPalette p;
    p.setColor(QPalette::Window, colors.window);
    p.setColor(QPalette::WindowText, colors.text);
    p.setColor(QPalette::Base, colors.base);
    p.setColor(QPalette::AlternateBase, colors.alternateBase);
    p.setColor(QPalette::Text, colors.text);
    p.setColor(QPalette::Button, colors.window);
    p.setColor(QPalette::ButtonText, colors.text);
    p.setColor(QPalette::Highlight, colors.highlight);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::PlaceholderText, colors.placeholder);
    p.setColor(QPalette::ToolTipBase, colors.toolTipBase);
    p.setColor(QPalette::ToolTipText, colors.text);
    if (colors.link.isValid())
        p.setColor(QPalette::Link, colors.link);
    // setColor(role, ...) sets every colour group: disabled controls need
    // their own, dimmer text or they look enabled.
    for (const QPalette::ColorRole role : { QPalette::WindowText, QPalette::Text, QPalette::ButtonText })
        p.setColor(QPalette::Disabled, role, colors.disabledText);
    return p;
}

} // namespace

QPalette ThemePalette::dark()
{
    return paletteOf(
        ThemeColors { QColor(0x2b, 0x2d, 0x31), QColor(0xdf, 0xe1, 0xe5), QColor(0x1e, 0x1f, 0x22),
            QColor(0x26, 0x28, 0x2b), QColor(0x2f, 0x65, 0xca), QColor(0x9a, 0x9d, 0xa3),
            QColor(0x2b, 0x2d, 0x31), QColor(0x75, 0x78, 0x7e), QColor(0x6c, 0xa0, 0xf0) });
}

QPalette ThemePalette::light()
{
    return paletteOf(ThemeColors { QColor(0xef, 0xf0, 0xf1), QColor(0x23, 0x26, 0x29), Qt::white,
        QColor(0xf7, 0xf7, 0xf7), QColor(0x3d, 0xae, 0xe9), QColor(0x70, 0x74, 0x78),
        QColor(0xf7, 0xf7, 0xf7), QColor(0xa0, 0xa2, 0xa4), QColor() });
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
