#include "RunProgressDialog.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTime>
#include <QTimer>
#include <QVBoxLayout>

namespace dbops::ui {

namespace {
const int kStatementLines = 4;
const int kStatementCharacters = 400;
} // namespace

RunProgressDialog::RunProgressDialog(const QString& title, int stepCount, QWidget* parent)
    : QDialog(parent)
{
    setWindowTitle(title);
    setAccessibleName(title);
    auto* layout = new QVBoxLayout(this);
    m_step = new QLabel(tr("Waiting for the migration lock…"));
    m_step->setWordWrap(true);
    layout->addWidget(m_step);
    m_progress = new QProgressBar;
    m_progress->setRange(0, std::max(1, stepCount));
    m_progress->setValue(0);
    m_progress->setFormat(tr("%v of %m revisions"));
    m_progress->setAccessibleName(tr("Run progress"));
    layout->addWidget(m_progress);
    m_statement = new QLabel;
    m_statement->setWordWrap(true);
    m_statement->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    layout->addWidget(m_statement);
    m_elapsed = new QLabel;
    layout->addWidget(m_elapsed);
    m_log = new QPlainTextEdit;
    m_log->setReadOnly(true);
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_log->setAccessibleName(tr("Run log"));
    m_log->setMaximumBlockCount(20000);
    layout->addWidget(m_log, 1);

    auto* buttons = new QDialogButtonBox;
    m_cancel = buttons->addButton(tr("Cancel run"), QDialogButtonBox::RejectRole);
    m_cancel->setToolTip(tr("Cancel the running statement on the server and roll back"));
    m_close = buttons->addButton(QDialogButtonBox::Close);
    m_close->setEnabled(false);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        m_cancel->setEnabled(false);
        appendLog(tr("Cancel requested: cancelling the running statement on the server…"));
        Q_EMIT cancelRequested();
    });
    connect(m_close, &QPushButton::clicked, this, &QDialog::accept);
    layout->addWidget(buttons);

    m_clock.start();
    m_timer = new QTimer(this);
    connect(m_timer, &QTimer::timeout, this, [this] {
        m_elapsed->setText(tr("Elapsed: %1")
                               .arg(QTime(0, 0)
                                        .addMSecs(static_cast<int>(m_clock.elapsed()))
                                        .toString(QStringLiteral("mm:ss.z"))));
    });
    m_timer->start(200);
    resize(760, 520);
}

void RunProgressDialog::appendLog(const QString& line)
{
    m_log->appendPlainText(
        QStringLiteral("%1  %2").arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss")), line));
}

QString RunProgressDialog::logText() const
{
    return m_log->toPlainText();
}

void RunProgressDialog::addEvent(const RunEvent& event, const QString& revisionMessage)
{
    switch (event.kind) {
    case RunEvent::Kind::LockAcquired:
        appendLog(tr("Migration lock acquired"));
        m_step->setText(tr("Running…"));
        break;
    case RunEvent::Kind::StepStarted:
        m_progress->setValue(event.stepIndex);
        m_step->setText(tr("Revision %1 of %2: %3 — %4")
                            .arg(event.stepIndex + 1)
                            .arg(event.stepCount)
                            .arg(event.revision, revisionMessage));
        appendLog(tr("[%1/%2] %3 %4")
                      .arg(event.stepIndex + 1)
                      .arg(event.stepCount)
                      .arg(event.revision, revisionMessage));
        break;
    case RunEvent::Kind::Statement: {
        // A function body is hundreds of lines: its first lines here (the
        // label never grows the dialog past the screen), all of it in the tooltip.
        const QStringList lines = event.text.split(QLatin1Char('\n'));
        QString shown = lines.mid(0, kStatementLines).join(QLatin1Char('\n'));
        if (shown.size() > kStatementCharacters)
            shown = shown.left(kStatementCharacters) + QStringLiteral("…");
        if (lines.size() > kStatementLines)
            shown += tr("\n… %n more line(s)", nullptr, static_cast<int>(lines.size()) - kStatementLines);
        m_statement->setText(shown);
        m_statement->setToolTip(event.text);
        break;
    }
    case RunEvent::Kind::StepFinished:
        m_progress->setValue(event.stepIndex + 1);
        break;
    case RunEvent::Kind::Notice:
    case RunEvent::Kind::Retry:
    case RunEvent::Kind::Info:
        appendLog(event.text);
        break;
    }
}

void RunProgressDialog::finish(const RunResult& result)
{
    m_finished = true;
    m_timer->stop();
    m_cancel->setEnabled(false);
    m_close->setEnabled(true);
    m_close->setDefault(true);
    m_statement->clear();
    m_statement->setToolTip(QString());
    const QString heads = result.finalHeadsKnown
        ? (result.finalHeads.isEmpty() ? tr("base") : result.finalHeads.join(QStringLiteral(", ")))
        : tr("unknown (check with Refresh)");
    if (result.ok()) {
        m_progress->setValue(m_progress->maximum());
        m_step->setText(
            tr("Done in %1 s. The database is at %2.").arg(result.elapsedMs / 1000.0, 0, 'f', 2).arg(heads));
        appendLog(tr("Success: the database is at %1").arg(heads));
    } else {
        m_step->setText(tr("%1: %2").arg(RunResult::outcomeName(result.outcome), result.error.toString()));
        appendLog(tr("%1 — the server says the database is at %2").arg(result.error.toString(), heads));
    }
}

void RunProgressDialog::reject()
{
    if (m_finished) {
        QDialog::reject();
        return;
    }
    if (m_cancel->isEnabled())
        m_cancel->click();
}

} // namespace dbops::ui
