#pragma once

#include "common/JsonLinesFile.h"
#include "common/Result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QStringList>

namespace dbops {

class DatabaseConnection;

/// One write run (upgrade, downgrade, stamp, fix), as the journal keeps it.
/// Holds no secrets: the target is "user@host:port/db", never a password.
struct JournalRecord
{
    struct Step
    {
        QString revision;
        qint64 milliseconds = 0;
        QString outcome; ///< "applied", "failed", "skipped"
    };

    QDateTime startedAt;
    QDateTime finishedAt;
    QString action; ///< "upgrade", "downgrade", "stamp", "fix <name>"
    QString osUser;
    QString databaseUser;
    QString profile;
    QString target;
    QStringList fromRevisions;
    QStringList toRevisions;
    QString transactionMode;
    QList<Step> steps;
    QString outcome; ///< "success", "failed", "cancelled", "connection-lost"
    QString error;
    QString sqlSha256;
    QString backupPath;

    QJsonObject toJson() const;
    static JournalRecord fromJson(const QJsonObject& object);
};

/// The run journal: one JSON object a line in $XDG_DATA_HOME/dbops/journal.jsonl;
/// optionally also rows of a `dbops_journal` table in the database.
class RunJournal
{
public:
    RunJournal(); ///< the user's journal
    explicit RunJournal(const QString& filePath);

    QString filePath() const { return m_path; }
    std::optional<Error> append(const JournalRecord& record) const;
    Result<QList<JournalRecord>> read() const;

    static std::optional<Error> appendToDatabase(DatabaseConnection& connection, const JournalRecord& record);
    static QString currentOsUser();

private:
    JsonLinesFile file() const;
    QString m_path;
};

} // namespace dbops
