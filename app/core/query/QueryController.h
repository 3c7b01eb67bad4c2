#pragma once

#include "connection/ConnectionTarget.h"
#include "query/QueryResult.h"
#include "query/ReadOnlyQuery.h"

#include <QObject>
#include <QPointer>
#include <QThread>

namespace dbops {

class QueryWorker;

/// The GUI side of the query console: owns a QThread ("dbops-query") and a
/// QueryWorker living in it, with its own connection, the same pattern as
/// DatabaseController.  Each run gets a fresh job id; only the current
/// job's result is forwarded.  cancel() is a direct, thread-safe call (the
/// worker is busy inside the query and cannot receive queued calls): an
/// atomic flag and a server-side cancel (PQcancel).  Nothing here blocks the
/// GUI thread, except the destructor, which cancels first.
class QueryController : public QObject
{
    Q_OBJECT
public:
    explicit QueryController(QObject* parent = nullptr);
    ~QueryController() override;

    /// Runs `sql` read-only on `target` (a profile's password is read from the
    /// keychain in the worker).  A query still running is cancelled and its
    /// result dropped.
    int run(const ConnectionTarget& target, const QString& sql,
        const ReadOnlyQuery::Options& options = ReadOnlyQuery::Options());
    /// Cancels the running query; its Cancelled result still arrives (finished()).
    void cancel();
    /// Closes the worker's connection (queued: after a running query ends).
    void disconnectFromDatabase();

    bool isBusy() const { return m_currentJob != 0; }
    int currentJob() const { return m_currentJob; }

Q_SIGNALS:
    void finished(const dbops::QueryResult& result);
    void busyChanged(bool busy);

private:
    QThread m_thread;
    QPointer<QueryWorker> m_worker;
    int m_nextJob = 1;
    int m_currentJob = 0;
};

} // namespace dbops
