#include "SearchIndex.h"

#include "migrations/RevisionGraph.h"

#include <algorithm>

namespace dbops::ui {

void SearchIndex::setRevisions(const RevisionGraph* graph)
{
    m_revisions.clear();
    if (!graph)
        return;
    const QStringList order = graph->historyOrder();
    m_revisions.reserve(order.size());
    for (const QString& id : order)
        m_revisions.append({ id, graph->revision(id).message });
}

void SearchIndex::setAudit(const AuditReport& report)
{
    m_audit = report;
}

void SearchIndex::setSql(const QString& text)
{
    m_sql = text;
    m_lineStarts.clear();
    if (text.isEmpty())
        return;
    m_lineStarts.append(0);
    for (int i = text.indexOf(QLatin1Char('\n')); i >= 0; i = text.indexOf(QLatin1Char('\n'), i + 1))
        m_lineStarts.append(i + 1);
}

void SearchIndex::clear()
{
    setRevisions(nullptr);
    setAudit(AuditReport());
    setSql(QString());
}

SearchResults SearchIndex::search(const QString& query, int limitPerGroup) const
{
    SearchResults results;
    const QString wanted = query.trimmed();
    if (wanted.isEmpty())
        return results;
    const int limit = std::max(0, limitPerGroup);
    results.revisions = searchRevisions(wanted, limit);
    results.auditObjects = searchAudit(wanted, limit);
    results.sqlLines = searchSql(wanted, limit);
    return results;
}

SearchGroup SearchIndex::searchRevisions(const QString& query, int limit) const
{
    // An id prefix is what someone copies from a log or a ticket: those come first.
    QVector<int> byId;
    QVector<int> byMessage;
    for (int i = 0; i < m_revisions.size(); ++i) {
        const RevisionEntry& entry = m_revisions.at(i);
        if (entry.id.startsWith(query, Qt::CaseInsensitive))
            byId.append(i);
        else if (entry.message.contains(query, Qt::CaseInsensitive))
            byMessage.append(i);
    }
    SearchGroup group;
    group.total = static_cast<int>(byId.size() + byMessage.size());
    for (const QVector<int>* matches : { &byId, &byMessage }) {
        for (int i : *matches) {
            if (group.hits.size() >= limit)
                return group;
            SearchHit hit;
            hit.kind = SearchHit::Kind::Revision;
            hit.revision = m_revisions.at(i).id;
            hit.message = m_revisions.at(i).message;
            group.hits.append(hit);
        }
    }
    return group;
}

SearchGroup SearchIndex::searchAudit(const QString& query, int limit) const
{
    const bool qualified = query.contains(QLatin1Char('.'));
    // Rank: the exact name, then names that start with the query, then the rest;
    // report order within a rank.
    QVector<QVector<int>> ranked(3);
    for (int i = 0; i < m_audit.items.size(); ++i) {
        const AuditItem& item = m_audit.items.at(i);
        if (item.name.compare(query, Qt::CaseInsensitive) == 0) {
            ranked[0].append(i);
        } else if (item.name.startsWith(query, Qt::CaseInsensitive)) {
            ranked[1].append(i);
        } else if (item.name.contains(query, Qt::CaseInsensitive)) {
            ranked[2].append(i);
        } else if (qualified) {
            const QString inTable = item.table.isEmpty() || item.table == item.name
                ? item.name
                : QString(item.table + QLatin1Char('.') + item.name);
            const QString qualifiedName = item.schema + QLatin1Char('.') + inTable;
            if (qualifiedName.contains(query, Qt::CaseInsensitive))
                ranked[2].append(i);
        }
    }
    SearchGroup group;
    for (const QVector<int>& matches : std::as_const(ranked)) {
        group.total += static_cast<int>(matches.size());
        for (int i : matches) {
            if (group.hits.size() < limit)
                group.hits.append(auditHit(i));
        }
    }
    return group;
}

SearchHit SearchIndex::auditHit(int itemIndex) const
{
    const AuditItem& item = m_audit.items.at(itemIndex);
    SearchHit hit;
    hit.kind = SearchHit::Kind::AuditObject;
    hit.auditItem = itemIndex;
    hit.objectKind = item.objectKind;
    hit.status = item.status;
    hit.name = item.name;
    const bool ownsItself = item.table.isEmpty() || item.table == item.name;
    hit.owner = ownsItself ? item.schema : QString(item.schema + QLatin1Char('.') + item.table);
    return hit;
}

SearchGroup SearchIndex::searchSql(const QString& query, int limit) const
{
    SearchGroup group;
    int from = 0;
    while (true) {
        const int found = static_cast<int>(m_sql.indexOf(query, from, Qt::CaseInsensitive));
        if (found < 0)
            break;
        // The line holding the match: the last line start at or before it.
        const int line = static_cast<int>(
            std::upper_bound(m_lineStarts.cbegin(), m_lineStarts.cend(), found) - m_lineStarts.cbegin() - 1);
        ++group.total;
        if (group.hits.size() < limit) {
            SearchHit hit;
            hit.kind = SearchHit::Kind::SqlLine;
            hit.line = line;
            hit.column = found - m_lineStarts.at(line);
            hit.length = static_cast<int>(query.size());
            hit.text = lineText(line);
            group.hits.append(hit);
        }
        // One hit per line: go on at the next line.
        if (line + 1 >= m_lineStarts.size())
            break;
        from = m_lineStarts.at(line + 1);
    }
    return group;
}

QString SearchIndex::lineText(int line) const
{
    const int start = m_lineStarts.at(line);
    const int end
        = line + 1 < m_lineStarts.size() ? m_lineStarts.at(line + 1) - 1 : static_cast<int>(m_sql.size());
    QString text = m_sql.mid(start, end - start);
    if (text.endsWith(QLatin1Char('\r')))
        text.chop(1);
    return text;
}

} // namespace dbops::ui
