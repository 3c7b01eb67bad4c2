// BackupRunner against a real server (run through tests/with-postgres.sh,
// which exports DBOPS_TEST_PG_URL): the dump is private whatever the umask,
// a cancel stops pg_dump and leaves nothing behind, and pg_dump dies with
// dbops.  A slow pg_dump is a blocked one: another session holds an ACCESS
// EXCLUSIVE lock on a table, and pg_dump waits for its ACCESS SHARE lock
// until the test lets go.
#include "connection/ConnectionSettings.h"
#include "connection/DatabaseConnection.h"
#include "runner/BackupRunner.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>
#include <atomic>
#include <csignal>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace dbops;

namespace {

const QString kDatabase = QStringLiteral("dbops_backup_test");
// Set for the copy of this program that plays dbops in pgDumpDiesWithDbops:
// the backup folder and the server's version number.
const char* const kChildModeVariable = "DBOPS_TST_BACKUP_INTO";
const char* const kServerVersionVariable = "DBOPS_TST_BACKUP_SERVER_VERSION";

int modeOf(const QString& path)
{
    struct stat status
    {
    };
    if (::lstat(QFile::encodeName(path).constData(), &status) != 0)
        return -1;
    return static_cast<int>(status.st_mode & 07777);
}

QString octal(int mode)
{
    return mode < 0 ? QStringLiteral("missing") : QStringLiteral("0%1").arg(mode, 0, 8);
}

// The pids of the processes called `name` whose parent is `parent`, from /proc.
QList<pid_t> childrenNamed(pid_t parent, const QByteArray& name)
{
    QList<pid_t> pids;
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString& entry : entries) {
        bool isPid = false;
        const pid_t pid = entry.toInt(&isPid);
        if (!isPid)
            continue;
        QFile stat(QStringLiteral("/proc/%1/stat").arg(entry));
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        // "pid (comm) state ppid ...": comm may hold spaces and parentheses.
        const QByteArray line = stat.readAll();
        const int open = line.indexOf('(');
        const int close = line.lastIndexOf(')');
        if (open < 0 || close < open)
            continue;
        const QList<QByteArray> rest = line.mid(close + 2).split(' ');
        if (line.mid(open + 1, close - open - 1) == name && rest.size() > 1 && rest.at(1).toInt() == parent)
            pids.append(pid);
    }
    return pids;
}

// Waits until `condition` holds; false after `timeoutMs`.
template<typename Condition> bool waitFor(Condition condition, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (!condition()) {
        if (clock.elapsed() > timeoutMs)
            return false;
        QThread::msleep(20);
    }
    return true;
}

QStringList dumpsIn(const QString& directory)
{
    return QDir(directory).entryList(QDir::Files | QDir::Hidden | QDir::System);
}

// The copy of this program that plays dbops: backs up into the folder it is
// given, and is killed while pg_dump waits.
int runAsDbops(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    Result<ConnectionSettings> settings
        = ConnectionSettings::parse(qEnvironmentVariable("DBOPS_TEST_PG_URL"));
    if (!settings)
        return 2;
    settings.value().setValue(QStringLiteral("dbname"), kDatabase);
    const Result<QString> dump = BackupRunner::run(settings.value(), qEnvironmentVariable(kChildModeVariable),
        qEnvironmentVariableIntValue(kServerVersionVariable));
    return dump ? 0 : 1;
}

} // namespace

#define QCOMPARE_MODE(path, expected) QCOMPARE(octal(modeOf(path)), octal(expected))

class TestBackup : public QObject
{
    Q_OBJECT

    ConnectionSettings m_settings;
    int m_serverVersion = 0;
    QTemporaryDir m_root;

    std::unique_ptr<DatabaseConnection> connect(const ConnectionSettings& settings)
    {
        Result<std::unique_ptr<DatabaseConnection>> c = DatabaseConnection::open(settings);
        if (!c)
            qWarning("%s", qPrintable(c.error().toString()));
        return c ? std::move(c).value() : nullptr;
    }

    // Another session's ACCESS EXCLUSIVE lock on `t`, held until the connection closes.
    std::unique_ptr<DatabaseConnection> lockTable()
    {
        auto c = connect(m_settings);
        if (!c || !c->exec(QStringLiteral("BEGIN"))
            || !c->exec(QStringLiteral("LOCK TABLE t IN ACCESS EXCLUSIVE MODE")))
            return nullptr;
        return c;
    }

    // Backends of our database waiting for a lock (pg_dump, behind lockTable()).
    int waitingBackends(DatabaseConnection& inspector)
    {
        const Result<QVariant> n = inspector.scalar(
            QStringLiteral(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'"),
            { kDatabase });
        return n ? n->toInt() : -1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (qEnvironmentVariableIsEmpty("DBOPS_TEST_PG_URL"))
            QSKIP("needs a server: run through tests/with-postgres.sh");
        QVERIFY(m_root.isValid());
        // The usual umask, which makes files 0644 and folders 0755.
        ::umask(022);
        Result<ConnectionSettings> admin
            = ConnectionSettings::parse(qEnvironmentVariable("DBOPS_TEST_PG_URL"));
        QVERIFY(admin);
        m_settings = admin.value();
        m_settings.setValue(QStringLiteral("dbname"), kDatabase);
        auto c = connect(admin.value());
        QVERIFY(c);
        m_serverVersion = c->serverInfo().versionNumber;
        QVERIFY(c->exec(QStringLiteral("DROP DATABASE IF EXISTS %1").arg(kDatabase)));
        QVERIFY(c->exec(QStringLiteral("CREATE DATABASE %1").arg(kDatabase)));
        auto db = connect(m_settings);
        QVERIFY(db);
        QVERIFY(db->exec(QStringLiteral("CREATE TABLE t AS SELECT g AS id, md5(g::text) AS payload FROM "
                                        "generate_series(1, 1000) g")));
    }

    void backupIsPrivate()
    {
        const QString directory = m_root.filePath(QStringLiteral("backups/nightly"));
        const Result<QString> dump = BackupRunner::run(m_settings, directory, m_serverVersion);
        QVERIFY2(dump, qPrintable(dump.error().toString()));
        QCOMPARE(QFileInfo(dump.value()).absolutePath(), directory);
        QVERIFY(dump.value().endsWith(QStringLiteral(".dump")));
        QCOMPARE_MODE(dump.value(), 0600);
        QCOMPARE_MODE(directory, 0700);
        QCOMPARE_MODE(m_root.filePath(QStringLiteral("backups")), 0700);
        QFile file(dump.value());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.read(5), QByteArray("PGDMP")); // pg_dump's custom format

        // Twice in the same second: a second file, not the first overwritten.
        const Result<QString> again = BackupRunner::run(m_settings, directory, m_serverVersion);
        QVERIFY2(again, qPrintable(again.error().toString()));
        QVERIFY(again.value() != dump.value());
        QCOMPARE(dumpsIn(directory).size(), 2);
        QCOMPARE_MODE(again.value(), 0600);
    }

    void backupIntoAnExistingFolderKeepsIt()
    {
        // The user's own folder (a shared /backups) is theirs; the dump is private.
        const QString directory = m_root.filePath(QStringLiteral("shared"));
        QVERIFY(QDir().mkpath(directory));
        QCOMPARE_MODE(directory, 0755);
        const Result<QString> dump = BackupRunner::run(m_settings, directory, m_serverVersion);
        QVERIFY2(dump, qPrintable(dump.error().toString()));
        QCOMPARE_MODE(directory, 0755);
        QCOMPARE_MODE(dump.value(), 0600);
    }

    void failedBackupLeavesNothing()
    {
        ConnectionSettings wrong = m_settings;
        wrong.setValue(QStringLiteral("dbname"), QStringLiteral("no_such_database"));
        const QString directory = m_root.filePath(QStringLiteral("failed"));
        const Result<QString> dump = BackupRunner::run(wrong, directory, m_serverVersion);
        QVERIFY(!dump);
        QVERIFY2(
            dump.error().message.contains(QStringLiteral("backup failed")), qPrintable(dump.error().message));
        QCOMPARE(dumpsIn(directory), QStringList());
    }

    void cancelStopsPgDump()
    {
        auto lock = lockTable();
        QVERIFY(lock);
        const QString directory = m_root.filePath(QStringLiteral("cancelled"));
        std::atomic<bool> cancel { false };
        std::atomic<pid_t> pgDump { 0 };
        std::atomic<bool> sawWaiting { false };
        std::atomic<bool> returned { false };
        const int lockHolder = lock->serverInfo().backendPid;
        QElapsedTimer sinceCancel;
        // Cancels once pg_dump is seen waiting for the lock, as a Ctrl-C
        // watcher or a Cancel button would, from another thread.  Should the
        // cancel be ignored, it ends the lock holder's session, so that
        // pg_dump finishes and the test fails instead of hanging.
        std::thread canceller([&] {
            auto inspector = connect(m_settings);
            sawWaiting = inspector && waitFor([&] { return waitingBackends(*inspector) == 1; }, 20000);
            const QList<pid_t> children = childrenNamed(::getpid(), "pg_dump");
            if (children.size() == 1)
                pgDump = children.constFirst();
            sinceCancel.start();
            cancel = true;
            if (inspector && !waitFor([&] { return returned.load(); }, 10000))
                inspector->exec(QStringLiteral("SELECT pg_terminate_backend($1)"), { lockHolder });
        });
        const Result<QString> dump = BackupRunner::run(m_settings, directory, m_serverVersion, &cancel);
        returned = true;
        canceller.join(); // before reading sinceCancel: the thread wrote it
        const qint64 stopMs = sinceCancel.elapsed();

        QVERIFY(sawWaiting);
        QVERIFY(pgDump != 0);
        QVERIFY(!dump);
        QVERIFY2(
            dump.error().message.contains(QStringLiteral("cancelled")), qPrintable(dump.error().message));
        QVERIFY2(dump.error().message.contains(QStringLiteral("nothing was changed")),
            qPrintable(dump.error().message));
        // Stopped at once (pg_dump takes SIGTERM well), not after the grace period.
        QVERIFY2(stopMs < 4000, qPrintable(QString::number(stopMs)));
        // pg_dump is gone and reaped, its partial file removed.
        QCOMPARE(childrenNamed(::getpid(), "pg_dump"), QList<pid_t>());
        QVERIFY(!QFileInfo::exists(QStringLiteral("/proc/%1").arg(pgDump.load())));
        QCOMPARE(dumpsIn(directory), QStringList());
        // Its server session stopped waiting too (pg_dump cancels its query on SIGTERM).
        auto inspector = connect(m_settings);
        QVERIFY(inspector);
        QVERIFY(waitFor([&] { return waitingBackends(*inspector) == 0; }, 10000));
    }

    void cancelBeforeStartRunsNothing()
    {
        const QString directory = m_root.filePath(QStringLiteral("early"));
        const std::atomic<bool> cancel { true };
        const Result<QString> dump = BackupRunner::run(m_settings, directory, m_serverVersion, &cancel);
        QVERIFY(!dump);
        QVERIFY(dump.error().message.contains(QStringLiteral("cancelled")));
        QVERIFY(!QFileInfo::exists(directory));
    }

    void pgDumpDiesWithDbops()
    {
        // Orphans come to this process instead of init, so it can see pg_dump end and reap it.
        QCOMPARE(::prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
        auto lock = lockTable();
        QVERIFY(lock);
        const QString directory = m_root.filePath(QStringLiteral("killed"));
        QProcess dbops;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QString::fromLatin1(kChildModeVariable), directory);
        environment.insert(QString::fromLatin1(kServerVersionVariable), QString::number(m_serverVersion));
        dbops.setProcessEnvironment(environment);
        dbops.setProcessChannelMode(QProcess::ForwardedChannels);
        dbops.start(QCoreApplication::applicationFilePath(), QStringList());
        QVERIFY(dbops.waitForStarted());
        const pid_t dbopsPid = static_cast<pid_t>(dbops.processId());

        pid_t pgDump = 0;
        auto inspector = connect(m_settings);
        QVERIFY(inspector);
        QVERIFY(waitFor(
            [&] {
                const QList<pid_t> children = childrenNamed(dbopsPid, "pg_dump");
                pgDump = children.isEmpty() ? 0 : children.constFirst();
                return pgDump != 0 && waitingBackends(*inspector) == 1;
            },
            20000));

        dbops.kill(); // SIGKILL: no cancel path, no destructor, nothing but the kernel
        QVERIFY(dbops.waitForFinished());
        int status = 0;
        const bool ended = waitFor([&] { return ::waitpid(pgDump, &status, WNOHANG) == pgDump; }, 10000);
        if (!ended) {
            ::kill(pgDump, SIGKILL); // today's behaviour: orphaned, still waiting
            ::waitpid(pgDump, &status, 0);
        }
        QVERIFY2(ended, "pg_dump outlived the process that started it");
        QVERIFY(waitFor([&] { return waitingBackends(*inspector) == 0; }, 10000));
    }

    void cleanupTestCase()
    {
        if (qEnvironmentVariableIsEmpty("DBOPS_TEST_PG_URL"))
            return;
        Result<ConnectionSettings> admin
            = ConnectionSettings::parse(qEnvironmentVariable("DBOPS_TEST_PG_URL"));
        if (auto c = admin ? connect(admin.value()) : nullptr)
            c->exec(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(kDatabase));
    }
};

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsSet(kChildModeVariable))
        return runAsDbops(argc, argv);
    QCoreApplication app(argc, argv);
    TestBackup test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_backup.moc"
