#pragma once

#include "lint/LintConfig.h"

#include <QWidget>

class QLabel;
class QListWidget;
class QPushButton;
class QSplitter;
class QTableView;
class QToolBar;

namespace dbops {
class RevisionGraph;
struct RenderedScript;
} // namespace dbops

namespace dbops::ui {

class FindingsModel;
class SqlEditor;

/// The SQL preview as the console shows it: a line that says what is shown
/// ("Upgrade 19c513d3bf90 → head, 23 revisions" or "Revision e85c2a7d1f96
/// only", with "Back to the plan" for the latter), a toolbar (Find, Copy, Save
/// as .sql, a summary of the markers), the outline of steps (a click jumps to
/// the step), the SqlEditor and, under it, the Findings list: what the
/// linter says about the statements shown (a click jumps to the line), also
/// marked in the editor's gutter.
class SqlPreviewPanel : public QWidget
{
    Q_OBJECT
public:
    explicit SqlPreviewPanel(QWidget* parent = nullptr);

    /// Shows `script`; with `graph`, the outline also names each revision's
    /// message, and the findings are those `dbops lint` reports for the
    /// script's statements (without it, the script's text is linted).  Lints
    /// once here, never while painting.
    void setScript(const RenderedScript& script, const RevisionGraph* graph = nullptr);
    /// The repository's severities (its lint.conf); used from the next setScript().
    void setLintConfig(const LintConfig& config) { m_lintConfig = config; }
    void clearScript();

    /// What the script is, in a line above it; with `offerBackToPlan`, a
    /// "Back to the plan" button beside it (backToPlanRequested()).
    void setHeading(const QString& text, bool offerBackToPlan = false);
    QString headingText() const;
    QPushButton* backToPlanButton() const { return m_backToPlan; }

    SqlEditor* editor() const { return m_editor; }
    QListWidget* outlineList() const { return m_outline; }
    QToolBar* toolBar() const { return m_toolBar; }
    /// "2 statements take strong locks · 1 runs outside a transaction", or empty.
    QString summaryText() const;

    FindingsModel* findingsModel() const { return m_findingsModel; }
    QTableView* findingsView() const { return m_findingsView; }
    /// "Findings (3)", "Findings (3, 1 error)" or "No findings".
    QString findingsHeadingText() const;

protected:
    void changeEvent(QEvent* event) override;

Q_SIGNALS:
    /// A step of the outline was activated; the editor already moved there.
    void stepActivated(int stepIndex, const QString& revision);
    /// "Back to the plan": show the pending upgrade again instead of one revision.
    void backToPlanRequested();

private:
    void rebuildOutline(const RevisionGraph* graph);
    void rebuildFindings(const RevisionGraph* graph);
    void jumpToFinding(const QModelIndex& index);
    /// Marks the step the editor's cursor is in, so the outline shows where one is.
    void followCursor();

    QLabel* m_heading = nullptr;
    QPushButton* m_backToPlan = nullptr;
    QToolBar* m_toolBar = nullptr;
    QLabel* m_summary = nullptr;
    QSplitter* m_splitter = nullptr;
    QListWidget* m_outline = nullptr;
    SqlEditor* m_editor = nullptr;
    QSplitter* m_editorSplitter = nullptr; ///< the editor above the findings
    QLabel* m_findingsHeading = nullptr;
    QTableView* m_findingsView = nullptr;
    FindingsModel* m_findingsModel = nullptr;
    LintConfig m_lintConfig;
};

} // namespace dbops::ui
