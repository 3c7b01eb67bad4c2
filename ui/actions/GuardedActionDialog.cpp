#include "GuardedActionDialog.h"

#include "SqlHighlighter.h"
#include "guarded/GuardedWrite.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QTabBar>
#include <QTabWidget>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <algorithm>

namespace dbops::ui {

namespace {

QLabel* wrapped(const QString& text)
{
    auto* label = new QLabel(text);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

QString bulletList(const QStringList& items, int limit = 12)
{
    if (items.isEmpty())
        return {};
    QStringList shown = items.mid(0, limit);
    QString text = QStringLiteral("• ") + shown.join(QStringLiteral("\n• "));
    if (items.size() > limit)
        text += QStringLiteral("\n… %1 more").arg(items.size() - limit);
    return text;
}

QPlainTextEdit* makeSqlView(const QString& accessibleName)
{
    auto* view = new QPlainTextEdit;
    view->setReadOnly(true);
    view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    view->setMinimumHeight(90);
    view->setAccessibleName(accessibleName);
    view->setLineWrapMode(QPlainTextEdit::NoWrap);
    SqlHighlighting::attach(view->document());
    return view;
}

QString rowsText(const AffectedObject& object)
{
    if (!object.exists)
        return QObject::tr("not in the database");
    if (object.rows < 0)
        return QObject::tr("unknown");
    const QString count = QLocale().toString(object.rows);
    return object.rowsEstimated ? QObject::tr("about %1").arg(count) : count;
}

// What the dialog opens at and asks for: fits 1366x768 less the panels.
const QSize kPreferredSize(760, 680);

} // namespace

GuardedActionDialog::GuardedActionDialog(GuardedDialogInput input, QWidget* parent)
    : QDialog(parent)
    , m_input(std::move(input))
    , m_review(m_input.review)
{
    const QString verb = m_review.actionName.left(1).toUpper() + m_review.actionName.mid(1);
    setWindowTitle(tr("%1 — %2").arg(verb, m_review.databaseName));
    setAccessibleName(tr("Confirm %1").arg(m_review.actionName));
    auto* outer = new QVBoxLayout(this);

    const bool production = m_review.isProduction();
    if (production) {
        const QString color = m_review.target.profile->color.isEmpty() ? QStringLiteral("#c62828")
                                                                       : m_review.target.profile->color;
        auto* banner
            = new QLabel(tr("PRODUCTION — profile “%1”, %2")
                             .arg(m_review.target.profile->name, m_review.target.settings.describe()));
        banner->setObjectName(QStringLiteral("productionBanner"));
        banner->setAccessibleName(tr("Production warning"));
        banner->setWordWrap(true);
        banner->setStyleSheet(QStringLiteral(
            "QLabel { background: %1; color: white; font-weight: bold; padding: 8px; border-radius: 4px; }")
                                  .arg(color));
        outer->addWidget(banner);
    }

    // Everything but the SQL and the buttons scrolls, so the dialog fits a
    // laptop screen however long the lists are.
    auto* content = new QWidget;
    auto* layout = new QVBoxLayout(content);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(buildSummary());
    if (QWidget* blockers = buildBlockers())
        layout->addWidget(blockers);
    if (!m_review.warnings.isEmpty())
        layout->addWidget(wrapped(tr("Warning: %1").arg(m_review.warnings.join(QStringLiteral("; ")))));
    if (QWidget* dropped = buildDropped())
        layout->addWidget(dropped);

    if (m_review.needsOverride()) {
        auto* warning = new QGroupBox(tr("The audit finds objects MISSING at %1").arg(m_review.auditTarget));
        auto* w = new QVBoxLayout(warning);
        w->addWidget(wrapped(tr("Stamping tells every tool these objects exist. They do not:\n%1")
                                 .arg(bulletList(m_review.missingObjects))));
        m_override = new QCheckBox(tr("Stamp anyway (override)"));
        m_reason = new QLineEdit;
        m_reason->setPlaceholderText(tr("Why? (written to the journal)"));
        m_reason->setAccessibleName(tr("Override reason"));
        w->addWidget(m_override);
        w->addWidget(m_reason);
        layout->addWidget(warning);
        connect(m_override, &QCheckBox::toggled, this, &GuardedActionDialog::updateState);
        connect(m_reason, &QLineEdit::textChanged, this, &GuardedActionDialog::updateState);
    }

    auto* checklistBox = new QGroupBox(production ? tr("Pre-migration checklist (all required on production)")
                                                  : tr("Pre-migration checklist"));
    auto* checks = new QVBoxLayout(checklistBox);
    auto* backupRow = new QHBoxLayout;
    m_backupBox = new QCheckBox(tr("Backup taken"));
    auto* backupNow = new QPushButton(tr("Back up now…"));
    backupNow->setToolTip(tr("Run pg_dump -Fc into a folder before the %1; nothing runs if the backup fails")
                              .arg(m_review.actionName));
    backupRow->addWidget(m_backupBox);
    backupRow->addStretch();
    backupRow->addWidget(backupNow);
    checks->addLayout(backupRow);
    connect(backupNow, &QPushButton::clicked, this, &GuardedActionDialog::chooseBackupDirectory);
    m_checklist.append(m_backupBox);
    m_testedBox = new QCheckBox(tr("Tested (rehearsed on a copy, or on staging)"));
    m_testedBox->setObjectName(QStringLiteral("testedBox"));
    checks->addWidget(m_testedBox);
    m_checklist.append(m_testedBox);
    if (m_review.request.action == WriteAction::Upgrade) {
        // A matching rehearsal ticks "Tested"; the label says which, or why not.
        auto* rehearsalRow = new QHBoxLayout;
        m_rehearsalLabel = new QLabel;
        m_rehearsalLabel->setObjectName(QStringLiteral("rehearsalLabel"));
        m_rehearsalLabel->setWordWrap(true);
        m_rehearse = new QPushButton(tr("Rehearse on a copy…"));
        m_rehearse->setObjectName(QStringLiteral("rehearseButton"));
        m_rehearse->setToolTip(
            tr("Run exactly this SQL on a throwaway copy of the database (schema and lookup "
               "rows), then the downgrade and the upgrade again; the database is only read"));
        rehearsalRow->addSpacing(24);
        rehearsalRow->addWidget(m_rehearsalLabel, 1);
        rehearsalRow->addWidget(m_rehearse);
        checks->addLayout(rehearsalRow);
        connect(m_rehearse, &QPushButton::clicked, this, [this] {
            m_rehearsing = true;
            m_rehearse->setEnabled(false);
            m_rehearsalLabel->setText(tr("Rehearsing on a throwaway copy …"));
            updateState();
            Q_EMIT rehearseRequested(m_review.request);
        });
    }
    for (const QString& item : { tr("Maintenance window scheduled"), tr("Users notified") }) {
        auto* box = new QCheckBox(item);
        checks->addWidget(box);
        m_checklist.append(box);
    }
    auto* rollbackBox = new QCheckBox(m_review.request.action == WriteAction::Upgrade
            ? tr("Rollback plan: back to %1 (its SQL is in the “Rollback SQL” tab)").arg(m_review.fromText)
            : tr("Rollback plan: the backup"));
    checks->addWidget(rollbackBox);
    m_checklist.append(rollbackBox);
    for (QCheckBox* box : std::as_const(m_checklist))
        connect(box, &QCheckBox::toggled, this, &GuardedActionDialog::updateState);
    layout->addWidget(checklistBox);

    if (m_review.needsTypedName()) {
        auto* confirmRow = new QFormLayout;
        m_confirmation = new QLineEdit;
        m_confirmation->setPlaceholderText(m_review.databaseName);
        m_confirmation->setAccessibleName(tr("Type the database name to confirm"));
        confirmRow->addRow(tr("Type “%1” to confirm:").arg(m_review.databaseName), m_confirmation);
        layout->addLayout(confirmRow);
        connect(m_confirmation, &QLineEdit::textChanged, this, &GuardedActionDialog::updateState);
    }
    layout->addStretch();
    auto* scroll = new QScrollArea;
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);

    // The SQL that will run, and the way back beside it, never instead of it.
    m_sqlTabs = new QTabWidget;
    m_sql = makeSqlView(tr("SQL that will run"));
    m_sqlTabs->addTab(m_sql, tr("SQL that will run"));
    if (m_input.rollbackScript) {
        m_rollbackSql = makeSqlView(tr("Rollback SQL (not run)"));
        m_sqlTabs->addTab(m_rollbackSql, tr("Rollback SQL (not run)"));
        connect(m_sqlTabs, &QTabWidget::currentChanged, this, [this](int index) {
            if (m_sqlTabs->widget(index) == m_rollbackSql && m_rollbackSql->document()->isEmpty())
                m_rollbackSql->setPlainText(m_input.rollbackScript(m_review.request).text());
        });
    }
    // The body and the SQL share the height in a splitter the person can
    // drag; neither collapses to nothing, and the buttons stay below both.
    auto* splitter = new QSplitter(Qt::Vertical);
    splitter->setObjectName(QStringLiteral("bodySqlSplitter"));
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(scroll);
    splitter->addWidget(m_sqlTabs);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    outer->addWidget(splitter, 1);

    m_why = new QLabel;
    m_why->setWordWrap(true);
    m_why->setObjectName(QStringLiteral("whyDisabled"));
    m_why->setTextInteractionFlags(Qt::TextSelectableByMouse);
    outer->addWidget(m_why);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel);
    m_actionButton = buttons->addButton(verb, QDialogButtonBox::AcceptRole);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (isActionAllowed())
            accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    outer->addWidget(buttons);

    m_sql->setPlainText(m_review.script.text());
    showRehearsalStatus();
    updateState();
    // A stamp's few lines of SQL leave the height to the body; a long
    // script gets two fifths of it.
    const int sqlLines = m_sql->document()->blockCount() + 2;
    const int sqlHeight = std::clamp(sqlLines * m_sql->fontMetrics().lineSpacing()
            + m_sqlTabs->tabBar()->sizeHint().height() + 2 * m_sql->frameWidth(),
        m_sqlTabs->minimumSizeHint().height(), 2 * kPreferredSize.height() / 5);
    splitter->setSizes({ kPreferredSize.height() - sqlHeight, sqlHeight });
    resize(initialSize(parent));
}

QSize GuardedActionDialog::sizeHint() const
{
    // The body scrolls and the SQL has a splitter: however long the lists,
    // the dialog asks for no more than a 1366x768 laptop shows.
    return QDialog::sizeHint().boundedTo(kPreferredSize).expandedTo(minimumSizeHint());
}

QSize GuardedActionDialog::initialSize(const QWidget* parent) const
{
    QSize size = kPreferredSize.expandedTo(minimumSizeHint());
    const QScreen* screen = parent ? parent->screen() : nullptr;
    if (!screen)
        screen = this->screen();
    if (screen) {
        // Leave room for the window frame: the buttons are never below the screen.
        const QSize available = screen->availableGeometry().size() - QSize(40, 60);
        size = size.boundedTo(available);
    }
    return size;
}

QWidget* GuardedActionDialog::buildSummary()
{
    auto* summary = new QGroupBox(tr("What will happen"));
    auto* form = new QFormLayout(summary);
    form->addRow(tr("Profile:"),
        wrapped(m_review.target.profile ? m_review.target.profile->name
                                        : tr("(none: %1)").arg(m_review.target.source)));
    form->addRow(tr("Host and database:"), wrapped(m_review.target.settings.describe()));
    form->addRow(
        tr("From → to:"), wrapped(QStringLiteral("%1 → %2").arg(m_review.fromText, m_review.toText)));
    const bool migration = m_review.request.action != WriteAction::Fix;
    if (migration && m_review.request.action != WriteAction::Stamp)
        form->addRow(tr("Revisions:"), wrapped(QString::number(m_review.plan.steps.size())));
    QStringList created;
    for (const AffectedObject& object : std::as_const(m_review.created))
        created.append(object.description);
    if (!created.isEmpty())
        form->addRow(tr("Creates:"), wrapped(bulletList(created)));
    if (!m_review.nonTransactionalSteps.isEmpty())
        form->addRow(tr("Outside a transaction:"), wrapped(bulletList(m_review.nonTransactionalSteps)));
    if (QWidget* locks = buildLocks())
        form->addRow(tr("Locks and risk:"), locks);

    m_mode = new QComboBox;
    m_mode->addItem(tr("One transaction, all or nothing"), QStringLiteral("all"));
    if (migration && m_review.request.action != WriteAction::Stamp)
        m_mode->addItem(tr("One transaction per revision"), QStringLiteral("per-revision"));
    m_mode->setAccessibleName(tr("Transaction mode"));
    m_mode->setCurrentIndex(m_review.request.transactionMode == TransactionMode::PerRevision ? 1 : 0);
    m_mode->setEnabled(m_mode->count() > 1);
    form->addRow(tr("Transactions:"), m_mode);
    const SqlScriptRenderer::Options options
        = GuardedWrite::renderOptions(m_review.target, m_review.request, m_review.state);
    m_lockTimeout = new QSpinBox;
    m_lockTimeout->setRange(0, 3600);
    m_lockTimeout->setSuffix(tr(" s"));
    m_lockTimeout->setSpecialValueText(tr("none"));
    m_lockTimeout->setValue(options.lockTimeoutMs / 1000);
    m_lockTimeout->setAccessibleName(tr("Lock timeout"));
    form->addRow(tr("Lock timeout:"), m_lockTimeout);
    m_statementTimeout = new QSpinBox;
    m_statementTimeout->setRange(0, 86400);
    m_statementTimeout->setSuffix(tr(" s"));
    m_statementTimeout->setSpecialValueText(tr("none"));
    m_statementTimeout->setValue(options.statementTimeoutMs / 1000);
    m_statementTimeout->setAccessibleName(tr("Statement timeout"));
    form->addRow(tr("Statement timeout:"), m_statementTimeout);
    connect(
        m_mode, qOverload<int>(&QComboBox::currentIndexChanged), this, &GuardedActionDialog::applySettings);
    connect(
        m_lockTimeout, qOverload<int>(&QSpinBox::valueChanged), this, &GuardedActionDialog::applySettings);
    connect(m_statementTimeout, qOverload<int>(&QSpinBox::valueChanged), this,
        &GuardedActionDialog::applySettings);
    return summary;
}

QWidget* GuardedActionDialog::buildDropped()
{
    if (m_review.dropped.isEmpty())
        return nullptr;
    auto* box = new QGroupBox(tr("What this drops (data in these is lost)"));
    box->setObjectName(QStringLiteral("droppedObjects"));
    auto* layout = new QVBoxLayout(box);
    m_dropped = new QTreeWidget;
    m_dropped->setRootIsDecorated(false);
    m_dropped->setHeaderLabels({ tr("Object"), tr("Rows now"), tr("Revision") });
    m_dropped->setAccessibleName(tr("Objects that will be dropped"));
    for (const AffectedObject& object : std::as_const(m_review.dropped)) {
        auto* item = new QTreeWidgetItem({ object.description,
            object.removesData ? rowsText(object) : QStringLiteral("—"), object.revision });
        item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
        m_dropped->addTopLevelItem(item);
    }
    m_dropped->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_dropped->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_dropped->header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    m_dropped->setMinimumHeight(190);
    layout->addWidget(m_dropped);
    if (m_review.needsDataLossAcceptance()) {
        m_dataLoss
            = new QCheckBox(tr("I have read this list: the data in these tables and columns will be lost"));
        m_dataLoss->setAccessibleName(tr("Accept the data loss"));
        layout->addWidget(m_dataLoss);
        connect(m_dataLoss, &QCheckBox::toggled, this, &GuardedActionDialog::updateState);
    }
    return box;
}

QWidget* GuardedActionDialog::buildLocks()
{
    const LockImpactReport& report = m_review.locks;
    if (!report.available || report.relations.isEmpty())
        return nullptr;
    m_locks = new QTreeWidget;
    m_locks->setObjectName(QStringLiteral("locksAndRisk"));
    m_locks->setRootIsDecorated(false);
    m_locks->setHeaderLabels(
        { tr("Relation"), tr("Lock"), tr("Size"), tr("Rows"), tr("Estimated time"), tr("Other sessions") });
    m_locks->setAccessibleName(tr("Locks and risk"));
    for (const RelationImpact& relation : report.relations) {
        QString lock = lockModeName(relation.request.strongest);
        if (relation.request.rewrites)
            lock += tr(", rewrites");
        else if (relation.request.scans)
            lock += tr(", scans");
        const QList<LockSession> blockers = relation.blockers();
        auto* item
            = new QTreeWidgetItem({ relation.name, lock, LiveLockImpact::bytesText(relation.totalBytes),
                relation.rows < 0 ? tr("unknown") : QLocale().toString(relation.rows),
                relation.estimatedSeconds < 0 ? QStringLiteral("—")
                                              : LiveLockImpact::durationText(relation.estimatedSeconds),
                blockers.isEmpty() ? QString::number(relation.sessions.size())
                                   : tr("%1 in the way").arg(blockers.size()) });
        QStringList tip = relation.request.statements;
        if (!relation.indexes.isEmpty())
            tip.append(tr("Indexes: %1").arg(relation.indexes.join(QStringLiteral(", "))));
        for (const LockSession& session : relation.sessions)
            tip.append(session.describe());
        item->setToolTip(0, tip.join(QLatin1Char('\n')));
        for (int column = 2; column <= 4; ++column)
            item->setTextAlignment(column, Qt::AlignRight | Qt::AlignVCenter);
        m_locks->addTopLevelItem(item);
    }
    m_locks->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    for (int column = 1; column < m_locks->columnCount(); ++column)
        m_locks->header()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    m_locks->setMinimumHeight(110);
    m_locks->setToolTip(report.bytesPerSecond > 0
            ? tr("Estimated time: a rewrite reads and writes the whole relation with its indexes, a scan "
                 "reads "
                 "the table, at %1/s measured once on this server; an estimate.")
                  .arg(LiveLockImpact::bytesText(static_cast<qint64>(report.bytesPerSecond)))
            : tr("No estimate: the server's throughput is not measured yet (no table large enough)."));
    return m_locks;
}

QWidget* GuardedActionDialog::buildBlockers()
{
    const QList<LockSession> blockers = m_review.blockers();
    if (blockers.isEmpty())
        return nullptr;
    auto* box = new QGroupBox(tr("Sessions in the way: the %1 would wait for them").arg(m_review.actionName));
    box->setObjectName(QStringLiteral("blockers"));
    auto* layout = new QVBoxLayout(box);
    QStringList lines;
    for (const LockSession& session : blockers)
        lines.append(session.describe());
    m_blockers = wrapped(bulletList(lines));
    m_blockers->setObjectName(QStringLiteral("blockerList"));
    layout->addWidget(m_blockers);
    m_ignoreBlockers = new QCheckBox(tr("Run although these sessions hold locks"));
    m_ignoreBlockers->setToolTip(tr("Each try then waits up to the lock timeout, and every query on these "
                                    "tables queues behind it meanwhile."));
    m_ignoreBlockers->setAccessibleName(tr("Run although these sessions hold locks"));
    layout->addWidget(m_ignoreBlockers);
    connect(m_ignoreBlockers, &QCheckBox::toggled, this, &GuardedActionDialog::updateState);
    return box;
}

WriteRequest GuardedActionDialog::chosenRequest() const
{
    WriteRequest request = m_review.request;
    request.transactionMode = m_mode->currentData().toString() == QLatin1String("per-revision")
        ? TransactionMode::PerRevision
        : TransactionMode::All;
    request.lockTimeoutSeconds = m_lockTimeout->value();
    request.statementTimeoutSeconds = m_statementTimeout->value();
    return request;
}

void GuardedActionDialog::applySettings()
{
    if (!m_input.withSettings)
        return;
    m_review = m_input.withSettings(chosenRequest());
    m_sql->setPlainText(m_review.script.text());
    showRehearsalStatus();
    if (m_rollbackSql) {
        // The way back with the same settings, rendered again when shown.
        m_rollbackSql->clear();
        if (m_sqlTabs->currentWidget() == m_rollbackSql)
            m_rollbackSql->setPlainText(m_input.rollbackScript(m_review.request).text());
    }
    updateState();
}

void GuardedActionDialog::setBackupDirectory(const QString& directory)
{
    WriteRequest request = chosenRequest();
    request.backupDirectory = directory;
    if (m_input.withSettings)
        m_review = m_input.withSettings(request);
    else
        m_review.request.backupDirectory = directory;
    m_backupBox->setText(tr("Backup: pg_dump -Fc into %1 before the run").arg(directory));
    m_backupBox->setChecked(true);
    updateState();
}

void GuardedActionDialog::chooseBackupDirectory()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Folder for the pg_dump backup"));
    if (!dir.isEmpty())
        setBackupDirectory(dir);
}

WriteAnswers GuardedActionDialog::answers() const
{
    WriteAnswers answers;
    answers.typedDatabaseName = m_confirmation ? m_confirmation->text() : QString();
    answers.force = m_override && m_override->isChecked();
    answers.overrideReason = m_reason ? m_reason->text().trimmed() : QString();
    answers.dataLossAccepted = m_dataLoss && m_dataLoss->isChecked();
    answers.ignoreBlockers = m_ignoreBlockers && m_ignoreBlockers->isChecked();
    return answers;
}

QStringList GuardedActionDialog::refusalTexts() const
{
    QStringList texts;
    const ErrorList refusals = GuardedWrite::refusals(m_review, answers());
    for (const Error& error : refusals)
        texts.append(error.toString());
    return texts;
}

bool GuardedActionDialog::isActionAllowed() const
{
    if (!refusalTexts().isEmpty() || m_rehearsing)
        return false;
    // The team's runbook: on production every item is ticked.  The CLI's
    // counterpart is the typed --confirm, which the core checks above.
    if (m_review.isProduction()) {
        for (const QCheckBox* box : m_checklist) {
            if (!box->isChecked())
                return false;
        }
    }
    return true;
}

void GuardedActionDialog::showRehearsalStatus()
{
    if (!m_rehearsalLabel)
        return;
    const RehearsalStatus& status = m_review.rehearsal;
    m_rehearsalLabel->setText(status.text.isEmpty() ? tr("Not rehearsed yet.") : status.text);
    QPalette palette = m_rehearsalLabel->palette();
    palette.setColor(QPalette::WindowText,
        status.failed ? QColor(0xc6, 0x28, 0x28) : this->palette().color(QPalette::WindowText));
    m_rehearsalLabel->setPalette(palette);
    if (status.tested)
        m_testedBox->setChecked(true);
}

void GuardedActionDialog::showRehearsal(const RehearsalReport& rehearsal)
{
    m_rehearsing = false;
    m_rehearse->setEnabled(true);
    // The core says what the rehearsal means for this write (and refuses
    // when this exact SQL failed on the copy).
    m_review = GuardedWrite::withRehearsal(m_review, rehearsal);
    showRehearsalStatus();
    updateState();
}

void GuardedActionDialog::showRehearsalError(const QString& message)
{
    m_rehearsing = false;
    m_rehearse->setEnabled(true);
    m_rehearsalLabel->setText(tr("The rehearsal could not be made: %1").arg(message));
    updateState();
}

void GuardedActionDialog::updateState()
{
    const QStringList refusals = refusalTexts();
    bool checklistDone = true;
    for (const QCheckBox* box : std::as_const(m_checklist))
        checklistDone = checklistDone && box->isChecked();
    m_actionButton->setEnabled(isActionAllowed());
    QStringList why = refusals;
    if (refusals.isEmpty() && m_review.isProduction() && !checklistDone)
        why.append(tr("Production: tick every checklist item."));
    m_why->setText(why.join(QLatin1Char('\n')));
    m_why->setVisible(!why.isEmpty());
}

} // namespace dbops::ui
