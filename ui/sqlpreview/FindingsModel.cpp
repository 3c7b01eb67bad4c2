#include "FindingsModel.h"

#include "SeverityStyle.h"
#include "SqlHighlighter.h"

namespace dbops::ui {

FindingsModel::FindingsModel(QObject* parent)
    : QAbstractTableModel(parent)
{ }

void FindingsModel::setFindings(const PreviewFindingList& findings)
{
    beginResetModel();
    m_findings = findings;
    m_errors = 0;
    for (const PreviewFinding& finding : findings)
        m_errors += finding.finding.severity == LintSeverity::Error ? 1 : 0;
    endResetModel();
}

void FindingsModel::setPalette(const QPalette& palette)
{
    m_palette = palette;
    if (!m_findings.isEmpty())
        Q_EMIT dataChanged(
            index(0, SeverityColumn), index(rowCount() - 1, SeverityColumn), { Qt::DecorationRole });
}

QString FindingsModel::toolTip(const LintFinding& finding)
{
    QString text = finding.rule + QStringLiteral(": ") + finding.message;
    if (!finding.suggestion.isEmpty())
        text += QLatin1Char('\n') + tr("Safe form: %1").arg(finding.suggestion);
    return text;
}

FindingMarkerList FindingsModel::markers() const
{
    // Findings come in script order, so those of one statement are adjacent.
    FindingMarkerList out;
    for (const PreviewFinding& finding : m_findings) {
        if (!out.isEmpty() && out.constLast().firstBlock == finding.statementFirstBlock) {
            FindingMarker& marker = out.last();
            if (finding.finding.severity == LintSeverity::Error)
                marker.severity = LintSeverity::Error;
            marker.toolTip += QLatin1Char('\n') + toolTip(finding.finding);
            continue;
        }
        FindingMarker marker;
        marker.firstBlock = finding.statementFirstBlock;
        marker.lastBlock = finding.statementLastBlock;
        marker.severity = finding.finding.severity;
        marker.toolTip = toolTip(finding.finding);
        out.append(marker);
    }
    return out;
}

int FindingsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_findings.size());
}

int FindingsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FindingsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_findings.size())
        return {};
    const PreviewFinding& row = m_findings.at(index.row());
    const LintFinding& finding = row.finding;
    if (role == BlockRole)
        return row.block;
    if (role == Qt::ToolTipRole) {
        return QString(toolTip(finding) + QLatin1Char('\n')
            + tr("Written at %1:%2").arg(finding.file).arg(finding.line));
    }
    if (role == Qt::DecorationRole && index.column() == SeverityColumn) {
        return SeverityStyle::icon(
            finding.severity, SqlHighlighting::isDark(m_palette), m_palette.color(QPalette::Base));
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case SeverityColumn:
        return lintSeverityName(finding.severity);
    case RuleColumn:
        return finding.rule;
    case LineColumn:
        return row.block + 1;
    case StatementColumn:
        return finding.statement;
    case LockColumn:
        if (row.lockMode.isEmpty())
            return QString();
        if (row.relation.isEmpty())
            return row.lockMode;
        if (row.relationCreatedInTransaction)
            return tr("%1 on %2 (new in this transaction: blocks nobody here)")
                .arg(row.lockMode, row.relation);
        return tr("%1 on %2").arg(row.lockMode, row.relation);
    case MessageColumn:
        return finding.message;
    case SuggestionColumn:
        return finding.suggestion;
    default:
        return {};
    }
}

QVariant FindingsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case SeverityColumn:
        return tr("Severity");
    case RuleColumn:
        return tr("Rule");
    case LineColumn:
        return tr("Line");
    case StatementColumn:
        return tr("Statement");
    case LockColumn:
        return tr("Lock");
    case MessageColumn:
        return tr("Message");
    case SuggestionColumn:
        return tr("Safe form");
    default:
        return {};
    }
}

} // namespace dbops::ui
