#pragma once

#include "common/Error.h"
#include "common/Result.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <optional>

namespace dbops {

/// One query the console ran: the text only, when and where.
struct QueryHistoryEntry
{
    QString profile; ///< the profile's name, or the connection's description (never a password)
    QDateTime time; ///< UTC
    QString sql;
};

/// The query console's history, per profile, in one small JSON file
/// ($XDG_DATA_HOME/dbops/query-history.json by default), newest first.  It
/// holds what people typed, which can name customers and accounts: the
/// file is 0600 in a 0700 folder (PrivateFiles), like the run journal.  It
/// never holds a password: only the SQL, the time and the profile's name.
/// Running the same query again moves it to the top instead of repeating
/// it; each profile keeps its newest kMaxEntriesPerProfile.
class QueryHistory
{
public:
    static constexpr int kMaxEntriesPerProfile = 200;
    /// Longer texts are not kept: a pasted dump is no query to recall.
    static constexpr int kMaxQueryCharacters = 100000;

    QueryHistory();
    explicit QueryHistory(const QString& filePath);

    static QString defaultPath();
    const QString& path() const { return m_path; }

    /// The profile's queries, newest first; none when the file is missing.
    Result<QList<QueryHistoryEntry>> entries(const QString& profile) const;
    /// Records `sql` (trimmed; nothing for an empty or overlong text) as the newest of `profile`.
    std::optional<Error> add(
        const QString& profile, const QString& sql, const QDateTime& time = QDateTime::currentDateTimeUtc());
    /// Forgets the profile's queries.
    std::optional<Error> clear(const QString& profile);

private:
    Result<QList<QueryHistoryEntry>> readAll() const;
    std::optional<Error> writeAll(const QList<QueryHistoryEntry>& entries) const;

    QString m_path;
};

} // namespace dbops
