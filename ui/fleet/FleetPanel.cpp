#include "fleet/FleetPanel.h"

#include "fleet/FleetRolloutDialog.h"
#include "fleet/FleetStatusController.h"
#include "fleet/FleetStatusModel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QSortFilterProxyModel>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace dbops::ui {

namespace {

// The filter's entries: a label and the states it shows (a regular
// expression over the State column's text; empty: all).
struct StateFilter
{
    const char* label;
    const char* pattern;
};
const StateFilter kStateFilters[] = {
    { QT_TRANSLATE_NOOP("dbops::ui::FleetPanel", "All states"), "" },
    { QT_TRANSLATE_NOOP("dbops::ui::FleetPanel", "Needs attention"),
        "^(unreachable|failed|unknown revision|base)$" },
    { QT_TRANSLATE_NOOP("dbops::ui::FleetPanel", "Behind"), "^behind$" },
    { QT_TRANSLATE_NOOP("dbops::ui::FleetPanel", "Up to date"), "^up to date$" },
};

} // namespace

FleetPanel::FleetPanel(ProfileStore store, QWidget* parent)
    : QWidget(parent)
    , m_store(std::move(store))
    , m_controller(std::make_unique<FleetStatusController>())
    , m_model(new FleetStatusModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
{
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(FleetStatusModel::SortRole);
    m_proxy->setFilterKeyColumn(FleetStatusModel::StateColumn);

    auto* layout = new QVBoxLayout(this);
    auto* bar = new QHBoxLayout;
    auto* groupLabel = new QLabel(tr("&Group:"), this);
    m_groups = new QComboBox(this);
    m_groups->setObjectName(QStringLiteral("fleetGroups"));
    m_groups->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    groupLabel->setBuddy(m_groups);
    m_refresh = new QPushButton(tr("&Read all"), this);
    m_refresh->setObjectName(QStringLiteral("fleetRefresh"));
    m_refresh->setToolTip(tr("Connect to every database of the group at once and read where each stands"));
    m_upgrade = new QPushButton(tr("&Upgrade fleet…"), this);
    m_upgrade->setObjectName(QStringLiteral("fleetUpgrade"));
    m_upgrade->setToolTip(tr("Upgrade every database of the group: canaries first, then batches"));
    m_filter = new QComboBox(this);
    m_filter->setObjectName(QStringLiteral("fleetFilter"));
    for (const StateFilter& filter : kStateFilters)
        m_filter->addItem(tr(filter.label), QString::fromLatin1(filter.pattern));
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("fleetSummary"));
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    bar->addWidget(groupLabel);
    bar->addWidget(m_groups);
    bar->addWidget(m_refresh);
    bar->addWidget(m_upgrade);
    bar->addSpacing(12);
    bar->addWidget(m_filter);
    bar->addWidget(m_summary, 1);
    layout->addLayout(bar);

    m_stack = new QStackedWidget(this);
    m_placeholder = new QLabel(this);
    m_placeholder->setObjectName(QStringLiteral("fleetPlaceholder"));
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("fleetTable"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(FleetStatusModel::StateColumn, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setToolTip(tr("Double-click a database to open its profile"));
    m_stack->addWidget(m_placeholder);
    m_stack->addWidget(m_table);
    layout->addWidget(m_stack, 1);

    connect(m_refresh, &QPushButton::clicked, this, &FleetPanel::refresh);
    connect(m_upgrade, &QPushButton::clicked, this, &FleetPanel::openRolloutDialog);
    connect(m_groups, QOverload<int>::of(&QComboBox::activated), this, [this] { refresh(); });
    connect(m_filter, QOverload<int>::of(&QComboBox::currentIndexChanged), this, &FleetPanel::applyFilter);
    connect(m_table, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        const QString profile = index.data(FleetStatusModel::ProfileRole).toString();
        if (!profile.isEmpty())
            Q_EMIT openProfileRequested(profile);
    });
    connect(m_controller.get(), &FleetStatusController::statusRead, this, &FleetPanel::showStatuses);
    connect(m_controller.get(), &FleetStatusController::failed, this, &FleetPanel::showError);
    connect(m_controller.get(), &FleetStatusController::busyChanged, this, &FleetPanel::updateState);
    reloadGroups();
}

FleetPanel::~FleetPanel() = default;

void FleetPanel::setRepository(std::shared_ptr<const MigrationRepository> repository)
{
    m_repository = std::move(repository);
    updateState();
}

void FleetPanel::reloadGroups()
{
    const QString current = m_groups->currentText();
    QStringList groups;
    for (const ConnectionProfile& profile : m_store.profiles()) {
        for (const QString& group : profile.groups) {
            if (!groups.contains(group))
                groups.append(group);
        }
    }
    groups.sort();
    m_groups->clear();
    m_groups->addItems(groups);
    if (groups.contains(current))
        m_groups->setCurrentText(current);
    updateState();
}

void FleetPanel::selectGroup(const QString& group)
{
    m_groups->setCurrentText(group);
}

QString FleetPanel::currentGroup() const
{
    return m_groups->currentText();
}

QString FleetPanel::summaryText() const
{
    return m_summary->text();
}

bool FleetPanel::isReading() const
{
    return m_controller->isBusy();
}

void FleetPanel::refresh()
{
    if (currentGroup().isEmpty() || !m_repository)
        return;
    m_controller->readGroup(currentGroup(), m_store, m_repository);
    m_summary->setText(tr("Reading the databases of '%1' ...").arg(currentGroup()));
}

FleetRolloutDialog* FleetPanel::openRolloutDialog()
{
    if (currentGroup().isEmpty() || !m_repository)
        return nullptr;
    auto* dialog = new FleetRolloutDialog(currentGroup(), m_store, m_repository, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    // What the rollout changed shows at once in the table and on the timeline.
    connect(dialog, &FleetRolloutDialog::rolloutFinished, this, &FleetPanel::refresh);
    dialog->show();
    return dialog;
}

void FleetPanel::showStatuses(const QString& group, const QList<FleetDatabaseStatus>& statuses)
{
    m_model->setStatuses(statuses);
    m_summary->setText(tr("%1: %2").arg(group, m_model->summary()));
    m_stack->setCurrentWidget(m_table);
    m_table->resizeColumnsToContents();
    Q_EMIT fleetRead(m_model->databasesAtRevision());
    Q_EMIT readFinished();
}

void FleetPanel::showError(const Error& error)
{
    m_summary->setText(tr("Could not read the fleet: %1").arg(error.message));
    Q_EMIT readFinished();
}

void FleetPanel::applyFilter()
{
    m_proxy->setFilterRegularExpression(QRegularExpression(m_filter->currentData().toString()));
}

void FleetPanel::updateState()
{
    const bool hasGroups = m_groups->count() > 0;
    m_groups->setEnabled(hasGroups && !isReading());
    m_refresh->setEnabled(hasGroups && m_repository && !isReading());
    m_upgrade->setEnabled(hasGroups && m_repository && !isReading());
    if (!hasGroups) {
        m_placeholder->setText(
            tr("No profile belongs to a group yet.\n\nGive profiles a group in the profile "
               "dialog (Groups) or with 'dbops profile edit NAME --group GROUP'; the Fleet "
               "tab then reads every database of a group at once."));
        m_stack->setCurrentWidget(m_placeholder);
    } else if (m_model->rowCount() == 0) {
        m_placeholder->setText(
            tr("Press Read all to read every database of the group '%1' at once.").arg(currentGroup()));
        m_stack->setCurrentWidget(m_placeholder);
    }
}

} // namespace dbops::ui
