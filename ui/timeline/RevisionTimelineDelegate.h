#pragma once

#include <QStyledItemDelegate>

namespace dbops::ui {

struct TimelineLaneRow;

/// Paints the revision timeline: lanes and the lines between them in the
/// graph column, a circle per revision and a diamond per merge (filled when
/// applied, hollow when pending, ringed in green where the database is),
/// "database is here" and "head" badges before the message, and a tint on
/// pending rows.
class RevisionTimelineDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    explicit RevisionTimelineDelegate(QObject* parent = nullptr);

    void paint(
        QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;

    /// Horizontal room one lane takes, for a font.
    static int laneWidth(const QFontMetrics& metrics);
    /// Width of a graph column holding `lanes` lanes.
    static int graphWidth(const QFontMetrics& metrics, int lanes);
    /// The colour of lane `lane` on a light or dark base.
    static QColor laneColor(int lane, bool dark);

protected:
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override;

private:
    void paintGraph(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const;
    void paintMessage(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const;
};

} // namespace dbops::ui
