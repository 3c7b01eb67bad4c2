#pragma once

#include "common/Result.h"

#include <QDateTime>
#include <QStringList>

namespace dbops {

/// Writes migration files in the format MigrationFileParser reads.
class MigrationFileWriter
{
public:
    struct NewRevision
    {
        QString id;
        QStringList downRevisions;
        QString message;
        QDateTime createDate;
        QStringList branchLabels;
        QStringList dependsOn;
        QString upgradeSql; ///< without the marker; may be empty for a template
        QString downgradeSql;
        bool hasDowngrade = true; ///< false: no `-- +downgrade` section (cannot be rolled back)
        bool transactional = true; ///< false: `-- transactional: false`
    };

    /// A fresh 12-hex-digit revision id, as Alembic makes them.
    static QString generateRevisionId();
    /// "0042_<id>_<slug>.sql" style name from the message.
    static QString fileNameFor(const NewRevision& revision, int sequence);
    static QString render(const NewRevision& revision);
    /// Writes into `directory` without overwriting; returns the path.
    static Result<QString> write(const NewRevision& revision, const QString& directory, int sequence);
};

} // namespace dbops
