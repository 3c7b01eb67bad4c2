#include "SearchEverywherePopup.h"

#include "AuditModel.h"
#include "MonospaceFont.h"
#include "StatusGlyph.h"

#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QVBoxLayout>
#include <algorithm>

namespace dbops::ui {

namespace {

constexpr int headingRow = -1; ///< the Qt::UserRole of a group heading

// The same shapes as the Audit tab's, so a status reads the same in both.
QIcon statusIcon(AuditItem::Status status)
{
    StatusGlyph::Shape shape = StatusGlyph::Shape::Exclamation;
    switch (status) {
    case AuditItem::Status::Exists:
        shape = StatusGlyph::Shape::Check;
        break;
    case AuditItem::Status::Missing:
        shape = StatusGlyph::Shape::Cross;
        break;
    case AuditItem::Status::Extra:
        shape = StatusGlyph::Shape::Plus;
        break;
    case AuditItem::Status::Differs:
        shape = StatusGlyph::Shape::Tilde;
        break;
    }
    return StatusGlyph::icon(shape, AuditModel::statusColor(status));
}

} // namespace

SearchEverywherePopup::SearchEverywherePopup(QWidget* parent)
    : QFrame(parent, Qt::Popup)
{
    setObjectName(QStringLiteral("SearchEverywherePopup"));
    setFrameShape(QFrame::StyledPanel);
    setAccessibleName(tr("Search everywhere"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->setSpacing(4);

    m_field = new QLineEdit(this);
    m_field->setPlaceholderText(tr("Search revisions, audit objects and the SQL"));
    m_field->setClearButtonEnabled(true);
    m_field->setAccessibleName(tr("Search everywhere"));
    m_field->installEventFilter(this);

    m_list = new QListWidget(this);
    // The field keeps the focus: typing goes on while Up/Down move through the hits.
    m_list->setFocusPolicy(Qt::NoFocus);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    // Rows differ (headings, status icons, monospace SQL); at most 3 × 50 of them.
    m_list->setUniformItemSizes(false);
    const int iconSide = m_list->fontMetrics().height();
    m_list->setIconSize(QSize(iconSide, iconSide));
    m_list->setTextElideMode(Qt::ElideRight);
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff); // a long SQL line is cut, not scrolled to
    m_list->setAccessibleName(tr("Search results"));

    m_footer = new QLabel(this);
    m_footer->setForegroundRole(QPalette::PlaceholderText);

    layout->addWidget(m_field);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_footer);

    connect(m_field, &QLineEdit::textChanged, this, &SearchEverywherePopup::refresh);
    connect(m_list, &QListWidget::itemClicked, this, [this](QListWidgetItem* item) {
        if (item->data(Qt::UserRole).toInt() == headingRow)
            return;
        m_list->setCurrentItem(item);
        activateCurrent();
    });
}

void SearchEverywherePopup::popup()
{
    placeOverWindow();
    show();
    raise();
    m_field->setFocus(Qt::PopupFocusReason);
    m_field->selectAll();
    refresh();
}

void SearchEverywherePopup::placeOverWindow()
{
    QWidget* window = parentWidget() ? parentWidget()->window() : nullptr;
    if (!window) {
        resize(600, 400);
        return;
    }
    const int width = std::clamp(window->width() * 3 / 5, 420, 820);
    const int height = std::clamp(window->height() * 3 / 5, 260, 560);
    const QPoint topLeft = window->mapToGlobal(QPoint((window->width() - width) / 2, window->height() / 10));
    setGeometry(QRect(topLeft, QSize(width, height)));
}

void SearchEverywherePopup::refresh()
{
    m_results = m_index.search(m_field->text(), hitsPerGroup);
    m_list->clear();
    m_rows.clear();
    addGroup(tr("Revisions"), m_results.revisions);
    addGroup(tr("Audit objects"), m_results.auditObjects);
    addGroup(tr("SQL lines"), m_results.sqlLines);
    moveCurrent(1);

    const QLocale locale;
    if (m_field->text().trimmed().isEmpty()) {
        m_footer->setText(
            tr("Searches %1 revisions, %2 audit objects and %3 SQL lines")
                .arg(locale.toString(m_index.revisionCount()), locale.toString(m_index.auditObjectCount()),
                    locale.toString(m_index.sqlLineCount())));
    } else if (m_results.total() == 0) {
        m_footer->setText(tr("No matches"));
    } else {
        m_footer->setText(tr("↑↓ move · Enter opens · Esc closes"));
    }
}

void SearchEverywherePopup::addGroup(const QString& title, const SearchGroup& group)
{
    if (group.hits.isEmpty())
        return;
    const QLocale locale;
    const QString count = group.total > group.hits.size()
        ? tr("%1 of %2")
              .arg(locale.toString(static_cast<int>(group.hits.size())), locale.toString(group.total))
        : locale.toString(group.total);
    auto* heading = new QListWidgetItem(tr("%1 (%2)").arg(title, count), m_list);
    heading->setData(Qt::UserRole, headingRow);
    heading->setFlags(Qt::ItemIsEnabled); // not selectable: Up/Down go over it
    QFont bold = m_list->font();
    bold.setBold(true);
    heading->setFont(bold);
    for (const SearchHit& hit : group.hits)
        addHitRow(hit);
}

void SearchEverywherePopup::addHitRow(const SearchHit& hit)
{
    auto* item = new QListWidgetItem(m_list);
    item->setData(Qt::UserRole, static_cast<int>(m_rows.size()));
    m_rows.append(hit);
    switch (hit.kind) {
    case SearchHit::Kind::Revision:
        item->setText(hit.message.isEmpty() ? hit.revision : tr("%1 — %2").arg(hit.revision, hit.message));
        item->setToolTip(tr("Select revision %1 in the Timeline").arg(hit.revision));
        break;
    case SearchHit::Kind::AuditObject:
        item->setIcon(statusIcon(hit.status));
        item->setText(tr("%1 — %2 in %3 · %4")
                          .arg(hit.name, AuditItem::kindName(hit.objectKind), hit.owner,
                              AuditItem::statusName(hit.status)));
        item->setToolTip(AuditModel::statusDescription(hit.status));
        break;
    case SearchHit::Kind::SqlLine:
        item->setText(tr("%1: %2").arg(hit.line + 1).arg(hit.text.trimmed()));
        item->setFont(MonospaceFont::preferred());
        item->setToolTip(tr("Line %1 of the SQL preview").arg(hit.line + 1));
        break;
    }
}

QStringList SearchEverywherePopup::groupHeadings() const
{
    QStringList headings;
    for (int row = 0; row < m_list->count(); ++row) {
        const QListWidgetItem* item = m_list->item(row);
        if (item->data(Qt::UserRole).toInt() == headingRow)
            headings.append(item->text());
    }
    return headings;
}

const SearchHit* SearchEverywherePopup::currentHit() const
{
    const QListWidgetItem* item = m_list->currentItem();
    const int index = item ? item->data(Qt::UserRole).toInt() : headingRow;
    return index >= 0 && index < m_rows.size() ? &m_rows.at(index) : nullptr;
}

void SearchEverywherePopup::activateCurrent()
{
    const SearchHit* current = currentHit();
    if (!current)
        return;
    const SearchHit hit = *current; // the rows go when the popup refreshes
    hide();
    Q_EMIT hitActivated(hit);
}

void SearchEverywherePopup::moveCurrent(int steps)
{
    const int direction = steps < 0 ? -1 : 1;
    int row = m_list->currentRow();
    for (int moved = 0; moved < std::abs(steps); ++moved) {
        int next = row + direction;
        while (next >= 0 && next < m_list->count()
            && m_list->item(next)->data(Qt::UserRole).toInt() == headingRow)
            next += direction;
        if (next < 0 || next >= m_list->count())
            break;
        row = next;
    }
    if (row >= 0 && row < m_list->count() && row != m_list->currentRow()) {
        m_list->setCurrentRow(row);
        m_list->scrollToItem(m_list->item(row));
    }
    // The first group's heading stays in view above its first hit.
    if (row >= 0 && row <= 1)
        m_list->scrollToTop();
}

bool SearchEverywherePopup::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_field && event->type() == QEvent::KeyPress) {
        const auto* key = static_cast<QKeyEvent*>(event);
        const int page
            = std::max(1, m_list->viewport()->height() / std::max(1, m_list->sizeHintForRow(0)) - 1);
        switch (key->key()) {
        case Qt::Key_Down:
            moveCurrent(1);
            return true;
        case Qt::Key_Up:
            moveCurrent(-1);
            return true;
        case Qt::Key_PageDown:
            moveCurrent(page);
            return true;
        case Qt::Key_PageUp:
            moveCurrent(-page);
            return true;
        case Qt::Key_Return:
        case Qt::Key_Enter:
            activateCurrent();
            return true;
        case Qt::Key_Escape:
            hide();
            return true;
        default:
            break;
        }
    }
    return QFrame::eventFilter(watched, event);
}

} // namespace dbops::ui
