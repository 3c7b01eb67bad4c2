#include "MonospaceFont.h"

#include <QFontDatabase>
#include <QFontInfo>

namespace dbops::ui {

QFont MonospaceFont::preferred()
{
    QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    if (QFontInfo(font).fixedPitch())
        return font;
    font.setFamily(QStringLiteral("monospace"));
    font.setStyleHint(QFont::Monospace);
    font.setFixedPitch(true);
    return font;
}

} // namespace dbops::ui
