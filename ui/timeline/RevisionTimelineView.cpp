#include "RevisionTimelineView.h"

#include "MonospaceFont.h"
#include "RevisionTimelineDelegate.h"
#include "RevisionTimelineModel.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QHeaderView>
#include <QMenu>
#include <algorithm>
#include <utility>

namespace dbops::ui {

RevisionTimelineView::RevisionTimelineView(QWidget* parent)
    : QTreeView(parent)
    , m_delegate(new RevisionTimelineDelegate(this))
{
    setItemDelegate(m_delegate);
    setRootIsDecorated(false);
    setItemsExpandable(false);
    setUniformRowHeights(true); // 10,000 rows: no per-row size queries
    setAllColumnsShowFocus(true);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setTextElideMode(Qt::ElideRight);
    setAccessibleName(tr("Revision timeline"));
    setAccessibleDescription(tr("Revisions newest first, with branches, merges and where the database is"));
    header()->setStretchLastSection(false);
    header()->setSectionsMovable(false);

    m_upgradeAction = new QAction(tr("&Upgrade to here"), this);
    m_upgradeAction->setToolTip(tr("Upgrade the database to this revision"));
    m_rollbackAction = new QAction(tr("&Roll back to here"), this);
    m_rollbackAction->setToolTip(tr("Downgrade the database to this revision"));
    m_stampAction = new QAction(tr("&Stamp here"), this);
    m_stampAction->setToolTip(tr("Set the version table to this revision without running migrations"));
    m_copyIdAction = new QAction(tr("&Copy id"), this);
    m_copyIdAction->setToolTip(tr("Copy the revision id to the clipboard"));
    connect(m_upgradeAction, &QAction::triggered, this, [this] {
        if (!currentRevision().isEmpty())
            Q_EMIT upgradeRequested(currentRevision());
    });
    connect(m_rollbackAction, &QAction::triggered, this, [this] {
        if (!currentRevision().isEmpty())
            Q_EMIT rollbackRequested(currentRevision());
    });
    connect(m_stampAction, &QAction::triggered, this, [this] {
        if (!currentRevision().isEmpty())
            Q_EMIT stampRequested(currentRevision());
    });
    connect(m_copyIdAction, &QAction::triggered, this, [this] {
        if (!currentRevision().isEmpty())
            QApplication::clipboard()->setText(currentRevision());
    });
    updateActions();
}

void RevisionTimelineView::setModel(QAbstractItemModel* model)
{
    if (model == this->model())
        return;
    // Only this view's own connections: QTreeView keeps its own to the model.
    for (const QMetaObject::Connection& connection : std::as_const(m_modelConnections))
        disconnect(connection);
    m_modelConnections.clear();
    QTreeView::setModel(model);
    if (model) {
        m_modelConnections.append(connect(model, &QAbstractItemModel::modelReset, this, [this] {
            fitColumns();
            updateActions();
        }));
        m_modelConnections.append(
            connect(model, &QAbstractItemModel::dataChanged, this, &RevisionTimelineView::updateActions));
    }
    if (QItemSelectionModel* selection = selectionModel()) {
        m_modelConnections.append(connect(
            selection, &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& current) {
                updateActions();
                if (current.isValid())
                    Q_EMIT revisionSelected(current.data(RevisionTimelineModel::RevisionIdRole).toString());
            }));
    }
    fitColumns();
    updateActions();
}

RevisionTimelineModel* RevisionTimelineView::timelineModel() const
{
    return qobject_cast<RevisionTimelineModel*>(model());
}

QString RevisionTimelineView::currentRevision() const
{
    const QModelIndex current = currentIndex();
    return current.isValid() ? current.data(RevisionTimelineModel::RevisionIdRole).toString() : QString();
}

bool RevisionTimelineView::selectRevision(const QString& id)
{
    RevisionTimelineModel* timeline = timelineModel();
    const int row = timeline ? timeline->rowOfRevision(id) : -1;
    if (row < 0)
        return false;
    const QModelIndex index = timeline->index(row, RevisionTimelineModel::IdColumn);
    selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    scrollTo(index);
    return true;
}

void RevisionTimelineView::updateActions()
{
    RevisionTimelineModel* timeline = timelineModel();
    const int row = timeline && currentIndex().isValid() ? currentIndex().row() : -1;
    const bool any = row >= 0;
    for (QAction* action : { m_upgradeAction, m_rollbackAction, m_stampAction, m_copyIdAction })
        action->setEnabled(any);
    if (!any || !timeline->hasDatabaseState())
        return; // without the database's state every request is up to the window to judge
    const bool onlyCurrent = timeline->isCurrent(row) && timeline->currentHeads().size() == 1;
    m_upgradeAction->setEnabled(timeline->isPending(row));
    m_rollbackAction->setEnabled(timeline->isApplied(row) && !onlyCurrent);
    m_stampAction->setEnabled(!onlyCurrent);
}

void RevisionTimelineView::contextMenuEvent(QContextMenuEvent* event)
{
    // The scroll area hands over the viewport's context menu event: viewport coordinates.
    const QModelIndex index = indexAt(event->pos());
    if (!index.isValid())
        return;
    selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    updateActions();
    auto* menu = new QMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->addAction(m_upgradeAction);
    menu->addAction(m_rollbackAction);
    menu->addAction(m_stampAction);
    menu->addSeparator();
    menu->addAction(m_copyIdAction);
    menu->popup(event->globalPos());
}

void RevisionTimelineView::changeEvent(QEvent* event)
{
    QTreeView::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange)
        fitColumns();
}

// Widths from the font rather than ResizeToContents, which would measure
// every one of 10,000 rows on each change.
void RevisionTimelineView::fitColumns()
{
    RevisionTimelineModel* timeline = timelineModel();
    if (!timeline)
        return;
    const QFontMetrics metrics = fontMetrics();
    const QFontMetrics fixed(MonospaceFont::preferred());
    const int padding = 2 * style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, this) + 12;
    int idWidth = fixed.horizontalAdvance(QStringLiteral("0123456789ab"));
    int labelsWidth = metrics.horizontalAdvance(
        timeline->headerData(RevisionTimelineModel::LabelsColumn, Qt::Horizontal).toString());
    // Ids and labels are short; one pass over them is cheap next to painting.
    for (int row = 0; row < timeline->rowCount(); ++row) {
        idWidth = std::max(idWidth, fixed.horizontalAdvance(timeline->revisionAt(row)));
        labelsWidth = std::max(labelsWidth,
            metrics.horizontalAdvance(
                timeline->index(row, RevisionTimelineModel::LabelsColumn).data().toString()));
    }
    QHeaderView* h = header();
    const int graphWidth = std::max(RevisionTimelineDelegate::graphWidth(metrics, timeline->laneCount()),
        metrics.horizontalAdvance(
            timeline->headerData(RevisionTimelineModel::GraphColumn, Qt::Horizontal).toString())
            + padding);
    h->setSectionResizeMode(RevisionTimelineModel::GraphColumn, QHeaderView::Interactive);
    h->resizeSection(RevisionTimelineModel::GraphColumn, graphWidth);
    h->resizeSection(RevisionTimelineModel::IdColumn, idWidth + padding);
    h->setSectionResizeMode(RevisionTimelineModel::MessageColumn, QHeaderView::Stretch);
    h->resizeSection(RevisionTimelineModel::DateColumn,
        metrics.horizontalAdvance(QStringLiteral("2025-09-18 09:45:00")) + padding);
    h->resizeSection(RevisionTimelineModel::LabelsColumn, std::min(labelsWidth + padding, 240));
}

} // namespace dbops::ui
