#include "connection/PasswordStore.h"

#include <QEventLoop>
#include <QMutex>
#include <QTimer>

#if DBOPS_QT_MAJOR == 6
#include <qt6keychain/keychain.h>
#else
#include <qt5keychain/keychain.h>
#endif

namespace dbops {

namespace {

QMutex g_observerMutex;
std::function<void(const QString&)> g_readObserver;

void notifyRead(const QString& key)
{
    QMutexLocker lock(&g_observerMutex);
    if (g_readObserver)
        g_readObserver(key);
}

bool disabledByEnvironment()
{
    return qEnvironmentVariable("DBOPS_KEYCHAIN") == QLatin1String("off");
}

// Runs a keychain job to completion with a local event loop, bounded in time
// so a hanging D-Bus service cannot freeze the caller.
void runJob(QKeychain::Job& job)
{
    QEventLoop loop;
    QObject::connect(&job, &QKeychain::Job::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(10000, &loop, &QEventLoop::quit);
    job.setAutoDelete(false);
    job.start();
    loop.exec();
}

Error keychainError(const QKeychain::Job& job)
{
    return Error::io(
        QStringLiteral("the OS keychain is not available (%1); use ~/.pgpass or PGPASSFILE instead")
            .arg(job.errorString().isEmpty() ? QStringLiteral("no answer") : job.errorString()));
}

Error disabledError()
{
    return Error::io(QStringLiteral(
        "the OS keychain is switched off (DBOPS_KEYCHAIN=off); use ~/.pgpass or PGPASSFILE instead"));
}

Result<QString> readResult(const QKeychain::ReadPasswordJob& job)
{
    if (job.error() == QKeychain::EntryNotFound)
        return QString();
    if (job.error() != QKeychain::NoError)
        return keychainError(job);
    return job.textData();
}

} // namespace

bool PasswordStore::isAvailable()
{
    if (disabledByEnvironment())
        return false;
    Result<QString> probe = read(QStringLiteral("dbops-availability-probe"));
    return probe.ok();
}

void PasswordStore::setReadObserver(std::function<void(const QString& key)> observer)
{
    QMutexLocker lock(&g_observerMutex);
    g_readObserver = std::move(observer);
}

Result<QString> PasswordStore::read(const QString& key)
{
    notifyRead(key);
    if (disabledByEnvironment())
        return disabledError();
    QKeychain::ReadPasswordJob job(serviceName());
    job.setInsecureFallback(false);
    job.setKey(key);
    runJob(job);
    return readResult(job);
}

void PasswordStore::readAsync(
    const QString& key, QObject* context, std::function<void(const Result<QString>&)> done)
{
    notifyRead(key);
    if (disabledByEnvironment()) {
        done(disabledError());
        return;
    }
    // The job is a child of `context` (gone with it) and deletes itself once finished.
    auto* job = new QKeychain::ReadPasswordJob(serviceName(), context);
    job->setInsecureFallback(false);
    job->setKey(key);
    QObject::connect(
        job, &QKeychain::Job::finished, context, [done = std::move(done)](QKeychain::Job* finished) {
            done(readResult(*static_cast<QKeychain::ReadPasswordJob*>(finished)));
        });
    job->start();
}

std::optional<Error> PasswordStore::write(const QString& key, const QString& password)
{
    if (disabledByEnvironment())
        return disabledError();
    QKeychain::WritePasswordJob job(serviceName());
    job.setInsecureFallback(false);
    job.setKey(key);
    job.setTextData(password);
    runJob(job);
    if (job.error() != QKeychain::NoError)
        return keychainError(job);
    return std::nullopt;
}

std::optional<Error> PasswordStore::remove(const QString& key)
{
    if (disabledByEnvironment())
        return disabledError();
    QKeychain::DeletePasswordJob job(serviceName());
    job.setInsecureFallback(false);
    job.setKey(key);
    runJob(job);
    if (job.error() != QKeychain::NoError && job.error() != QKeychain::EntryNotFound)
        return keychainError(job);
    return std::nullopt;
}

} // namespace dbops
