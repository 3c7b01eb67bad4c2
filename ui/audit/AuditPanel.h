#pragma once

#include "catalog/AuditReport.h"
#include "catalog/AuditReportFormatter.h"
#include "worker/AuditOutline.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QToolButton;
class QTreeView;

namespace dbops::ui {

class AuditFilterModel;
class AuditModel;
class SchemaDiffView;

/// The schema audit as the console shows it: a headline with the totals
/// ("23 revisions pending — 7 tables MISSING (with …), …"; the model's
/// headerSummary() split into what is and is not as expected), what was compared
/// with what, the target to audit against, a filter (Ctrl+F) and "Only
/// problems", Refresh, Export (HTML, JSON, CSV) and the tree of objects.
///
/// It never touches a database: the main window runs the audit on its worker
/// thread when auditRequested() is emitted and hands the result to setReport().
class AuditPanel : public QWidget
{
    Q_OBJECT
public:
    explicit AuditPanel(QWidget* parent = nullptr);
    ~AuditPanel() override;

    void setReport(const AuditReport& report);
    /// With the outline the database worker built (AuditOutline::build(report)):
    /// nothing left to group or total on the GUI thread.
    void setReport(const AuditReport& report, const AuditOutline& outline);
    /// Back to the placeholder ("Connect to a database to audit it").
    void clearReport();
    AuditReport report() const;
    bool hasReport() const;

    /// What the report compared, for the line under the headline and the exports.
    void setSubject(const AuditSubject& subject);
    AuditSubject subject() const { return m_subject; }

    /// Revisions between the database and the target, for the headline; -1 (the default): not known.
    void setPendingRevisionCount(int count);
    int pendingRevisionCount() const { return m_pendingRevisions; }

    /// Offered in the target selector after "head" (heads, branch labels, recent revisions).
    void setTargetSuggestions(const QStringList& targets);
    /// "head" or what the user typed (trimmed); "head" when the field is empty.
    QString target() const;
    void setTarget(const QString& target);

    /// While an audit runs: "Auditing…", and Refresh waits for it to finish.
    void setBusy(bool busy);
    bool isBusy() const { return m_busy; }

    /// Whether Refresh can start an audit now (false while disconnected);
    /// `reason` becomes Refresh's tooltip.
    void setAuditAvailable(bool available, const QString& reason = QString());

    /// The report is from before a lost connection: `text` says so above it,
    /// and the headline and tree are greyed out; empty: current again.
    void setStaleNotice(const QString& text);
    QString staleNotice() const;

    /// What `dbops verify` finds (applied revisions changed since applied, not
    /// on disk, pending out of order), one line above the report; empty: none.
    void setVerifyNotice(const QString& text);
    QString verifyNotice() const;

    /// Shown instead of the tree while there is no report.
    void setPlaceholderText(const QString& text);
    QString placeholderText() const { return m_placeholderText; }

    /// The headline as shown, empty without a report: the pending revisions
    /// and the totals of what is not as expected ("23 revisions pending — 7
    /// tables MISSING (with 77 columns, …), 18 columns MISSING, …, 1 index
    /// EXTRA"); what EXISTS is totalled in a smaller line under it.
    QString headlineText() const;
    /// "As expected: 9 tables EXISTS, 94 columns EXISTS, …", empty without a report.
    QString asExpectedText() const;

    /// Exports of the current report, with "Only problems" as currently set
    /// (the text filter is a view of the moment and is not applied).  They
    /// write atomically; on failure they return false and set `errorMessage`.
    bool exportHtml(const QString& path, QString* errorMessage = nullptr) const;
    bool exportJson(const QString& path, QString* errorMessage = nullptr) const;
    bool exportCsv(const QString& path, QString* errorMessage = nullptr) const;

    AuditModel* model() const { return m_model; }
    AuditFilterModel* filterModel() const { return m_filter; }
    QTreeView* treeView() const { return m_tree; }
    QLineEdit* filterEdit() const { return m_filterEdit; }
    QCheckBox* onlyProblemsCheckBox() const { return m_onlyProblems; }
    QComboBox* targetComboBox() const { return m_target; }
    QPushButton* refreshButton() const { return m_refresh; }
    QToolButton* exportButton() const { return m_export; }
    /// Under the tree: the selected object's definitions side by side, with its corrective SQL.
    SchemaDiffView* schemaDiffView() const { return m_diff; }

Q_SIGNALS:
    /// Refresh, or Enter in the target field: audit the database against `target` ("head" or a revision).
    void auditRequested(const QString& target);
    /// Export wrote the report to `path` (the window confirms where).
    void exported(const QString& path);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void requestAudit();
    void updateHeadline();
    void updateSubjectLine();
    void updateEnabledState();
    void showPlaceholderOrTree();
    /// Problem groups open, whole missing tables closed (their row says it
    /// all); everything open while a text filter narrows the tree.  At most
    /// kAutoExpandLimit groups: opening one maps and sorts its parts.
    void applyExpansion(bool collapseFirst = true);
    void exportWithDialog(const QString& format);
    void copySelectedRows() const;
    /// Shows the current row's object in the diff pane (its table's or view's
    /// definitions; the SQL of the row: a whole table's, or one part's).
    void updateDiff();

    AuditModel* m_model = nullptr;
    AuditFilterModel* m_filter = nullptr;
    AuditSubject m_subject;
    int m_pendingRevisions = -1;
    bool m_busy = false;
    bool m_auditAvailable = true;
    QString m_unavailableReason;
    QString m_placeholderText;

    QLabel* m_headlineIcon = nullptr;
    QLabel* m_headline = nullptr;
    QLabel* m_asExpectedLine = nullptr;
    QLabel* m_subjectLine = nullptr;
    QLabel* m_staleNotice = nullptr;
    QLabel* m_verifyNotice = nullptr;
    QComboBox* m_target = nullptr;
    QPushButton* m_refresh = nullptr;
    QProgressBar* m_busyBar = nullptr;
    QLabel* m_busyLabel = nullptr;
    QLineEdit* m_filterEdit = nullptr;
    QCheckBox* m_onlyProblems = nullptr;
    QToolButton* m_export = nullptr;
    QLabel* m_placeholder = nullptr;
    QTreeView* m_tree = nullptr;
    SchemaDiffView* m_diff = nullptr;

    // Search Everywhere (ui/search) jumps to an object.
public:
    /// Makes report item `itemIndex` the current row, its table expanded and
    /// scrolled to; clears the filter and "Only problems" when they hide it.
    /// False if the report has no such item.
    bool selectItem(int itemIndex);
};

} // namespace dbops::ui
