#pragma once

#include "checks/CheckDefinition.h"
#include "checks/CheckRunner.h"

#include <QHash>
#include <QWidget>

class QLabel;
class QPushButton;
class QSplitter;
class QStackedWidget;
class QTextBrowser;
class QTreeView;

namespace dbops::ui {

class CheckResultsModel;

/// Data checks as the console shows them: a summary ("2 of 3 checks failed"),
/// Run checks, Apply fix…, the results tree (check → the rows its query
/// returned) and the selected check's details (description, every row in
/// full, the fix that repairs it).
///
/// Apply fix is enabled only for a selected check that failed (it ran and a
/// row is not ok, or it returned none) when a fix repairs it and the profile
/// allows writes; otherwise its tooltip says why not.  A check whose query
/// failed on the server is not offered a fix: what it would repair is unknown.
/// The panel never runs anything itself: the main window does, on its worker
/// thread, when checksRequested() or applyFixRequested() is emitted.
class ChecksPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ChecksPanel(QWidget* parent = nullptr);
    ~ChecksPanel() override;

    /// Shows `report`, keeps the selected check if it is still there, else
    /// selects the first failing one.
    void setReport(const CheckReport& report);
    void clearReport();
    CheckReport report() const;
    bool hasReport() const;

    /// The repository's fixes; FixDefinition::repairs names the check each repairs.
    void setFixes(const QList<FixDefinition>& fixes);
    /// The fix that repairs `check` (the first one when several do), empty if none.
    QString fixFor(const QString& check) const;

    /// False on read-only profiles: Apply fix stays disabled and says why.
    void setWriteAllowed(bool allowed);
    bool isWriteAllowed() const { return m_writeAllowed; }

    /// While checks or a fix run: "Running checks…", both buttons wait.
    void setBusy(bool busy);
    bool isBusy() const { return m_busy; }

    /// Whether Run checks can start now (false while disconnected); `reason` becomes its tooltip.
    void setRunAvailable(bool available, const QString& reason = QString());

    /// The check of the selected row (a returned row selects its check), empty if none.
    QString selectedCheck() const;
    /// Selects the check called `name`; false if the report has none.
    bool selectCheck(const QString& name);

    /// "2 of 3 checks failed", empty without a report.
    QString summaryText() const;
    /// The line under the summary: "1 failing check has a fix  ·  Read-only profile: …", may be empty.
    QString hintText() const;
    /// Why Apply fix is disabled right now, or what it would run when enabled.
    QString applyFixReason() const;

    CheckResultsModel* model() const { return m_model; }
    QTreeView* treeView() const { return m_tree; }
    QTextBrowser* detailView() const { return m_detail; }
    QPushButton* runButton() const { return m_run; }
    QPushButton* applyFixButton() const { return m_applyFix; }

Q_SIGNALS:
    void checksRequested();
    /// Apply fix… for the selected check: run the fix called `fixName` (after the main window's
    /// confirmation).
    void applyFixRequested(const QString& fixName);

private:
    void updateSummary();
    void updateButtons();
    void updateDetail();
    void showPlaceholderOrResults();
    void expandFailingChecks();
    /// Empty when Apply fix can run: else the reason it cannot.
    QString applyFixBlocker() const;
    void requestFix();

    CheckResultsModel* m_model = nullptr;
    QHash<QString, FixDefinition> m_fixByCheck;
    bool m_writeAllowed = true;
    bool m_busy = false;
    bool m_runAvailable = true;
    QString m_runUnavailableReason;

    QLabel* m_summaryIcon = nullptr;
    QLabel* m_summary = nullptr;
    QLabel* m_hint = nullptr;
    QLabel* m_busyLabel = nullptr;
    QPushButton* m_run = nullptr;
    QPushButton* m_applyFix = nullptr;
    QStackedWidget* m_stack = nullptr;
    QLabel* m_placeholder = nullptr;
    QSplitter* m_splitter = nullptr;
    QTreeView* m_tree = nullptr;
    QTextBrowser* m_detail = nullptr;
};

} // namespace dbops::ui
