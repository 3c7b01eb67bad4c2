#pragma once

#include <QFont>

namespace dbops::ui {

/// The font for SQL and revision ids: the platform's fixed font, or any
/// monospace font where the platform offers none (Qt 5's offscreen and
/// minimal platforms answer the fixed-font query with a proportional font).
class MonospaceFont
{
public:
    static QFont preferred();
};

} // namespace dbops::ui
