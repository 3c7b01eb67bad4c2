#include "SchemaDiffView.h"

#include "AuditModel.h"
#include "MonospaceFont.h"
#include "SqlHighlighter.h"
#include "catalog/LineDiff.h"

#include <QClipboard>
#include <QEvent>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QStackedWidget>
#include <QTextBlock>
#include <QTextCursor>
#include <QVBoxLayout>
#include <algorithm>

namespace dbops::ui {

namespace {

using Side = ObjectDefinition::Side;
using Change = SchemaDiffView::LineChange;

/// A trailing comma is not a difference: the last column of a CREATE TABLE
/// has none, so a column added after it would mark it too.
QString comparisonKey(const QString& line)
{
    return line.endsWith(QLatin1Char(',')) ? line.left(line.size() - 1) : line;
}

QStringList keysOf(const QStringList& lines)
{
    QStringList keys;
    keys.reserve(lines.size());
    for (const QString& line : lines)
        keys.append(comparisonKey(line));
    return keys;
}

QStringList linesOf(const QString& text)
{
    return text.isEmpty() ? QStringList() : text.split(QLatin1Char('\n'));
}

QPlainTextEdit* codeView(const QString& accessibleName)
{
    auto* edit = new QPlainTextEdit;
    edit->setReadOnly(true);
    edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    edit->setFont(MonospaceFont::preferred());
    edit->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    edit->setAccessibleName(accessibleName);
    return edit;
}

QLabel* heading(const QString& text)
{
    auto* label = new QLabel(text);
    label->setTextFormat(Qt::PlainText);
    QFont font = label->font();
    font.setBold(true);
    label->setFont(font);
    return label;
}

QColor blend(const QColor& base, const QColor& tint, qreal amount)
{
    return QColor::fromRgbF(base.redF() + (tint.redF() - base.redF()) * amount,
        base.greenF() + (tint.greenF() - base.greenF()) * amount,
        base.blueF() + (tint.blueF() - base.blueF()) * amount);
}

} // namespace

SchemaDiffView::SchemaDiffView(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_pages = new QStackedWidget;
    layout->addWidget(m_pages);

    m_placeholder
        = new QLabel(tr("Select an object in the audit to compare its definition as the migrations "
                        "expect it with the database's, line by line, and to get the SQL that would "
                        "make the database as expected."));
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_placeholder->setMargin(12);
    m_placeholder->setForegroundRole(QPalette::PlaceholderText);
    m_pages->addWidget(m_placeholder);

    auto* page = new QWidget;
    auto* pageLayout = new QVBoxLayout(page);
    pageLayout->setContentsMargins(0, 4, 0, 0);
    pageLayout->setSpacing(4);
    m_title = new QLabel;
    m_title->setTextFormat(Qt::PlainText);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    pageLayout->addWidget(m_title);

    auto* split = new QSplitter(Qt::Vertical);
    m_split = split;
    split->setChildrenCollapsible(false);
    auto* sides = new QWidget;
    auto* sidesLayout = new QHBoxLayout(sides);
    sidesLayout->setContentsMargins(0, 0, 0, 0);
    auto* expectedColumn = new QVBoxLayout;
    m_expectedHeading = heading(tr("Expected (migrations)"));
    expectedColumn->addWidget(m_expectedHeading);
    m_expected = codeView(tr("Expected definition, from the migrations"));
    expectedColumn->addWidget(m_expected);
    auto* actualColumn = new QVBoxLayout;
    m_actualHeading = heading(tr("Actual (database)"));
    actualColumn->addWidget(m_actualHeading);
    m_actual = codeView(tr("Actual definition, from the database"));
    actualColumn->addWidget(m_actual);
    sidesLayout->addLayout(expectedColumn, 1);
    sidesLayout->addLayout(actualColumn, 1);
    split->addWidget(sides);

    // Both sides have as many lines (fillers included): they scroll together.
    const std::pair<QPlainTextEdit*, QPlainTextEdit*> pairs[]
        = { { m_expected, m_actual }, { m_actual, m_expected } };
    for (const auto& pair : pairs) {
        connect(pair.first->verticalScrollBar(), &QScrollBar::valueChanged, pair.second->verticalScrollBar(),
            &QScrollBar::setValue);
        connect(pair.first->horizontalScrollBar(), &QScrollBar::valueChanged,
            pair.second->horizontalScrollBar(), &QScrollBar::setValue);
    }

    auto* sqlPane = new QWidget;
    auto* sqlLayout = new QVBoxLayout(sqlPane);
    sqlLayout->setContentsMargins(0, 0, 0, 0);
    auto* sqlHeader = new QHBoxLayout;
    m_sqlHeading = heading(tr("Corrective SQL"));
    m_sqlHeading->setToolTip(tr("What would make the database as the migrations expect: review it before "
                                "running it; a DROP loses data."));
    sqlHeader->addWidget(m_sqlHeading);
    sqlHeader->addStretch(1);
    m_copy = new QPushButton(tr("Copy"));
    m_copy->setToolTip(tr("Copy the corrective SQL to the clipboard"));
    connect(m_copy, &QPushButton::clicked, this, &SchemaDiffView::copySql);
    sqlHeader->addWidget(m_copy);
    sqlLayout->addLayout(sqlHeader);
    m_sqlEdit = codeView(tr("Corrective SQL"));
    SqlHighlighting::attach(m_sqlEdit->document());
    sqlLayout->addWidget(m_sqlEdit);
    split->addWidget(sqlPane);
    // The definitions get most of the height; the SQL pane a few lines.
    split->setStretchFactor(0, 4);
    split->setStretchFactor(1, 1);
    split->setSizes({ 400, 90 });
    pageLayout->addWidget(split, 1);
    m_pages->addWidget(page);

    clear();
}

SchemaDiffView::~SchemaDiffView() = default;

void SchemaDiffView::setObject(
    const ObjectDefinition& definition, const QString& subtitle, const QString& correctiveSql)
{
    m_title->setText(
        subtitle.isEmpty() ? definition.title : QStringLiteral("%1 — %2").arg(definition.title, subtitle));
    m_expectedHeading->setText(definition.expected.isEmpty()
            ? tr("Expected (migrations): the migrations do not have it")
            : tr("Expected (migrations)"));
    m_actualHeading->setText(
        definition.actual.isEmpty() ? tr("Actual (database): not in the database") : tr("Actual (database)"));
    showSides(definition.expected, definition.actual);
    m_sql = correctiveSql;
    m_sqlEdit->setPlainText(correctiveSql.isEmpty()
            ? tr("-- Nothing to correct: the database has this as the migrations expect it.")
            : correctiveSql);
    m_copy->setEnabled(!correctiveSql.isEmpty());
    m_pages->setCurrentIndex(1);
}

void SchemaDiffView::clear()
{
    m_expected->clear();
    m_actual->clear();
    m_expectedText.clear();
    m_actualText.clear();
    m_sqlEdit->clear();
    m_sql.clear();
    m_title->clear();
    m_expectedChanges.clear();
    m_actualChanges.clear();
    m_copy->setEnabled(false);
    m_pages->setCurrentIndex(0);
}

int SchemaDiffView::revealLine(const QStringList& prefixes)
{
    for (QPlainTextEdit* edit : { m_expected, m_actual }) {
        for (QTextBlock block = edit->document()->begin(); block.isValid(); block = block.next()) {
            const QString line = block.text().trimmed();
            for (const QString& prefix : prefixes) {
                if (!line.startsWith(prefix))
                    continue;
                // The line near the top, with two lines of context above it (the other side follows).
                QScrollBar* bar = edit->verticalScrollBar();
                bar->setValue(std::max(0, block.blockNumber() - 2));
                return block.blockNumber();
            }
        }
    }
    return -1;
}

bool SchemaDiffView::hasObject() const
{
    return m_pages->currentIndex() == 1;
}

QString SchemaDiffView::placeholderText() const
{
    return m_placeholder->text();
}

QString SchemaDiffView::title() const
{
    return m_title->text();
}

QString SchemaDiffView::expectedText() const
{
    return m_expected->toPlainText();
}

QString SchemaDiffView::actualText() const
{
    return m_actual->toPlainText();
}

SchemaDiffView::LineChange SchemaDiffView::lineChange(Side side, int line) const
{
    const QVector<LineChange>& changes = side == Side::Expected ? m_expectedChanges : m_actualChanges;
    return line >= 0 && line < changes.size() ? changes.at(line) : LineChange::Same;
}

int SchemaDiffView::lineCount(Side side) const
{
    return static_cast<int>((side == Side::Expected ? m_expectedChanges : m_actualChanges).size());
}

QColor SchemaDiffView::markColor(LineChange change, Side side, const QColor& base)
{
    // Dark bases need more of the tint to show it; the text keeps the palette's colour.
    const qreal amount = base.lightnessF() < 0.5 ? 0.42 : 0.22;
    switch (change) {
    case LineChange::Same:
        return base;
    case LineChange::Changed:
        return blend(base, AuditModel::statusColor(AuditItem::Status::Differs), amount);
    case LineChange::OnlyHere:
        return blend(base,
            AuditModel::statusColor(
                side == Side::Expected ? AuditItem::Status::Missing : AuditItem::Status::Extra),
            amount);
    case LineChange::Filler:
        return blend(base, QColor(Qt::gray), amount / 2);
    }
    return base;
}

void SchemaDiffView::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && !m_repainting) {
        // The marks follow the new base: the texts are set again, unmarked.
        m_repainting = true;
        const QString expected = m_expectedText;
        const QString actual = m_actualText;
        showSides(expected, actual);
        m_repainting = false;
    }
}

void SchemaDiffView::showSides(const QString& expected, const QString& actual)
{
    m_expectedText = expected;
    m_actualText = actual;
    const QStringList left = linesOf(expected);
    const QStringList right = linesOf(actual);
    const QVector<LineDiff::Row> rows = LineDiff::compare(keysOf(left), keysOf(right));
    QStringList shownLeft;
    QStringList shownRight;
    shownLeft.reserve(rows.size());
    shownRight.reserve(rows.size());
    m_expectedChanges.clear();
    m_actualChanges.clear();
    m_expectedChanges.reserve(rows.size());
    m_actualChanges.reserve(rows.size());
    for (const LineDiff::Row& row : rows) {
        shownLeft.append(row.left >= 0 ? left.at(row.left) : QString());
        shownRight.append(row.right >= 0 ? right.at(row.right) : QString());
        switch (row.change) {
        case LineDiff::Row::Change::Same:
            m_expectedChanges.append(LineChange::Same);
            m_actualChanges.append(LineChange::Same);
            break;
        case LineDiff::Row::Change::Changed:
            m_expectedChanges.append(LineChange::Changed);
            m_actualChanges.append(LineChange::Changed);
            break;
        case LineDiff::Row::Change::Removed:
            m_expectedChanges.append(LineChange::OnlyHere);
            m_actualChanges.append(LineChange::Filler);
            break;
        case LineDiff::Row::Change::Added:
            m_expectedChanges.append(LineChange::Filler);
            m_actualChanges.append(LineChange::OnlyHere);
            break;
        }
    }
    m_expected->setPlainText(shownLeft.join(QLatin1Char('\n')));
    m_actual->setPlainText(shownRight.join(QLatin1Char('\n')));
    applyMarks(m_expected, m_expectedChanges, Side::Expected);
    applyMarks(m_actual, m_actualChanges, Side::Actual);
}

void SchemaDiffView::applyMarks(QPlainTextEdit* edit, const QVector<LineChange>& changes, Side side)
{
    // The view's palette: on a palette change the children hear of it after the view.
    const QColor base = palette().color(QPalette::Base);
    // A side that is all one mark (a whole MISSING or EXTRA table, and the
    // fillers across from it) is painted as the editor's background: 2,000
    // block formats would cost more than the text itself.
    const bool uniform = !changes.isEmpty()
        && std::all_of(changes.begin(), changes.end(), [&](LineChange c) { return c == changes.first(); });
    QPalette editPalette = palette();
    if (uniform)
        editPalette.setColor(QPalette::Base, markColor(changes.first(), side, base));
    edit->setPalette(editPalette);
    if (uniform)
        return;
    // Block backgrounds rather than extra selections: they cost nothing to paint.
    QTextCursor cursor(edit->document());
    cursor.beginEditBlock();
    QTextBlock block = edit->document()->begin();
    for (int line = 0; block.isValid() && line < changes.size(); block = block.next(), ++line) {
        const LineChange change = changes.at(line);
        if (change == LineChange::Same)
            continue; // a fresh document's blocks have no background
        QTextBlockFormat format;
        format.setBackground(markColor(change, side, base));
        cursor.setPosition(block.position());
        cursor.setBlockFormat(format);
    }
    cursor.endEditBlock();
}

void SchemaDiffView::copySql()
{
    if (!m_sql.isEmpty())
        QGuiApplication::clipboard()->setText(m_sql);
}

} // namespace dbops::ui
