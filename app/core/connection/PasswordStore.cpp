#include "connection/PasswordStore.h"

#include "common/ThreadHandoff.h"

#include <QEventLoop>
#include <QMutex>
#include <QPointer>
#include <QThread>
#include <QTimer>
#include <memory>
#include <utility>

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

// How long a keychain job may take: a hanging D-Bus service must neither
// freeze a blocking caller nor leave an asynchronous one waiting forever.
constexpr int kJobTimeoutMs = 10000;

// Runs a keychain job to completion with a local event loop, bounded in
// time; false when it did not answer in time (its error still says none).
bool runJob(QKeychain::Job& job)
{
    QEventLoop loop;
    bool finished = false;
    QObject::connect(&job, &QKeychain::Job::finished, &loop, [&] {
        finished = true;
        loop.quit();
    });
    QTimer::singleShot(kJobTimeoutMs, &loop, &QEventLoop::quit);
    job.setAutoDelete(false);
    job.start();
    // A backend may finish inside start(), before the loop runs.
    if (!finished)
        loop.exec();
    return finished;
}

Error unavailableError(const QString& why)
{
    return Error::io(
        QStringLiteral("the OS keychain is not available (%1); use ~/.pgpass or PGPASSFILE instead")
            .arg(why.isEmpty() ? QStringLiteral("no answer") : why));
}

Error keychainError(const QKeychain::Job& job)
{
    return unavailableError(job.errorString());
}

Error disabledError()
{
    return Error::io(QStringLiteral(
        "the OS keychain is switched off (DBOPS_KEYCHAIN=off); use ~/.pgpass or PGPASSFILE instead"));
}

std::optional<Error> writeResult(const QKeychain::Job* job)
{
    if (!job)
        return unavailableError(QString());
    if (job->error() != QKeychain::NoError)
        return keychainError(*job);
    return std::nullopt;
}

std::optional<Error> removeResult(const QKeychain::Job* job)
{
    if (!job)
        return unavailableError(QString());
    if (job->error() != QKeychain::NoError && job->error() != QKeychain::EntryNotFound)
        return keychainError(*job);
    return std::nullopt;
}

Result<QString> readResult(const QKeychain::ReadPasswordJob& job)
{
    if (job.error() == QKeychain::EntryNotFound)
        return QString();
    if (job.error() != QKeychain::NoError)
        return keychainError(job);
    return job.textData();
}

Result<QString> readAnswer(const QKeychain::Job* job)
{
    if (!job)
        return unavailableError(QString());
    return readResult(*static_cast<const QKeychain::ReadPasswordJob*>(job));
}

// Hands `answer` to `done` through `context`'s event loop, never from inside
// the caller's own call, so callers see one order of events whatever the
// backend does.  A posted call to an object that is destroyed is dropped.
template<typename Answer>
void answerLater(QObject* context, std::function<void(const Answer&)> done, Answer answer)
{
    const ThreadHandoff::Scope handoff; // what precedes it comes first, as Qt orders it
    QMetaObject::invokeMethod(
        context, [done = std::move(done), answer = std::move(answer)] { done(answer); },
        Qt::QueuedConnection);
}

// Starts `job` and answers `done` exactly once, later, in `context`'s thread
// (the calling one): with resultOf(job) once the job has finished, or with
// resultOf(nullptr) when it has not answered in time.  Nothing is answered
// once `context` is gone.
template<typename Answer>
void startJob(QKeychain::Job* job, QObject* context, std::function<void(const Answer&)> done,
    Answer (*resultOf)(const QKeychain::Job*))
{
    Q_ASSERT(context && context->thread() == QThread::currentThread());
    auto answered = std::make_shared<bool>(false);
    QPointer<QObject> guard(context);
    // The result is read at once (an auto-deleting job is gone afterwards)
    // and answered later: some backends finish inside start() already.
    QObject::connect(
        job, &QKeychain::Job::finished, job, [answered, guard, done, resultOf](QKeychain::Job* finished) {
            if (!std::exchange(*answered, true) && guard)
                answerLater<Answer>(guard, done, resultOf(finished));
        });
    QTimer::singleShot(kJobTimeoutMs, context, [answered, done, resultOf] {
        if (!std::exchange(*answered, true))
            done(resultOf(nullptr));
    });
    job->start();
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
    if (!runJob(job))
        return unavailableError(QString());
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
    startJob<Result<QString>>(job, context, std::move(done), &readAnswer);
}

std::optional<Error> PasswordStore::write(const QString& key, const QString& password)
{
    if (disabledByEnvironment())
        return disabledError();
    QKeychain::WritePasswordJob job(serviceName());
    job.setInsecureFallback(false);
    job.setKey(key);
    job.setTextData(password);
    return writeResult(runJob(job) ? &job : nullptr);
}

void PasswordStore::writeAsync(const QString& key, const QString& password, QObject* context,
    std::function<void(const std::optional<Error>&)> done)
{
    Q_ASSERT(context);
    if (disabledByEnvironment()) {
        answerLater<std::optional<Error>>(context, std::move(done), disabledError());
        return;
    }
    // No parent: a password the user saved is stored even when the window
    // that asked is closed before the keychain answers.  It deletes itself
    // once finished.
    auto* job = new QKeychain::WritePasswordJob(serviceName());
    job->setInsecureFallback(false);
    job->setKey(key);
    job->setTextData(password);
    startJob<std::optional<Error>>(job, context, std::move(done), &writeResult);
}

std::optional<Error> PasswordStore::remove(const QString& key)
{
    if (disabledByEnvironment())
        return disabledError();
    QKeychain::DeletePasswordJob job(serviceName());
    job.setInsecureFallback(false);
    job.setKey(key);
    return removeResult(runJob(job) ? &job : nullptr);
}

void PasswordStore::removeAsync(
    const QString& key, QObject* context, std::function<void(const std::optional<Error>&)> done)
{
    Q_ASSERT(context);
    if (disabledByEnvironment()) {
        answerLater<std::optional<Error>>(context, std::move(done), disabledError());
        return;
    }
    // No parent, as in writeAsync(): the removal completes without its window.
    auto* job = new QKeychain::DeletePasswordJob(serviceName());
    job->setInsecureFallback(false);
    job->setKey(key);
    startJob<std::optional<Error>>(job, context, std::move(done), &removeResult);
}

} // namespace dbops
