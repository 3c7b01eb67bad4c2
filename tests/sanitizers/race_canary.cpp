// A deliberate data race, built only in the ThreadSanitizer build.
// scripts/sanitize.sh runs it after the TSan tests and requires a report: it
// proves the suppressions in tsan.supp (called_from_lib:libQt6Test.so among
// them) still let a race in test code through, so the TSan run can fail.
#include <QtTest>
#include <thread>

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
};

QTEST_GUILESS_MAIN(RaceCanary)
#include "race_canary.moc"
