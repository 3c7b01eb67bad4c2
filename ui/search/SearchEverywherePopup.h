#pragma once

#include "SearchIndex.h"

#include <QFrame>

class QLabel;
class QLineEdit;
class QListWidget;
class QListWidgetItem;

namespace dbops::ui {

/// Search Everywhere (Ctrl+K), as in VS Code or JetBrains IDEs: one field
/// over the window; the hits grouped under "Revisions", "Audit objects" and
/// "SQL lines", updated as one types.  Up/Down move between hits (over the
/// group headings), Enter opens the current one (hitActivated()), Esc or a
/// click elsewhere closes.  It only shows what index() finds; the window fills
/// the index and does the jump.
class SearchEverywherePopup : public QFrame
{
    Q_OBJECT
public:
    explicit SearchEverywherePopup(QWidget* parent);

    SearchIndex& index() { return m_index; }
    const SearchIndex& index() const { return m_index; }

    /// Shows the popup near the top of the parent's window, with the last
    /// query selected (typing replaces it) and its hits.
    void popup();
    /// Searches the index again for the field's text (after the index changed).
    void refresh();

    QLineEdit* searchField() const { return m_field; }
    QListWidget* resultList() const { return m_list; }
    const SearchResults& results() const { return m_results; }
    /// The group headings as shown, e.g. "Revisions (2)", in order.
    QStringList groupHeadings() const;
    /// The hit of the current row, or nullptr (no hits).
    const SearchHit* currentHit() const;
    /// Opens the current hit: hides the popup and emits hitActivated().
    void activateCurrent();

    /// At most this many hits are listed per group (the heading gives the total).
    static constexpr int hitsPerGroup = 50;

Q_SIGNALS:
    void hitActivated(const SearchHit& hit);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void addGroup(const QString& title, const SearchGroup& group);
    void addHitRow(const SearchHit& hit);
    /// Moves the current row by `steps` hits (negative: up), skipping headings.
    void moveCurrent(int steps);
    void placeOverWindow();

    SearchIndex m_index;
    SearchResults m_results;
    QVector<SearchHit> m_rows; ///< the hits in list order; a row's item holds its index here
    QLineEdit* m_field = nullptr;
    QListWidget* m_list = nullptr;
    QLabel* m_footer = nullptr;
};

} // namespace dbops::ui
