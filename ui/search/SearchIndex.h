#pragma once

#include "catalog/AuditReport.h"

#include <QString>
#include <QVector>

namespace dbops {
class RevisionGraph;
}

namespace dbops::ui {

/// One result of Search Everywhere (Ctrl+K): a revision, an object of the
/// schema audit or a line of the SQL preview, with what the popup shows and
/// what the window needs to jump there.
struct SearchHit
{
    enum class Kind
    {
        Revision,
        AuditObject,
        SqlLine
    };

    Kind kind = Kind::Revision;

    /// Revision: its id and message.
    QString revision;
    QString message;

    /// AuditObject: its index in the report's items, and what the popup shows of it.
    int auditItem = -1;
    AuditItem::Kind objectKind = AuditItem::Kind::Table;
    AuditItem::Status status = AuditItem::Status::Exists;
    QString name;
    QString owner; ///< "public.users" for a column, "public" for a table or enum

    /// SqlLine: the 0-based line, the first match in it and the line's text.
    int line = -1;
    int column = 0;
    int length = 0;
    QString text;
};

/// The hits of one kind, at most the search's limit, and how many there are in all.
struct SearchGroup
{
    QVector<SearchHit> hits;
    int total = 0;
};

struct SearchResults
{
    SearchGroup revisions;
    SearchGroup auditObjects;
    SearchGroup sqlLines;

    int total() const { return revisions.total + auditObjects.total + sqlLines.total; }
};

/// What Search Everywhere matches, without a widget: copies of the values the
/// console shows (revision ids and messages, the audit report's items, the SQL
/// preview's text), so the popup can search while the models change.
///
/// Matching is case-insensitive: a revision by id prefix (listed first) or
/// message substring, an audit object by name substring (exact names first,
/// then prefixes; with a dot in the query also "table.name" and
/// "schema.table.name"), the SQL by substring, one hit per line.
class SearchIndex
{
public:
    /// Revisions newest first, as the Timeline lists them; nullptr: none.
    void setRevisions(const RevisionGraph* graph);
    void setAudit(const AuditReport& report);
    void setSql(const QString& text);
    void clear();

    int revisionCount() const { return static_cast<int>(m_revisions.size()); }
    int auditObjectCount() const { return static_cast<int>(m_audit.items.size()); }
    int sqlLineCount() const { return m_sql.isEmpty() ? 0 : static_cast<int>(m_lineStarts.size()); }

    /// The hits for `query` (trimmed; empty: none), at most `limitPerGroup` per kind.
    SearchResults search(const QString& query, int limitPerGroup = 50) const;

private:
    struct RevisionEntry
    {
        QString id;
        QString message;
    };

    SearchGroup searchRevisions(const QString& query, int limit) const;
    SearchGroup searchAudit(const QString& query, int limit) const;
    SearchGroup searchSql(const QString& query, int limit) const;
    SearchHit auditHit(int itemIndex) const;
    QString lineText(int line) const;

    QVector<RevisionEntry> m_revisions;
    AuditReport m_audit;
    QString m_sql;
    QVector<int> m_lineStarts; ///< where each line of m_sql starts
};

} // namespace dbops::ui
