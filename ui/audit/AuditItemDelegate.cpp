#include "AuditItemDelegate.h"

#include <QApplication>
#include <QPainter>

namespace dbops::ui {

void AuditItemDelegate::paint(
    QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QStyleOptionViewItem item = option;
    initStyleOption(&item, index);
    const QWidget* widget = item.widget;
    QStyle* style = widget ? widget->style() : QApplication::style();
    const QString text = item.text;
    // Everything but the text, as the style draws it.
    item.text.clear();
    style->drawControl(QStyle::CE_ItemViewItem, &item, painter, widget);
    if (text.isEmpty())
        return;

    // The text rectangle as QCommonStyle lays an item out: after the icon,
    // inside the focus frame's margin.
    const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, widget) + 1;
    QRect textRect = item.rect;
    if (item.features & QStyleOptionViewItem::HasDecoration)
        textRect.setLeft(textRect.left() + item.decorationSize.width() + 2 * margin);
    textRect.adjust(margin, 0, -margin, 0);
    if (textRect.width() <= 0)
        return;

    QPalette::ColorGroup group = QPalette::Normal;
    if (!(item.state & QStyle::State_Enabled))
        group = QPalette::Disabled;
    else if (!(item.state & QStyle::State_Active))
        group = QPalette::Inactive;
    const QPalette::ColorRole role
        = (item.state & QStyle::State_Selected) ? QPalette::HighlightedText : QPalette::Text;

    painter->save();
    painter->setFont(item.font);
    painter->setPen(item.palette.color(group, role));
    const QString shown = QFontMetrics(item.font).elidedText(text, item.textElideMode, textRect.width());
    painter->drawText(textRect, int(item.displayAlignment | Qt::TextSingleLine), shown);
    painter->restore();
}

} // namespace dbops::ui
