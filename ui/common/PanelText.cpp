#include "PanelText.h"

#include <QFont>
#include <QLabel>

namespace dbops::ui::PanelText {

QFont headlineFont(const QFont& base)
{
    QFont font = base;
    if (font.pointSizeF() > 0)
        font.setPointSizeF(font.pointSizeF() * 1.25);
    else
        font.setPixelSize(qRound(font.pixelSize() * 1.25));
    font.setBold(true);
    return font;
}

QLabel* placeholderLabel(QWidget* parent)
{
    auto* label = new QLabel(parent);
    label->setAlignment(Qt::AlignCenter);
    label->setWordWrap(true);
    label->setForegroundRole(QPalette::PlaceholderText);
    return label;
}

} // namespace dbops::ui::PanelText
