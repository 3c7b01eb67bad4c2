#include "SqlPreviewPanel.h"

#include "FindingsModel.h"
#include "SqlEditor.h"
#include "SqlHighlighter.h"
#include "lint/ScriptLint.h"
#include "migrations/RevisionGraph.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QHash>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QPainter>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>
#include <algorithm>

namespace dbops::ui {

namespace {

constexpr int StepIndexRole = Qt::UserRole + 1;
constexpr int RevisionRole = Qt::UserRole + 2;

// A small round icon in the marker's colour, so steps that need care stand
// out in the outline without reading every tooltip.
QIcon markerIcon(const QColor& color)
{
    QPixmap pixmap(12, 12);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(color);
    painter.drawEllipse(QRectF(2, 2, 8, 8));
    return QIcon(pixmap);
}

} // namespace

SqlPreviewPanel::SqlPreviewPanel(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);

    m_editor = new SqlEditor(this);
    m_toolBar = new QToolBar(tr("SQL preview"), this);
    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toolBar->setIconSize(QSize(16, 16));
    m_toolBar->addAction(m_editor->findAction());
    m_toolBar->addAction(m_editor->copyAction());
    m_toolBar->addAction(m_editor->saveAsAction());
    auto* spacer = new QWidget(m_toolBar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    m_toolBar->addWidget(spacer);
    m_summary = new QLabel(m_toolBar);
    m_summary->setContentsMargins(6, 0, 6, 0);
    m_summary->setAccessibleName(tr("Statements that need care"));
    m_toolBar->addWidget(m_summary);

    auto* headingRow = new QHBoxLayout;
    headingRow->setContentsMargins(8, 6, 8, 4);
    headingRow->setSpacing(8);
    m_heading = new QLabel(this);
    m_heading->setTextFormat(Qt::PlainText);
    m_heading->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_heading->setAccessibleName(tr("What the SQL preview shows"));
    QFont headingFont = m_heading->font();
    headingFont.setBold(true);
    m_heading->setFont(headingFont);
    headingRow->addWidget(m_heading, 1);
    m_backToPlan = new QPushButton(tr("&Back to the plan"), this);
    m_backToPlan->setToolTip(tr("Show the pending upgrade again"));
    m_backToPlan->hide();
    connect(m_backToPlan, &QPushButton::clicked, this, &SqlPreviewPanel::backToPlanRequested);
    headingRow->addWidget(m_backToPlan);

    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_outline = new QListWidget(m_splitter);
    m_outline->setAccessibleName(tr("Steps of the script"));
    m_outline->setToolTip(tr("Steps of the script; click one to jump to it"));
    m_outline->setUniformItemSizes(true);
    // Long messages are elided at the list's edge rather than scrolled to.
    m_outline->setTextElideMode(Qt::ElideRight);
    m_outline->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_outline->setResizeMode(QListView::Adjust);
    m_splitter->addWidget(m_outline);

    m_editorSplitter = new QSplitter(Qt::Vertical, m_splitter);
    m_editorSplitter->addWidget(m_editor);
    auto* findingsPane = new QWidget(m_editorSplitter);
    auto* findingsLayout = new QVBoxLayout(findingsPane);
    findingsLayout->setContentsMargins(0, 4, 0, 0);
    findingsLayout->setSpacing(2);
    m_findingsHeading = new QLabel(findingsPane);
    m_findingsHeading->setContentsMargins(8, 0, 8, 0);
    m_findingsHeading->setFont(headingFont);
    m_findingsHeading->setAccessibleName(tr("Lint findings count"));
    m_findingsModel = new FindingsModel(this);
    m_findingsModel->setPalette(palette());
    m_findingsView = new QTableView(findingsPane);
    m_findingsView->setModel(m_findingsModel);
    m_findingsView->setAccessibleName(tr("Lint findings"));
    m_findingsView->setToolTip(tr("What the linter found in the statements shown; click one to jump to it"));
    m_findingsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_findingsView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_findingsView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_findingsView->setWordWrap(false);
    m_findingsView->setTextElideMode(Qt::ElideRight);
    m_findingsView->verticalHeader()->hide();
    m_findingsView->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_findingsView->verticalHeader()->setDefaultSectionSize(m_findingsView->fontMetrics().height() + 6);
    m_findingsView->horizontalHeader()->setStretchLastSection(true);
    m_findingsView->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    findingsLayout->addWidget(m_findingsHeading);
    findingsLayout->addWidget(m_findingsView, 1);
    m_editorSplitter->addWidget(findingsPane);
    m_editorSplitter->setStretchFactor(0, 3);
    m_editorSplitter->setStretchFactor(1, 1);
    m_editorSplitter->setCollapsible(0, false);
    m_splitter->addWidget(m_editorSplitter);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setSizes({ 300, 900 });
    m_splitter->setCollapsible(1, false);

    layout->addLayout(headingRow);
    layout->addWidget(m_toolBar);
    layout->addWidget(m_splitter, 1);

    auto activate = [this](QListWidgetItem* item) {
        if (!item)
            return;
        const int step = item->data(StepIndexRole).toInt();
        m_editor->goToRevision(step);
        Q_EMIT stepActivated(step, item->data(RevisionRole).toString());
    };
    connect(m_outline, &QListWidget::itemClicked, this, activate);
    connect(m_outline, &QListWidget::itemActivated, this, activate);
    connect(m_editor, &QPlainTextEdit::cursorPositionChanged, this, &SqlPreviewPanel::followCursor);
    connect(m_findingsView, &QAbstractItemView::clicked, this, &SqlPreviewPanel::jumpToFinding);
    connect(m_findingsView, &QAbstractItemView::activated, this, &SqlPreviewPanel::jumpToFinding);
    rebuildFindings(nullptr);
}

void SqlPreviewPanel::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && m_findingsModel)
        m_findingsModel->setPalette(palette());
}

void SqlPreviewPanel::jumpToFinding(const QModelIndex& index)
{
    if (!index.isValid())
        return;
    const PreviewFinding& finding = m_findingsModel->findings().at(index.row());
    m_editor->selectInBlock(finding.block, finding.column, 0);
    m_editor->setFocus(Qt::OtherFocusReason);
}

void SqlPreviewPanel::rebuildFindings(const RevisionGraph* graph)
{
    const RenderedScript& script = m_editor->script();
    const ScriptAnnotations& annotations = m_editor->annotations();
    PreviewFindingList findings;
    if (!script.items.isEmpty()) {
        const ScriptFindingList found = ScriptLint::lint(script, graph, m_lintConfig);
        findings.reserve(found.size());
        for (const ScriptFinding& placed : found) {
            const ScriptItem& item = script.items.at(placed.itemIndex);
            PreviewFinding finding;
            finding.finding = placed.finding;
            finding.statementFirstBlock = annotations.itemBlocks().at(placed.itemIndex);
            finding.statementLastBlock
                = finding.statementFirstBlock + ScriptAnnotations::countBlockBreaks(item.sql);
            finding.block
                = std::min(finding.statementFirstBlock + placed.lineInItem, finding.statementLastBlock);
            finding.column = placed.columnInLine;
            const StatementLock lock = annotations.lockOf(placed.itemIndex);
            finding.lockMode = lock.mode;
            finding.relation = lock.relation;
            finding.relationCreatedInTransaction = lock.createdInTransaction;
            findings.append(finding);
        }
    }
    m_findingsModel->setFindings(findings);
    m_editor->setFindingMarkers(m_findingsModel->markers());
    m_findingsHeading->setText(findingsHeadingText());
    if (!findings.isEmpty()) {
        m_findingsView->resizeColumnsToContents();
        // Long statements and lock notes are elided: the message and safe form matter more.
        const QList<QPair<int, int>> maxWidths { { FindingsModel::StatementColumn, 200 },
            { FindingsModel::LockColumn, 260 }, { FindingsModel::MessageColumn, 420 } };
        for (const auto& [column, width] : maxWidths)
            m_findingsView->setColumnWidth(column, std::min(m_findingsView->columnWidth(column), width));
    }
}

QString SqlPreviewPanel::findingsHeadingText() const
{
    const int count = m_findingsModel->rowCount();
    if (count == 0)
        return tr("No findings");
    const int errors = m_findingsModel->errorCount();
    if (errors == 0)
        return tr("Findings (%1)").arg(count);
    return errors == 1 ? tr("Findings (%1, 1 error)").arg(count)
                       : tr("Findings (%1, %2 errors)").arg(count).arg(errors);
}

void SqlPreviewPanel::followCursor()
{
    // Outline rows are the outline entries, in line order: a binary search.
    const QList<OutlineEntry> entries = m_editor->outline();
    const int block = m_editor->textCursor().blockNumber();
    auto it = std::upper_bound(entries.cbegin(), entries.cend(), block,
        [](int b, const OutlineEntry& entry) { return b < entry.blockNumber; });
    const int row = static_cast<int>(it - entries.cbegin()) - 1;
    if (row < 0 || row >= m_outline->count()) {
        m_outline->setCurrentRow(-1);
        return;
    }
    if (m_outline->currentRow() != row) {
        m_outline->setCurrentRow(row);
        m_outline->scrollToItem(m_outline->item(row));
    }
}

void SqlPreviewPanel::setScript(const RenderedScript& script, const RevisionGraph* graph)
{
    m_editor->setScript(script);
    rebuildOutline(graph);
    rebuildFindings(graph);
}

void SqlPreviewPanel::setHeading(const QString& text, bool offerBackToPlan)
{
    m_heading->setText(text);
    m_backToPlan->setVisible(offerBackToPlan);
}

QString SqlPreviewPanel::headingText() const
{
    return m_heading->text();
}

void SqlPreviewPanel::clearScript()
{
    setScript(RenderedScript());
}

void SqlPreviewPanel::rebuildOutline(const RevisionGraph* graph)
{
    const RenderedScript& script = m_editor->script();
    const bool dark = SqlHighlighting::isDark(palette());
    // Per step: does any of its statements take a strong lock / refuse a transaction?
    QHash<int, bool> stepTakesLock;
    QHash<int, QStringList> stepNotes;
    int locks = 0;
    int outside = 0;
    for (const StatementMarker& marker : m_editor->markers()) {
        const int step = script.items.at(marker.itemIndex).stepIndex;
        stepTakesLock[step] = stepTakesLock.value(step) || marker.takesStrongLock;
        stepNotes[step].append(marker.toolTip);
        locks += marker.takesStrongLock ? 1 : 0;
        outside += marker.cannotRunInTransaction ? 1 : 0;
    }
    const QIcon lockIcon = markerIcon(dark ? QColor(0xff, 0x6b, 0x5e) : QColor(0xd0, 0x3b, 0x2f));
    const QIcon outsideIcon = markerIcon(dark ? QColor(0xff, 0xb3, 0x40) : QColor(0xc7, 0x7c, 0x02));
    const QIcon noIcon = markerIcon(Qt::transparent); // keeps every id in the same column

    m_outline->clear();
    const QList<OutlineEntry> entries = m_editor->outline();
    for (const OutlineEntry& entry : entries) {
        QString text = entry.revision;
        if (graph && graph->contains(entry.revision))
            text += QStringLiteral("  ") + graph->revision(entry.revision).message;
        auto* item = new QListWidgetItem(text, m_outline);
        item->setData(StepIndexRole, entry.stepIndex);
        item->setData(RevisionRole, entry.revision);
        QString toolTip = entry.title;
        item->setIcon(noIcon);
        if (stepNotes.contains(entry.stepIndex)) {
            item->setIcon(stepTakesLock.value(entry.stepIndex) ? lockIcon : outsideIcon);
            toolTip += QLatin1Char('\n') + stepNotes.value(entry.stepIndex).join(QLatin1Char('\n'));
        }
        item->setToolTip(toolTip);
    }

    QStringList summary;
    // Spelled out rather than "%n statement(s)": without a translation
    // loaded, Qt would show the "(s)" as written.
    if (locks == 1)
        summary.append(tr("1 statement takes a strong lock"));
    else if (locks > 1)
        summary.append(tr("%1 statements take strong locks").arg(locks));
    if (outside == 1)
        summary.append(tr("1 statement runs outside a transaction"));
    else if (outside > 1)
        summary.append(tr("%1 statements run outside a transaction").arg(outside));
    m_summary->setText(summary.join(QStringLiteral(" · ")));
    followCursor();
}

QString SqlPreviewPanel::summaryText() const
{
    return m_summary->text();
}

} // namespace dbops::ui
