#include "rehearse/RehearsalRecords.h"

#include "common/PrivateFiles.h"

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

std::optional<Error> RehearsalRecords::append(const RehearsalReport& report) const
{
    if (std::optional<Error> error = PrivateFiles::ensureFileIn(
            m_path, m_path == defaultPath() ? PrivateFiles::Folder::Own : PrivateFiles::Folder::Chosen)) {
        error->message = QStringLiteral("cannot record the rehearsal: ") + error->message;
        return error;
    }
    QFile file(m_path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Append))
        return Error::io(QStringLiteral("cannot record the rehearsal: %1").arg(file.errorString()), m_path);
    file.write(QJsonDocument(report.toJson()).toJson(QJsonDocument::Compact) + '\n');
    if (!file.flush())
        return Error::io(QStringLiteral("cannot record the rehearsal: %1").arg(file.errorString()), m_path);
    return std::nullopt;
}

Result<QList<RehearsalReport>> RehearsalRecords::read() const
{
    QList<RehearsalReport> records;
    QFile file(m_path);
    if (!file.exists())
        return records;
    if (!file.open(QIODevice::ReadOnly))
        return Error::io(
            QStringLiteral("cannot read the rehearsal records: %1").arg(file.errorString()), m_path);
    int lineNumber = 0;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        ++lineNumber;
        if (line.isEmpty())
            continue;
        const QJsonDocument doc = QJsonDocument::fromJson(line);
        if (!doc.isObject())
            return Error::input(QStringLiteral("not a rehearsal record"), m_path, lineNumber);
        records.append(RehearsalReport::fromJson(doc.object()));
    }
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
