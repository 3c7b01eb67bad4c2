#include "FindBar.h"

#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QStyle>
#include <QToolButton>

namespace dbops::ui {

FindBar::FindBar(QWidget* parent)
    : QWidget(parent)
{
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::Window);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 3, 6, 3);
    layout->setSpacing(4);

    auto* label = new QLabel(tr("Find:"), this);
    m_field = new QLineEdit(this);
    m_field->setPlaceholderText(tr("Search the script (case-insensitive)"));
    m_field->setClearButtonEnabled(true);
    m_field->setAccessibleName(tr("Find in script"));
    label->setBuddy(m_field);
    m_field->installEventFilter(this);

    auto makeButton = [this](QStyle::StandardPixmap icon, const QString& text, const QString& toolTip) {
        auto* button = new QToolButton(this);
        button->setIcon(style()->standardIcon(icon));
        button->setText(text);
        button->setToolTip(toolTip);
        button->setAccessibleName(text);
        button->setAutoRaise(true);
        return button;
    };
    m_previous = makeButton(QStyle::SP_ArrowUp, tr("Previous"), tr("Find the previous match (Shift+Enter)"));
    m_next = makeButton(QStyle::SP_ArrowDown, tr("Next"), tr("Find the next match (Enter)"));
    m_status = new QLabel(this);
    // Wide enough for most counts, so the field does not jump as one types.
    m_status->setMinimumWidth(
        fontMetrics().horizontalAdvance(tr("%1 of %2, wrapped").arg(999).arg(9999)) + 8);
    auto* close = makeButton(QStyle::SP_TitleBarCloseButton, tr("Close"), tr("Close the find bar (Esc)"));

    layout->addWidget(label);
    layout->addWidget(m_field, 1);
    layout->addWidget(m_previous);
    layout->addWidget(m_next);
    layout->addWidget(m_status);
    layout->addWidget(close);

    connect(m_field, &QLineEdit::returnPressed, this, [this] { Q_EMIT findNextRequested(searchText()); });
    connect(m_field, &QLineEdit::textChanged, this, &FindBar::searchTextChanged);
    connect(m_next, &QToolButton::clicked, this, [this] { Q_EMIT findNextRequested(searchText()); });
    connect(m_previous, &QToolButton::clicked, this, [this] { Q_EMIT findPreviousRequested(searchText()); });
    connect(close, &QToolButton::clicked, this, &FindBar::closeRequested);
}

QString FindBar::searchText() const
{
    return m_field->text();
}

void FindBar::activate(const QString& initialText)
{
    if (!initialText.isEmpty())
        m_field->setText(initialText);
    m_status->clear();
    m_field->setFocus(Qt::ShortcutFocusReason);
    m_field->selectAll();
}

void FindBar::showMatches(int current, int total, bool wrapped)
{
    const QLocale locale;
    QString text;
    if (searchText().isEmpty())
        text.clear();
    else if (total == 0)
        text = tr("No matches");
    else if (current < 0)
        text = total == 1 ? tr("1 match") : tr("%1 matches").arg(locale.toString(total));
    else if (wrapped)
        text = tr("%1 of %2, wrapped").arg(locale.toString(current + 1), locale.toString(total));
    else
        text = tr("%1 of %2").arg(locale.toString(current + 1), locale.toString(total));
    m_status->setText(text);
}

QString FindBar::statusText() const
{
    return m_status->text();
}

// The field's own key handling would treat Shift+Enter as Enter (next match),
// so those keys are taken before it sees them.
bool FindBar::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_field && event->type() == QEvent::KeyPress) {
        const auto* key = static_cast<QKeyEvent*>(event);
        if (key->key() == Qt::Key_Escape) {
            Q_EMIT closeRequested();
            return true;
        }
        if ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter)
            && key->modifiers().testFlag(Qt::ShiftModifier)) {
            Q_EMIT findPreviousRequested(searchText());
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace dbops::ui
