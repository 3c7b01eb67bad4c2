#pragma once

#include <QObject>
#include <QPointer>
#include <QString>

class QWidget;

namespace dbops {
struct RunEvent;
struct WriteAnswers;
struct WriteOutcome;
struct WriteRequest;
struct WriteReview;
enum class WriteAction;
} // namespace dbops

namespace dbops::ui {

class ConsoleSession;
class FinishedNotifier;
class GuardedActionDialog;
class RunProgressDialog;

/// One write in the console, from the request to the outcome: the core's
/// review (in the worker), the guarded dialog (window-modal, with its
/// rehearsal on a copy), the run with its progress dialog, and what came of
/// it in the log and as a notification.
class GuardedWriteFlow : public QObject
{
    Q_OBJECT
public:
    GuardedWriteFlow(QWidget* window, ConsoleSession* session, FinishedNotifier* notifier);

    /// Asks the core for a review of `action` to `target`; the guarded
    /// dialog opens when it arrives.  Nothing while not connected or busy.
    void request(WriteAction action, const QString& target);
    /// The dialog for a review, not shown (tests, screenshots).
    GuardedActionDialog* createGuardedDialog(const WriteReview& review);
    /// The dialog that is open, if any.
    GuardedActionDialog* guardedDialog() const;
    /// The write running ("upgrade", …); empty when none runs.
    QString runningAction() const { return m_runningAction; }

Q_SIGNALS:
    void logLine(const QString& line);
    /// A write started or finished: what may be done next changed.
    void runStateChanged();

private:
    void openGuardedDialog(const WriteReview& review);
    void rehearse(const WriteRequest& request);
    void startWrite(const WriteReview& review, const WriteAnswers& answers);
    void onRunProgress(const RunEvent& event);
    void onWriteFinished(const WriteOutcome& outcome);

    QWidget* m_window = nullptr;
    ConsoleSession* m_session = nullptr;
    FinishedNotifier* m_notifier = nullptr;
    QPointer<RunProgressDialog> m_progress;
    QPointer<GuardedActionDialog> m_dialog;
    int m_rehearsalJob = 0; ///< the rehearsal the dialog asked for, while it runs
    QString m_runningAction;
};

} // namespace dbops::ui
