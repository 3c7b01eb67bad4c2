#include "rehearse/DatabaseCopy.h"

#include "runner/PgToolProcess.h"

#include <QDir>
#include <QTemporaryDir>

namespace dbops {

namespace {

std::optional<Error> runTool(const QString& program, const QStringList& arguments,
    const ConnectionSettings& settings, const QString& what, const std::atomic<bool>* cancel)
{
    Result<PgToolProcess::Outcome> outcome = PgToolProcess::run(program, arguments, settings, cancel);
    if (!outcome)
        return outcome.error();
    if (outcome->cancelled)
        return Error::io(QStringLiteral("rehearsal cancelled while %1").arg(what));
    if (outcome->exitCode != 0)
        return Error::io(
            QStringLiteral("%1 failed: %2")
                .arg(what,
                    outcome->standardError.isEmpty() ? QStringLiteral("exit code %1").arg(outcome->exitCode)
                                                     : outcome->standardError));
    return std::nullopt;
}

} // namespace

Result<std::unique_ptr<ShadowDatabase>> DatabaseCopy::create(const ConnectionSettings& source,
    int sourceServerVersion, const ConnectionSettings& server, const QStringList& tables,
    const std::atomic<bool>* cancel)
{
    const QString pgDump = PgToolProcess::programFor(QStringLiteral("pg_dump"), sourceServerVersion);
    const QString pgRestore = PgToolProcess::programFor(QStringLiteral("pg_restore"), sourceServerVersion);
    if (pgDump.isEmpty() || pgRestore.isEmpty())
        return Error::io(QStringLiteral("pg_dump and pg_restore are needed for a rehearsal (Debian: "
                                        "postgresql-client)"));
    // The dumps hold the copied rows: a private folder, removed afterwards.
    QTemporaryDir folder(QDir::tempPath() + QStringLiteral("/dbops-rehearsal-XXXXXX"));
    if (!folder.isValid())
        return Error::io(QStringLiteral("cannot create a temporary folder: %1").arg(folder.errorString()));
    const QString schemaDump = folder.filePath(QStringLiteral("schema.dump"));
    const QString dataDump = folder.filePath(QStringLiteral("data.dump"));
    const QString sourceInfo = PgToolProcess::conninfo(source);

    if (auto error = runTool(pgDump,
            { QStringLiteral("-Fc"), QStringLiteral("--no-password"), QStringLiteral("--schema-only"),
                QStringLiteral("--file"), schemaDump, QStringLiteral("--dbname"), sourceInfo },
            source, QStringLiteral("copying the schema (pg_dump)"), cancel))
        return *error;
    if (!tables.isEmpty()) {
        QStringList arguments { QStringLiteral("-Fc"), QStringLiteral("--no-password"),
            QStringLiteral("--data-only"), QStringLiteral("--file"), dataDump };
        for (const QString& table : tables)
            arguments << QStringLiteral("--table") << table;
        arguments << QStringLiteral("--dbname") << sourceInfo;
        if (auto error = runTool(pgDump, arguments, source, QStringLiteral("copying rows (pg_dump)"), cancel))
            return *error;
    }

    Result<std::unique_ptr<ShadowDatabase>> copy = ShadowDatabase::create(server);
    if (!copy)
        return copy.error();
    const ConnectionSettings target = copy.value()->settings();
    const QString targetInfo = PgToolProcess::conninfo(target);
    const QStringList restore { QStringLiteral("--no-password"), QStringLiteral("--no-owner"),
        QStringLiteral("--no-privileges"), QStringLiteral("--exit-on-error"), QStringLiteral("--dbname"),
        targetInfo };
    if (auto error
        = runTool(pgRestore, restore + QStringList { QStringLiteral("--section=pre-data"), schemaDump },
            target, QStringLiteral("restoring the schema (pg_restore)"), cancel))
        return *error;
    if (!tables.isEmpty()) {
        if (auto error = runTool(pgRestore, restore + QStringList { dataDump }, target,
                QStringLiteral("restoring the copied rows (pg_restore)"), cancel))
            return *error;
    }
    if (auto error
        = runTool(pgRestore, restore + QStringList { QStringLiteral("--section=post-data"), schemaDump },
            target, QStringLiteral("restoring indexes and constraints (pg_restore)"), cancel))
        return *error;
    return copy;
}

} // namespace dbops
