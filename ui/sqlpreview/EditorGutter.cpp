#include "EditorGutter.h"

#include "SqlEditor.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QToolTip>

namespace dbops::ui {

EditorGutter::EditorGutter(SqlEditor* editor)
    : QWidget(editor)
    , m_editor(editor)
{
    setAccessibleName(tr("Line numbers and statement markers"));
}

QSize EditorGutter::sizeHint() const
{
    return QSize(m_editor->gutterWidth(), 0);
}

void EditorGutter::paintEvent(QPaintEvent* event)
{
    m_editor->paintGutter(this, event->rect());
}

bool EditorGutter::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QString text = m_editor->gutterToolTip(help->pos());
        if (text.isEmpty()) {
            QToolTip::hideText();
            event->ignore();
        } else {
            QToolTip::showText(help->globalPos(), text, this);
        }
        return true;
    }
    return QWidget::event(event);
}

// A click on a line number puts the cursor on that line, as in most editors.
void EditorGutter::mousePressEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton)
        m_editor->goToBlock(m_editor->blockAt(event->pos().y()));
    QWidget::mousePressEvent(event);
}

} // namespace dbops::ui
