#pragma once

#include "connection/ConnectionTarget.h"
#include "migrations/MigrationPlan.h"
#include "render/RenderedScript.h"
#include "render/SqlScriptRenderer.h"

#include <QDialog>
#include <functional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace dbops::ui {

/// Everything the confirmation dialog shows about a write action.
struct GuardedAction
{
    QString action; ///< "upgrade", "downgrade", "stamp", "fix NAME"
    ConnectionTarget target;
    MigrationPlan plan;
    QString fromText; ///< "19c513d3bf90"
    QString toText;
    QStringList nonTransactionalSteps; ///< "id: message"
    QStringList objectChanges; ///< from the audit: "CREATE TABLE equity_changes", ...
    QStringList missingObjects; ///< stamp: what the audit finds MISSING at the stamp target
    QString rollbackTarget; ///< where a rollback would go
    std::function<RenderedScript()> rollbackScript; ///< preview of the rollback SQL
    /// Renders the exact script for the chosen settings (the one renderer).
    std::function<RenderedScript(const SqlScriptRenderer::Options&)> render;
    SqlScriptRenderer::Options renderOptions;
};

/// The guarded confirmation for upgrade, rollback, stamp and fixes: what will
/// happen where, the team's pre-migration checklist, and on production
/// profiles every box ticked plus the database name typed before the action
/// button enables.  Stamp with MISSING objects needs a written override.
class GuardedActionDialog : public QDialog
{
    Q_OBJECT
public:
    explicit GuardedActionDialog(GuardedAction action, QWidget* parent = nullptr);

    bool isActionAllowed() const;
    /// The options chosen (transaction mode, timeouts) and the script they render to.
    SqlScriptRenderer::Options renderOptions() const;
    RenderedScript script() const { return m_script; }
    QString backupDirectory() const { return m_backupDirectory; }
    QString overrideReason() const;

    // For tests and accessibility tools.
    QList<QCheckBox*> checklist() const { return m_checklist; }
    QLineEdit* confirmationEdit() const { return m_confirmation; }
    QPushButton* actionButton() const { return m_actionButton; }
    QCheckBox* overrideBox() const { return m_override; }
    QLineEdit* overrideReasonEdit() const { return m_reason; }

private:
    void updateState();
    void rerender();
    void chooseBackupDirectory();
    QString databaseName() const;

    GuardedAction m_action;
    RenderedScript m_script;
    QString m_backupDirectory;
    QList<QCheckBox*> m_checklist;
    QCheckBox* m_backupBox = nullptr;
    QLineEdit* m_confirmation = nullptr;
    QPushButton* m_actionButton = nullptr;
    QCheckBox* m_override = nullptr;
    QLineEdit* m_reason = nullptr;
    QComboBox* m_mode = nullptr;
    QSpinBox* m_lockTimeout = nullptr;
    QSpinBox* m_statementTimeout = nullptr;
    QPlainTextEdit* m_sql = nullptr;
    QLabel* m_why = nullptr;
};

} // namespace dbops::ui
