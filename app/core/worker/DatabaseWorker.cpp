#include "worker/DatabaseWorker.h"

#include "catalog/SchemaAudit.h"
#include "checks/CheckRepository.h"
#include "connection/PasswordStore.h"
#include "guarded/GuardedWrite.h"
#include "migrations/MigrationRepository.h"

namespace dbops {

DatabaseWorker::DatabaseWorker(QObject* parent)
    : QObject(parent)
{ }

DatabaseWorker::~DatabaseWorker() = default;

void DatabaseWorker::cancel()
{
    QMutexLocker lock(&m_cancelMutex);
    if (m_activeWrite)
        m_activeWrite->requestCancel();
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

bool DatabaseWorker::readyWithRepository(int jobId, const MigrationRepository* repository)
{
    if (!m_connection) {
        Q_EMIT failed(jobId, Error::database(tr("not connected")));
        return false;
    }
    if (!repository) {
        Q_EMIT failed(jobId, Error::input(tr("no migration repository")));
        return false;
    }
    return true;
}

void DatabaseWorker::review(int jobId, std::shared_ptr<const MigrationRepository> repository,
    const ConnectionTarget& target, const WriteRequest& request)
{
    if (!readyWithRepository(jobId, repository.get()))
        return;
    Result<WriteReview> reviewed
        = GuardedWrite::review(*m_connection, *repository, withPassword(target), request);
    if (!reviewed) {
        Q_EMIT failed(jobId, reviewed.error());
        return;
    }
    // The GUI never holds the password; write() takes it from here again.
    reviewed.value().target.settings.setPassword(QString());
    Q_EMIT this->reviewed(jobId, reviewed.value());
}

void DatabaseWorker::write(int jobId, std::shared_ptr<const MigrationRepository> repository,
    const WriteReview& review, const WriteAnswers& answers)
{
    if (!readyWithRepository(jobId, repository.get()))
        return;
    WriteReview withSecret = review;
    withSecret.target = withPassword(review.target);
    GuardedWrite write;
    write.setProgressHandler([this, jobId](const RunEvent& event) { Q_EMIT runProgress(jobId, event); });
    {
        QMutexLocker lock(&m_cancelMutex);
        m_activeWrite = &write;
    }
    WriteOutcome outcome = write.execute(*m_connection, *repository, withSecret, answers);
    {
        QMutexLocker lock(&m_cancelMutex);
        m_activeWrite = nullptr;
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
    Q_EMIT writeFinished(jobId, outcome);
}

void DatabaseWorker::audit(int jobId, std::shared_ptr<const MigrationRepository> repository,
    const QString& target, const ConnectionTarget& connection)
{
    if (!readyWithRepository(jobId, repository.get()))
        return;
    // A local shadow server (read-only profiles) of the target's major version when installed.
    Result<CatalogSnapshot> expected = SchemaAudit::expectedAt(
        *repository, target, withPassword(connection), {}, m_connection->serverInfo().versionNumber);
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

} // namespace dbops
