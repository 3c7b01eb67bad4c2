#include "DatabaseStatusBar.h"

#include "session/ConsoleSession.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QMainWindow>
#include <QProgressBar>
#include <QPushButton>
#include <QStatusBar>

namespace dbops::ui {

DatabaseStatusBar::DatabaseStatusBar(QMainWindow* window, ConsoleSession* session)
    : QObject(window)
    , m_window(window)
    , m_session(session)
{
    m_serverLabel = new QLabel(tr("Not connected"));
    m_revisionLabel = new QLabel;
    m_pendingLabel = new QLabel;
    // A long reason (libpq's) goes to the tooltip: the label must not widen the window.
    m_serverLabel->setMinimumWidth(1);
    m_connectProgress = new QWidget;
    auto* progressRow = new QHBoxLayout(m_connectProgress);
    progressRow->setContentsMargins(0, 0, 0, 0);
    auto* connectBar = new QProgressBar;
    connectBar->setRange(0, 0); // libpq says nothing until it is connected or gives up
    connectBar->setMaximumSize(90, 14);
    connectBar->setTextVisible(false);
    progressRow->addWidget(connectBar);
    m_cancelConnect = new QPushButton(tr("Cancel"));
    m_cancelConnect->setToolTip(tr("Stop waiting for this server"));
    progressRow->addWidget(m_cancelConnect);
    m_connectProgress->hide();
    connect(m_cancelConnect, &QPushButton::clicked, m_session, &ConsoleSession::cancelConnect);
    QStatusBar* bar = window->statusBar();
    bar->addWidget(m_serverLabel, 1);
    bar->addWidget(m_connectProgress);
    bar->addPermanentWidget(m_revisionLabel);
    bar->addPermanentWidget(m_pendingLabel);
}

QString DatabaseStatusBar::text() const
{
    return m_serverLabel->text() + QLatin1Char(' ') + m_revisionLabel->text() + QLatin1Char(' ')
        + m_pendingLabel->text();
}

void DatabaseStatusBar::update()
{
    const auto& status = m_session->status();
    const auto& target = m_session->target();
    m_serverLabel->setToolTip(QString());
    if (m_session->isConnectionLost()) {
        updateLost();
        return;
    }
    if (!status || !m_session->isConnected()) {
        const ConnectionState& state = m_session->connectionState();
        QString text = tr("Not connected");
        if (m_session->isConnecting()) {
            text = tr("Connecting to %1…").arg(target ? target->describe() : QString());
        } else if (!state.error.message.isEmpty() && !state.target.isEmpty()) {
            // Nothing of the previous target is shown: say whose connect ended how.
            text = tr("Not connected — %1: %2").arg(state.target, state.error.message);
            m_serverLabel->setToolTip(state.error.toString());
        }
        m_serverLabel->setText(text);
        m_revisionLabel->clear();
        if (m_session->isRepositoryLoading() && !m_session->graph())
            m_pendingLabel->setText(tr("loading migrations…"));
        else
            m_pendingLabel->clear();
        m_window->setWindowTitle(tr("DbOps Console"));
        return;
    }
    m_serverLabel->setText(tr("%1 — PostgreSQL %2, user %3, TLS %4")
                               .arg(target ? target->describe() : QString(), status->server.version,
                                   status->server.user, status->server.tls ? tr("on") : tr("off")));
    const QStringList heads = status->version.revisions;
    m_revisionLabel->setText(
        tr("Revision: %1").arg(heads.isEmpty() ? tr("base") : heads.join(QStringLiteral(", "))));
    const int pending = m_session->pendingCount();
    if (pending < 0 && !m_session->graph() && m_session->isRepositoryLoading())
        m_pendingLabel->setText(tr("loading migrations…"));
    else
        m_pendingLabel->setText(pending < 0 ? tr("unknown revision")
                : pending == 0              ? tr("up to date")
                                            : tr("%n pending", nullptr, pending));
    // What verify finds is a warning beside the pending count, and a notice over the audit.
    const QString verifyWarning = status->verifyWarning();
    if (!verifyWarning.isEmpty())
        m_pendingLabel->setText(tr("%1 — ⚠ %2").arg(m_pendingLabel->text(), verifyWarning));
    m_pendingLabel->setToolTip(verifyWarning);
    Q_EMIT verifyWarningShown(verifyWarning);
    m_window->setWindowTitle(
        tr("%1 — DbOps Console")
            .arg(target && target->profile ? target->profile->name : status->server.database));
}

void DatabaseStatusBar::updateLost()
{
    const ConnectionState& state = m_session->connectionState();
    const int seconds = (state.nextReconnectMs + 999) / 1000;
    QString text = tr("Disconnected from %1: the connection was lost.").arg(state.target);
    text += QLatin1Char(' ')
        + (state.failedReconnects == 0 ? tr("Reconnecting in %1 s; Refresh tries at once.").arg(seconds)
                                       : tr("Reconnect %1 failed; next in %2 s, Refresh tries at once.")
                                             .arg(state.failedReconnects)
                                             .arg(seconds));
    m_serverLabel->setText(text);
    m_serverLabel->setToolTip(state.error.toString());
    const QStringList heads = m_session->currentHeads();
    m_revisionLabel->setText(
        heads.isEmpty() ? QString() : tr("Last known revision: %1").arg(heads.join(QStringLiteral(", "))));
    m_pendingLabel->setText(tr("disconnected"));
    m_window->setWindowTitle(tr("%1 — disconnected — DbOps Console").arg(state.target));
}

} // namespace dbops::ui
