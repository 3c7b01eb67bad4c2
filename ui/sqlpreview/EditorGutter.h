#pragma once

#include <QWidget>

namespace dbops::ui {

class SqlEditor;

/// The strip left of the SQL editor's text: line numbers and the statement
/// marker margin.  The editor paints it, because only the editor knows which
/// blocks are visible where.
class EditorGutter : public QWidget
{
    Q_OBJECT
public:
    explicit EditorGutter(SqlEditor* editor);

    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;

private:
    SqlEditor* m_editor;
};

} // namespace dbops::ui
