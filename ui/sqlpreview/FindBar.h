#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QToolButton;

namespace dbops::ui {

/// The editor's Ctrl+F bar: a search field with next / previous buttons and a
/// status ("Not found", "Search wrapped").  It only asks; the editor searches.
class FindBar : public QWidget
{
    Q_OBJECT
public:
    explicit FindBar(QWidget* parent = nullptr);

    QString searchText() const;
    QLineEdit* searchField() const { return m_field; }
    /// Focuses the field with its text selected, so typing replaces it.
    void activate(const QString& initialText = {});
    /// Shows the outcome of the last search next to the buttons.
    void showResult(bool found, bool wrapped);

Q_SIGNALS:
    void findNextRequested(const QString& text);
    void findPreviousRequested(const QString& text);
    void closeRequested();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QLineEdit* m_field = nullptr;
    QToolButton* m_previous = nullptr;
    QToolButton* m_next = nullptr;
    QLabel* m_status = nullptr;
};

} // namespace dbops::ui
