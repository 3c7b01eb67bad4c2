#include "worker/DatabaseWorker.h"

#include "catalog/SchemaAudit.h"
#include "checks/CheckRepository.h"
#include "connection/PasswordStore.h"
#include "guarded/GuardedWrite.h"
#include "migrations/MigrationRepository.h"
#include "recover/RecoveryInspector.h"
#include "rehearse/RehearsalRecords.h"
#include "verify/ChecksumVerifier.h"

#include <QTimer>
#include <algorithm>

namespace dbops {

DatabaseWorker::DatabaseWorker(QObject* parent)
    : QObject(parent)
    , m_keepalive(new QTimer(this))
    , m_reconnectTimer(new QTimer(this))
{
    // Children move to the worker's thread with it: the timers fire there.
    m_keepalive->setInterval(5000);
    connect(m_keepalive, &QTimer::timeout, this, &DatabaseWorker::keepAlive);
    m_reconnectTimer->setSingleShot(true);
    connect(m_reconnectTimer, &QTimer::timeout, this, [this] { reconnect(); });
}

DatabaseWorker::~DatabaseWorker() = default;

void DatabaseWorker::cancel()
{
    QMutexLocker lock(&m_cancelMutex);
    m_rehearsalCancel = true;
    if (m_activeWrite)
        m_activeWrite->requestCancel();
    else if (m_canceller)
        m_canceller->cancel();
}

void DatabaseWorker::cancelConnect(int jobId)
{
    m_cancelledConnect.store(jobId);
}

void DatabaseWorker::setConnectionTiming(int keepaliveMs, int firstReconnectMs, int maxReconnectMs)
{
    m_keepalive->setInterval(std::max(10, keepaliveMs));
    m_firstReconnectMs = std::max(10, firstReconnectMs);
    m_maxReconnectMs = std::max(m_firstReconnectMs, maxReconnectMs);
    if (m_reconnectTimer->isActive()) // the new timing applies to the reconnect already waiting
        m_reconnectTimer->start(m_firstReconnectMs);
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

void DatabaseWorker::connectTo(
    int jobId, const ConnectionTarget& target, std::shared_ptr<const MigrationRepository> repository)
{
    disconnectFromDatabase();
    m_connectionId = jobId;
    // Not an earlier repository's: another project's revisions would all be "not on disk".
    m_verifyRepository = std::move(repository);
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
    if (m_cancelledConnect.load() == jobId)
        return; // cancelled before it started
    Result<std::unique_ptr<DatabaseConnection>> connection = DatabaseConnection::open(target.settings);
    if (m_cancelledConnect.load() == jobId)
        return; // cancelled while libpq waited: the connection closes here, unused
    if (!connection) {
        m_connectionId = 0;
        Q_EMIT failed(jobId, connection.error());
        return;
    }
    adopt(std::move(connection).value());
    m_versionTable = target.versionTable;
    m_target = target;
    Result<VersionState> version = VersionTable::read(*m_connection, m_versionTable);
    if (!version) {
        // A connect that cannot read where the database stands is no connect.
        const Error error = version.error();
        disconnectFromDatabase();
        Q_EMIT failed(jobId, error);
        return;
    }
    DatabaseStatus status;
    status.server = m_connection->serverInfo();
    status.version = version.value();
    verifyInto(status); // findings from the first status on, not from the first refresh
    setState(ConnectionState::Phase::Connected);
    Q_EMIT connected(jobId, status);
}

void DatabaseWorker::adopt(std::unique_ptr<DatabaseConnection> connection)
{
    m_connection = std::move(connection);
    {
        QMutexLocker lock(&m_cancelMutex);
        m_canceller = m_connection->canceller();
    }
    m_reconnectTimer->stop();
    m_keepalive->start();
}

void DatabaseWorker::dropConnection()
{
    m_keepalive->stop();
    QMutexLocker lock(&m_cancelMutex);
    m_canceller.reset();
    m_connection.reset();
}

void DatabaseWorker::setState(ConnectionState::Phase phase, const Error& error)
{
    m_state.phase = phase;
    m_state.target = m_target ? m_target->describe() : QString();
    m_state.error = error;
    if (phase != ConnectionState::Phase::Lost) {
        m_state.failedReconnects = 0;
        m_state.nextReconnectMs = 0;
    }
    if (m_connectionId != 0)
        Q_EMIT connectionStateChanged(m_connectionId, m_state);
}

Error DatabaseWorker::lostConnectionError(const Error& cause) const
{
    Error error = cause;
    error.kind = Error::Kind::Database;
    const QString target = m_target ? m_target->describe() : tr("the server");
    // A dead socket gives QPSQL little to say, sometimes nothing at all; a
    // query on a connection already closed (08003) adds nothing either.
    const bool saysNothing = cause.message.trimmed().isEmpty() || cause.sqlState == QLatin1String("08003");
    if (cause.sqlState == QLatin1String("08003"))
        error.sqlState.clear();
    error.message = saysNothing ? tr("lost the connection to %1").arg(target)
                                : tr("lost the connection to %1: %2").arg(target, cause.message.trimmed());
    return error;
}

void DatabaseWorker::markLost(const Error& why)
{
    dropConnection();
    m_state.failedReconnects = 0;
    m_state.nextReconnectMs = m_firstReconnectMs;
    setState(ConnectionState::Phase::Lost, why);
    m_reconnectTimer->start(m_firstReconnectMs);
}

bool DatabaseWorker::reconnect()
{
    m_reconnectTimer->stop();
    if (!m_target || m_connection)
        return m_connection != nullptr;
    Result<std::unique_ptr<DatabaseConnection>> again = DatabaseConnection::open(m_target->settings);
    if (again) {
        adopt(std::move(again).value());
        setState(ConnectionState::Phase::Connected);
        return true;
    }
    // Backoff: the first delay, doubled after each failed attempt, up to the maximum.
    const int failures = m_state.failedReconnects + 1;
    qint64 delay = m_firstReconnectMs;
    for (int i = 0; i < failures && delay < m_maxReconnectMs; ++i)
        delay *= 2;
    m_state.failedReconnects = failures;
    m_state.nextReconnectMs = static_cast<int>(std::min<qint64>(delay, m_maxReconnectMs));
    setState(ConnectionState::Phase::Lost, again.error());
    m_reconnectTimer->start(m_state.nextReconnectMs);
    return false;
}

void DatabaseWorker::keepAlive()
{
    if (!m_connection)
        return;
    Result<QVariant> answer = m_connection->scalar(QStringLiteral("SELECT 1"));
    if (!m_connection->isAlive())
        markLost(lostConnectionError(answer ? Error() : answer.error()));
}

void DatabaseWorker::fail(int jobId, Error error)
{
    if (m_connection && !m_connection->isAlive()) {
        error = lostConnectionError(error);
        markLost(error);
    }
    Q_EMIT failed(jobId, error);
}

bool DatabaseWorker::ready(int jobId)
{
    if (!m_connection && m_target && m_state.isLost() && !reconnect()) {
        // Still away: the job says why, in the reconnect's words.
        Error error = m_state.error;
        error.message = tr("the connection is lost and reconnecting failed: %1").arg(error.message);
        Q_EMIT failed(jobId, error);
        return false;
    }
    if (!m_connection) {
        Q_EMIT failed(jobId, Error::database(tr("not connected")));
        return false;
    }
    return true;
}

std::optional<DatabaseStatus> DatabaseWorker::readStatus(int jobId)
{
    if (!ready(jobId))
        return std::nullopt;
    DatabaseStatus status;
    Result<VersionState> version = VersionTable::read(*m_connection, m_versionTable);
    if (!version && !m_connection->isAlive() && m_state.isConnected()) {
        // The server went away (or restarted) since the last query: once
        // more on a new connection, so a refresh tells where it stands now.
        markLost(lostConnectionError(version.error()));
        if (reconnect())
            version = VersionTable::read(*m_connection, m_versionTable);
    }
    if (!version) {
        fail(jobId, version.error());
        return std::nullopt;
    }
    status.server = m_connection->serverInfo();
    status.version = version.value();
    verifyInto(status);
    m_keepalive->start(); // just talked to the server
    return status;
}

void DatabaseWorker::verifyInto(DatabaseStatus& status)
{
    if (!m_verifyRepository)
        return;
    // A failed verify (a revision without SQL, a side table it may not read) leaves it unknown.
    Result<VerifyReport> verified
        = ChecksumVerifier::verify(*m_connection, m_verifyRepository->graph(), m_versionTable);
    if (verified)
        status.verify = verified.value();
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
    m_reconnectTimer->stop();
    dropConnection();
    m_target.reset();
    m_connectionId = 0;
    m_state = ConnectionState();
}

bool DatabaseWorker::readyWithRepository(int jobId, const MigrationRepository* repository)
{
    if (!ready(jobId))
        return false;
    if (!repository) {
        Q_EMIT failed(jobId, Error::input(tr("no migration repository")));
        return false;
    }
    return true;
}

void DatabaseWorker::rehearse(int jobId, std::shared_ptr<const MigrationRepository> repository,
    const ConnectionTarget& target, const WriteRequest& request, const RehearsalOptions& options)
{
    if (!readyWithRepository(jobId, repository.get()))
        return;
    m_rehearsalCancel = false;
    Result<RehearsalReport> report = Rehearsal::run(
        *m_connection, *repository, withPassword(target), request, options, &m_rehearsalCancel);
    if (!report) {
        fail(jobId, report.error());
        return;
    }
    if (!report->nothingToDo && !report->phases.isEmpty()) {
        if (std::optional<Error> error = RehearsalRecords().append(report.value()))
            report.value().problem
                += (report->problem.isEmpty() ? QString() : QStringLiteral("; ")) + error->message;
    }
    Q_EMIT rehearsed(jobId, report.value());
}

void DatabaseWorker::review(int jobId, std::shared_ptr<const MigrationRepository> repository,
    const ConnectionTarget& target, const WriteRequest& request)
{
    if (!readyWithRepository(jobId, repository.get()))
        return;
    m_verifyRepository = repository; // readStatus verifies against it
    Result<WriteReview> reviewed
        = GuardedWrite::review(*m_connection, *repository, withPassword(target), request);
    if (!reviewed) {
        fail(jobId, reviewed.error());
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
    m_verifyRepository = repository; // readStatus verifies against it
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
        // The runner re-read the state on a new connection (or could not);
        // ours is gone: lost, then reopened at once or with backoff.
        markLost(lostConnectionError(outcome.run.error));
        reconnect();
    } else {
        m_keepalive->start();
    }
    Q_EMIT writeFinished(jobId, outcome);
}

void DatabaseWorker::audit(int jobId, std::shared_ptr<const MigrationRepository> repository,
    const QString& target, const ConnectionTarget& connection)
{
    if (!readyWithRepository(jobId, repository.get()))
        return;
    m_verifyRepository = repository; // readStatus verifies against it
    // A local shadow server (read-only profiles) of the target's major version when installed.
    Result<CatalogSnapshot> expected = SchemaAudit::expectedAt(
        *repository, target, withPassword(connection), {}, m_connection->serverInfo().versionNumber);
    if (!expected) {
        fail(jobId, expected.error());
        return;
    }
    Result<AuditReport> report = SchemaAudit::compare(*m_connection, *expected, m_versionTable);
    if (!report) {
        fail(jobId, report.error());
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
    m_keepalive->start();
    Q_EMIT auditFinished(jobId, *report, subject, outline);
}

void DatabaseWorker::runChecks(int jobId, const QString& repositoryDirectory)
{
    if (!ready(jobId))
        return;
    Result<CheckRepository> checks = CheckRepository::load(repositoryDirectory);
    if (!checks) {
        Q_EMIT failed(jobId, checks.error());
        return;
    }
    Result<CheckReport> report = CheckRunner::run(*m_connection, checks->checks());
    if (!report) {
        fail(jobId, report.error());
        return;
    }
    m_keepalive->start();
    Q_EMIT checksFinished(jobId, *report, checks->fixes());
}

void DatabaseWorker::inspectRecovery(
    int jobId, std::shared_ptr<const MigrationRepository> repository, const ConnectionTarget& target)
{
    if (!readyWithRepository(jobId, repository.get()))
        return;
    // The journal is a local file; read here, not on the GUI thread, with the database.
    Result<QList<JournalRecord>> journal = RunJournal().read();
    if (!journal) {
        Q_EMIT failed(jobId, journal.error());
        return;
    }
    Result<RecoveryReport> report = RecoveryInspector::inspect(
        *m_connection, repository->graph(), m_versionTable, target.settings.describe(), journal.value());
    if (!report) {
        fail(jobId, report.error());
        return;
    }
    m_keepalive->start();
    Q_EMIT recoveryInspected(jobId, report.value());
}

} // namespace dbops
