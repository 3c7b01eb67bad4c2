// dbops-gui-stall: GUI responsiveness benchmark for the console (bench/gui_bench.sh
// runs it offscreen against a throwaway server; see docs/benchmarks.md).
//
//   dbops-gui-stall --upgrade-url URL --audit-url URL [--audit-migrations DIR]
//                   [--query-url URL] [--diff-columns N] [--migrations DIR] [--threshold-ms 16]
//                   [--timeout-s 300]
//
// Measures, in one process:
//  * time to first window: from the top of main() (before QApplication) to
//    the first Paint event of a widget in the MainWindow (the migration
//    repository loads in its own thread meanwhile: repository_ready_ms);
//  * the longest stall of the GUI thread's event loop: a 1 ms precise QTimer
//    records the largest gap between two of its ticks, per phase:
//      repository    the first paint until the repository has arrived and the
//                    timeline shows it (skipped when it came before the first paint)
//      idle          nothing happening (the machine's scheduling noise)
//      connect       connectToUrl(--upgrade-url), a database 23 revisions behind,
//                    until the session's status -> audit -> checks chain is done
//      dialog        MainWindow::requestUpgrade() until the guarded dialog has painted
//      run           the dialog accepted (programmatically) until runFinished
//      after-run     runFinished until the follow-up status/audit/checks are shown
//      audit         connectToUrl(--audit-url), the 2,000-table database, against
//                    the bundled migrations (everything in it is EXTRA)
//      audit-matched the same database in a second MainWindow whose repository
//                    (--audit-migrations) built exactly that schema (all EXISTS)
//      query         (--query-url) the query console runs a 100,000-row,
//                    10-column read until the rows are shown
//      query-scroll  the console's result view scrolled page by page to the end,
//                    back in 5,000-row jumps, then row by row; peak memory
//                    (VmHWM) and the result's own size are reported too
//      diff-view     (--diff-columns N, no database) the audit panel's schema
//                    diff of an N-column table with drift, of an N-column
//                    MISSING table and of one column, each selected in the tree
//                    until shown, then both sides scrolled to the end
//  * for every gap over the threshold, the event delivery that caused it:
//    QApplication::notify is timed, and the queued results of the database
//    worker are labelled with the DatabaseController signal they carried (so
//    "auditFinished" means ConsoleSession's and MainWindow's handlers of it,
//    AuditPanel::setReport included).
//
// Output: human-readable lines, and `RESULT key value` lines for scripts.
#include "AuditFilterModel.h"
#include "AuditModel.h"
#include "AuditPanel.h"
#include "GuardedActionDialog.h"
#include "MainWindow.h"
#include "QueryConsoleWidget.h"
#include "RunProgressDialog.h"
#include "SchemaDiffView.h"
#include "session/ConsoleSession.h"
#include "worker/DatabaseController.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEvent>
#include <QEventLoop>
#include <QFile>
#include <QMetaEnum>
#include <QPlainTextEdit>
#include <QPointer>
#include <QScrollBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>
#include <QTreeView>
#include <QWidget>
#include <QWindow>
#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <vector>

using namespace dbops;
using namespace dbops::ui;

namespace {

QElapsedTimer g_clock; // started first thing in main()
thread_local bool t_guiThread = false; // set in main()

double ms(qint64 ns)
{
    return double(ns) / 1e6;
}

QString eventName(QEvent::Type type)
{
    const char* key = QMetaEnum::fromType<QEvent::Type>().valueToKey(type);
    return key ? QString::fromLatin1(key) : QString::number(int(type));
}

struct Culprit
{
    QString what;
    qint64 ns = 0;
    QString breakdown; // the largest contributors to the gap, "A 9.5 ms + B 7.0 ms"
};

struct PhaseStats
{
    QString name;
    qint64 maxGap = 0;
    int ticks = 0;
    int over = 0; // gaps over the threshold
    qint64 wall = 0;
    Culprit worst; // what caused the longest gap
    std::map<QString, qint64> culprits; // every culprit of a gap over the threshold, longest time
};

/// QApplication that times every event delivery, so a long gap between two
/// ticks can be pinned on the event (or the labelled signal) that caused it.
class TimingApplication : public QApplication
{
public:
    using QApplication::QApplication;

    struct Frame
    {
        qint64 start;
        const char* className;
        const char* suffix; ///< " viewport" when className is the parent's
        QEvent::Type type;
        QString label;
    };
    struct Done
    {
        QString what;
        qint64 effective; // the part of the delivery after the last tick (nested loops tick inside)
    };

    bool notify(QObject* receiver, QEvent* event) override
    {
        // notify() runs in every thread (the database worker's too); only the GUI thread is timed.
        if (!t_guiThread)
            return QApplication::notify(receiver, event);
        // A plain QWidget is mostly a scroll area's viewport: name its view.
        const QObject* named = receiver->metaObject() == &QWidget::staticMetaObject && receiver->parent()
            ? receiver->parent()
            : receiver;
        const char* viewport = named == receiver ? "" : " viewport";
        m_stack.push_back(
            { g_clock.nsecsElapsed(), named->metaObject()->className(), viewport, event->type(), {} });
        const bool result = QApplication::notify(receiver, event);
        const Frame frame = m_stack.back();
        m_stack.pop_back();
        const qint64 effective = g_clock.nsecsElapsed() - std::max(frame.start, m_lastTick);
        if (effective > 2'000'000)
            m_done.push_back({ describe(frame), effective });
        return result;
    }

    /// Names the event being delivered now (called from a slot inside it).
    void labelCurrent(const QString& label, int skipTop = 0)
    {
        const int index = int(m_stack.size()) - 1 - skipTop;
        if (index >= 0 && m_stack[size_t(index)].label.isEmpty())
            m_stack[size_t(index)].label = label;
    }

    /// Called by the tick (inside its own Timer event): what blocked the loop
    /// since the previous tick.  Completed deliveries, or one still open that
    /// started in the gap (it entered a nested event loop, e.g. QDialog::exec).
    Culprit blame(qint64 previousTick, qint64 now)
    {
        std::vector<std::pair<qint64, QString>> parts;
        for (const Done& d : m_done)
            parts.emplace_back(d.effective, d.what);
        for (size_t i = 0; i + 1 < m_stack.size(); ++i) { // the last frame is this tick
            const Frame& f = m_stack[i];
            if (f.start > previousTick)
                parts.emplace_back(
                    now - f.start, describe(f) + QStringLiteral(" (until it entered a nested event loop)"));
        }
        std::sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
        Culprit best;
        if (!parts.empty())
            best = { parts.front().second, parts.front().first, {} };
        // Nested deliveries are part of their parent's time: list only the
        // outermost ones (those not contained in a larger one already listed
        // cannot be told apart here, so keep it to the top three).
        QStringList top;
        for (size_t i = 0; i < parts.size() && i < 3; ++i)
            top.append(QStringLiteral("%1 %2 ms").arg(parts[i].second).arg(ms(parts[i].first), 0, 'f', 1));
        best.breakdown = top.join(QStringLiteral(" | "));
        return best;
    }

    void tick(qint64 now)
    {
        m_lastTick = now;
        m_done.clear();
    }

private:
    static QString describe(const Frame& f)
    {
        if (!f.label.isEmpty())
            return f.label;
        return QStringLiteral("%1%2 %3").arg(
            QString::fromLatin1(f.className), QString::fromLatin1(f.suffix), eventName(f.type));
    }

    std::vector<Frame> m_stack;
    std::vector<Done> m_done;
    qint64 m_lastTick = 0;
};

/// The 1 ms ticker: the largest gap between ticks while a phase is open.
class StallMeter : public QObject
{
public:
    StallMeter(TimingApplication* app, double thresholdMs)
        : m_app(app)
        , m_threshold(qint64(thresholdMs * 1e6))
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(1);
        QObject::connect(&m_timer, &QTimer::timeout, this, [this] { onTick(); });
        m_timer.start();
        m_last = g_clock.nsecsElapsed();
    }

    void begin(const QString& name)
    {
        m_phase = PhaseStats();
        m_phase.name = name;
        m_phaseStart = g_clock.nsecsElapsed();
        m_last = m_phaseStart;
        m_app->tick(m_phaseStart);
        m_open = true;
    }

    PhaseStats end()
    {
        // The stretch since the last tick counts too (a phase may end inside a long handler).
        const qint64 now = g_clock.nsecsElapsed();
        record(now - m_last, m_app->blame(m_last, now));
        m_open = false;
        m_phase.wall = now - m_phaseStart;
        return m_phase;
    }

private:
    void onTick()
    {
        const qint64 now = g_clock.nsecsElapsed();
        if (m_open) {
            const qint64 gap = now - m_last;
            ++m_phase.ticks;
            if (gap > m_threshold || gap > m_phase.maxGap)
                record(gap, m_app->blame(m_last, now));
        }
        m_last = now;
        m_app->tick(now);
    }

    void record(qint64 gap, const Culprit& culprit)
    {
        const QString what = culprit.what.isEmpty() || culprit.ns < gap / 2
            ? QStringLiteral("(no single event: scheduling, or many short events)")
            : culprit.what;
        if (gap > m_phase.maxGap) {
            m_phase.maxGap = gap;
            m_phase.worst = { what, culprit.ns, culprit.breakdown };
        }
        if (gap > m_threshold) {
            ++m_phase.over;
            qint64& longest = m_phase.culprits[what];
            longest = std::max(longest, gap);
        }
    }

    TimingApplication* m_app;
    QTimer m_timer;
    qint64 m_threshold;
    qint64 m_last = 0;
    qint64 m_phaseStart = 0;
    bool m_open = false;
    PhaseStats m_phase;
};

/// Waits in a real event loop (no sleeping, unlike QTest::qWait) until one of
/// the signals it was told about fires, or the timeout.
class Waiter : public QObject
{
public:
    template<typename Sender, typename Signal> void on(Sender* sender, Signal signal, const QString& name)
    {
        QObject::connect(sender, signal, this, [this, name] {
            if (m_fired.isEmpty())
                m_fired = name;
            m_loop.quit();
        });
    }
    QString wait(int timeoutMs)
    {
        if (m_fired.isEmpty()) {
            QTimer::singleShot(timeoutMs, &m_loop, &QEventLoop::quit);
            m_loop.exec();
        }
        return m_fired.isEmpty() ? QStringLiteral("timeout") : m_fired;
    }
    void reset() { m_fired.clear(); }

private:
    QEventLoop m_loop;
    QString m_fired;
};

/// First Paint of any widget in a given top-level window.
class PaintProbe : public QObject
{
public:
    QPointer<QWidget> window;
    qint64 firstPaint = -1;
    qint64 firstExpose = -1;
    std::function<void()> onPaint;

    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (window && firstPaint < 0) {
            if (event->type() == QEvent::Expose && watched == window->windowHandle() && firstExpose < 0) {
                firstExpose = g_clock.nsecsElapsed();
            } else if (event->type() == QEvent::Paint && watched->isWidgetType()
                && static_cast<QWidget*>(watched)->window() == window) {
                firstPaint = g_clock.nsecsElapsed();
                if (onPaint)
                    onPaint();
            }
        }
        return false;
    }
    void watch(QWidget* w)
    {
        window = w;
        firstPaint = firstExpose = -1;
    }
};

void printPhase(const PhaseStats& p, double thresholdMs)
{
    std::printf("  %-14s max stall %8.1f ms   gaps > %.0f ms: %3d   ticks %6d   phase %8.1f ms\n",
        qPrintable(p.name), ms(p.maxGap), thresholdMs, p.over, p.ticks, ms(p.wall));
    if (p.maxGap > qint64(thresholdMs * 1e6))
        std::printf("  %-14s   longest: %s (%.1f ms)\n", "", qPrintable(p.worst.what), ms(p.worst.ns));
    if (p.maxGap > qint64(thresholdMs * 1e6) && !p.worst.breakdown.isEmpty())
        std::printf("  %-14s   events in that gap (longest first; nested ones overlap): %s\n", "",
            qPrintable(p.worst.breakdown));
    std::vector<std::pair<QString, qint64>> all(p.culprits.begin(), p.culprits.end());
    std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    for (size_t i = 0; i < all.size() && i < 6; ++i) {
        if (all[i].first != p.worst.what)
            std::printf(
                "  %-14s   also:    %s (gap %.1f ms)\n", "", qPrintable(all[i].first), ms(all[i].second));
    }
    std::printf("RESULT stall_%s_ms %.1f\n",
        qPrintable(QString(p.name).replace(QLatin1Char('-'), QLatin1Char('_'))), ms(p.maxGap));
    std::fflush(stdout);
}

/// A line of /proc/self/status in MB ("VmRSS", "VmHWM": the peak), or -1.
double procStatusMb(const char* key)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray prefix = QByteArray(key) + ':';
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).trimmed().split(' ').value(0).toDouble() / 1024.0;
    }
    return -1;
}

/// Labels the queued worker results with the controller signal they carry.
void labelController(TimingApplication* app, DatabaseController* c)
{
    QObject::connect(c, &DatabaseController::connected, app, [app] {
        app->labelCurrent(
            QStringLiteral("DatabaseController::connected handlers (status, timeline, SQL preview)"));
    });
    QObject::connect(c, &DatabaseController::statusRefreshed, app, [app] {
        app->labelCurrent(
            QStringLiteral("DatabaseController::statusRefreshed handlers (status, timeline, SQL preview)"));
    });
    QObject::connect(c, &DatabaseController::auditFinished, app, [app] {
        app->labelCurrent(
            QStringLiteral("DatabaseController::auditFinished handlers (AuditPanel::setReport)"));
    });
    QObject::connect(c, &DatabaseController::checksFinished, app, [app] {
        app->labelCurrent(
            QStringLiteral("DatabaseController::checksFinished handlers (ChecksPanel::setReport)"));
    });
    QObject::connect(c, &DatabaseController::runProgress, app, [app] {
        app->labelCurrent(QStringLiteral("DatabaseController::runProgress handlers (progress dialog, log)"));
    });
    QObject::connect(c, &DatabaseController::writeFinished, app,
        [app] { app->labelCurrent(QStringLiteral("DatabaseController::writeFinished handlers")); });
    QObject::connect(c, &DatabaseController::failed, app,
        [app] { app->labelCurrent(QStringLiteral("DatabaseController::failed handlers")); });
}

} // namespace

/// A report with two `columns`-column tables for the diff view: "wide" EXISTS
/// with drift (every 100th column DIFFERS, every 250th MISSING, every 300th
/// EXTRA) and "wide_missing" MISSING as a whole.
AuditReport diffViewReport(int columns)
{
    using Kind = AuditItem::Kind;
    using Status = AuditItem::Status;
    const QString schema = QStringLiteral("public");
    AuditReport report;
    for (const QString& table : { QStringLiteral("wide"), QStringLiteral("wide_missing") }) {
        const bool missing = table == QLatin1String("wide_missing");
        const Status tableStatus = missing ? Status::Missing : Status::Exists;
        const QString summary = QStringLiteral("%1 columns, 1 constraint, 0 indexes").arg(columns);
        report.items.append(AuditItem {
            Kind::Table, schema, table, table, tableStatus, summary, missing ? QString() : summary, false });
        for (int c = 0; c < columns; ++c) {
            const QString name = QStringLiteral("column_%1").arg(c, 5, 10, QLatin1Char('0'));
            QString expected = QStringLiteral("numeric(12,2) NOT NULL DEFAULT 0");
            QString actual = missing ? QString() : expected;
            Status status = tableStatus;
            if (!missing && c % 100 == 1) {
                actual = QStringLiteral("numeric(14,2) NULL");
                status = Status::Differs;
            } else if (!missing && c % 250 == 2) {
                actual.clear();
                status = Status::Missing;
            } else if (!missing && c % 300 == 3) {
                expected.clear();
                status = Status::Extra;
            }
            report.items.append(
                AuditItem { Kind::Column, schema, table, name, status, expected, actual, missing });
        }
        const QString pkey = QStringLiteral("PRIMARY KEY (column_00000)");
        report.items.append(AuditItem { Kind::Constraint, schema, table, table + QStringLiteral("_pkey"),
            tableStatus, pkey, missing ? QString() : pkey, missing });
    }
    return report;
}

int main(int argc, char* argv[])
{
    g_clock.start();
    t_guiThread = true;
    TimingApplication app(argc, argv);
    const qint64 tApp = g_clock.nsecsElapsed();
    QApplication::setApplicationName(QStringLiteral("dbops-gui-stall"));
    QApplication::setApplicationVersion(QStringLiteral(DBOPS_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("GUI responsiveness benchmark of the DbOps console."));
    parser.addHelpOption();
    const QCommandLineOption upgradeUrl(QStringLiteral("upgrade-url"),
        QStringLiteral("Database at 19c513d3bf90 (upgraded by the run)."), QStringLiteral("URL"));
    const QCommandLineOption auditUrl(QStringLiteral("audit-url"),
        QStringLiteral("Database with the generated 2,000-table schema."), QStringLiteral("URL"));
    const QCommandLineOption auditMigrations(QStringLiteral("audit-migrations"),
        QStringLiteral("Repository whose head.json is the generated schema."), QStringLiteral("DIR"));
    const QCommandLineOption migrations(QStringLiteral("migrations"),
        QStringLiteral("Migration repository (default: the source tree's)."), QStringLiteral("DIR"),
        QStringLiteral(DBOPS_SOURCE_MIGRATIONS_DIR));
    const QCommandLineOption queryUrl(QStringLiteral("query-url"),
        QStringLiteral("Database the query console reads a 100,000-row result from (any database)."),
        QStringLiteral("URL"));
    const QCommandLineOption diffColumns(QStringLiteral("diff-columns"),
        QStringLiteral("Time the audit panel's schema diff of tables of N columns (no database)."),
        QStringLiteral("N"));
    const QCommandLineOption threshold(QStringLiteral("threshold-ms"),
        QStringLiteral("A stall is a gap over this (default 16)."), QStringLiteral("MS"),
        QStringLiteral("16"));
    const QCommandLineOption timeoutOption(QStringLiteral("timeout-s"),
        QStringLiteral("Per-phase timeout (default 300)."), QStringLiteral("S"), QStringLiteral("300"));
    parser.addOptions({ upgradeUrl, auditUrl, auditMigrations, queryUrl, diffColumns, migrations, threshold,
        timeoutOption });
    parser.process(app);
    const double thresholdMs = parser.value(threshold).toDouble();
    const int timeoutMs = parser.value(timeoutOption).toInt() * 1000;

    QTemporaryDir config;
    PaintProbe probe;
    app.installEventFilter(&probe);

    // --- time to first window -------------------------------------------------
    const qint64 tCtorStart = g_clock.nsecsElapsed();
    auto* window
        = new MainWindow(parser.value(migrations), ProfileStore(config.filePath(QStringLiteral("p.conf"))));
    const qint64 tCtor = g_clock.nsecsElapsed();
    // The repository loads in its own thread; the window does not wait for it.
    qint64 tRepository = -1;
    QObject::connect(window->session(), &ConsoleSession::repositoryChanged, &app, [&tRepository] {
        if (tRepository < 0)
            tRepository = g_clock.nsecsElapsed();
    });
    window->resize(1280, 800);
    probe.watch(window);
    window->show();
    const qint64 tShow = g_clock.nsecsElapsed();
    {
        QEventLoop loop;
        probe.onPaint = [&loop] { QTimer::singleShot(0, &loop, &QEventLoop::quit); };
        QTimer::singleShot(10000, &loop, &QEventLoop::quit);
        if (probe.firstPaint < 0)
            loop.exec();
        probe.onPaint = nullptr;
    }
    if (probe.firstPaint < 0) {
        std::fprintf(stderr, "dbops-gui-stall: the main window never painted\n");
        return 3;
    }
    std::printf("time to first window: %.1f ms (QApplication %.1f, MainWindow constructor %.1f, show %.1f, "
                "first expose at %.1f, first paint at %.1f)\n",
        ms(probe.firstPaint), ms(tApp), ms(tCtor - tCtorStart), ms(tShow - tCtor), ms(probe.firstExpose),
        ms(probe.firstPaint));
    std::printf("RESULT first_window_ms %.1f\nRESULT mainwindow_ctor_ms %.1f\nRESULT qapplication_ms %.1f\n",
        ms(probe.firstPaint), ms(tCtor - tCtorStart), ms(tApp));
    std::fflush(stdout);

    StallMeter meter(&app, thresholdMs);
    ConsoleSession* session = window->session();
    labelController(&app, session->controller());
    int failures = 0;
    std::vector<PhaseStats> phases;
    auto finish = [&](PhaseStats p) {
        printPhase(p, thresholdMs);
        phases.push_back(p);
    };
    auto runPhase = [&](const QString& name, ConsoleSession* s, const std::function<void()>& trigger,
                        const std::function<void(const QString&)>& after = nullptr) {
        Waiter w;
        w.on(s, &ConsoleSession::checksChanged, QStringLiteral("checksChanged"));
        w.on(s, &ConsoleSession::errorOccurred, QStringLiteral("errorOccurred"));
        meter.begin(name);
        QTimer::singleShot(0, &app, trigger); // inside the loop, so its own cost is a measured gap
        const QString fired = w.wait(timeoutMs);
        finish(meter.end());
        if (fired != QLatin1String("checksChanged")) {
            std::printf("  %s ended by %s\n", qPrintable(name), qPrintable(fired));
            ++failures;
        }
        if (after)
            after(fired);
    };
    QObject::connect(session, &ConsoleSession::errorOccurred, &app,
        [](const Error& e) { std::printf("  (session error: %s)\n", qPrintable(e.toString())); });

    std::printf("GUI-thread stalls (1 ms precise timer; stall = longest gap between ticks):\n");
    if (tRepository < 0) {
        // repository: the first paint until the repository has arrived and the timeline shows it
        Waiter w;
        w.on(session, &ConsoleSession::repositoryChanged, QStringLiteral("repositoryChanged"));
        meter.begin(QStringLiteral("repository"));
        const QString fired = w.wait(timeoutMs);
        finish(meter.end());
        if (fired != QLatin1String("repositoryChanged")) {
            std::printf("  the repository never arrived (%s)\n", qPrintable(fired));
            ++failures;
        }
    } else {
        std::printf("  repository     arrived before the first paint: no phase\n");
    }
    std::printf("  repository ready %.1f ms after the start (%s)\n", ms(tRepository),
        window->session()->graph() ? "loaded" : qPrintable(window->session()->repositoryError()));
    std::printf("RESULT repository_ready_ms %.1f\n", ms(tRepository));
    {
        meter.begin(QStringLiteral("idle"));
        QEventLoop loop;
        QTimer::singleShot(1000, &loop, &QEventLoop::quit);
        loop.exec();
        finish(meter.end());
    }

    // --- connect + guarded upgrade -----------------------------------------------
    if (parser.isSet(upgradeUrl)) {
        qint64 auditShown = -1;
        const qint64 t0 = g_clock.nsecsElapsed();
        auto conn = QObject::connect(session, &ConsoleSession::auditChanged, &app, [&] {
            if (auditShown < 0)
                auditShown = g_clock.nsecsElapsed();
        });
        runPhase(QStringLiteral("connect"), session, [&] {
            app.labelCurrent(QStringLiteral("MainWindow::connectToUrl"));
            window->connectToUrl(parser.value(upgradeUrl));
        });
        QObject::disconnect(conn);
        std::printf("  connect: audit shown after %.1f ms, checks after %.1f ms; status: %s\n",
            ms(auditShown - t0), ms(phases.back().wall), qPrintable(window->statusText()));
        if (session->pendingCount() <= 0) {
            std::printf("  the database is not behind (pending %d): skipping the upgrade phases\n",
                session->pendingCount());
            ++failures;
        } else {
            // One event loop for three phases, driven by callbacks: the guarded
            // dialog's exec() nests inside it, so nothing may wait outside.
            //   dialog:    requestUpgrade() -> the dialog has painted
            //   run:       accept() -> runFinished
            //   after-run: runFinished -> checksChanged (status, audit, checks re-read)
            PaintProbe dialogProbe;
            app.installEventFilter(&dialogProbe);
            qint64 tRequest = 0, tAccept = 0, tRunDone = 0;
            QPointer<GuardedActionDialog> dialog;
            bool accepted = false;
            QString ended = QStringLiteral("timeout");
            QEventLoop loop;
            QTimer poll; // finds the modal dialog once exec() has shown it
            poll.setInterval(1);
            QObject::connect(&poll, &QTimer::timeout, &app, [&] {
                if (!dialog) {
                    dialog = qobject_cast<GuardedActionDialog*>(QApplication::activeModalWidget());
                    if (dialog)
                        dialogProbe.watch(dialog);
                }
                if (!dialog || dialogProbe.firstPaint < 0 || accepted)
                    return;
                accepted = true;
                poll.stop();
                finish(meter.end());
                std::printf("  dialog: requestUpgrade -> dialog painted in %.1f ms\n",
                    ms(dialogProbe.firstPaint - tRequest));
                std::printf("RESULT dialog_open_ms %.1f\n", ms(dialogProbe.firstPaint - tRequest));
                if (!dialog->isActionAllowed())
                    std::printf("  the dialog does not allow the action as it stands\n");
                meter.begin(QStringLiteral("run"));
                QTimer::singleShot(0, &app, [&] {
                    tAccept = g_clock.nsecsElapsed();
                    app.labelCurrent(QStringLiteral("GuardedActionDialog::accept -> rest of requestUpgrade "
                                                    "(RunProgressDialog, startRun)"));
                    dialog->accept(); // exec() returns inside requestUpgrade, which starts the run
                });
            });
            auto c1 = QObject::connect(
                session, &ConsoleSession::writeFinished, &app, [&](const WriteOutcome& outcome) {
                    const RunResult& result = outcome.run;
                    tRunDone = g_clock.nsecsElapsed();
                    finish(meter.end());
                    std::printf("  run: accepted -> runFinished in %.1f ms (%s)\n", ms(tRunDone - tAccept),
                        qPrintable(RunResult::outcomeName(result.outcome)));
                    std::printf("RESULT run_ms %.1f\n", ms(tRunDone - tAccept));
                    if (!result.ok())
                        ++failures;
                    meter.begin(QStringLiteral("after-run"));
                });
            auto c2 = QObject::connect(session, &ConsoleSession::checksChanged, &app, [&] {
                if (tRunDone > 0) {
                    ended = QStringLiteral("checksChanged");
                    loop.quit();
                }
            });
            auto c3 = QObject::connect(session, &ConsoleSession::errorOccurred, &app, [&] {
                ended = QStringLiteral("errorOccurred");
                loop.quit();
            });
            meter.begin(QStringLiteral("dialog"));
            poll.start();
            QTimer::singleShot(0, &app, [&] {
                tRequest = g_clock.nsecsElapsed();
                app.labelCurrent(
                    QStringLiteral("MainWindow::requestUpgrade (plan, render, GuardedActionDialog ctor)"));
                window->requestUpgrade(); // returns after the dialog closed and the run started
            });
            QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
            loop.exec();
            QObject::disconnect(c1);
            QObject::disconnect(c2);
            QObject::disconnect(c3);
            app.removeEventFilter(&dialogProbe);
            if (!accepted) {
                std::printf("  the guarded dialog did not open or paint\n");
                return 3;
            }
            if (tRunDone == 0) {
                finish(meter.end());
                std::printf("  the run did not finish (%s)\n", qPrintable(ended));
                return 3;
            }
            finish(meter.end());
            std::printf("  after-run: runFinished -> checks shown in %.1f ms (%s); status: %s\n",
                ms(g_clock.nsecsElapsed() - tRunDone), qPrintable(ended), qPrintable(window->statusText()));
            if (ended != QLatin1String("checksChanged"))
                ++failures;
            if (session->pendingCount() != 0) {
                std::printf("  the database did not reach head (pending %d)\n", session->pendingCount());
                ++failures;
            }
            for (RunProgressDialog* d : window->findChildren<RunProgressDialog*>())
                d->close();
        }
    }

    // --- the 2,000-table audit -----------------------------------------------------
    auto auditPhase = [&](const QString& name, MainWindow* w, const QString& url) {
        ConsoleSession* s = w->session();
        qint64 auditShown = -1;
        const qint64 t0 = g_clock.nsecsElapsed();
        auto conn = QObject::connect(s, &ConsoleSession::auditChanged, &app, [&] {
            if (auditShown < 0)
                auditShown = g_clock.nsecsElapsed();
        });
        runPhase(name, s, [&app, w, url] {
            app.labelCurrent(QStringLiteral("MainWindow::connectToUrl"));
            w->connectToUrl(url);
        });
        QObject::disconnect(conn);
        const bool ok = s->auditReport().has_value();
        std::printf("  %s: audit shown after %.1f ms (connect + catalog read in the worker + GUI), %s\n",
            qPrintable(name), ms(auditShown - t0), ok ? "report present" : "NO REPORT");
        std::printf("RESULT %s_shown_ms %.1f\n",
            qPrintable(QString(name).replace(QLatin1Char('-'), QLatin1Char('_'))), ms(auditShown - t0));
        if (!ok)
            ++failures;
    };
    if (parser.isSet(auditUrl)) {
        auditPhase(QStringLiteral("audit"), window, parser.value(auditUrl));
        if (parser.isSet(auditMigrations)) {
            window->hide();
            const qint64 t0 = g_clock.nsecsElapsed();
            auto* second = new MainWindow(
                parser.value(auditMigrations), ProfileStore(config.filePath(QStringLiteral("p2.conf"))));
            std::printf(
                "  second MainWindow (the generated repository) constructed in %.1f ms (not in a phase)\n",
                ms(g_clock.nsecsElapsed() - t0));
            std::printf("RESULT second_window_ctor_ms %.1f\n", ms(g_clock.nsecsElapsed() - t0));
            qint64 tSecondRepository = -1;
            QObject::connect(
                second->session(), &ConsoleSession::repositoryChanged, &app, [&tSecondRepository] {
                    if (tSecondRepository < 0)
                        tSecondRepository = g_clock.nsecsElapsed();
                });
            second->resize(1280, 800);
            labelController(&app, second->session()->controller());
            QObject::connect(second->session(), &ConsoleSession::errorOccurred, &app,
                [](const Error& e) { std::printf("  (session error: %s)\n", qPrintable(e.toString())); });
            probe.watch(second);
            second->show();
            QEventLoop loop;
            QTimer::singleShot(300, &loop, &QEventLoop::quit); // let it paint before measuring
            loop.exec();
            if (tSecondRepository
                < 0) { // a big repository on a busy machine: wait, the audit compares with it
                Waiter w;
                w.on(second->session(), &ConsoleSession::repositoryChanged,
                    QStringLiteral("repositoryChanged"));
                w.wait(timeoutMs);
            }
            std::printf("  second MainWindow: its repository ready %.1f ms after construction\n",
                ms(tSecondRepository - t0));
            std::printf("RESULT second_repository_ready_ms %.1f\n", ms(tSecondRepository - t0));
            auditPhase(QStringLiteral("audit-matched"), second, parser.value(auditUrl));
            delete second;
        }
    }

    // --- the query console: a 100,000-row result, shown and scrolled ----------------
    if (parser.isSet(queryUrl)) {
        Result<ConnectionSettings> settings = ConnectionSettings::parse(parser.value(queryUrl));
        if (!settings) {
            std::fprintf(
                stderr, "dbops-gui-stall: --query-url: %s\n", qPrintable(settings.error().toString()));
            return 2;
        }
        window->hide();
        auto* console = new QueryConsoleWidget;
        console->setHistoryPath(config.filePath(QStringLiteral("query-history.json")));
        console->setConnection(settings.value(), QString(), false);
        console->resize(1280, 800);
        probe.watch(console);
        console->show();
        {
            QEventLoop loop;
            QTimer::singleShot(300, &loop, &QEventLoop::quit); // let it paint before measuring
            loop.exec();
        }
        QObject::connect(console, &QueryConsoleWidget::resultShown, &app, [&app] {
            app.labelCurrent(
                QStringLiteral("QueryController::finished handlers (QueryConsoleWidget::showResult)"));
        });
        const double rssBefore = procStatusMb("VmRSS");
        Waiter w;
        w.on(console, &QueryConsoleWidget::resultShown, QStringLiteral("resultShown"));
        const qint64 t0 = g_clock.nsecsElapsed();
        meter.begin(QStringLiteral("query"));
        QTimer::singleShot(0, &app, [&app, console] {
            app.labelCurrent(QStringLiteral("QueryConsoleWidget::run"));
            console->setSql(QStringLiteral(
                "SELECT g AS id, 'customer ' || g AS name, g * 1.25 AS amount, g % 7 = 0 AS flagged,\n"
                "       md5(g::text) AS token, DATE '2024-01-01' + g % 365 AS day, g % 100 AS bucket,\n"
                "       CASE WHEN g % 10 = 0 THEN NULL ELSE 'note ' || g END AS note, g::float8 / 3 AS "
                "ratio,\n"
                "       TIMESTAMP '2024-01-01 00:00' + g * INTERVAL '1 minute' AS at\n"
                "FROM generate_series(1, 100000) g"));
            console->run();
        });
        const QString fired = w.wait(timeoutMs);
        finish(meter.end());
        const QueryResult& result = console->lastResult();
        const double resultMb = result.table ? double(result.table->memoryBytes()) / (1024.0 * 1024.0) : 0;
        std::printf("  query: run -> %d rows shown in %.1f ms (%s; the result holds %.1f MB)\n",
            result.rowCount(), ms(g_clock.nsecsElapsed() - t0), qPrintable(fired), resultMb);
        std::printf("RESULT query_shown_ms %.1f\nRESULT query_rows %d\nRESULT query_result_mb %.1f\n",
            ms(g_clock.nsecsElapsed() - t0), result.rowCount(), resultMb);
        if (fired != QLatin1String("resultShown") || !result.ok() || result.rowCount() != 100000) {
            std::printf("  the query did not show 100,000 rows (%s)\n",
                qPrintable(result.error ? result.error->toString() : fired));
            ++failures;
        } else {
            // Scroll as a reader would: a page at a time to the end, back in
            // big jumps, then row by row; one step per 2 ms, each painted.
            QScrollBar* bar = console->resultView()->verticalScrollBar();
            std::vector<int> steps;
            for (int v = 0; v <= bar->maximum(); v += std::max(1, bar->pageStep()))
                steps.push_back(v);
            for (int v = bar->maximum(); v >= 0; v -= 5000)
                steps.push_back(v);
            for (int v = 0; v < 500; ++v)
                steps.push_back(50000 + v);
            size_t next = 0;
            QEventLoop loop;
            QTimer stepper;
            stepper.setInterval(2);
            QObject::connect(&stepper, &QTimer::timeout, &app, [&] {
                if (next >= steps.size()) {
                    loop.quit();
                    return;
                }
                app.labelCurrent(QStringLiteral("scroll step (QTableView paint follows)"));
                bar->setValue(steps[next++]);
            });
            const qint64 tScroll = g_clock.nsecsElapsed();
            meter.begin(QStringLiteral("query-scroll"));
            stepper.start();
            QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
            loop.exec();
            stepper.stop();
            finish(meter.end());
            std::printf(
                "  query-scroll: %zu scroll steps in %.1f ms\n", next, ms(g_clock.nsecsElapsed() - tScroll));
        }
        const double peak = procStatusMb("VmHWM");
        std::printf("  query: memory RSS %.1f MB before the query, %.1f MB after, peak (VmHWM) %.1f MB\n",
            rssBefore, procStatusMb("VmRSS"), peak);
        std::printf("RESULT query_rss_before_mb %.1f\nRESULT query_peak_rss_mb %.1f\n", rssBefore, peak);
        delete console;
    }

    // --- the schema diff of a wide table, selected in the audit tree --------------
    if (parser.isSet(diffColumns)) {
        const int columns = parser.value(diffColumns).toInt();
        window->hide();
        auto* panel = new AuditPanel;
        panel->resize(1280, 800);
        probe.watch(panel);
        panel->show();
        panel->setReport(diffViewReport(columns));
        {
            QEventLoop loop;
            QTimer::singleShot(300, &loop, &QEventLoop::quit); // let it paint before measuring
            loop.exec();
        }
        auto rowOf = [panel](const QString& title, int part) {
            const AuditModel* model = panel->model();
            for (int row = 0; row < model->rowCount(); ++row) {
                if (model->groupTitle(row) == title) {
                    const QModelIndex group = model->index(row, 0);
                    return panel->filterModel()->mapFromSource(
                        part < 0 ? group : model->index(part, 0, group));
                }
            }
            return QModelIndex();
        };
        SchemaDiffView* view = panel->schemaDiffView();
        struct Selection
        {
            QString key;
            QString title;
            int part;
            double shownMs = -1;
        };
        std::vector<Selection> selections { { QStringLiteral("diff_view_ms"), QStringLiteral("public.wide"),
                                                -1 },
            { QStringLiteral("diff_view_missing_ms"), QStringLiteral("public.wide_missing"), -1 },
            { QStringLiteral("diff_view_column_ms"), QStringLiteral("public.wide"), 1 } };
        meter.begin(QStringLiteral("diff-view"));
        for (Selection& selection : selections) {
            QEventLoop loop;
            QTimer::singleShot(0, &app, [&] {
                app.labelCurrent(
                    QStringLiteral("AuditPanel: select %1 (SchemaDiffView::setObject)").arg(selection.title));
                const qint64 t0 = g_clock.nsecsElapsed();
                panel->treeView()->setCurrentIndex(rowOf(selection.title, selection.part));
                selection.shownMs = ms(g_clock.nsecsElapsed() - t0);
            });
            QTimer::singleShot(150, &loop, &QEventLoop::quit); // painted meanwhile
            loop.exec();
        }
        // Scroll the last table shown (the wide one) to the end a page at a time, both sides following.
        panel->treeView()->setCurrentIndex(rowOf(QStringLiteral("public.wide"), -1));
        QScrollBar* bar = view->expectedEdit()->verticalScrollBar();
        {
            QEventLoop loop;
            QTimer stepper;
            stepper.setInterval(2);
            QObject::connect(&stepper, &QTimer::timeout, &app, [&] {
                if (bar->value() >= bar->maximum()) {
                    loop.quit();
                    return;
                }
                app.labelCurrent(QStringLiteral("diff scroll step (both sides paint)"));
                bar->setValue(bar->value() + std::max(1, bar->pageStep()));
            });
            stepper.start();
            QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
            loop.exec();
        }
        finish(meter.end());
        const bool followed = view->actualEdit()->verticalScrollBar()->value() == bar->value();
        const int lines = view->lineCount(ObjectDefinition::Side::Expected);
        std::printf(
            "  diff-view: %d-column table with drift shown in %.1f ms, %d-column MISSING table in %.1f "
            "ms, one column in %.1f ms; %d lines a side, sides scrolled together: %s\n",
            columns, selections[0].shownMs, columns, selections[1].shownMs, selections[2].shownMs, lines,
            followed ? "yes" : "NO");
        for (const Selection& selection : selections)
            std::printf("RESULT %s %.1f\n", qPrintable(selection.key), selection.shownMs);
        if (!followed || lines < columns || !view->hasObject())
            ++failures;
        delete panel;
    }

    qint64 worst = 0;
    for (const PhaseStats& p : phases) {
        if (p.name != QLatin1String("idle"))
            worst = std::max(worst, p.maxGap);
    }
    std::printf("RESULT stall_max_ms %.1f\nRESULT failures %d\n", ms(worst), failures);
    delete window;
    return failures ? 1 : 0;
}
