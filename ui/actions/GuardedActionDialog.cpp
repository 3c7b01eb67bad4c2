#include "GuardedActionDialog.h"

#include "SqlHighlighter.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QStyle>
#include <QVBoxLayout>

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

} // namespace

GuardedActionDialog::GuardedActionDialog(GuardedAction action, QWidget* parent)
    : QDialog(parent)
    , m_action(std::move(action))
{
    const QString verb = m_action.action.left(1).toUpper() + m_action.action.mid(1);
    setWindowTitle(tr("%1 — %2").arg(verb, databaseName()));
    setAccessibleName(tr("Confirm %1").arg(m_action.action));
    auto* layout = new QVBoxLayout(this);

    const bool production = m_action.target.isProduction();
    if (production) {
        const QString color = m_action.target.profile->color.isEmpty() ? QStringLiteral("#c62828")
                                                                       : m_action.target.profile->color;
        auto* banner
            = new QLabel(tr("PRODUCTION — profile “%1”, %2")
                             .arg(m_action.target.profile->name, m_action.target.settings.describe()));
        banner->setObjectName(QStringLiteral("productionBanner"));
        banner->setAccessibleName(tr("Production warning"));
        banner->setStyleSheet(QStringLiteral(
            "QLabel { background: %1; color: white; font-weight: bold; padding: 8px; border-radius: 4px; }")
                                  .arg(color));
        layout->addWidget(banner);
    }

    auto* summary = new QGroupBox(tr("What will happen"));
    auto* form = new QFormLayout(summary);
    form->addRow(tr("Profile:"),
        wrapped(m_action.target.profile ? m_action.target.profile->name
                                        : tr("(none: %1)").arg(m_action.target.source)));
    form->addRow(tr("Host and database:"), wrapped(m_action.target.settings.describe()));
    form->addRow(
        tr("From → to:"), wrapped(QStringLiteral("%1 → %2").arg(m_action.fromText, m_action.toText)));
    if (!m_action.action.startsWith(QLatin1String("fix")))
        form->addRow(tr("Revisions:"), wrapped(QString::number(m_action.plan.steps.size())));
    if (!m_action.objectChanges.isEmpty())
        form->addRow(tr("Objects:"), wrapped(bulletList(m_action.objectChanges)));
    if (!m_action.nonTransactionalSteps.isEmpty())
        form->addRow(tr("Outside a transaction:"), wrapped(bulletList(m_action.nonTransactionalSteps)));

    m_mode = new QComboBox;
    m_mode->addItem(tr("One transaction, all or nothing"), QStringLiteral("all"));
    m_mode->addItem(tr("One transaction per revision"), QStringLiteral("per-revision"));
    m_mode->setAccessibleName(tr("Transaction mode"));
    m_mode->setCurrentIndex(m_action.renderOptions.transactionMode == TransactionMode::PerRevision ? 1 : 0);
    form->addRow(tr("Transactions:"), m_mode);
    m_lockTimeout = new QSpinBox;
    m_lockTimeout->setRange(0, 3600);
    m_lockTimeout->setSuffix(tr(" s"));
    m_lockTimeout->setSpecialValueText(tr("none"));
    m_lockTimeout->setValue(m_action.renderOptions.lockTimeoutMs / 1000);
    m_lockTimeout->setAccessibleName(tr("Lock timeout"));
    form->addRow(tr("Lock timeout:"), m_lockTimeout);
    m_statementTimeout = new QSpinBox;
    m_statementTimeout->setRange(0, 86400);
    m_statementTimeout->setSuffix(tr(" s"));
    m_statementTimeout->setSpecialValueText(tr("none"));
    m_statementTimeout->setValue(m_action.renderOptions.statementTimeoutMs / 1000);
    m_statementTimeout->setAccessibleName(tr("Statement timeout"));
    form->addRow(tr("Statement timeout:"), m_statementTimeout);
    layout->addWidget(summary);

    if (!m_action.missingObjects.isEmpty()) {
        auto* warning = new QGroupBox(tr("The audit finds objects MISSING at the stamp target"));
        auto* w = new QVBoxLayout(warning);
        w->addWidget(wrapped(tr("Stamping tells every tool these objects exist. They do not:\n%1")
                                 .arg(bulletList(m_action.missingObjects))));
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
    backupNow->setToolTip(tr("Run pg_dump -Fc into a folder before the %1; the run stops if the backup fails")
                              .arg(m_action.action));
    backupRow->addWidget(m_backupBox);
    backupRow->addStretch();
    backupRow->addWidget(backupNow);
    checks->addLayout(backupRow);
    connect(backupNow, &QPushButton::clicked, this, &GuardedActionDialog::chooseBackupDirectory);
    m_checklist.append(m_backupBox);
    for (const QString& item :
        { tr("Tested on staging"), tr("Maintenance window scheduled"), tr("Users notified") }) {
        auto* box = new QCheckBox(item);
        checks->addWidget(box);
        m_checklist.append(box);
    }
    auto* rollbackRow = new QHBoxLayout;
    auto* rollbackBox = new QCheckBox(
        tr("Rollback plan: back to %1")
            .arg(m_action.rollbackTarget.isEmpty() ? tr("the backup") : m_action.rollbackTarget));
    rollbackRow->addWidget(rollbackBox);
    rollbackRow->addStretch();
    m_checklist.append(rollbackBox);
    if (m_action.rollbackScript) {
        auto* preview = new QPushButton(tr("Preview rollback SQL"));
        rollbackRow->addWidget(preview);
        connect(preview, &QPushButton::clicked, this, [this] {
            const RenderedScript script = m_action.rollbackScript();
            m_sql->setPlainText(script.text());
            m_sql->parentWidget()->setVisible(true);
        });
    }
    checks->addLayout(rollbackRow);
    for (QCheckBox* box : std::as_const(m_checklist))
        connect(box, &QCheckBox::toggled, this, &GuardedActionDialog::updateState);
    layout->addWidget(checklistBox);

    if (production) {
        auto* confirmRow = new QFormLayout;
        m_confirmation = new QLineEdit;
        m_confirmation->setPlaceholderText(databaseName());
        m_confirmation->setAccessibleName(tr("Type the database name to confirm"));
        confirmRow->addRow(tr("Type “%1” to confirm:").arg(databaseName()), m_confirmation);
        layout->addLayout(confirmRow);
        connect(m_confirmation, &QLineEdit::textChanged, this, &GuardedActionDialog::updateState);
    }

    auto* sqlBox = new QGroupBox(tr("SQL that will run"));
    auto* sqlLayout = new QVBoxLayout(sqlBox);
    m_sql = new QPlainTextEdit;
    m_sql->setReadOnly(true);
    m_sql->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_sql->setMinimumHeight(160);
    m_sql->setAccessibleName(tr("SQL that will run"));
    SqlHighlighting::attach(m_sql->document());
    sqlLayout->addWidget(m_sql);
    layout->addWidget(sqlBox, 1);

    m_why = new QLabel;
    m_why->setWordWrap(true);
    m_why->setObjectName(QStringLiteral("whyDisabled"));
    layout->addWidget(m_why);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel);
    m_actionButton = buttons->addButton(verb, QDialogButtonBox::AcceptRole);
    m_actionButton->setIcon(
        style()->standardIcon(production ? QStyle::SP_MessageBoxWarning : QStyle::SP_DialogApplyButton));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);

    connect(m_mode, qOverload<int>(&QComboBox::currentIndexChanged), this, &GuardedActionDialog::rerender);
    connect(m_lockTimeout, qOverload<int>(&QSpinBox::valueChanged), this, &GuardedActionDialog::rerender);
    connect(
        m_statementTimeout, qOverload<int>(&QSpinBox::valueChanged), this, &GuardedActionDialog::rerender);
    rerender();
    updateState();
    resize(720, 820);
}

QString GuardedActionDialog::databaseName() const
{
    const QString name = m_action.target.settings.value(QStringLiteral("dbname"));
    if (!name.isEmpty())
        return name;
    return m_action.target.profile ? m_action.target.profile->database : QString();
}

SqlScriptRenderer::Options GuardedActionDialog::renderOptions() const
{
    SqlScriptRenderer::Options options = m_action.renderOptions;
    options.transactionMode = m_mode->currentData().toString() == QLatin1String("per-revision")
        ? TransactionMode::PerRevision
        : TransactionMode::All;
    options.lockTimeoutMs = m_lockTimeout->value() * 1000;
    options.statementTimeoutMs = m_statementTimeout->value() * 1000;
    return options;
}

void GuardedActionDialog::rerender()
{
    if (!m_action.render)
        return;
    m_script = m_action.render(renderOptions());
    m_sql->setPlainText(m_script.text());
}

void GuardedActionDialog::chooseBackupDirectory()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Folder for the pg_dump backup"));
    if (dir.isEmpty())
        return;
    m_backupDirectory = dir;
    m_backupBox->setText(tr("Backup: pg_dump -Fc into %1 before the run").arg(dir));
    m_backupBox->setChecked(true);
}

QString GuardedActionDialog::overrideReason() const
{
    return m_reason ? m_reason->text().trimmed() : QString();
}

bool GuardedActionDialog::isActionAllowed() const
{
    if (m_action.target.isReadOnly())
        return false;
    if (m_override && (!m_override->isChecked() || overrideReason().size() < 8))
        return false;
    if (m_action.target.isProduction()) {
        for (const QCheckBox* box : m_checklist) {
            if (!box->isChecked())
                return false;
        }
        if (!m_confirmation || m_confirmation->text() != databaseName())
            return false;
    }
    return true;
}

void GuardedActionDialog::updateState()
{
    const bool allowed = isActionAllowed();
    m_actionButton->setEnabled(allowed);
    QString why;
    if (m_action.target.isReadOnly())
        why = tr("The profile is read-only: nothing can be written.");
    else if (m_override && !m_override->isChecked())
        why = tr("Objects are MISSING: tick the override and write why, or run the upgrade instead.");
    else if (m_override && overrideReason().size() < 8)
        why = tr("Write a reason of at least a few words for the override.");
    else if (!allowed)
        why = tr("Production: tick every checklist item and type the database name.");
    m_why->setText(why);
    m_why->setVisible(!why.isEmpty());
}

} // namespace dbops::ui
