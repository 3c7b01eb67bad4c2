#include "fleet/FleetRolloutDialog.h"

#include "common/PrivateFiles.h"
#include "fleet/FleetRolloutController.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace dbops::ui {

FleetRolloutDialog::FleetRolloutDialog(const QString& group, ProfileStore store,
    std::shared_ptr<const MigrationRepository> repository, QWidget* parent)
    : QDialog(parent)
    , m_group(group)
    , m_store(std::move(store))
    , m_repository(std::move(repository))
    , m_controller(std::make_unique<FleetRolloutController>())
{
    setWindowTitle(tr("Upgrade fleet '%1'").arg(group));
    setObjectName(QStringLiteral("FleetRolloutDialog"));
    // The profiles only, no connection: the members and their flags.
    if (Result<QList<FleetMember>> members = FleetMembers::fromGroup(group, m_store))
        m_members = members.value();
    int production = 0;
    for (const FleetMember& member : std::as_const(m_members))
        production += member.target.isProduction() ? 1 : 0;

    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("Upgrades the %n database(s) of '%1' one batch after the other; each goes "
                                "through the same guards as a single upgrade (locks, timeouts, journal).",
        nullptr, static_cast<int>(m_members.size()))
                                 .arg(group));
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto* form = new QFormLayout;
    m_target = new QLineEdit(QStringLiteral("head"));
    form->addRow(tr("&Target revision:"), m_target);
    m_canaries = new QSpinBox;
    m_canaries->setRange(0, std::max(0, static_cast<int>(m_members.size())));
    m_canaries->setValue(std::min(1, m_canaries->maximum()));
    m_canaries->setToolTip(tr("Upgraded first, alone; the rest waits until they succeeded"));
    form->addRow(tr("&Canary databases:"), m_canaries);
    m_batch = new QSpinBox;
    m_batch->setRange(1, 64);
    m_batch->setValue(4);
    form->addRow(tr("&Batch size:"), m_batch);
    m_keepGoing = new QCheckBox(tr("&Keep going past a failed database"));
    form->addRow(m_keepGoing);
    m_productionLabel = new QLabel(
        tr("%n production database(s): type the group's name to confirm them all", nullptr, production));
    m_productionLabel->setWordWrap(true);
    m_confirm = new QLineEdit;
    m_confirm->setObjectName(QStringLiteral("fleetConfirm"));
    m_confirm->setPlaceholderText(group);
    form->addRow(m_productionLabel, m_confirm);
    m_dataLoss = new QCheckBox(tr("The tables and columns the upgrade drops may go (production)"));
    form->addRow(m_dataLoss);
    if (production > 0) {
        // The runbook's checklist, once per rollout (as the single upgrade's dialog asks it).
        for (const QString& item : { tr("Backups taken (or --backup per database)"),
                 tr("Rehearsed or tested on staging"), tr("Maintenance window scheduled"),
                 tr("Users notified"), tr("Rollback plan for every database") }) {
            auto* box = new QCheckBox(item);
            form->addRow(box);
            m_checklist.append(box);
            connect(box, &QCheckBox::toggled, this, &FleetRolloutDialog::updateRefusals);
        }
    }
    m_productionLabel->setVisible(production > 0);
    m_confirm->setVisible(production > 0);
    m_dataLoss->setVisible(production > 0);
    layout->addLayout(form);

    m_refusals = new QLabel;
    m_refusals->setObjectName(QStringLiteral("fleetRefusals"));
    m_refusals->setWordWrap(true);
    m_refusals->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QPalette warning = m_refusals->palette();
    warning.setColor(QPalette::WindowText, QColor(0xc6, 0x28, 0x28));
    m_refusals->setPalette(warning);
    layout->addWidget(m_refusals);

    m_log = new QPlainTextEdit;
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(5000);
    m_log->setPlaceholderText(tr("Progress appears here."));
    layout->addWidget(m_log, 1);
    m_results = new QTableWidget(0, 5);
    m_results->setObjectName(QStringLiteral("fleetResults"));
    m_results->setHorizontalHeaderLabels(
        { tr("Batch"), tr("Database"), tr("Before"), tr("After"), tr("Outcome") });
    m_results->horizontalHeader()->setStretchLastSection(true);
    m_results->verticalHeader()->hide();
    m_results->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_results->hide();
    layout->addWidget(m_results, 2);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    m_start = m_buttons->addButton(tr("&Upgrade the fleet"), QDialogButtonBox::AcceptRole);
    m_start->setObjectName(QStringLiteral("fleetStart"));
    m_cancelRun = m_buttons->addButton(tr("Cancel the &run"), QDialogButtonBox::ActionRole);
    m_cancelRun->setEnabled(false);
    m_saveReport = m_buttons->addButton(tr("&Save report…"), QDialogButtonBox::ActionRole);
    m_saveReport->setEnabled(false);
    layout->addWidget(m_buttons);

    connect(m_start, &QPushButton::clicked, this, &FleetRolloutDialog::start);
    connect(m_cancelRun, &QPushButton::clicked, m_controller.get(), &FleetRolloutController::cancel);
    connect(m_saveReport, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Save the rollout report"),
            QStringLiteral("fleet-%1.html").arg(m_group), tr("HTML (*.html)"));
        if (path.isEmpty())
            return;
        if (std::optional<Error> error = saveReport(path))
            m_log->appendPlainText(tr("The report was not saved: %1").arg(error->message));
        else
            m_log->appendPlainText(tr("Report saved to %1").arg(path));
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &FleetRolloutDialog::reject);
    for (QLineEdit* field : { m_target, m_confirm })
        connect(field, &QLineEdit::textChanged, this, &FleetRolloutDialog::updateRefusals);
    connect(
        m_canaries, QOverload<int>::of(&QSpinBox::valueChanged), this, &FleetRolloutDialog::updateRefusals);
    connect(m_batch, QOverload<int>::of(&QSpinBox::valueChanged), this, &FleetRolloutDialog::updateRefusals);
    connect(m_controller.get(), &FleetRolloutController::progress, m_log, &QPlainTextEdit::appendPlainText);
    connect(m_controller.get(), &FleetRolloutController::refused, this, [this](const ErrorList& refusals) {
        QStringList texts;
        for (const Error& error : refusals)
            texts.append(error.message);
        m_refusals->setText(texts.join(QLatin1Char('\n')));
        m_log->appendPlainText(tr("Refused: nothing ran."));
    });
    connect(m_controller.get(), &FleetRolloutController::finished, this, &FleetRolloutDialog::showReport);
    connect(m_controller.get(), &FleetRolloutController::runningChanged, this, [this](bool running) {
        m_cancelRun->setEnabled(running);
        m_buttons->button(QDialogButtonBox::Close)->setEnabled(!running);
        updateRefusals();
    });
    updateRefusals();
    resize(640, 560);
}

FleetRolloutDialog::~FleetRolloutDialog() = default;

FleetRolloutOptions FleetRolloutDialog::options() const
{
    FleetRolloutOptions o;
    o.request.action = WriteAction::Upgrade;
    o.request.target = m_target->text().trimmed();
    o.canaries = m_canaries->value();
    o.batchSize = m_batch->value();
    o.keepGoing = m_keepGoing->isChecked();
    o.fleetName = m_group;
    o.typedFleetName = m_confirm->text().trimmed();
    o.dataLossAccepted = m_dataLoss->isChecked();
    return o;
}

QString FleetRolloutDialog::refusalText() const
{
    return m_refusals->text();
}

QString FleetRolloutDialog::logText() const
{
    return m_log->toPlainText();
}

bool FleetRolloutDialog::isRunning() const
{
    return m_controller->isRunning();
}

void FleetRolloutDialog::updateRefusals()
{
    // The core's rules, asked as the answers change; the worker asks again
    // before it starts.
    QStringList texts;
    if (m_members.isEmpty())
        texts.append(tr("No profile is in the group '%1'.").arg(m_group));
    if (options().request.target.isEmpty())
        texts.append(tr("Name a target revision (head for the latest)."));
    for (const Error& error : FleetRollout::refusalsBeforeStarting(m_members, options()))
        texts.append(error.message);
    m_refusals->setText(texts.join(QLatin1Char('\n')));
    bool checklistDone = true;
    for (const QCheckBox* box : std::as_const(m_checklist))
        checklistDone = checklistDone && box->isChecked();
    m_start->setEnabled(texts.isEmpty() && checklistDone && !isRunning() && m_repository);
}

void FleetRolloutDialog::start()
{
    m_hasReport = false;
    m_results->hide();
    m_saveReport->setEnabled(false);
    m_log->clear();
    m_log->appendPlainText(tr("Upgrading the fleet '%1' to %2 …").arg(m_group, options().request.target));
    m_controller->run(m_group, m_store, m_repository, options());
}

void FleetRolloutDialog::showReport(const FleetRolloutReport& report)
{
    m_report = report;
    m_hasReport = true;
    m_results->setRowCount(static_cast<int>(report.entries.size()));
    for (int row = 0; row < report.entries.size(); ++row) {
        const FleetRolloutEntry& e = report.entries.at(row);
        const QStringList cells { e.batch == 0 ? tr("canary") : QString::number(e.batch), e.name,
            e.before.join(QStringLiteral(", ")), e.after.join(QStringLiteral(", ")),
            rolloutOutcomeName(e.outcome)
                + (e.error.isEmpty() ? QString() : QStringLiteral(": ") + e.error) };
        for (int column = 0; column < cells.size(); ++column) {
            auto* item = new QTableWidgetItem(cells.at(column));
            item->setToolTip(cells.at(column));
            m_results->setItem(row, column, item);
        }
    }
    m_results->resizeColumnsToContents();
    m_results->show();
    m_saveReport->setEnabled(true);
    m_log->appendPlainText(tr("Done: %1.").arg(report.summaryText()));
    if (report.stopped)
        m_log->appendPlainText(tr("Stopped: %1").arg(report.stoppedBecause));
    Q_EMIT rolloutFinished();
}

std::optional<Error> FleetRolloutDialog::saveReport(const QString& path) const
{
    if (!m_hasReport)
        return Error::usage(tr("no rollout has finished yet"));
    if (std::optional<Error> error = PrivateFiles::ensureFileIn(path, PrivateFiles::Folder::Chosen))
        return error;
    QFile file(path);
    const QByteArray html = m_report.toHtml().toUtf8();
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(html) != html.size())
        return Error::io(tr("cannot write the report: %1").arg(file.errorString()), path);
    return std::nullopt;
}

void FleetRolloutDialog::reject()
{
    if (isRunning())
        return; // Cancel the run first; closing must not leave it unwatched
    QDialog::reject();
}

} // namespace dbops::ui
