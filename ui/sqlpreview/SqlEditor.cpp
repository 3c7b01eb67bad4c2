#include "SqlEditor.h"

#include "EditorGutter.h"
#include "FindBar.h"
#include "MonospaceFont.h"
#include "RecentFolder.h"
#include "SeverityStyle.h"
#include "SqlHighlighter.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QPainter>
#include <QSaveFile>
#include <QScrollBar>
#include <QTextBlock>
#include <algorithm>

namespace dbops::ui {

namespace {

constexpr int gutterPadding = 6;
constexpr int markerStripWidth = 10;
constexpr int findingStripWidth = 12; ///< the lint findings, left of the lock markers
constexpr int textGap = 4; ///< between the marker strip and the text

// Strong locks block other sessions: red.  Statements that only refuse a
// transaction block need care but block nobody: amber.
QColor lockColor(bool dark)
{
    return dark ? QColor(0xff, 0x6b, 0x5e) : QColor(0xd0, 0x3b, 0x2f);
}

QColor outsideTransactionColor(bool dark)
{
    return dark ? QColor(0xff, 0xb3, 0x40) : QColor(0xc7, 0x7c, 0x02);
}

QColor blend(const QColor& a, const QColor& b, qreal amountOfB)
{
    return QColor::fromRgbF(a.redF() + (b.redF() - a.redF()) * amountOfB,
        a.greenF() + (b.greenF() - a.greenF()) * amountOfB, a.blueF() + (b.blueF() - a.blueF()) * amountOfB);
}

} // namespace

SqlEditor::SqlEditor(QWidget* parent)
    : QPlainTextEdit(parent)
{
    setReadOnly(true);
    // Keyboard selection keeps a visible cursor, so goToRevision() shows where it went.
    setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    setUndoRedoEnabled(false);
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setFont(MonospaceFont::preferred());
    setTabStopDistance(4 * fontMetrics().horizontalAdvance(QLatin1Char(' ')));
    setAccessibleName(tr("SQL script"));
    setAccessibleDescription(tr("The exact SQL that would run, read-only"));

    m_gutter = new EditorGutter(this);
    m_findBar = new FindBar(this);
    m_findBar->hide();

    m_findAction = new QAction(QIcon::fromTheme(QStringLiteral("edit-find")), tr("&Find…"), this);
    m_findAction->setShortcut(QKeySequence::Find);
    m_findAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_findAction->setToolTip(tr("Find text in the script (Ctrl+F)"));
    connect(m_findAction, &QAction::triggered, this, &SqlEditor::showFindBar);

    m_findNextAction = new QAction(tr("Find &Next"), this);
    m_findNextAction->setShortcut(QKeySequence::FindNext);
    m_findNextAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(m_findNextAction, &QAction::triggered, this, [this] { findNext(m_findBar->searchText()); });
    m_findPreviousAction = new QAction(tr("Find &Previous"), this);
    m_findPreviousAction->setShortcut(QKeySequence::FindPrevious);
    m_findPreviousAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(
        m_findPreviousAction, &QAction::triggered, this, [this] { findPrevious(m_findBar->searchText()); });

    m_copyAction = new QAction(QIcon::fromTheme(QStringLiteral("edit-copy")), tr("&Copy SQL"), this);
    m_copyAction->setToolTip(tr("Copy the selection, or the whole script when nothing is selected"));
    connect(m_copyAction, &QAction::triggered, this, &SqlEditor::copyToClipboard);

    m_saveAsAction
        = new QAction(QIcon::fromTheme(QStringLiteral("document-save-as")), tr("&Save as .sql…"), this);
    m_saveAsAction->setShortcut(QKeySequence::SaveAs);
    m_saveAsAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_saveAsAction->setToolTip(tr("Save the script exactly as shown to a .sql file"));
    connect(m_saveAsAction, &QAction::triggered, this, &SqlEditor::saveScriptAs);
    addActions({ m_findAction, m_findNextAction, m_findPreviousAction, m_saveAsAction });
    m_copyAction->setEnabled(false);
    m_saveAsAction->setEnabled(false);

    connect(m_findBar, &FindBar::findNextRequested, this, &SqlEditor::findNext);
    connect(m_findBar, &FindBar::findPreviousRequested, this, &SqlEditor::findPrevious);
    connect(m_findBar, &FindBar::closeRequested, this, &SqlEditor::hideFindBar);
    connect(m_findBar, &FindBar::searchTextChanged, this, &SqlEditor::followFindText);

    connect(this, &QPlainTextEdit::blockCountChanged, this, &SqlEditor::layoutMargins);
    connect(this, &QPlainTextEdit::updateRequest, this, [this](const QRect& rect, int dy) {
        if (dy != 0)
            m_gutter->scroll(0, dy);
        else
            m_gutter->update(0, rect.y(), m_gutter->width(), rect.height());
    });
    connect(this, &QPlainTextEdit::cursorPositionChanged, this, [this] {
        updateExtraSelections();
        if (!m_findBar->isHidden())
            showFindStatus(false);
    });
    // Scrolling brings other matches near the view.
    connect(verticalScrollBar(), &QScrollBar::valueChanged, this, [this] {
        if (!m_matches.isEmpty())
            updateExtraSelections();
    });

    applyTheme();
    layoutMargins();
}

SqlEditor::~SqlEditor() = default;

void SqlEditor::setScript(const RenderedScript& script)
{
    m_script = script;
    m_text = script.text();
    m_annotations = ScriptAnnotations::compute(script);
    m_findingMarkers.clear();
    clearMatches(); // positions in the old text
    // One setPlainText: one contentsChange, one highlighter scan, one layout.
    setPlainText(m_text);
    if (!m_findBar->isHidden()) {
        findMatches(m_findBar->searchText());
        showFindStatus(false);
    }
    m_copyAction->setEnabled(!m_text.isEmpty());
    m_saveAsAction->setEnabled(!m_text.isEmpty());
    m_gutter->update();
    Q_EMIT scriptChanged();
}

void SqlEditor::setFindingMarkers(const FindingMarkerList& markers)
{
    m_findingMarkers = markers;
    m_gutter->update();
}

const FindingMarker* SqlEditor::findingMarkerAtBlock(int block) const
{
    auto it = std::upper_bound(m_findingMarkers.cbegin(), m_findingMarkers.cend(), block,
        [](int b, const FindingMarker& m) { return b < m.firstBlock; });
    if (it == m_findingMarkers.cbegin())
        return nullptr;
    --it;
    return it->containsBlock(block) ? &*it : nullptr;
}

void SqlEditor::clearScript()
{
    setScript(RenderedScript());
}

bool SqlEditor::goToRevision(int stepIndex)
{
    const OutlineEntry* entry = m_annotations.entryForStep(stepIndex);
    if (!entry)
        return false;
    goToBlock(entry->blockNumber);
    return true;
}

void SqlEditor::goToBlock(int block)
{
    const QTextBlock target = document()->findBlockByNumber(block);
    if (!target.isValid())
        return;
    setTextCursor(QTextCursor(target));
    horizontalScrollBar()->setValue(0);
    scrollBlockToTop(block);
}

void SqlEditor::selectInBlock(int block, int column, int length)
{
    const QTextBlock target = document()->findBlockByNumber(block);
    if (!target.isValid())
        return;
    const int lineEnd = target.position() + target.length() - 1; // before the line break
    const int start = std::min(target.position() + std::max(0, column), lineEnd);
    QTextCursor cursor(document());
    cursor.setPosition(start);
    cursor.setPosition(std::min(start + std::max(0, length), lineEnd), QTextCursor::KeepAnchor);
    horizontalScrollBar()->setValue(0);
    setTextCursor(cursor);
    centerCursor();
}

void SqlEditor::scrollBlockToTop(int block)
{
    // Without line wrapping the vertical scroll value is the first visible line.
    verticalScrollBar()->setValue(block);
}

bool SqlEditor::findNext(const QString& text)
{
    return search(text, false);
}

bool SqlEditor::findPrevious(const QString& text)
{
    return search(text, true);
}

bool SqlEditor::search(const QString& text, bool backward)
{
    if (text.isEmpty())
        return false;
    // No FindCaseSensitively flag: QTextDocument searches case-insensitively.
    const QTextDocument::FindFlags flags
        = backward ? QTextDocument::FindBackward : QTextDocument::FindFlags();
    QTextCursor found = document()->find(text, textCursor(), flags);
    bool wrapped = false;
    if (found.isNull()) {
        QTextCursor from(document());
        if (backward)
            from.movePosition(QTextCursor::End);
        found = document()->find(text, from, flags);
        wrapped = true;
    }
    const bool ok = !found.isNull();
    if (ok) {
        // Scroll sideways only when the match needs it, not to wherever the
        // previous match left the view.
        horizontalScrollBar()->setValue(0);
        setTextCursor(found);
        m_lastSearchWrapped = wrapped;
    }
    if (!m_findBar->isHidden()) {
        if (text != m_matchText)
            findMatches(text);
        showFindStatus(ok && wrapped);
    }
    return ok;
}

void SqlEditor::followFindText(const QString& text)
{
    findMatches(text);
    if (!m_matches.isEmpty()) {
        const int from = textCursor().selectionStart();
        const auto next = std::lower_bound(m_matches.cbegin(), m_matches.cend(), from);
        const int at = next != m_matches.cend() ? *next : m_matches.constFirst();
        QTextCursor match(document());
        match.setPosition(at);
        match.setPosition(at + static_cast<int>(text.size()), QTextCursor::KeepAnchor);
        horizontalScrollBar()->setValue(0);
        setTextCursor(match);
    }
    showFindStatus(false);
}

void SqlEditor::findMatches(const QString& text)
{
    m_matches.clear();
    m_matchText = text;
    if (!text.isEmpty()) {
        // Positions in the script are positions in the document (a line break
        // is one character in both), unless the text was set some other way.
        const QString haystack = m_text.size() == document()->characterCount() - 1 ? m_text : toPlainText();
        for (auto at = haystack.indexOf(text, 0, Qt::CaseInsensitive); at >= 0;
             at = haystack.indexOf(text, at + text.size(), Qt::CaseInsensitive))
            m_matches.append(static_cast<int>(at));
    }
    updateExtraSelections();
}

void SqlEditor::clearMatches()
{
    m_matches.clear();
    m_matchText.clear();
    updateExtraSelections();
}

int SqlEditor::currentMatch() const
{
    const QTextCursor cursor = textCursor();
    if (m_matches.isEmpty() || cursor.selectionEnd() - cursor.selectionStart() != m_matchText.size())
        return -1;
    const auto found = std::lower_bound(m_matches.cbegin(), m_matches.cend(), cursor.selectionStart());
    return found != m_matches.cend() && *found == cursor.selectionStart()
        ? static_cast<int>(found - m_matches.cbegin())
        : -1;
}

void SqlEditor::showFindStatus(bool wrapped)
{
    const bool current = m_matchText == m_findBar->searchText();
    m_findBar->showMatches(current ? currentMatch() : -1, current ? matchCount() : 0, wrapped);
}

QColor SqlEditor::matchHighlightColor() const
{
    const bool dark = SqlHighlighting::isDark(palette());
    const QColor amber = dark ? QColor(0xd8, 0x9b, 0x1c) : QColor(0xff, 0xc8, 0x2e);
    return blend(palette().color(QPalette::Base), amber, dark ? 0.45 : 0.6);
}

bool SqlEditor::saveScript(const QString& path, QString* errorMessage) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (errorMessage)
            *errorMessage = file.errorString();
        return false;
    }
    const QByteArray bytes = m_text.toUtf8();
    if (file.write(bytes) != bytes.size() || !file.commit()) {
        if (errorMessage)
            *errorMessage = file.errorString();
        return false;
    }
    return true;
}

void SqlEditor::saveScriptAs()
{
    QString path = QFileDialog::getSaveFileName(this, tr("Save SQL script"),
        RecentFolder::suggest(m_suggestedFileName.isEmpty() ? QStringLiteral("migration.sql")
                                                            : QFileInfo(m_suggestedFileName).fileName()),
        tr("SQL files (*.sql);;All files (*)"));
    if (path.isEmpty())
        return;
    if (!path.contains(QLatin1Char('.')))
        path += QStringLiteral(".sql");
    QString error;
    if (!saveScript(path, &error)) {
        QMessageBox::warning(this, tr("Save SQL script"), tr("Could not save %1: %2").arg(path, error));
        return;
    }
    RecentFolder::remember(path);
    Q_EMIT scriptSaved(path);
}

void SqlEditor::copyToClipboard()
{
    if (textCursor().hasSelection())
        copy();
    else
        QApplication::clipboard()->setText(m_text);
}

void SqlEditor::showFindBar()
{
    const QString selected = textCursor().selectedText();
    m_findBar->show();
    layoutMargins();
    // A one-line selection is what the user wants to find, as in most editors.
    m_findBar->activate(selected.contains(QChar::ParagraphSeparator) ? QString() : selected);
    // Opened again with the same text: activate() changed nothing, count again.
    if (m_matchText != m_findBar->searchText())
        findMatches(m_findBar->searchText());
    showFindStatus(false);
}

void SqlEditor::hideFindBar()
{
    m_findBar->hide();
    clearMatches();
    layoutMargins();
    setFocus(Qt::OtherFocusReason);
}

int SqlEditor::gutterWidth() const
{
    int digits = 1;
    for (int lines = std::max(1, blockCount()); lines >= 10; lines /= 10)
        ++digits;
    digits = std::max(digits, 3);
    return gutterPadding + digits * fontMetrics().horizontalAdvance(QLatin1Char('9')) + gutterPadding
        + findingStripWidth + markerStripWidth + textGap;
}

int SqlEditor::blockAt(int y) const
{
    QTextBlock block = firstVisibleBlock();
    qreal top = blockBoundingGeometry(block).translated(contentOffset()).top();
    while (block.isValid() && top <= y) {
        const qreal bottom = top + blockBoundingRect(block).height();
        if (y < bottom)
            return block.blockNumber();
        block = block.next();
        top = bottom;
    }
    return -1;
}

void SqlEditor::layoutMargins()
{
    // isHidden(), not isVisible(): the bar may be shown before the editor is.
    const bool findBarShown = !m_findBar->isHidden();
    const int bottom = findBarShown ? m_findBar->sizeHint().height() : 0;
    setViewportMargins(gutterWidth(), 0, 0, bottom);
    const QRect cr = contentsRect();
    const QRect view = viewport()->geometry();
    m_gutter->setGeometry(QRect(cr.left(), view.top(), gutterWidth(), view.height()));
    if (findBarShown)
        m_findBar->setGeometry(QRect(cr.left(), view.bottom() + 1, view.right() + 1 - cr.left(), bottom));
}

void SqlEditor::resizeEvent(QResizeEvent* event)
{
    QPlainTextEdit::resizeEvent(event);
    layoutMargins();
    if (!m_matches.isEmpty())
        updateExtraSelections(); // more lines in view
}

void SqlEditor::changeEvent(QEvent* event)
{
    QPlainTextEdit::changeEvent(event);
    if (!m_gutter || !m_findBar)
        return; // still in the constructor (setFont, setPalette)
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
        applyTheme();
    else if (event->type() == QEvent::FontChange)
        layoutMargins();
}

void SqlEditor::applyTheme()
{
    const bool dark = SqlHighlighting::isDark(palette());
    // Re-attaching re-highlights the whole document: only when light and dark swap.
    if (!m_highlighter || dark != m_highlighterDark) {
        delete m_highlighter;
        m_highlighter = SqlHighlighting::attach(document(), palette());
        m_highlighterDark = dark;
    }
    updateExtraSelections();
    m_gutter->update();
}

void SqlEditor::updateExtraSelections()
{
    QList<QTextEdit::ExtraSelection> selections;
    QTextEdit::ExtraSelection line;
    QColor color = palette().color(QPalette::Highlight);
    color.setAlpha(SqlHighlighting::isDark(palette()) ? 48 : 28);
    line.format.setBackground(color);
    line.format.setProperty(QTextFormat::FullWidthSelection, true);
    line.cursor = textCursor();
    line.cursor.clearSelection();
    selections.append(line);

    if (!m_matches.isEmpty()) {
        // A page above and below the view, so a small scroll shows them at once.
        const int lines = viewport()->height() / std::max(1, fontMetrics().height()) + 1;
        const int first = firstVisibleBlock().blockNumber();
        const QTextBlock from = document()->findBlockByNumber(std::max(0, first - lines));
        const QTextBlock to = document()->findBlockByNumber(first + 2 * lines);
        const int start = from.isValid() ? from.position() : 0;
        const int end = to.isValid() ? to.position() + to.length() : document()->characterCount();
        const int length = static_cast<int>(m_matchText.size());
        QTextEdit::ExtraSelection match;
        match.format.setBackground(matchHighlightColor());
        for (auto at = std::lower_bound(m_matches.cbegin(), m_matches.cend(), start - length + 1);
             at != m_matches.cend() && *at < end; ++at) {
            match.cursor = QTextCursor(document());
            match.cursor.setPosition(*at);
            match.cursor.setPosition(*at + length, QTextCursor::KeepAnchor);
            selections.append(match);
        }
    }
    setExtraSelections(selections);
    m_gutter->update();
}

void SqlEditor::contextMenuEvent(QContextMenuEvent* event)
{
    QMenu* menu = createStandardContextMenu(event->pos());
    menu->addSeparator();
    menu->addAction(m_findAction);
    menu->addAction(m_copyAction);
    menu->addAction(m_saveAsAction);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->popup(event->globalPos());
}

void SqlEditor::paintGutter(QWidget* gutter, const QRect& rect)
{
    QPainter painter(gutter);
    const QPalette& pal = palette();
    const bool dark = SqlHighlighting::isDark(pal);
    const QColor base = pal.color(QPalette::Base);
    const QColor text = pal.color(QPalette::Text);
    painter.fillRect(rect, blend(base, text, dark ? 0.06 : 0.04));
    const QColor numberColor = blend(base, text, 0.45);
    const int markerLeft = gutter->width() - textGap - markerStripWidth;
    const int findingLeft = markerLeft - findingStripWidth;
    const int numbersRight = findingLeft - gutterPadding;
    const int currentBlock = textCursor().blockNumber();
    painter.setFont(font());
    const int lineHeight = fontMetrics().height();

    QTextBlock block = firstVisibleBlock();
    int number = block.blockNumber();
    qreal top = blockBoundingGeometry(block).translated(contentOffset()).top();
    while (block.isValid() && top <= rect.bottom()) {
        const qreal height = blockBoundingRect(block).height();
        const qreal bottom = top + height;
        if (block.isVisible() && bottom >= rect.top()) {
            const QRectF numberRect(0, top, numbersRight, lineHeight);
            painter.setPen(number == currentBlock ? text : numberColor);
            painter.drawText(numberRect, Qt::AlignRight | Qt::AlignVCenter, QString::number(number + 1));
            if (const StatementMarker* marker = m_annotations.markerAt(number)) {
                const QColor color
                    = marker->takesStrongLock ? lockColor(dark) : outsideTransactionColor(dark);
                const bool first = number == marker->firstBlock;
                const bool last = number == marker->lastBlock;
                // A bar along the statement's lines; a dot on its first line.
                const qreal centerX = markerLeft + markerStripWidth / 2.0;
                QRectF bar(
                    centerX - 1.5, top + (first ? 2 : 0), 3, height - (first ? 2 : 0) - (last ? 2 : 0));
                painter.fillRect(bar, color);
                if (first) {
                    painter.save();
                    painter.setRenderHint(QPainter::Antialiasing);
                    painter.setPen(Qt::NoPen);
                    painter.setBrush(marker->cannotRunInTransaction ? outsideTransactionColor(dark) : color);
                    const qreal d = std::min<qreal>(markerStripWidth - 2, lineHeight - 4);
                    painter.drawEllipse(QRectF(centerX - d / 2, top + (lineHeight - d) / 2, d, d));
                    painter.restore();
                }
            }
            const FindingMarker* finding = findingMarkerAtBlock(number);
            if (finding && number == finding->firstBlock) {
                const qreal side = std::min<qreal>(findingStripWidth - 1, lineHeight - 2);
                const QRectF iconRect(
                    findingLeft + (findingStripWidth - side) / 2, top + (lineHeight - side) / 2, side, side);
                SeverityStyle::paint(painter, iconRect, finding->severity, dark, base);
            }
        }
        block = block.next();
        top = bottom;
        ++number;
    }
}

QString SqlEditor::gutterToolTip(const QPoint& pos) const
{
    return gutterToolTipAtBlock(blockAt(pos.y()));
}

QString SqlEditor::gutterToolTipAtBlock(int block) const
{
    if (block < 0)
        return QString();
    QStringList parts;
    if (const StatementMarker* marker = m_annotations.markerAt(block))
        parts.append(marker->toolTip);
    if (const FindingMarker* finding = findingMarkerAtBlock(block))
        parts.append(finding->toolTip);
    return parts.join(QLatin1Char('\n'));
}

} // namespace dbops::ui
