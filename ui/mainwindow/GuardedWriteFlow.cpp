#include "GuardedWriteFlow.h"

#include "FinishedNotifier.h"
#include "GuardedActionDialog.h"
#include "RunProgressDialog.h"
#include "guarded/GuardedWrite.h"
#include "rehearse/Rehearsal.h"
#include "session/ConsoleSession.h"
#include "worker/DatabaseController.h"

#include <QMessageBox>
#include <QWidget>

namespace dbops::ui {

GuardedWriteFlow::GuardedWriteFlow(QWidget* window, ConsoleSession* session, FinishedNotifier* notifier)
    : QObject(window)
    , m_window(window)
    , m_session(session)
    , m_notifier(notifier)
{
    // A rehearsal the guarded dialog asked for (its Rehearse button).
    connect(
        m_session->controller(), &DatabaseController::rehearsed, this, [this](const RehearsalReport& report) {
            m_rehearsalJob = 0;
            Q_EMIT logLine(report.ok ? tr("Rehearsal on a copy: green (%1).").arg(report.shadow)
                                     : tr("Rehearsal on a copy FAILED: %1").arg(report.problem));
            if (m_dialog)
                m_dialog->showRehearsal(report);
        });
    connect(m_session->controller(), &DatabaseController::failed, this, [this](const Error& error) {
        if (m_rehearsalJob == 0)
            return;
        m_rehearsalJob = 0;
        if (m_dialog)
            m_dialog->showRehearsalError(error.message);
    });
    connect(m_session, &ConsoleSession::runProgress, this, &GuardedWriteFlow::onRunProgress);
    connect(m_session, &ConsoleSession::writeFinished, this, &GuardedWriteFlow::onWriteFinished);
    connect(m_session, &ConsoleSession::reviewReady, this, &GuardedWriteFlow::openGuardedDialog);
}

void GuardedWriteFlow::request(WriteAction action, const QString& target)
{
    if (!m_session->isConnected() || m_session->isBusy())
        return;
    WriteRequest request;
    request.action = action;
    request.target = target;
    Q_EMIT logLine(tr("Reviewing %1 %2 …").arg(writeActionName(action), target));
    m_session->requestReview(request);
}

GuardedActionDialog* GuardedWriteFlow::createGuardedDialog(const WriteReview& review)
{
    GuardedDialogInput input;
    input.review = review;
    // The dialog re-renders with the repository it was opened for, even if
    // another one arrives while it is open.
    const std::shared_ptr<const MigrationRepository> repository = m_session->sharedRepository();
    if (repository) {
        input.withSettings = [repository, review](const WriteRequest& request) {
            return GuardedWrite::withSettings(review, *repository, request);
        };
        // The way back to where the database stands: one head only (from
        // several heads a single downgrade target cannot say it).
        if (review.request.action == WriteAction::Upgrade && review.state.revisions.size() <= 1) {
            input.rollbackScript = [repository, review](const WriteRequest& request) {
                const QString back = review.state.revisions.isEmpty() ? QStringLiteral("base")
                                                                      : review.state.revisions.constFirst();
                Result<MigrationPlan> plan = repository->graph().downgradePlan(review.plan.endHeads, back);
                VersionState after;
                after.tableExists = true;
                after.revisions = review.plan.endHeads;
                return plan ? SqlScriptRenderer::render(*plan, repository->graph(),
                           GuardedWrite::renderOptions(review.target, request, after))
                            : RenderedScript();
            };
        }
    }
    return new GuardedActionDialog(input, m_window);
}

GuardedActionDialog* GuardedWriteFlow::guardedDialog() const
{
    return m_dialog.data();
}

void GuardedWriteFlow::openGuardedDialog(const WriteReview& review)
{
    if (review.nothingToDo && review.problems.isEmpty()) {
        Q_EMIT logLine(tr("Nothing to do: the database is at %1.").arg(review.fromText));
        QMessageBox::information(m_window, m_window->windowTitle(),
            tr("Nothing to do: the database is at %1.").arg(review.fromText));
        return;
    }
    for (const Error& problem : review.problems)
        Q_EMIT logLine(tr("Refused: %1").arg(problem.toString()));
    if (m_dialog)
        m_dialog->close();
    m_dialog = createGuardedDialog(review);
    m_dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_dialog, &QDialog::accepted, this, [this, dialog = m_dialog] {
        if (dialog)
            startWrite(dialog->review(), dialog->answers());
    });
    connect(m_dialog, &GuardedActionDialog::rehearseRequested, this, &GuardedWriteFlow::rehearse);
    m_dialog->open();
}

void GuardedWriteFlow::rehearse(const WriteRequest& request)
{
    const std::optional<ConnectionTarget>& target = m_session->target();
    const std::shared_ptr<const MigrationRepository> repository = m_session->sharedRepository();
    if (!target || !repository) {
        if (m_dialog)
            m_dialog->showRehearsalError(tr("not connected"));
        return;
    }
    RehearsalOptions options;
    options.copyRowsOf = Rehearsal::configuredTables(*repository);
    Q_EMIT logLine(tr("Rehearsing the %1 on a throwaway copy of %2 …")
                       .arg(writeActionName(request.action), target->describe()));
    m_rehearsalJob = m_session->controller()->rehearse(repository, *target, request, options);
}

void GuardedWriteFlow::startWrite(const WriteReview& review, const WriteAnswers& answers)
{
    m_runningAction = review.actionName;
    const bool oneStep
        = review.request.action == WriteAction::Fix || review.request.action == WriteAction::Recover;
    const int steps = oneStep ? 1 : static_cast<int>(review.plan.steps.size());
    m_progress = new RunProgressDialog(
        tr("%1: %2 → %3").arg(review.actionName, review.fromText, review.toText), steps, m_window);
    m_progress->setAttribute(Qt::WA_DeleteOnClose);
    connect(
        m_progress, &RunProgressDialog::cancelRequested, this, [this] { m_session->controller()->cancel(); });
    m_progress->show();
    Q_EMIT logLine(tr("%1 started: %2 → %3").arg(review.actionName, review.fromText, review.toText));
    m_session->startWrite(review, answers);
    Q_EMIT runStateChanged();
}

void GuardedWriteFlow::onRunProgress(const RunEvent& event)
{
    QString message;
    if (const RevisionGraph* graph = m_session->graph(); graph && graph->contains(event.revision))
        message = graph->revision(event.revision).message;
    if (m_progress)
        m_progress->addEvent(event, message);
    if (event.kind == RunEvent::Kind::StepStarted)
        Q_EMIT logLine(
            tr("[%1/%2] %3 %4").arg(event.stepIndex + 1).arg(event.stepCount).arg(event.revision, message));
    else if (event.kind == RunEvent::Kind::Notice || event.kind == RunEvent::Kind::Retry
        || event.kind == RunEvent::Kind::Info)
        Q_EMIT logLine(event.text);
}

void GuardedWriteFlow::onWriteFinished(const WriteOutcome& outcome)
{
    const QString action = m_runningAction;
    m_runningAction.clear();
    if (outcome.status == WriteOutcome::Status::Refused) {
        RunResult refused;
        refused.outcome = RunResult::Outcome::Failed;
        refused.error = outcome.refusals.value(0);
        if (m_progress)
            m_progress->finish(refused);
        for (const Error& error : outcome.refusals)
            Q_EMIT logLine(tr("%1 refused: %2").arg(action, error.toString()));
        Q_EMIT runStateChanged();
        return;
    }
    if (m_progress)
        m_progress->finish(outcome.run);
    if (!outcome.backupPath.isEmpty())
        Q_EMIT logLine(tr("Backup: %1").arg(outcome.backupPath));
    if (outcome.fix)
        Q_EMIT logLine(outcome.fix->committed
                ? tr("Fix %1 applied: postcondition holds").arg(outcome.fix->name)
                : tr("Fix %1 rolled back: the postcondition did not hold").arg(outcome.fix->name));
    Q_EMIT logLine(outcome.run.ok()
            ? tr("%1 finished: the database is at %2")
                  .arg(action,
                      outcome.run.finalHeads.isEmpty() ? tr("base")
                                                       : outcome.run.finalHeads.join(QStringLiteral(", ")))
            : tr("%1 %2: %3")
                  .arg(action, RunResult::outcomeName(outcome.run.outcome), outcome.run.error.toString()));
    m_notifier->notify(outcome.run.ok()
            ? tr("%1 finished").arg(action)
            : tr("%1 %2").arg(action, RunResult::outcomeName(outcome.run.outcome)),
        outcome.run.ok()
            ? tr("The database is at %1.")
                  .arg(outcome.run.finalHeads.isEmpty() ? tr("base")
                                                        : outcome.run.finalHeads.join(QStringLiteral(", ")))
            : outcome.run.error.message);
    if (!outcome.run.ok() && !outcome.run.finalHeadsKnown)
        Q_EMIT logLine(
            tr("Where the database stands is unknown until the console reconnects: it retries on its "
               "own, Refresh tries at once. Nothing else runs before it knows."));
    if (outcome.journalWarning) {
        // The CLI warns too: a run that is not in the journal must be noticed.
        Q_EMIT logLine(
            tr("Warning: the run journal was not written: %1").arg(outcome.journalWarning->toString()));
        QMessageBox::warning(m_window, m_window->windowTitle(),
            tr("The %1 went through, but the run journal could not be written:\n%2")
                .arg(action, outcome.journalWarning->toString()));
    }
    Q_EMIT runStateChanged();
}

} // namespace dbops::ui
