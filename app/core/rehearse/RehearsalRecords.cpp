#include "rehearse/RehearsalRecords.h"

#include "common/JsonLinesFile.h"

#include <QFile>
#include <QJsonDocument>
#include <QStandardPaths>

namespace dbops {

namespace {

QString defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
        + QStringLiteral("/dbops/rehearsals.jsonl");
}

QString ageText(qint64 seconds)
{
    if (seconds < 3600)
        return QStringLiteral("%1 min ago").arg(std::max<qint64>(1, seconds / 60));
    if (seconds < 2 * 86400)
        return QStringLiteral("%1 h ago").arg(seconds / 3600);
    return QStringLiteral("%1 days ago").arg(seconds / 86400);
}

} // namespace

RehearsalRecords::RehearsalRecords()
    : m_path(defaultPath())
{ }

RehearsalRecords::RehearsalRecords(const QString& filePath)
    : m_path(filePath)
{ }

JsonLinesFile RehearsalRecords::file() const
{
    return JsonLinesFile(m_path, QStringLiteral("the rehearsal records"),
        m_path == defaultPath() ? PrivateFiles::Folder::Own : PrivateFiles::Folder::Chosen);
}

std::optional<Error> RehearsalRecords::append(const RehearsalReport& report) const
{
    return file().append(report.toJson());
}

Result<QList<RehearsalReport>> RehearsalRecords::read() const
{
    Result<QList<QJsonObject>> objects = file().read();
    if (!objects)
        return objects.error();
    QList<RehearsalReport> records;
    records.reserve(objects->size());
    for (const QJsonObject& object : std::as_const(objects.value()))
        records.append(RehearsalReport::fromJson(object));
    return records;
}

RehearsalStatus RehearsalRecords::match(const WriteReview& review, int maxAgeDays, const QDateTime& now) const
{
    RehearsalStatus result;
    Result<QList<RehearsalReport>> records = read();
    if (!records) {
        result.text = records.error().message;
        return result;
    }
    const QString target = review.target.settings.describe();
    // The newest record of this database and these revisions decides; an
    // older green one does not count once a newer one failed.
    std::optional<RehearsalReport> newest;
    std::optional<RehearsalReport> sameDatabase;
    for (const RehearsalReport& record : std::as_const(records.value())) {
        if (record.target != target || record.databaseName != review.databaseName)
            continue;
        sameDatabase = record;
        if (record.fromRevisions == review.state.revisions && record.toText == review.toText)
            newest = record;
    }
    if (!newest) {
        result.text = sameDatabase
            ? QStringLiteral("not rehearsed: the last rehearsal of this database was of "
                             "another plan (%1 -> %2); run 'dbops rehearse'")
                  .arg(sameDatabase->fromRevisions.join(QStringLiteral(", ")), sameDatabase->toText)
            : QStringLiteral("not rehearsed: no rehearsal of this database on this "
                             "machine; run 'Rehearse' (dbops rehearse)");
        return result;
    }
    return statusOf(*newest, review, maxAgeDays, now);
}

RehearsalStatus RehearsalRecords::statusOf(
    const RehearsalReport& rehearsal, const WriteReview& review, int maxAgeDays, const QDateTime& now)
{
    RehearsalStatus result;
    const qint64 age = rehearsal.startedAt.secsTo(now);
    if (!rehearsal.ok) {
        // The same SQL failed on a copy: it would fail here too.
        result.failed = rehearsal.sqlSha256 == review.sqlSha256;
        result.text
            = QStringLiteral("the last rehearsal (%1) failed: %2").arg(ageText(age), rehearsal.problem);
    } else if (rehearsal.sqlSha256 != review.sqlSha256)
        result.text
            = QStringLiteral("rehearsed %1, but of other SQL (the migrations or the run settings changed "
                             "since); rehearse again")
                  .arg(ageText(age));
    else if (age > qint64(maxAgeDays) * 86400)
        result.text = QStringLiteral("rehearsed %1: older than %2 days; rehearse again")
                          .arg(ageText(age))
                          .arg(maxAgeDays);
    else {
        result.tested = true;
        result.text = QStringLiteral("rehearsed %1 on a copy (%2), %3, the same SQL")
                          .arg(ageText(age), rehearsal.shadow,
                              rehearsal.roundTrip ? QStringLiteral("round trip green")
                                                  : QStringLiteral("upgrade green"));
    }
    return result;
}

} // namespace dbops
