#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QToolButton;

namespace dbops::ui {

/// The editor's Ctrl+F bar: a search field with next / previous buttons and a
/// status ("3 of 17", "No matches", "wrapped").  It only asks; the editor
/// searches, and highlights the matches as the text changes.
class FindBar : public QWidget
{
    Q_OBJECT
public:
    explicit FindBar(QWidget* parent = nullptr);

    QString searchText() const;
    QLineEdit* searchField() const { return m_field; }
    /// Focuses the field with its text selected, so typing replaces it.
    void activate(const QString& initialText = {});
    /// Shows where the current match is among all of them next to the buttons:
    /// "3 of 17" (`current` 0-based; -1: none is selected, "17 matches"),
    /// "No matches"; `wrapped`: the last search went round an end of the script.
    /// An empty search text shows nothing.
    void showMatches(int current, int total, bool wrapped = false);
    QString statusText() const;

Q_SIGNALS:
    /// The search text changed (typed, pasted or set by activate()).
    void searchTextChanged(const QString& text);
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
