#pragma once

#include <QString>
#include <array>
#include <condition_variable>
#include <csignal>
#include <functional>
#include <mutex>
#include <thread>

namespace dbops::cli {

/// While it lives, SIGINT, SIGTERM and SIGHUP no longer end dbops: each one
/// calls `onInterrupt` from an ordinary thread (where cancelling a run, a
/// backup or a server query is allowed), and the CLI can then say which
/// signal stopped it.  The signal handler itself only counts the signal in a
/// lock-free atomic, the one thing that is async-signal-safe.
///
/// The callback runs once per signal, so a second Ctrl-C reaches it again
/// (e.g. to cancel harder).  A signal that was ignored when the watcher
/// started (`nohup` ignores SIGHUP, a shell ignores SIGINT for background
/// jobs) stays ignored.  The destructor restores the previous handlers and
/// stops the thread at once.  One watcher at a time is the intent; nested
/// ones both see the signals.
class InterruptWatcher
{
public:
    explicit InterruptWatcher(std::function<void()> onInterrupt);
    ~InterruptWatcher();
    InterruptWatcher(const InterruptWatcher&) = delete;
    InterruptWatcher& operator=(const InterruptWatcher&) = delete;

    /// A watched signal arrived since construction (even if the callback has
    /// not run yet).
    bool interrupted() const;
    /// The last watched signal that arrived (SIGINT, SIGTERM, SIGHUP), 0 if none.
    int signalNumber() const;
    /// "SIGINT", "SIGTERM", "SIGHUP" for messages such as "interrupted by SIGTERM"; empty if none.
    QString signalName() const { return nameOf(signalNumber()); }
    /// How many watched signals arrived since construction.
    int count() const;

    static QString nameOf(int signalNumber);

private:
    static constexpr std::size_t kSignalCount = 3;

    void watch();
    void deliver(); // calls the callback once per signal not yet delivered

    std::function<void()> m_onInterrupt;
    std::array<int, kSignalCount> m_baseline {}; // the counts before us
    std::array<int, kSignalCount> m_delivered {}; // watcher thread only
    std::array<bool, kSignalCount> m_installed {};
    std::array<struct sigaction, kSignalCount> m_previous {};
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false; // guarded by m_mutex
    std::thread m_thread; // last: starts after the members it uses
};

} // namespace dbops::cli
