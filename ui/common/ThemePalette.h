#pragma once

#include <QPalette>
#include <QString>

namespace dbops::ui {

/// View ▸ Theme: the desktop's palette, or a light or dark one of our own.
/// The choice is kept in the settings ("view/theme") and applied to the
/// whole application; the icons (ThemedIcons) and the colours that blend
/// into the palette follow it.
class ThemePalette
{
public:
    enum class Theme
    {
        System,
        Light,
        Dark,
    };

    static QPalette dark();
    static QPalette light();
    /// Remembers the desktop's palette (call once, before any apply()).
    static void rememberSystemPalette();
    static void apply(Theme theme);
    static Theme saved();
    static void save(Theme theme);
    static QString key(Theme theme); ///< "system", "light", "dark"
};

} // namespace dbops::ui
