#pragma once

#include "guarded/WriteTypes.h"
#include "rehearse/Rehearsal.h"

#include <QDialog>
#include <functional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTabWidget;
class QTreeWidget;

namespace dbops::ui {

/// What the confirmation dialog needs: the core's review of the write, and
/// the core's functions to redo it with other settings.
struct GuardedDialogInput
{
    WriteReview review;
    /// GuardedWrite::withSettings with the repository the review was made
    /// with: the dialog's settings re-render through the core, not here.
    std::function<WriteReview(const WriteRequest&)> withSettings;
    /// Upgrades: the SQL of the way back, shown beside (never instead of)
    /// the SQL that will run.
    std::function<RenderedScript(const WriteRequest&)> rollbackScript;
};

/// The guarded confirmation for upgrade, rollback, stamp and fixes.  It only
/// presents: what will happen where (from the core's review), the SQL that
/// will run byte for byte, what a rollback drops with its live rows, and why
/// the core would refuse with the answers given so far
/// (GuardedWrite::refusals).  The action button enables when the core has no
/// refusal left and, on production, the team's checklist is ticked.
class GuardedActionDialog : public QDialog
{
    Q_OBJECT
public:
    explicit GuardedActionDialog(GuardedDialogInput input, QWidget* parent = nullptr);

    bool isActionAllowed() const;
    /// The review with the settings chosen here: what the worker executes.
    const WriteReview& review() const { return m_review; }
    WriteAnswers answers() const;
    /// What "Back up now…" sets after asking for a folder.
    void setBackupDirectory(const QString& directory);
    /// The core's refusals for the current answers, as shown.
    QStringList refusalTexts() const;

    // For tests and accessibility tools.
    QList<QCheckBox*> checklist() const { return m_checklist; }
    QLineEdit* confirmationEdit() const { return m_confirmation; }
    QPushButton* actionButton() const { return m_actionButton; }
    QCheckBox* overrideBox() const { return m_override; }
    QLineEdit* overrideReasonEdit() const { return m_reason; }
    QCheckBox* dataLossBox() const { return m_dataLoss; }
    QComboBox* transactionModeBox() const { return m_mode; }
    QPlainTextEdit* sqlView() const { return m_sql; }
    QPlainTextEdit* rollbackSqlView() const { return m_rollbackSql; }
    QTabWidget* sqlTabs() const { return m_sqlTabs; }
    QTreeWidget* droppedView() const { return m_dropped; }
    /// "Locks and risk": lock mode, size, rows and estimate per relation.
    QTreeWidget* locksView() const { return m_locks; }
    /// "Run although these sessions hold locks": shown only when the core
    /// found sessions in the way; it only sets WriteAnswers::ignoreBlockers.
    QCheckBox* ignoreBlockersBox() const { return m_ignoreBlockers; }
    QLabel* blockersLabel() const { return m_blockers; }
    QLabel* whyLabel() const { return m_why; }
    /// "Tested": ticked by a matching rehearsal (the core's RehearsalStatus), or by hand.
    QCheckBox* testedBox() const { return m_testedBox; }
    QLabel* rehearsalLabel() const { return m_rehearsalLabel; }
    QPushButton* rehearseButton() const { return m_rehearse; }
    /// A rehearsal the window ran for this dialog (rehearseRequested()) finished ...
    void showRehearsal(const RehearsalReport& rehearsal);
    /// ... or could not be made.
    void showRehearsalError(const QString& message);

Q_SIGNALS:
    /// "Rehearse on a copy": the window runs it in the database worker.
    void rehearseRequested(const dbops::WriteRequest& request);

public:
    QSize sizeHint() const override;

private:
    /// The preferred size, within the available geometry of the parent's screen.
    QSize initialSize(const QWidget* parent) const;
    void updateState();
    void applySettings();
    void chooseBackupDirectory();
    QWidget* buildSummary();
    QWidget* buildDropped();
    QWidget* buildLocks();
    QWidget* buildBlockers();
    WriteRequest chosenRequest() const;

    GuardedDialogInput m_input;
    WriteReview m_review;
    QList<QCheckBox*> m_checklist;
    QCheckBox* m_backupBox = nullptr;
    QLineEdit* m_confirmation = nullptr;
    QPushButton* m_actionButton = nullptr;
    QCheckBox* m_override = nullptr;
    QLineEdit* m_reason = nullptr;
    QCheckBox* m_dataLoss = nullptr;
    QComboBox* m_mode = nullptr;
    QSpinBox* m_lockTimeout = nullptr;
    QSpinBox* m_statementTimeout = nullptr;
    QTabWidget* m_sqlTabs = nullptr;
    QPlainTextEdit* m_sql = nullptr;
    QPlainTextEdit* m_rollbackSql = nullptr;
    QTreeWidget* m_dropped = nullptr;
    QTreeWidget* m_locks = nullptr;
    QCheckBox* m_ignoreBlockers = nullptr;
    QLabel* m_blockers = nullptr;
    QLabel* m_why = nullptr;
    QCheckBox* m_testedBox = nullptr;
    QLabel* m_rehearsalLabel = nullptr;
    QPushButton* m_rehearse = nullptr;
    bool m_rehearsing = false;
    void showRehearsalStatus();
};

} // namespace dbops::ui
