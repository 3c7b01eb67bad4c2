// Deliberate data races, built only in the ThreadSanitizer build.
// scripts/sanitize.sh runs each test function on its own after the TSan
// tests and requires a report from each: they prove the suppressions in
// tsan.supp (called_from_lib:libQt6Test.so among them) and the handoffs
// ThreadHandoff makes visible still let a race through, so the TSan run can fail.
#include "common/ThreadHandoff.h"

#include <QtTest>
#include <atomic>
#include <thread>

/// A worker as the controllers have them, with a member the GUI thread reads
/// without waiting for the worker's answer.
class RacyWorker : public QObject
{
    Q_OBJECT
public:
    int value = 0;
    std::atomic<bool> done { false }; ///< relaxed: orders nothing for TSan

public Q_SLOTS:
    void write()
    {
        value = 1;
        done.store(true, std::memory_order_relaxed);
        Q_EMIT written();
    }

Q_SIGNALS:
    void written();
};

class RaceCanary : public QObject
{
    Q_OBJECT

private slots:
    void unsynchronisedWritesAreReported()
    {
        int shared = 0;
        std::thread writer([&shared] { shared = 1; });
        shared = 2; // races with the writer thread on purpose
        writer.join();
        QVERIFY(shared == 1 || shared == 2);
    }

    // With the queued handoffs visible (ThreadHandoff), a read that no event
    // orders against the worker's write is still a race.
    void aWorkerRaceIsReportedDespiteTheHandoffs()
    {
        dbops::ThreadHandoff::install();
        QThread thread;
        RacyWorker worker;
        worker.moveToThread(&thread);
        thread.start();
        QSignalSpy written(&worker, &RacyWorker::written);
        {
            const dbops::ThreadHandoff::Scope handoff;
            QMetaObject::invokeMethod(&worker, "write", Qt::QueuedConnection);
        }
        // Spin, processing no event, until the worker has written: then read
        // what it wrote, with no signal or event between the two.
        while (!worker.done.load(std::memory_order_relaxed))
            std::this_thread::yield();
        const int seen = worker.value; // races with write() on purpose
        QVERIFY(written.count() == 1 || written.wait(5000));
        thread.quit();
        thread.wait();
        QCOMPARE(seen, 1);
    }
};

QTEST_GUILESS_MAIN(RaceCanary)
#include "race_canary.moc"
