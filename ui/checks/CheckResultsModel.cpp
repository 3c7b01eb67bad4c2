#include "CheckResultsModel.h"

#include "StatusGlyph.h"

#include <QFont>
#include <QGuiApplication>
#include <QPalette>

namespace dbops::ui {

namespace {

// Checks carry internal id 0; a returned row carries its check's row + 1.
constexpr quintptr kCheckId = 0;

bool darkPalette()
{
    return QGuiApplication::palette().color(QPalette::Base).lightness() < 128;
}

QString firstLine(const QString& text)
{
    const int newline = static_cast<int>(text.indexOf(QLatin1Char('\n')));
    return newline < 0 ? text : text.left(newline);
}

} // namespace

CheckResultsModel::CheckResultsModel(QObject* parent)
    : QAbstractItemModel(parent)
{
    // Shape and colour: a check mark passes, a cross fails, an exclamation
    // mark could not run; readable without colour.
    m_resultIcons = { StatusGlyph::icon(StatusGlyph::Shape::Check, resultColor(Result::Pass)),
        StatusGlyph::icon(StatusGlyph::Shape::Cross, resultColor(Result::Fail)),
        StatusGlyph::icon(StatusGlyph::Shape::Exclamation, resultColor(Result::Error)) };
}

CheckResultsModel::~CheckResultsModel() = default;

void CheckResultsModel::setReport(const CheckReport& report)
{
    beginResetModel();
    m_report = report;
    m_hasReport = true;
    endResetModel();
}

void CheckResultsModel::clear()
{
    beginResetModel();
    m_report = CheckReport();
    m_hasReport = false;
    endResetModel();
}

CheckResultsModel::Result CheckResultsModel::resultOf(const CheckOutcome& outcome)
{
    if (outcome.error)
        return Result::Error;
    return outcome.ok() ? Result::Pass : Result::Fail;
}

QString CheckResultsModel::resultName(Result result)
{
    switch (result) {
    case Result::Pass:
        return tr("pass");
    case Result::Fail:
        return tr("fail");
    case Result::Error:
        return tr("error");
    }
    return {};
}

QColor CheckResultsModel::resultColor(Result result)
{
    switch (result) {
    case Result::Pass:
        return QColor(0x2e, 0x7d, 0x32); // green
    case Result::Fail:
        return QColor(0xc6, 0x28, 0x28); // red
    case Result::Error:
        return QColor(0xd8, 0x7a, 0x00); // amber
    }
    return QColor(Qt::gray);
}

QIcon CheckResultsModel::resultIcon(Result result) const
{
    return m_resultIcons.value(static_cast<int>(result));
}

int CheckResultsModel::failedCount() const
{
    int n = 0;
    for (const CheckOutcome& outcome : m_report.outcomes)
        n += outcome.ok() ? 0 : 1;
    return n;
}

int CheckResultsModel::errorCount() const
{
    int n = 0;
    for (const CheckOutcome& outcome : m_report.outcomes)
        n += outcome.error ? 1 : 0;
    return n;
}

QString CheckResultsModel::summaryText() const
{
    if (!m_hasReport)
        return {};
    const int total = static_cast<int>(m_report.outcomes.size());
    const int failed = failedCount();
    const int errors = errorCount();
    // Plurals spelled out: without a loaded translation tr()'s %n keeps "(s)".
    QString text;
    if (total == 0)
        text = tr("No checks ran");
    else if (failed == 0)
        text = total == 1 ? tr("The check passed") : tr("All %1 checks passed").arg(total);
    else if (total == 1)
        text = tr("The check failed");
    else
        text = tr("%1 of %2 checks failed").arg(failed).arg(total);
    if (errors > 0)
        text += QLatin1Char(' ') + tr("(%1 could not run)").arg(errors);
    return text;
}

const CheckOutcome* CheckResultsModel::outcomeAt(const QModelIndex& index) const
{
    if (!index.isValid() || index.model() != this)
        return nullptr;
    const int row = index.internalId() == kCheckId ? index.row() : static_cast<int>(index.internalId()) - 1;
    return row >= 0 && row < m_report.outcomes.size() ? &m_report.outcomes.at(row) : nullptr;
}

const CheckRow* CheckResultsModel::rowAt(const QModelIndex& index) const
{
    if (isCheck(index))
        return nullptr;
    const CheckOutcome* outcome = outcomeAt(index);
    return outcome && index.row() < outcome->rows.size() ? &outcome->rows.at(index.row()) : nullptr;
}

int CheckResultsModel::rowOfCheck(const QString& name) const
{
    for (int row = 0; row < m_report.outcomes.size(); ++row) {
        if (m_report.outcomes.at(row).name == name)
            return row;
    }
    return -1;
}

bool CheckResultsModel::isCheck(const QModelIndex& index) const
{
    return index.isValid() && index.model() == this && index.internalId() == kCheckId;
}

CheckResultsModel::Result CheckResultsModel::resultAt(const QModelIndex& index) const
{
    if (isCheck(index))
        return resultOf(*outcomeAt(index));
    const CheckRow* row = rowAt(index);
    return row && row->ok ? Result::Pass : Result::Fail;
}

QString CheckResultsModel::outcomeSummary(const CheckOutcome& outcome) const
{
    if (outcome.error)
        return firstLine(outcome.error->message);
    const int rows = static_cast<int>(outcome.rows.size());
    if (rows == 0)
        return tr("no rows returned");
    int failed = 0;
    for (const CheckRow& row : outcome.rows)
        failed += row.ok ? 0 : 1;
    if (failed == 0)
        return rows == 1 ? tr("1 row, ok") : tr("%1 rows, all ok").arg(rows);
    return rows == 1 ? tr("1 row, not ok") : tr("%1 of %2 rows not ok").arg(failed).arg(rows);
}

QString CheckResultsModel::toolTip(const QModelIndex& index) const
{
    const CheckOutcome* outcome = outcomeAt(index);
    if (isCheck(index)) {
        QString tip = outcome->name;
        if (!outcome->description.isEmpty())
            tip += QLatin1Char('\n') + outcome->description;
        tip += QLatin1Char('\n') + resultName(resultOf(*outcome)) + QStringLiteral(": ")
            + outcomeSummary(*outcome);
        if (outcome->error)
            tip += QLatin1Char('\n') + outcome->error->toString();
        return tip;
    }
    const CheckRow* row = rowAt(index);
    return row->check + QLatin1Char('\n') + tr("expected: %1").arg(row->expected) + QLatin1Char('\n')
        + tr("actual: %1").arg(row->actual) + QLatin1Char('\n') + resultName(resultAt(index));
}

QModelIndex CheckResultsModel::index(int row, int column, const QModelIndex& parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount)
        return {};
    if (!parent.isValid())
        return row < m_report.outcomes.size() ? createIndex(row, column, kCheckId) : QModelIndex();
    if (!isCheck(parent) || parent.row() >= m_report.outcomes.size())
        return {};
    if (row >= m_report.outcomes.at(parent.row()).rows.size())
        return {};
    return createIndex(row, column, static_cast<quintptr>(parent.row()) + 1);
}

QModelIndex CheckResultsModel::parent(const QModelIndex& child) const
{
    if (!child.isValid() || child.internalId() == kCheckId)
        return {};
    return createIndex(static_cast<int>(child.internalId()) - 1, 0, kCheckId);
}

int CheckResultsModel::rowCount(const QModelIndex& parent) const
{
    if (!parent.isValid())
        return static_cast<int>(m_report.outcomes.size());
    if (!isCheck(parent) || parent.column() != 0)
        return 0;
    const CheckOutcome* outcome = outcomeAt(parent);
    return outcome ? static_cast<int>(outcome->rows.size()) : 0;
}

int CheckResultsModel::columnCount(const QModelIndex& parent) const
{
    Q_UNUSED(parent)
    return ColumnCount;
}

Qt::ItemFlags CheckResultsModel::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (!isCheck(index))
        f |= Qt::ItemNeverHasChildren;
    return f;
}

QVariant CheckResultsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case CheckColumn:
        return tr("Check");
    case ExpectedColumn:
        return tr("Expected");
    case ActualColumn:
        return tr("Actual");
    case ResultColumn:
        return tr("Result");
    default:
        return {};
    }
}

QVariant CheckResultsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const CheckOutcome* outcome = outcomeAt(index);
    if (!outcome)
        return {};
    const bool checkRow = isCheck(index);
    const CheckRow* row = rowAt(index);
    if (!checkRow && !row)
        return {};
    const Result result = resultAt(index);

    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case CheckColumn:
            return checkRow ? outcome->name : row->check;
        case ExpectedColumn:
            return checkRow ? QString() : row->expected;
        case ActualColumn:
            return checkRow ? outcomeSummary(*outcome) : row->actual;
        case ResultColumn:
            return resultName(result);
        default:
            return {};
        }
    case Qt::ToolTipRole:
        return toolTip(index);
    case Qt::DecorationRole:
        return index.column() == ResultColumn ? QVariant(resultIcon(result)) : QVariant();
    case Qt::ForegroundRole:
        if (index.column() == ResultColumn
            || (checkRow && outcome->error && index.column() == ActualColumn)) {
            const QColor color = resultColor(result);
            return darkPalette() ? color.lighter(150) : color.darker(130);
        }
        return {};
    case Qt::FontRole:
        if ((checkRow && index.column() == CheckColumn)
            || (index.column() == ResultColumn && result != Result::Pass)) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case ResultRole:
        return static_cast<int>(result);
    case CheckNameRole:
        return outcome->name;
    case IsCheckRole:
        return checkRow;
    default:
        return {};
    }
}

} // namespace dbops::ui
