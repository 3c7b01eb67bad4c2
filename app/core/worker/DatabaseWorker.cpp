#include "worker/DatabaseWorker.h"

#include "catalog/SchemaAudit.h"
#include "checks/CheckRepository.h"
#include "connection/PasswordStore.h"
#include "journal/RunJournal.h"
#include "migrations/MigrationRepository.h"
#include "runner/BackupRunner.h"

#include <QCryptographicHash>

namespace dbops {

DatabaseWorker::DatabaseWorker(QObject* parent)
    : QObject(parent)
{ }

DatabaseWorker::~DatabaseWorker() = default;

void DatabaseWorker::cancel()
{
    QMutexLocker lock(&m_cancelMutex);
    if (m_activeRunner)
        m_activeRunner->requestCancel();
    else if (m_canceller)
        m_canceller->cancel();
}

void DatabaseWorker::testConnection(int jobId, const ConnectionSettings& settings)
{
    Result<std::unique_ptr<DatabaseConnection>> connection = DatabaseConnection::open(settings);
    if (!connection) {
        Q_EMIT connectionTested(jobId, false, {}, connection.error());
        return;
    }
    const ServerInfo info = connection.value()->serverInfo();
    Q_EMIT connectionTested(jobId, true,
        tr("PostgreSQL %1, user %2, database %3, TLS %4")
            .arg(info.version, info.user, info.database, info.tls ? tr("on") : tr("off")),
        Error());
}

void DatabaseWorker::connectTo(int jobId, const ConnectionTarget& target)
{
    disconnectFromDatabase();
    if (!target.needsKeychainPassword()) {
        open(jobId, target);
        return;
    }
    m_pendingConnect = jobId;
    PasswordStore::readAsync(
        target.profile->keychainKey(), this, [this, jobId, target](const Result<QString>& password) {
            if (m_pendingConnect != jobId)
                return; // disconnected or replaced by another connect meanwhile
            m_pendingConnect = 0;
            ConnectionTarget resolved = target;
            resolved.applyKeychainAnswer(password); // none: libpq's .pgpass takes over
            open(jobId, resolved);
        });
}

void DatabaseWorker::open(int jobId, const ConnectionTarget& target)
{
    Result<std::unique_ptr<DatabaseConnection>> connection = DatabaseConnection::open(target.settings);
    if (!connection) {
        Q_EMIT failed(jobId, connection.error());
        return;
    }
    m_connection = std::move(connection).value();
    m_versionTable = target.versionTable;
    m_target = target;
    {
        QMutexLocker lock(&m_cancelMutex);
        m_canceller = m_connection->canceller();
    }
    if (std::optional<DatabaseStatus> status = readStatus(jobId))
        Q_EMIT connected(jobId, *status);
}

std::optional<DatabaseStatus> DatabaseWorker::readStatus(int jobId)
{
    if (!m_connection) {
        Q_EMIT failed(jobId, Error::database(tr("not connected")));
        return std::nullopt;
    }
    DatabaseStatus status;
    status.server = m_connection->serverInfo();
    Result<VersionState> version = VersionTable::read(*m_connection, m_versionTable);
    if (!version) {
        Q_EMIT failed(jobId, version.error());
        return std::nullopt;
    }
    status.version = version.value();
    return status;
}

void DatabaseWorker::refresh(int jobId)
{
    if (std::optional<DatabaseStatus> status = readStatus(jobId))
        Q_EMIT statusRefreshed(jobId, *status);
}

ConnectionTarget DatabaseWorker::withPassword(ConnectionTarget target) const
{
    if (!target.settings.hasPassword() && m_target && m_target->settings.hasPassword()
        && m_target->describe() == target.describe())
        target.settings.setPassword(m_target->settings.password());
    return target;
}

void DatabaseWorker::disconnectFromDatabase()
{
    m_pendingConnect = 0;
    m_target.reset();
    QMutexLocker lock(&m_cancelMutex);
    m_canceller.reset();
    m_connection.reset();
}

void DatabaseWorker::run(int jobId, const RunRequest& request)
{
    if (!m_connection) {
        Q_EMIT failed(jobId, Error::database(tr("not connected")));
        return;
    }
    JournalRecord record;
    record.startedAt = QDateTime::currentDateTime();
    record.action = request.action;
    record.osUser = RunJournal::currentOsUser();
    record.profile = request.profileName;
    record.target = m_connection->settings().describe();
    record.fromRevisions = request.plan.startHeads;
    record.toRevisions = request.plan.endHeads;
    record.sqlSha256 = QString::fromLatin1(
        QCryptographicHash::hash(request.script.text().toUtf8(), QCryptographicHash::Sha256).toHex());
    const ServerInfo server = m_connection->serverInfo();
    record.databaseUser = server.user;

    if (!request.backupDirectory.isEmpty()) {
        RunEvent event;
        event.kind = RunEvent::Kind::Info;
        event.text = tr("Backing up with pg_dump ...");
        Q_EMIT runProgress(jobId, event);
        Result<QString> dump
            = BackupRunner::run(m_connection->settings(), request.backupDirectory, server.versionNumber);
        if (!dump) {
            RunResult result;
            result.outcome = RunResult::Outcome::Failed;
            result.error = dump.error();
            Q_EMIT runFinished(jobId, result);
            return;
        }
        record.backupPath = dump.value();
        event.text = tr("Backup written to %1").arg(dump.value());
        Q_EMIT runProgress(jobId, event);
    }

    MigrationRunner runner(*m_connection, request.options);
    runner.setProgressHandler([this, jobId](const RunEvent& event) { Q_EMIT runProgress(jobId, event); });
    {
        QMutexLocker lock(&m_cancelMutex);
        m_activeRunner = &runner;
    }
    RunResult result = runner.run(request.plan, request.script);
    {
        QMutexLocker lock(&m_cancelMutex);
        m_activeRunner = nullptr;
    }
    if (!m_connection->isAlive()) {
        // The runner re-read the state on a new connection; ours is gone: reopen.
        Result<std::unique_ptr<DatabaseConnection>> again
            = DatabaseConnection::open(m_connection->settings());
        if (again) {
            m_connection = std::move(again).value();
            QMutexLocker lock(&m_cancelMutex);
            m_canceller = m_connection->canceller();
        }
    }
    record.finishedAt = QDateTime::currentDateTime();
    record.steps = result.steps;
    record.outcome = RunResult::outcomeName(result.outcome);
    record.error = result.ok() ? QString() : m_connection->settings().redact(result.error.toString());
    RunJournal().append(record);
    if (request.journalInDatabase && m_connection->isAlive())
        RunJournal::appendToDatabase(*m_connection, record);
    Q_EMIT runFinished(jobId, result);
}

void DatabaseWorker::audit(int jobId, std::shared_ptr<const MigrationRepository> repository,
    const QString& target, const ConnectionTarget& connection)
{
    if (!m_connection) {
        Q_EMIT failed(jobId, Error::database(tr("not connected")));
        return;
    }
    if (!repository) {
        Q_EMIT failed(jobId, Error::input(tr("no migration repository")));
        return;
    }
    Result<CatalogSnapshot> expected = SchemaAudit::expectedAt(*repository, target, withPassword(connection));
    if (!expected) {
        Q_EMIT failed(jobId, expected.error());
        return;
    }
    Result<AuditReport> report = SchemaAudit::compare(*m_connection, *expected, m_versionTable);
    if (!report) {
        Q_EMIT failed(jobId, report.error());
        return;
    }
    AuditSubject subject;
    subject.database = connection.describe();
    subject.expectedRevisions = expected->revisions;
    subject.expectedSource = target == QLatin1String("head") || target == QLatin1String("heads")
        ? SchemaAudit::headSnapshotPath(*repository)
        : tr("the migrations replayed to %1").arg(target);
    if (Result<VersionState> state = VersionTable::read(*m_connection, m_versionTable)) {
        subject.versionTableExists = state->tableExists;
        subject.databaseRevisions = state->revisions;
    }
    // Grouped here, not on the GUI thread: a 2,000-table report has some 60,000 items.
    const AuditOutline outline = AuditOutline::build(*report);
    Q_EMIT auditFinished(jobId, *report, subject, outline);
}

void DatabaseWorker::runChecks(int jobId, const QString& repositoryDirectory)
{
    if (!m_connection) {
        Q_EMIT failed(jobId, Error::database(tr("not connected")));
        return;
    }
    Result<CheckRepository> checks = CheckRepository::load(repositoryDirectory);
    if (!checks) {
        Q_EMIT failed(jobId, checks.error());
        return;
    }
    Result<CheckReport> report = CheckRunner::run(*m_connection, checks->checks());
    if (!report) {
        Q_EMIT failed(jobId, report.error());
        return;
    }
    Q_EMIT checksFinished(jobId, *report, checks->fixes());
}

void DatabaseWorker::runFix(int jobId, const QString& repositoryDirectory, const QString& fixName,
    const ConnectionTarget& connection, const QString& confirmation)
{
    Result<CheckRepository> checks = CheckRepository::load(repositoryDirectory);
    if (!checks) {
        Q_EMIT failed(jobId, checks.error());
        return;
    }
    const FixDefinition* fix = checks->fix(fixName);
    if (!fix) {
        Q_EMIT failed(jobId, Error::input(tr("no fix named '%1'").arg(fixName)));
        return;
    }
    FixRunner::Options options;
    options.confirmation = confirmation;
    Result<FixOutcome> outcome = FixRunner().run(withPassword(connection), *fix, options);
    if (!outcome) {
        Q_EMIT failed(jobId, outcome.error());
        return;
    }
    Q_EMIT fixFinished(jobId, *outcome);
}

} // namespace dbops
