#pragma once

#include "guarded/WriteTypes.h"
#include "recover/RecoveryReport.h"

#include <QWidget>
#include <optional>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QStackedWidget;
class QTreeWidget;

namespace dbops::ui {

/// The Recovery tab: what state the database is in after a failed or
/// interrupted run (RecoveryReport, the same words as `dbops recover`), what
/// each recovery step would run, and buttons that ask for those steps.  The
/// panel never decides whether a step may run: it emits writeRequested() and
/// the main window opens the guarded dialog with the core's review.
class RecoveryPanel : public QWidget
{
    Q_OBJECT
public:
    explicit RecoveryPanel(QWidget* parent = nullptr);
    ~RecoveryPanel() override;

    void setReport(const RecoveryReport& report);
    /// No report (not connected, another target): the placeholder says why.
    void clearReport(const QString& placeholder);
    /// The inspection failed: the reason instead of a report.
    void showError(const QString& message);
    /// An inspection runs: Inspect is disabled, the headline says so.
    void setBusy(bool busy);
    /// Whether Inspect can run now (connected), and why not.
    void setInspectAvailable(bool available, const QString& reason = QString());
    /// Connected, writable and idle: the step buttons may ask for a review.
    void setWriteAllowed(bool allowed);

    const std::optional<RecoveryReport>& report() const { return m_report; }
    /// "Consistent" or "Recovery needed" with the reason; empty without a report.
    QString headlineText() const;
    QTreeWidget* objectsView() const { return m_objects; }
    QTreeWidget* invalidIndexesView() const { return m_indexes; }
    /// The SQL the rollback and the rebuilds would run, read-only.
    QPlainTextEdit* stepSqlView() const { return m_stepSql; }
    QPlainTextEdit* nextStepsView() const { return m_nextSteps; }
    QPushButton* inspectButton() const { return m_inspect; }
    QPushButton* resumeButton() const { return m_resume; }
    QPushButton* rollbackButton() const { return m_rollback; }
    QPushButton* rebuildButton() const { return m_rebuild; }
    QPushButton* stampButton() const { return m_stamp; }
    /// "schema.name" of the selected INVALID index; empty when none is selected.
    QString selectedInvalidIndex() const;

Q_SIGNALS:
    void inspectRequested();
    /// A guarded write to review: Upgrade to "heads", Recover with a
    /// RecoveryStep::target(), or Stamp to the checked revision.
    void writeRequested(dbops::WriteAction action, const QString& target);

protected:
    void changeEvent(QEvent* event) override;

private:
    void showReport();
    void updateHeadline();
    void updateButtons();
    void showPlaceholder(const QString& text);

    std::optional<RecoveryReport> m_report;
    bool m_busy = false;
    bool m_inspectAvailable = false;
    bool m_writeAllowed = false;
    bool m_failed = false;

    QLabel* m_headlineIcon = nullptr;
    QLabel* m_headline = nullptr;
    QLabel* m_database = nullptr;
    QLabel* m_lastRun = nullptr;
    QLabel* m_lastError = nullptr;
    QLabel* m_applied = nullptr;
    QLabel* m_pending = nullptr;
    QLabel* m_objectsTitle = nullptr;
    QTreeWidget* m_objects = nullptr;
    QTreeWidget* m_indexes = nullptr;
    QPlainTextEdit* m_nextSteps = nullptr;
    QPlainTextEdit* m_stepSql = nullptr;
    QObject* m_highlighter = nullptr; ///< owned by m_stepSql's document
    QLabel* m_placeholder = nullptr;
    QStackedWidget* m_stack = nullptr;
    QPushButton* m_inspect = nullptr;
    QPushButton* m_resume = nullptr;
    QPushButton* m_rollback = nullptr;
    QPushButton* m_rebuild = nullptr;
    QPushButton* m_stamp = nullptr;
};

} // namespace dbops::ui
