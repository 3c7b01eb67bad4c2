#pragma once

#include <QStyledItemDelegate>

namespace dbops::ui {

/// Paints the audit tree's cells as QStyledItemDelegate does (background,
/// selection, status icon, focus) but draws the text on one line with
/// QPainter::drawText: the style's item text path lays every cell out with
/// QTextLayout twice (eliding, then drawing), which made repainting the tree
/// after a 2,000-table audit the longest stall of the GUI thread.
class AuditItemDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(
        QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

} // namespace dbops::ui
