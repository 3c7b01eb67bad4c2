#include "RecoveryPanel.h"

#include "MonospaceFont.h"
#include "PanelText.h"
#include "SqlHighlighter.h"
#include "StatusGlyph.h"
#include "catalog/DdlText.h"
#include "recover/RecoveryStep.h"

#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace dbops::ui {

namespace {

// The audit's colours (AuditModel::statusColor): the same green and amber
// mean the same "fine" and "look at this" in both tabs.
const QColor kGood(0x2e, 0x7d, 0x32);
const QColor kAttention(0xd8, 0x7a, 0x00);

enum ObjectColumn
{
    ObjectState,
    ObjectDescription,
    ObjectLine,
};

enum IndexColumn
{
    IndexName,
    IndexTable,
    IndexDefinition,
};

constexpr int kQualifiedNameRole = Qt::UserRole + 1;

bool isDark(const QPalette& palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

/// A status colour that reads as text on this palette.
QColor readable(const QColor& color, const QPalette& palette)
{
    return isDark(palette) ? color.lighter(150) : color.darker(130);
}

/// A few revisions inline ("a, b, …, z (12)"); the full list goes to the tooltip.
QString shortList(const QStringList& revisions)
{
    if (revisions.size() <= 4)
        return revisions.join(QStringLiteral(", "));
    return QStringLiteral("%1, %2, …, %3 (%4)")
        .arg(revisions.at(0), revisions.at(1), revisions.constLast())
        .arg(revisions.size());
}

QLabel* factLabel()
{
    auto* label = new QLabel;
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setWordWrap(true);
    return label;
}

QLabel* sectionTitle(const QString& text)
{
    auto* label = new QLabel(text);
    QFont font = label->font();
    font.setBold(true);
    label->setFont(font);
    return label;
}

QPlainTextEdit* readOnlyText(const QString& accessibleName)
{
    auto* edit = new QPlainTextEdit;
    edit->setReadOnly(true);
    edit->setAccessibleName(accessibleName);
    return edit;
}

} // namespace

RecoveryPanel::RecoveryPanel(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);

    auto* headlineRow = new QHBoxLayout;
    headlineRow->setSpacing(10);
    m_headlineIcon = new QLabel;
    m_headlineIcon->setFixedSize(28, 28);
    headlineRow->addWidget(m_headlineIcon, 0, Qt::AlignTop);
    auto* headlineText = new QVBoxLayout;
    headlineText->setSpacing(2);
    m_headline = factLabel();
    m_headline->setFont(PanelText::headlineFont(m_headline->font()));
    headlineText->addWidget(m_headline);
    m_database = factLabel();
    m_database->setForegroundRole(QPalette::PlaceholderText);
    headlineText->addWidget(m_database);
    headlineRow->addLayout(headlineText, 1);
    m_inspect = new QPushButton(tr("&Inspect"));
    m_inspect->setToolTip(tr("Read again what state the database is in (read-only, like dbops recover)"));
    headlineRow->addWidget(m_inspect, 0, Qt::AlignTop);
    layout->addLayout(headlineRow);

    m_stack = new QStackedWidget;
    m_placeholder = PanelText::placeholderLabel();
    m_stack->addWidget(m_placeholder);

    auto* content = new QWidget;
    auto* contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    auto* facts = new QFormLayout;
    m_lastRun = factLabel();
    m_lastError = factLabel();
    m_applied = factLabel();
    m_pending = factLabel();
    facts->addRow(tr("Last run:"), m_lastRun);
    facts->addRow(tr("Error:"), m_lastError);
    facts->addRow(tr("Applied:"), m_applied);
    facts->addRow(tr("Pending:"), m_pending);
    contentLayout->addLayout(facts);

    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    m_objectsTitle = sectionTitle(tr("Objects"));
    leftLayout->addWidget(m_objectsTitle);
    m_objects = new QTreeWidget;
    m_objects->setAccessibleName(tr("Objects of the checked revision"));
    m_objects->setRootIsDecorated(false);
    m_objects->setHeaderLabels(QStringList { tr("State"), tr("Object"), tr("Line") });
    m_objects->header()->setSectionResizeMode(ObjectDescription, QHeaderView::Stretch);
    m_objects->header()->setStretchLastSection(false);
    leftLayout->addWidget(m_objects, 3);
    leftLayout->addWidget(sectionTitle(tr("INVALID indexes")));
    m_indexes = new QTreeWidget;
    m_indexes->setAccessibleName(tr("INVALID indexes"));
    m_indexes->setRootIsDecorated(false);
    m_indexes->setHeaderLabels(QStringList { tr("Index"), tr("Table"), tr("Definition") });
    leftLayout->addWidget(m_indexes, 2);

    auto* right = new QWidget;
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(sectionTitle(tr("Next steps")));
    m_nextSteps = readOnlyText(tr("Next steps"));
    m_nextSteps->setFont(MonospaceFont::preferred());
    rightLayout->addWidget(m_nextSteps, 2);
    rightLayout->addWidget(sectionTitle(tr("What the steps run")));
    m_stepSql = readOnlyText(tr("SQL of the recovery steps"));
    m_stepSql->setFont(MonospaceFont::preferred());
    m_stepSql->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_highlighter = SqlHighlighting::attach(m_stepSql->document(), palette());
    rightLayout->addWidget(m_stepSql, 3);

    auto* splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(left);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    contentLayout->addWidget(splitter, 1);

    auto* buttons = new QHBoxLayout;
    m_resume = new QPushButton(tr("&Resume upgrade…"));
    m_rollback = new QPushButton(tr("Roll &back partial objects…"));
    m_rebuild = new QPushButton(tr("Re&build index…"));
    m_stamp = new QPushButton(tr("S&tamp…"));
    for (QPushButton* button : { m_resume, m_rollback, m_rebuild, m_stamp })
        buttons->addWidget(button);
    buttons->addStretch(1);
    contentLayout->addLayout(buttons);
    m_stack->addWidget(content);
    layout->addWidget(m_stack, 1);

    connect(m_inspect, &QPushButton::clicked, this, &RecoveryPanel::inspectRequested);
    connect(m_resume, &QPushButton::clicked, this,
        [this] { Q_EMIT writeRequested(WriteAction::Upgrade, QStringLiteral("heads")); });
    connect(m_rollback, &QPushButton::clicked, this,
        [this] { Q_EMIT writeRequested(WriteAction::Recover, RecoveryStep::rollbackPartial().target()); });
    connect(m_rebuild, &QPushButton::clicked, this, [this] {
        const QString index = selectedInvalidIndex();
        if (!index.isEmpty())
            Q_EMIT writeRequested(WriteAction::Recover, RecoveryStep::rebuildIndex(index).target());
    });
    connect(m_stamp, &QPushButton::clicked, this, [this] {
        if (m_report && !m_report->checkedRevision.isEmpty())
            Q_EMIT writeRequested(WriteAction::Stamp, m_report->checkedRevision);
    });
    connect(m_indexes, &QTreeWidget::itemSelectionChanged, this, &RecoveryPanel::updateButtons);

    showPlaceholder(tr("Connect to a database to inspect it after a failed or interrupted run."));
}

RecoveryPanel::~RecoveryPanel() = default;

void RecoveryPanel::setReport(const RecoveryReport& report)
{
    m_report = report;
    m_failed = false;
    showReport();
}

void RecoveryPanel::clearReport(const QString& placeholder)
{
    m_report.reset();
    m_failed = false;
    showPlaceholder(placeholder);
}

void RecoveryPanel::showError(const QString& message)
{
    m_report.reset();
    m_failed = true;
    showPlaceholder(tr("The inspection failed: %1").arg(message));
}

void RecoveryPanel::setBusy(bool busy)
{
    m_busy = busy;
    updateHeadline();
    updateButtons();
}

void RecoveryPanel::setInspectAvailable(bool available, const QString& reason)
{
    m_inspectAvailable = available;
    m_inspect->setToolTip(
        available ? tr("Read again what state the database is in (read-only, like dbops recover)") : reason);
    updateButtons();
}

void RecoveryPanel::setWriteAllowed(bool allowed)
{
    m_writeAllowed = allowed;
    updateButtons();
}

QString RecoveryPanel::headlineText() const
{
    return m_report ? m_headline->text() : QString();
}

QString RecoveryPanel::selectedInvalidIndex() const
{
    const QList<QTreeWidgetItem*> selected = m_indexes->selectedItems();
    return selected.isEmpty() ? QString()
                              : selected.constFirst()->data(IndexName, kQualifiedNameRole).toString();
}

void RecoveryPanel::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && m_stepSql) {
        // The highlighter's and the headline's colours are chosen for a palette.
        delete m_highlighter;
        m_highlighter = SqlHighlighting::attach(m_stepSql->document(), palette());
        if (m_report)
            showReport();
    }
}

void RecoveryPanel::showPlaceholder(const QString& text)
{
    m_placeholder->setText(text);
    m_stack->setCurrentWidget(m_placeholder);
    m_objects->clear();
    m_indexes->clear();
    m_nextSteps->clear();
    m_stepSql->clear();
    updateHeadline();
    updateButtons();
}

void RecoveryPanel::showReport()
{
    const RecoveryReport& report = *m_report;
    m_database->setText(tr("%1 · version table %2").arg(report.database, report.versionTable));

    if (report.lastRun) {
        const JournalRecord& run = *report.lastRun;
        QString text = tr("%1 %2 at %3")
                           .arg(run.action, run.outcome,
                               QLocale().toString(run.startedAt.toLocalTime(), QLocale::ShortFormat));
        if (!run.transactionMode.isEmpty())
            text += QStringLiteral(" (%1)").arg(run.transactionMode);
        if (!report.failedRevision.isEmpty())
            text += tr(", stopped at %1").arg(report.failedRevision);
        m_lastRun->setText(text);
        m_lastError->setText(run.error.isEmpty() ? tr("none") : run.error.section(QLatin1Char('\n'), 0, 0));
        m_lastError->setToolTip(run.error);
    } else {
        m_lastRun->setText(tr("none in the journal for this database"));
        m_lastError->setText(tr("none"));
        m_lastError->setToolTip(QString());
    }
    if (!report.versionTableExists)
        m_applied->setText(tr("none (no %1 table)").arg(report.versionTable));
    else
        m_applied->setText(
            report.appliedRevisions.isEmpty() ? tr("none (base)") : shortList(report.appliedRevisions));
    m_applied->setToolTip(report.appliedRevisions.join(QLatin1Char('\n')));
    if (!report.planProblem.isEmpty())
        m_pending->setText(tr("unknown: %1").arg(report.planProblem));
    else
        m_pending->setText(
            report.pendingRevisions.isEmpty() ? tr("none") : shortList(report.pendingRevisions));
    m_pending->setToolTip(report.pendingRevisions.join(QLatin1Char('\n')));

    // The checked revision's objects: what exists is what a failed run left.
    const QPalette& colors = palette();
    const QIcon leftOver = StatusGlyph::icon(StatusGlyph::Shape::Exclamation, kAttention);
    m_objectsTitle->setText(report.checkedRevision.isEmpty()
            ? tr("Objects: nothing is pending, so no revision is checked")
            : tr("Objects %1 creates (%2)")
                  .arg(report.checkedRevision,
                      report.hasPartialRevision() ? tr("PARTIAL: some exist already")
                                                  : tr("none exists yet")));
    m_objects->clear();
    for (const RecoveryObject& object : report.checkedObjects) {
        auto* item = new QTreeWidgetItem(m_objects);
        item->setText(ObjectState, object.exists ? tr("EXISTS") : tr("missing"));
        item->setText(ObjectDescription, object.change.describe());
        item->setText(ObjectLine, QString::number(object.line));
        item->setTextAlignment(ObjectLine, Qt::AlignRight | Qt::AlignVCenter);
        item->setToolTip(ObjectDescription,
            object.dropStatement.isEmpty() ? tr("cannot be dropped by name") : object.dropStatement);
        if (object.exists) {
            item->setIcon(ObjectState, leftOver);
            item->setForeground(ObjectState, readable(kAttention, colors));
            QFont bold = item->font(ObjectState);
            bold.setBold(true);
            item->setFont(ObjectState, bold);
        } else {
            item->setForeground(ObjectState, colors.brush(QPalette::Disabled, QPalette::Text));
        }
    }
    m_objects->resizeColumnToContents(ObjectState);
    m_objects->resizeColumnToContents(ObjectLine);

    const QString previousIndex = selectedInvalidIndex();
    m_indexes->clear();
    for (const InvalidIndex& index : report.invalidIndexes) {
        const QString qualified = DdlText::qualified(index.schema, index.name);
        auto* item = new QTreeWidgetItem(m_indexes);
        item->setText(IndexName, qualified);
        item->setData(IndexName, kQualifiedNameRole, qualified);
        item->setIcon(IndexName, leftOver);
        item->setText(IndexTable, index.table);
        item->setText(IndexDefinition, index.definition);
        item->setToolTip(IndexDefinition, index.definition);
        if (qualified == previousIndex || report.invalidIndexes.size() == 1)
            item->setSelected(true);
    }
    m_indexes->resizeColumnToContents(IndexName);
    m_indexes->resizeColumnToContents(IndexTable);

    QStringList steps;
    int number = 0;
    for (const QString& step : report.nextSteps()) {
        QString indented = step;
        indented.replace(QLatin1Char('\n'), QLatin1String("\n   "));
        steps.append(QStringLiteral("%1. %2").arg(++number).arg(indented));
    }
    m_nextSteps->setPlainText(steps.isEmpty() ? tr("Nothing to do: the database is at its head(s).")
                                              : steps.join(QLatin1Char('\n')));

    QStringList sql;
    if (report.hasPartialRevision()) {
        sql.append(tr("-- Roll back partial objects: what %1 left, newest first, in one transaction")
                       .arg(report.checkedRevision));
        sql.append(report.rollbackStatements());
        sql.append(QString());
    }
    for (const InvalidIndex& index : report.invalidIndexes) {
        sql.append(tr("-- Rebuild index %1 (outside a transaction)")
                       .arg(DdlText::qualified(index.schema, index.name)));
        sql.append(index.rebuildStatements());
        sql.append(QString());
    }
    m_stepSql->setPlainText(
        sql.isEmpty() ? tr("-- Nothing to roll back or rebuild.") : sql.join(QLatin1Char('\n')).trimmed());

    m_stack->setCurrentIndex(1);
    updateHeadline();
    updateButtons();
}

void RecoveryPanel::updateHeadline()
{
    if (!m_report) {
        m_headline->setText(m_busy ? tr("Inspecting…") : m_failed ? tr("Inspection failed") : QString());
        m_headline->setStyleSheet(QString());
        m_headlineIcon->clear();
        m_database->clear();
        return;
    }
    const RecoveryReport& report = *m_report;
    QString text;
    QColor color;
    StatusGlyph::Shape shape = StatusGlyph::Shape::Check;
    if (report.consistent()) {
        color = kGood;
        text = report.pendingRevisions.isEmpty()
            ? tr("Consistent: nothing is pending")
            : (report.pendingRevisions.size() == 1
                    ? tr("Consistent: the upgrade may resume (1 revision pending)")
                    : tr("Consistent: the upgrade may resume (%1 revisions pending)")
                          .arg(report.pendingRevisions.size()));
    } else {
        color = kAttention;
        shape = StatusGlyph::Shape::Exclamation;
        QStringList why;
        if (report.hasPartialRevision()) {
            int existing = 0;
            for (const RecoveryObject& object : report.checkedObjects)
                existing += object.exists ? 1 : 0;
            const QString of
                = tr("%1 of the %2 objects it creates").arg(existing).arg(report.checkedObjects.size());
            why.append((existing == 1 ? tr("%1 is partly applied (%2 exists)")
                                      : tr("%1 is partly applied (%2 exist)"))
                           .arg(report.checkedRevision, of));
        }
        if (!report.invalidIndexes.isEmpty())
            why.append(report.invalidIndexes.size() == 1
                    ? tr("1 INVALID index")
                    : tr("%1 INVALID indexes").arg(report.invalidIndexes.size()));
        text = tr("Recovery needed: %1").arg(why.join(QStringLiteral("; ")));
    }
    if (m_busy)
        text += tr(" — inspecting again…");
    m_headline->setText(text);
    m_headline->setStyleSheet(QStringLiteral("color: %1;").arg(readable(color, palette()).name()));
    m_headlineIcon->setPixmap(StatusGlyph::pixmap(shape, color, 26, devicePixelRatioF()));
}

void RecoveryPanel::updateButtons()
{
    m_inspect->setEnabled(m_inspectAvailable && !m_busy);
    const bool write = m_writeAllowed && !m_busy && m_report.has_value();
    const bool partial = m_report && m_report->hasPartialRevision();
    m_resume->setEnabled(write && !m_report->pendingRevisions.isEmpty());
    m_resume->setToolTip(partial ? tr("Upgrade to heads (guarded). Roll back the partial objects first: the "
                                      "upgrade would stop at them again.")
                                 : tr("Upgrade to heads (guarded)"));
    m_rollback->setEnabled(write && partial);
    m_rollback->setToolTip(
        tr("Drop what the failed revision left, newest first, in one transaction (guarded)"));
    m_rebuild->setEnabled(write && !selectedInvalidIndex().isEmpty());
    m_rebuild->setToolTip(m_report && !m_report->invalidIndexes.isEmpty() && selectedInvalidIndex().isEmpty()
            ? tr("Select an INVALID index first")
            : tr("DROP INDEX CONCURRENTLY, then CREATE INDEX CONCURRENTLY (guarded)"));
    m_stamp->setEnabled(write && partial && !m_report->checkedRevision.isEmpty());
    m_stamp->setText(m_report && !m_report->checkedRevision.isEmpty()
            ? tr("S&tamp %1…").arg(m_report->checkedRevision)
            : tr("S&tamp…"));
    m_stamp->setToolTip(tr("Record the checked revision as applied, once every object of it is complete and "
                           "checked by hand (guarded)"));
}

} // namespace dbops::ui
