#include "journal/RunJournal.h"

#include "common/PrivateFiles.h"
#include "connection/DatabaseConnection.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStandardPaths>
#include <pwd.h>
#include <unistd.h>

namespace dbops {

QJsonObject JournalRecord::toJson() const
{
    QJsonArray stepArray;
    for (const Step& s : steps) {
        stepArray.append(QJsonObject { { QStringLiteral("revision"), s.revision },
            { QStringLiteral("ms"), static_cast<double>(s.milliseconds) },
            { QStringLiteral("outcome"), s.outcome } });
    }
    return QJsonObject {
        { QStringLiteral("started_at"), startedAt.toUTC().toString(Qt::ISODateWithMs) },
        { QStringLiteral("finished_at"), finishedAt.toUTC().toString(Qt::ISODateWithMs) },
        { QStringLiteral("action"), action },
        { QStringLiteral("os_user"), osUser },
        { QStringLiteral("database_user"), databaseUser },
        { QStringLiteral("profile"), profile },
        { QStringLiteral("target"), target },
        { QStringLiteral("from"), QJsonArray::fromStringList(fromRevisions) },
        { QStringLiteral("to"), QJsonArray::fromStringList(toRevisions) },
        { QStringLiteral("transaction_mode"), transactionMode },
        { QStringLiteral("steps"), stepArray },
        { QStringLiteral("outcome"), outcome },
        { QStringLiteral("error"), error },
        { QStringLiteral("sql_sha256"), sqlSha256 },
        { QStringLiteral("backup"), backupPath },
    };
}

JournalRecord JournalRecord::fromJson(const QJsonObject& o)
{
    auto list = [&o](const char* key) {
        QStringList out;
        const QJsonArray array = o.value(QLatin1String(key)).toArray();
        for (const QJsonValue& v : array)
            out.append(v.toString());
        return out;
    };
    JournalRecord r;
    r.startedAt = QDateTime::fromString(o.value(QStringLiteral("started_at")).toString(), Qt::ISODateWithMs);
    r.finishedAt
        = QDateTime::fromString(o.value(QStringLiteral("finished_at")).toString(), Qt::ISODateWithMs);
    r.action = o.value(QStringLiteral("action")).toString();
    r.osUser = o.value(QStringLiteral("os_user")).toString();
    r.databaseUser = o.value(QStringLiteral("database_user")).toString();
    r.profile = o.value(QStringLiteral("profile")).toString();
    r.target = o.value(QStringLiteral("target")).toString();
    r.fromRevisions = list("from");
    r.toRevisions = list("to");
    r.transactionMode = o.value(QStringLiteral("transaction_mode")).toString();
    const QJsonArray stepArray = o.value(QStringLiteral("steps")).toArray();
    for (const QJsonValue& v : stepArray) {
        const QJsonObject s = v.toObject();
        r.steps.append(Step { s.value(QStringLiteral("revision")).toString(),
            static_cast<qint64>(s.value(QStringLiteral("ms")).toDouble()),
            s.value(QStringLiteral("outcome")).toString() });
    }
    r.outcome = o.value(QStringLiteral("outcome")).toString();
    r.error = o.value(QStringLiteral("error")).toString();
    r.sqlSha256 = o.value(QStringLiteral("sql_sha256")).toString();
    r.backupPath = o.value(QStringLiteral("backup")).toString();
    return r;
}

namespace {

QString defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
        + QStringLiteral("/dbops/journal.jsonl");
}

} // namespace

RunJournal::RunJournal()
    : m_path(defaultPath())
{ }

RunJournal::RunJournal(const QString& filePath)
    : m_path(filePath)
{ }

JsonLinesFile RunJournal::file() const
{
    // The default folder is dbops' own, and tightened; a folder the caller chose is not.
    return JsonLinesFile(m_path, QStringLiteral("the run journal"),
        m_path == defaultPath() ? PrivateFiles::Folder::Own : PrivateFiles::Folder::Chosen);
}

std::optional<Error> RunJournal::append(const JournalRecord& record) const
{
    return file().append(record.toJson());
}

Result<QList<JournalRecord>> RunJournal::read() const
{
    Result<QList<QJsonObject>> objects = file().read();
    if (!objects)
        return objects.error();
    QList<JournalRecord> records;
    records.reserve(objects->size());
    for (const QJsonObject& object : std::as_const(objects.value()))
        records.append(JournalRecord::fromJson(object));
    return records;
}

std::optional<Error> RunJournal::appendToDatabase(DatabaseConnection& connection, const JournalRecord& record)
{
    Result<QSqlQuery> created
        = connection.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS dbops_journal (id bigserial PRIMARY "
                                         "KEY, recorded_at timestamptz NOT NULL DEFAULT now(), "
                                         "record jsonb NOT NULL)"));
    if (!created)
        return created.error();
    Result<QSqlQuery> inserted
        = connection.exec(QStringLiteral("INSERT INTO dbops_journal (record) VALUES ($1::jsonb)"),
            { QString::fromUtf8(QJsonDocument(record.toJson()).toJson(QJsonDocument::Compact)) });
    if (!inserted)
        return inserted.error();
    return std::nullopt;
}

QString RunJournal::currentOsUser()
{
    if (const passwd* pw = getpwuid(geteuid()))
        return QString::fromLocal8Bit(pw->pw_name);
    return qEnvironmentVariable("USER");
}

} // namespace dbops
