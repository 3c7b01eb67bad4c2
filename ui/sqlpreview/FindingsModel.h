#pragma once

#include "PreviewFinding.h"

#include <QAbstractTableModel>
#include <QPalette>

namespace dbops::ui {

/// The SQL preview's Findings list: one row per lint finding, in script
/// order, with its severity, script line, rule, lock, message, the safe form
/// to write instead and the kind of statement.
class FindingsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        SeverityColumn,
        LineColumn,
        RuleColumn,
        LockColumn,
        MessageColumn,
        SuggestionColumn,
        StatementColumn, ///< last: the editor shows the statement itself
        ColumnCount,
    };
    /// The 0-based script line of a row (an int), on every column.
    static constexpr int BlockRole = Qt::UserRole + 1;

    explicit FindingsModel(QObject* parent = nullptr);

    void setFindings(const PreviewFindingList& findings);
    /// The severity icons follow the view's palette (lighter on a dark one).
    void setPalette(const QPalette& palette);
    const PreviewFindingList& findings() const { return m_findings; }
    int errorCount() const { return m_errors; }

    /// The gutter's markers: one per statement with findings, sorted by line.
    FindingMarkerList markers() const;

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// "require-concurrent-index-creation: CREATE INDEX ... \nSafe form: ..."
    static QString toolTip(const LintFinding& finding);

private:
    PreviewFindingList m_findings;
    int m_errors = 0;
    QPalette m_palette;
};

} // namespace dbops::ui
