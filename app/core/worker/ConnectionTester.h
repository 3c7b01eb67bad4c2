#pragma once

#include "worker/WorkerTypes.h"

#include <QObject>

namespace dbops {

/// "Test connection" for dialogs: one connect to the server and its answer,
/// off the calling thread.  Unlike DatabaseController, the tester owns no
/// thread: every attempt runs in a thread of its own that ends, and deletes
/// itself and its worker, when the connect returns.  So the tester (and the
/// dialog that holds it) can go away at any moment without waiting for a
/// server that does not answer; an answer whose tester is gone, or whose
/// attempt was replaced or abandoned, is dropped.
class ConnectionTester : public QObject
{
    Q_OBJECT
public:
    explicit ConnectionTester(QObject* parent = nullptr);
    ~ConnectionTester() override;

    /// Starts an attempt and returns its id; connectionTested() follows in
    /// this object's thread.  An attempt still running is abandoned.
    int test(const ConnectionSettings& settings);
    /// Drops the answer of the running attempt (a connect cannot be interrupted).
    void abandon();
    bool isBusy() const { return m_currentJob != 0; }
    int currentJob() const { return m_currentJob; }

    /// The line "Test connection" shows for a server that answered.
    static QString describe(const ServerInfo& info);
    /// Attempts of all testers whose thread has not yet cleaned up, abandoned
    /// ones included (tests wait for it to reach 0 before they end).
    static int runningAttempts();

Q_SIGNALS:
    void connectionTested(bool ok, const QString& serverDescription, const dbops::Error& error);

private:
    int m_nextJob = 1;
    int m_currentJob = 0;
};

} // namespace dbops
