#include "InterruptWatcher.h"

#include <atomic>
#include <chrono>

namespace dbops::cli {

namespace {

constexpr std::array<int, 3> kSignals { SIGINT, SIGTERM, SIGHUP };

// Written by the signal handler: lock-free atomics are async-signal-safe,
// a mutex or a condition variable is not.
std::array<std::atomic<int>, kSignals.size()> g_counts {};
std::atomic<int> g_lastSignal { 0 };
static_assert(std::atomic<int>::is_always_lock_free, "the signal handler needs lock-free atomics");

// A condition variable cannot be notified from a signal handler, so the
// watcher looks at the counts this often; the end of the watch still wakes
// it at once.
constexpr auto kPollInterval = std::chrono::milliseconds(20);

extern "C" void onWatchedSignal(int signalNumber)
{
    for (std::size_t i = 0; i < kSignals.size(); ++i) {
        if (kSignals[i] == signalNumber) {
            g_lastSignal.store(signalNumber);
            g_counts[i].fetch_add(1);
        }
    }
}

} // namespace

InterruptWatcher::InterruptWatcher(std::function<void()> onInterrupt)
    : m_onInterrupt(std::move(onInterrupt))
{
    static_assert(kSignals.size() == kSignalCount, "one slot per watched signal");
    for (std::size_t i = 0; i < kSignalCount; ++i) {
        m_baseline[i] = g_counts[i].load();
        m_delivered[i] = m_baseline[i];
    }
    m_thread = std::thread([this] { watch(); });
    for (std::size_t i = 0; i < kSignalCount; ++i) {
        struct sigaction action
        {
        };
        action.sa_handler = onWatchedSignal;
        sigemptyset(&action.sa_mask);
        // SA_RESTART: a signal must not turn a read in libpq or QProcess into EINTR.
        action.sa_flags = SA_RESTART;
        // Only SIGHUP keeps an inherited SIG_IGN (nohup).  A shell starts a
        // script's background job with SIGINT ignored, yet a stop asked for
        // with `kill -INT` must still cancel the run on the server.
        if (::sigaction(kSignals[i], nullptr, &m_previous[i]) != 0
            || (kSignals[i] == SIGHUP && m_previous[i].sa_handler == SIG_IGN))
            continue;
        m_installed[i] = ::sigaction(kSignals[i], &action, nullptr) == 0;
    }
}

InterruptWatcher::~InterruptWatcher()
{
    // Handlers first: a signal after this point does what it did before us.
    for (std::size_t i = 0; i < kSignalCount; ++i) {
        if (m_installed[i])
            ::sigaction(kSignals[i], &m_previous[i], nullptr);
    }
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_one();
    m_thread.join();
}

bool InterruptWatcher::interrupted() const
{
    return count() > 0;
}

int InterruptWatcher::signalNumber() const
{
    return interrupted() ? g_lastSignal.load() : 0;
}

int InterruptWatcher::count() const
{
    int total = 0;
    for (std::size_t i = 0; i < kSignalCount; ++i)
        total += g_counts[i].load() - m_baseline[i];
    return total;
}

QString InterruptWatcher::nameOf(int signalNumber)
{
    switch (signalNumber) {
    case SIGINT:
        return QStringLiteral("SIGINT");
    case SIGTERM:
        return QStringLiteral("SIGTERM");
    case SIGHUP:
        return QStringLiteral("SIGHUP");
    case 0:
        return {};
    default:
        return QStringLiteral("signal %1").arg(signalNumber);
    }
}

void InterruptWatcher::watch()
{
    std::unique_lock<std::mutex> lock(m_mutex);
    while (!m_stop) {
        lock.unlock(); // the callback may take its time; the destructor must not wait for the lock
        deliver();
        lock.lock();
        m_wake.wait_for(lock, kPollInterval, [this] { return m_stop; });
    }
    lock.unlock();
    deliver(); // a signal that came in just before the end still counts
}

void InterruptWatcher::deliver()
{
    for (std::size_t i = 0; i < kSignalCount; ++i) {
        const int arrived = g_counts[i].load();
        while (m_delivered[i] < arrived) {
            ++m_delivered[i];
            if (m_onInterrupt)
                m_onInterrupt();
        }
    }
}

} // namespace dbops::cli
