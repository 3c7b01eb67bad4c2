#include "query/QueryHistory.h"

#include "common/PrivateFiles.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStandardPaths>

namespace dbops {

QueryHistory::QueryHistory()
    : m_path(defaultPath())
{ }

QueryHistory::QueryHistory(const QString& filePath)
    : m_path(filePath)
{ }

QString QueryHistory::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
        + QStringLiteral("/dbops/query-history.json");
}

Result<QList<QueryHistoryEntry>> QueryHistory::readAll() const
{
    QList<QueryHistoryEntry> entries;
    QFile file(m_path);
    if (!file.exists())
        return entries;
    if (!file.open(QIODevice::ReadOnly))
        return Error::io(QStringLiteral("cannot read the query history: %1").arg(file.errorString()), m_path);
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!document.isObject())
        return Error::input(
            QStringLiteral("damaged query history: %1").arg(parseError.errorString()), m_path);
    const QJsonArray array = document.object().value(QLatin1String("entries")).toArray();
    for (const QJsonValue& value : array) {
        const QJsonObject object = value.toObject();
        QueryHistoryEntry entry;
        entry.profile = object.value(QLatin1String("profile")).toString();
        entry.time = QDateTime::fromString(object.value(QLatin1String("time")).toString(), Qt::ISODateWithMs);
        entry.sql = object.value(QLatin1String("sql")).toString();
        if (!entry.sql.isEmpty())
            entries.append(entry);
    }
    return entries;
}

std::optional<Error> QueryHistory::writeAll(const QList<QueryHistoryEntry>& entries) const
{
    // The default folder is dbops' own, and tightened; a folder the caller chose is not.
    if (std::optional<Error> error = PrivateFiles::ensureFileIn(
            m_path, m_path == defaultPath() ? PrivateFiles::Folder::Own : PrivateFiles::Folder::Chosen)) {
        error->message = QStringLiteral("cannot write the query history: ") + error->message;
        return error;
    }
    QJsonArray array;
    for (const QueryHistoryEntry& entry : entries) {
        array.append(QJsonObject { { QStringLiteral("profile"), entry.profile },
            { QStringLiteral("time"), entry.time.toUTC().toString(Qt::ISODateWithMs) },
            { QStringLiteral("sql"), entry.sql } });
    }
    const QJsonObject root { { QStringLiteral("version"), 1 }, { QStringLiteral("entries"), array } };
    // QSaveFile keeps the existing (0600) file's permissions; restrict() below
    // makes sure of it.
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly))
        return Error::io(
            QStringLiteral("cannot write the query history: %1").arg(file.errorString()), m_path);
    file.write(QJsonDocument(root).toJson(QJsonDocument::Indented));
    if (!file.commit())
        return Error::io(
            QStringLiteral("cannot write the query history: %1").arg(file.errorString()), m_path);
    return PrivateFiles::restrict(m_path);
}

Result<QList<QueryHistoryEntry>> QueryHistory::entries(const QString& profile) const
{
    Result<QList<QueryHistoryEntry>> all = readAll();
    if (!all)
        return all.error();
    QList<QueryHistoryEntry> mine;
    for (const QueryHistoryEntry& entry : std::as_const(all.value())) {
        if (entry.profile == profile)
            mine.append(entry);
    }
    return mine;
}

std::optional<Error> QueryHistory::add(const QString& profile, const QString& sql, const QDateTime& time)
{
    const QString text = sql.trimmed();
    if (text.isEmpty() || text.size() > kMaxQueryCharacters)
        return std::nullopt;
    Result<QList<QueryHistoryEntry>> all = readAll();
    // A damaged file is replaced rather than blocking every later query.
    QList<QueryHistoryEntry> entries = all ? all.value() : QList<QueryHistoryEntry>();
    QList<QueryHistoryEntry> kept { QueryHistoryEntry { profile, time.toUTC(), text } };
    int mine = 1;
    for (const QueryHistoryEntry& entry : std::as_const(entries)) {
        if (entry.profile == profile) {
            if (entry.sql == text || mine >= kMaxEntriesPerProfile)
                continue;
            ++mine;
        }
        kept.append(entry);
    }
    return writeAll(kept);
}

std::optional<Error> QueryHistory::clear(const QString& profile)
{
    Result<QList<QueryHistoryEntry>> all = readAll();
    if (!all)
        return all.error();
    QList<QueryHistoryEntry> kept;
    for (const QueryHistoryEntry& entry : std::as_const(all.value())) {
        if (entry.profile != profile)
            kept.append(entry);
    }
    return writeAll(kept);
}

} // namespace dbops
