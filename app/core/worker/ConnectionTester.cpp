#include "worker/ConnectionTester.h"

#include "common/ThreadHandoff.h"

#include <QThread>
#include <atomic>

namespace dbops {

namespace {

std::atomic<int> g_runningAttempts { 0 };

} // namespace

/// One attempt, living in its own thread.  It holds copies of the settings
/// only, and reports through a queued signal: Qt drops a queued call whose
/// receiver has been destroyed, so the attempt never needs to know whether
/// its tester still exists.
class ConnectionTestAttempt : public QObject
{
    Q_OBJECT
public:
    ConnectionTestAttempt(int jobId, ConnectionSettings settings)
        : m_jobId(jobId)
        , m_settings(std::move(settings))
    {
        ++g_runningAttempts;
    }
    ~ConnectionTestAttempt() override { --g_runningAttempts; }

    void run()
    {
        bool ok = false;
        QString description;
        Error error;
        {
            // Closed (and removed from QtSql's registry) in this thread, before the thread ends.
            Result<std::unique_ptr<DatabaseConnection>> connection = DatabaseConnection::open(m_settings);
            if (connection) {
                ok = true;
                description = ConnectionTester::describe(connection.value()->serverInfo());
            } else {
                error = connection.error();
            }
        }
        Q_EMIT finished(m_jobId, ok, description, error);
    }

Q_SIGNALS:
    void finished(int jobId, bool ok, const QString& serverDescription, const dbops::Error& error);

private:
    int m_jobId;
    ConnectionSettings m_settings;
};

ConnectionTester::ConnectionTester(QObject* parent)
    : QObject(parent)
{
    registerWorkerMetaTypes();
}

// Nothing to wait for: running attempts finish on their own, and their
// answers are dropped with this object's connections.
ConnectionTester::~ConnectionTester() = default;

int ConnectionTester::test(const ConnectionSettings& settings)
{
    const int job = m_nextJob++;
    m_currentJob = job;

    // No parent: the thread may outlive this tester, and deletes itself once
    // its event loop has ended (after the attempt, which goes first).
    auto* thread = new QThread;
    thread->setObjectName(QStringLiteral("dbops-connection-test"));
    auto* attempt = new ConnectionTestAttempt(job, settings);
    ThreadHandoff::install(); // a TSan build sees the queued handoffs
    attempt->moveToThread(thread);
    connect(thread, &QThread::started, attempt, &ConnectionTestAttempt::run);
    connect(attempt, &ConnectionTestAttempt::finished, this,
        [this](int finishedJob, bool ok, const QString& description, const Error& error) {
            if (finishedJob != m_currentJob)
                return; // replaced or abandoned meanwhile
            m_currentJob = 0;
            Q_EMIT connectionTested(ok, description, error);
        });
    // Direct: quit() is thread-safe, and the thread must end even when the
    // thread that started it no longer runs an event loop.
    connect(attempt, &ConnectionTestAttempt::finished, thread, &QThread::quit, Qt::DirectConnection);
    connect(thread, &QThread::finished, attempt, &QObject::deleteLater);
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    thread->start();
    return job;
}

void ConnectionTester::abandon()
{
    m_currentJob = 0;
}

QString ConnectionTester::describe(const ServerInfo& info)
{
    return tr("PostgreSQL %1, user %2, database %3, TLS %4")
        .arg(info.version, info.user, info.database, info.tls ? tr("on") : tr("off"));
}

int ConnectionTester::runningAttempts()
{
    return g_runningAttempts.load();
}

} // namespace dbops

#include "ConnectionTester.moc"
