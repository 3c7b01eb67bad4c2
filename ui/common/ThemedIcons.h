#pragma once

#include <QObject>
#include <QPointer>

class QAbstractButton;
class QAction;
class QWidget;

namespace dbops::ui {

/// Keeps the IconSet icons of one widget's actions and buttons in step with
/// its palette: they are drawn again when the palette changes (a dark
/// palette chosen while the window is open, say).
class ThemedIcons : public QObject
{
    Q_OBJECT
public:
    explicit ThemedIcons(QWidget* owner);

    void set(QAction* action, const QString& name);
    void set(QAbstractButton* button, const QString& name);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void refresh();

    QWidget* m_owner;
    QList<QPair<QPointer<QAction>, QString>> m_actions;
    QList<QPair<QPointer<QAbstractButton>, QString>> m_buttons;
};

} // namespace dbops::ui
