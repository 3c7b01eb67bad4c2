#pragma once

#include "checks/CheckRunner.h"

#include <QAbstractItemModel>
#include <QColor>
#include <QIcon>
#include <QVector>

namespace dbops::ui {

/// Data check results as a tree: one row per check (in the order they ran),
/// its children the rows its query returned.  A check passes when it ran and
/// every row is ok; a check whose query failed shows the server's error
/// instead of rows.
class CheckResultsModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column
    {
        CheckColumn,
        ExpectedColumn,
        ActualColumn,
        ResultColumn,
        ColumnCount
    };

    enum class Result
    {
        Pass,
        Fail, ///< ran, and a row is not ok (or it returned no rows)
        Error, ///< the query failed on the server
    };

    enum Role
    {
        ResultRole = Qt::UserRole + 1, ///< int (Result) of the row: a check's overall result, or the row's
        CheckNameRole, ///< QString: the check's name, on its rows too
        IsCheckRole, ///< bool: a top-level row
    };

    explicit CheckResultsModel(QObject* parent = nullptr);
    ~CheckResultsModel() override;

    void setReport(const CheckReport& report);
    void clear();
    CheckReport report() const { return m_report; }
    bool hasReport() const { return m_hasReport; }

    static Result resultOf(const CheckOutcome& outcome);
    static QString resultName(Result result); ///< "pass", "fail", "error"
    static QColor resultColor(Result result);
    QIcon resultIcon(Result result) const;

    int failedCount() const; ///< checks that did not pass, errors included
    int errorCount() const;
    /// "2 of 3 checks failed", "All 3 checks passed", "2 of 3 checks failed (1 could not run)".
    QString summaryText() const;

    /// The check a row belongs to (its own for a check row), nullptr for an invalid index.
    const CheckOutcome* outcomeAt(const QModelIndex& index) const;
    /// The row of the check called `name`, -1 if the report has none.
    int rowOfCheck(const QString& name) const;
    bool isCheck(const QModelIndex& index) const;

    QModelIndex index(int row, int column, const QModelIndex& parent = QModelIndex()) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

private:
    const CheckRow* rowAt(const QModelIndex& index) const;
    Result resultAt(const QModelIndex& index) const;
    /// "1 of 3 rows failed", "3 rows, all ok", "no rows returned", or the error.
    QString outcomeSummary(const CheckOutcome& outcome) const;
    QString toolTip(const QModelIndex& index) const;

    CheckReport m_report;
    bool m_hasReport = false;
    QVector<QIcon> m_resultIcons; ///< by Result
};

} // namespace dbops::ui
