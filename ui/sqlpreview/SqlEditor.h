#pragma once

#include "OutlineEntry.h"
#include "PreviewFinding.h"
#include "ScriptAnnotations.h"
#include "StatementMarker.h"
#include "render/RenderedScript.h"

#include <QPlainTextEdit>

class QAction;

namespace dbops::ui {

class EditorGutter;
class FindBar;

/// A read-only view of a rendered migration script: exactly its text,
/// highlighted, with line numbers, markers beside statements that refuse a
/// transaction or take strong locks, an outline of the steps, a find bar
/// (Ctrl+F) that counts the matches and highlights them as one types, copy and
/// "Save as .sql".  Built on QPlainTextEdit, which lays out
/// only what it shows, so a 100,000-line script stays responsive.
class SqlEditor : public QPlainTextEdit
{
    Q_OBJECT
public:
    explicit SqlEditor(QWidget* parent = nullptr);
    ~SqlEditor() override;

    /// Shows `script.text()`, set in one go, and computes outline and markers.
    void setScript(const RenderedScript& script);
    void clearScript();
    const RenderedScript& script() const { return m_script; }
    /// Exactly `script().text()`: what Copy (without a selection) and Save write.
    const QString& scriptText() const { return m_text; }

    /// One entry per `-- Running ...` comment, in script order.
    QList<OutlineEntry> outline() const { return m_annotations.outline(); }
    QList<StatementMarker> markers() const { return m_annotations.markers(); }
    /// The marker covering 0-based line `block`, or nullptr.
    const StatementMarker* markerAtBlock(int block) const { return m_annotations.markerAt(block); }

    const ScriptAnnotations& annotations() const { return m_annotations; }

    /// The lint findings' markers, painted beside the lock markers; sorted by
    /// firstBlock, one per statement.  setScript() clears them.
    void setFindingMarkers(const FindingMarkerList& markers);
    const FindingMarkerList& findingMarkers() const { return m_findingMarkers; }
    /// The finding marker covering 0-based line `block`, or nullptr; binary search.
    const FindingMarker* findingMarkerAtBlock(int block) const;
    /// What the gutter's tooltip says at 0-based line `block`: the lock and
    /// transaction notes, then the findings.
    QString gutterToolTipAtBlock(int block) const;

    /// Puts the cursor on the `-- Running` comment of step `stepIndex` (an index
    /// into the plan's steps) and scrolls it to the top.  False if no such step.
    bool goToRevision(int stepIndex);
    /// Puts the cursor at the start of 0-based line `block` and scrolls it to the top.
    void goToBlock(int block);
    /// Selects `length` characters from `column` of 0-based line `block` (clipped
    /// to the line) and scrolls the line to the middle: a search hit shown in place.
    void selectInBlock(int block, int column, int length);

    /// Case-insensitive search from the cursor, wrapping around the ends; the
    /// match is selected.  False (and the cursor unchanged) when there is none.
    bool findNext(const QString& text);
    bool findPrevious(const QString& text);
    /// Whether the last successful search wrapped around an end of the script.
    bool lastSearchWrapped() const { return m_lastSearchWrapped; }
    FindBar* findBar() const { return m_findBar; }
    /// While the find bar is open: how many times its text occurs in the script
    /// (case-insensitive, not overlapping), and which of those the selection is
    /// (0-based; -1 when the selection is none of them).
    int matchCount() const { return static_cast<int>(m_matches.size()); }
    int currentMatch() const;
    /// The background of the matches that are not the selection: a wash
    /// between the palette's base colour and amber, lighter or darker with it.
    QColor matchHighlightColor() const;

    /// Writes exactly scriptText() (UTF-8) to `path`, atomically.
    bool saveScript(const QString& path, QString* errorMessage = nullptr) const;
    /// The name "Save as .sql" proposes, e.g. "upgrade_19c513d3bf90_head.sql".
    void setSuggestedFileName(const QString& fileName) { m_suggestedFileName = fileName; }
    QString suggestedFileName() const { return m_suggestedFileName; }

    /// Actions for menus and toolbars; they act on this editor.
    QAction* findAction() const { return m_findAction; }
    QAction* copyAction() const { return m_copyAction; }
    QAction* saveAsAction() const { return m_saveAsAction; }

    /// Width of the line-number and marker strip.
    int gutterWidth() const;
    /// The 0-based line at viewport height `y`, or -1.
    int blockAt(int y) const;

public Q_SLOTS:
    void showFindBar();
    void hideFindBar();
    /// Copies the selection, or the whole script exactly when nothing is selected.
    void copyToClipboard();
    /// Asks for a file name and saves the script there.
    void saveScriptAs();

Q_SIGNALS:
    void scriptChanged();
    void scriptSaved(const QString& path);

protected:
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;

private:
    friend class EditorGutter;
    void paintGutter(QWidget* gutter, const QRect& rect);
    QString gutterToolTip(const QPoint& pos) const;

    bool search(const QString& text, bool backward);
    /// The find bar's text changed: highlight its matches and select the first
    /// one from the selection's start, so a growing word keeps its place.
    void followFindText(const QString& text);
    /// Every position of `text` in the script, into m_matches.
    void findMatches(const QString& text);
    void clearMatches();
    void showFindStatus(bool wrapped);
    void layoutMargins();
    void applyTheme();
    /// The current line and the matches near the view (a common word in a
    /// 100,000-line script has more matches than one paint should walk).
    void updateExtraSelections();
    void scrollBlockToTop(int block);

    RenderedScript m_script;
    QString m_text;
    ScriptAnnotations m_annotations;
    FindingMarkerList m_findingMarkers;
    QObject* m_highlighter = nullptr;
    bool m_highlighterDark = false;
    EditorGutter* m_gutter = nullptr;
    FindBar* m_findBar = nullptr;
    QAction* m_findAction = nullptr;
    QAction* m_findNextAction = nullptr;
    QAction* m_findPreviousAction = nullptr;
    QAction* m_copyAction = nullptr;
    QAction* m_saveAsAction = nullptr;
    QString m_suggestedFileName;
    bool m_lastSearchWrapped = false;
    QString m_matchText; ///< what m_matches are the matches of
    QVector<int> m_matches; ///< where each match starts, ascending
};

} // namespace dbops::ui
