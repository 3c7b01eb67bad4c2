#pragma once

#include <QList>
#include <QTreeView>

class QAction;

namespace dbops::ui {

class RevisionTimelineDelegate;
class RevisionTimelineModel;

/// The revision history drawn as a timeline (RevisionTimelineModel with
/// RevisionTimelineDelegate): branches, merges, where the database is, what
/// is pending.  Its context menu asks for upgrades, rollbacks and stamps by
/// signal; running them is the window's business.
class RevisionTimelineView : public QTreeView
{
    Q_OBJECT
public:
    explicit RevisionTimelineView(QWidget* parent = nullptr);

    /// Any model works; the timeline's roles and actions need a RevisionTimelineModel.
    void setModel(QAbstractItemModel* model) override;
    RevisionTimelineModel* timelineModel() const;

    /// The revision of the current row, or empty.
    QString currentRevision() const;
    /// Makes `id`'s row current and scrolls to it; false if it is not listed.
    bool selectRevision(const QString& id);

    /// Context-menu actions, for menus and toolbars too; they act on the current
    /// row and are enabled only where they make sense for the database state.
    QAction* upgradeAction() const { return m_upgradeAction; }
    QAction* rollbackAction() const { return m_rollbackAction; }
    QAction* stampAction() const { return m_stampAction; }
    QAction* copyIdAction() const { return m_copyIdAction; }

Q_SIGNALS:
    void revisionSelected(const QString& id);
    void upgradeRequested(const QString& id);
    void rollbackRequested(const QString& id);
    void stampRequested(const QString& id);

protected:
    void contextMenuEvent(QContextMenuEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void updateActions();
    void fitColumns();

    RevisionTimelineDelegate* m_delegate = nullptr;
    QList<QMetaObject::Connection> m_modelConnections;
    QAction* m_upgradeAction = nullptr;
    QAction* m_rollbackAction = nullptr;
    QAction* m_stampAction = nullptr;
    QAction* m_copyIdAction = nullptr;
};

} // namespace dbops::ui
