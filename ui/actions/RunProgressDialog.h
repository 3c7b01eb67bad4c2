#pragma once

#include "runner/MigrationRunner.h"

#include <QDialog>
#include <QElapsedTimer>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTimer;

namespace dbops::ui {

/// Shows a run while the worker does it: revision i of N, the current
/// statement, elapsed time, a live log with server notices, and Cancel
/// (a server-side cancel).  The window stays responsive: all it does is
/// receive queued events.
class RunProgressDialog : public QDialog
{
    Q_OBJECT
public:
    explicit RunProgressDialog(const QString& title, int stepCount, QWidget* parent = nullptr);

    void addEvent(const RunEvent& event, const QString& revisionMessage);
    void finish(const RunResult& result);
    bool isFinished() const { return m_finished; }

    QProgressBar* progressBar() const { return m_progress; }
    QPushButton* cancelButton() const { return m_cancel; }
    QString logText() const;

Q_SIGNALS:
    void cancelRequested();

protected:
    void reject() override; ///< Esc/close: cancel while running, close when done

private:
    void appendLog(const QString& line);

    QProgressBar* m_progress = nullptr;
    QLabel* m_step = nullptr;
    QLabel* m_statement = nullptr;
    QLabel* m_elapsed = nullptr;
    QPlainTextEdit* m_log = nullptr;
    QPushButton* m_cancel = nullptr;
    QPushButton* m_close = nullptr;
    QTimer* m_timer = nullptr;
    QElapsedTimer m_clock;
    bool m_finished = false;
};

} // namespace dbops::ui
