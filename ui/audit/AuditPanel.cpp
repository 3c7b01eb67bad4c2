#include "AuditPanel.h"

#include "AuditCsvWriter.h"
#include "AuditFilterModel.h"
#include "AuditItemDelegate.h"
#include "AuditModel.h"
#include "PanelText.h"
#include "RecentFolder.h"
#include "SchemaDiffView.h"
#include "StatusGlyph.h"
#include "ThemedIcons.h"
#include "catalog/CorrectiveSql.h"
#include "catalog/DdlText.h"
#include "catalog/ObjectDefinition.h"

#include <QAction>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDate>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QShortcut>
#include <QSplitter>
#include <QStyle>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace dbops::ui {

namespace {

const QString kHead = QStringLiteral("head");

// Groups opened automatically after an audit or a filter change; the rest
// open on a click.  Enough for every problem a migration review meets, and a
// bound on the GUI thread's work for a drifted 2,000-table database.
constexpr int kAutoExpandLimit = 100;

bool writeFileAtomically(const QString& path, const QByteArray& bytes, QString* errorMessage)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        if (errorMessage)
            *errorMessage = file.errorString();
        return false;
    }
    return true;
}

/// How the line of `item` starts in ObjectDefinition's text, to scroll the diff to it.
QStringList definitionPrefixes(const AuditItem& item)
{
    const QString name = DdlText::identifier(item.name);
    const QString qualified = DdlText::qualified(item.schema, item.name);
    switch (item.objectKind) {
    case AuditItem::Kind::Column:
        return { name + QLatin1Char(' ') };
    case AuditItem::Kind::Constraint:
        return { QStringLiteral("CONSTRAINT %1 ").arg(name) };
    case AuditItem::Kind::Index:
        return { QStringLiteral("CREATE INDEX %1 ").arg(name),
            QStringLiteral("CREATE UNIQUE INDEX %1 ").arg(name) };
    case AuditItem::Kind::Sequence:
        return { QStringLiteral("CREATE SEQUENCE %1 ").arg(qualified) };
    case AuditItem::Kind::Enum:
        return { QStringLiteral("CREATE TYPE %1 ").arg(qualified) };
    case AuditItem::Kind::Table:
    case AuditItem::Kind::View:
        break;
    }
    return {};
}

QString revisionsText(const QStringList& revisions)
{
    return revisions.isEmpty() ? QStringLiteral("base") : revisions.join(QStringLiteral(", "));
}

} // namespace

AuditPanel::AuditPanel(QWidget* parent)
    : QWidget(parent)
    , m_model(new AuditModel(this))
    , m_filter(new AuditFilterModel(this))
{
    m_filter->setSourceModel(m_model);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->setSpacing(6);

    // Headline: the totals, large, with the icon of the worst status.
    auto* headlineRow = new QHBoxLayout;
    headlineRow->setSpacing(10);
    m_headlineIcon = new QLabel;
    m_headlineIcon->setFixedSize(28, 28);
    m_headlineIcon->setAlignment(Qt::AlignTop);
    headlineRow->addWidget(m_headlineIcon, 0, Qt::AlignTop);
    m_headline = new QLabel;
    m_headline->setWordWrap(true);
    m_headline->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_headline->setTextFormat(Qt::PlainText);
    m_headline->setFont(PanelText::headlineFont(m_headline->font()));
    auto* headlineText = new QVBoxLayout;
    headlineText->setSpacing(2);
    headlineText->addWidget(m_headline);
    m_asExpectedLine = new QLabel;
    m_asExpectedLine->setWordWrap(true);
    m_asExpectedLine->setTextFormat(Qt::PlainText);
    m_asExpectedLine->setTextInteractionFlags(Qt::TextSelectableByMouse);
    headlineText->addWidget(m_asExpectedLine);
    headlineRow->addLayout(headlineText, 1);
    layout->addLayout(headlineRow);

    m_subjectLine = new QLabel;
    m_subjectLine->setWordWrap(true);
    m_subjectLine->setTextFormat(Qt::PlainText);
    m_subjectLine->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_subjectLine->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(m_subjectLine);

    m_staleNotice = new QLabel;
    m_staleNotice->setWordWrap(true);
    m_staleNotice->setTextFormat(Qt::PlainText);
    m_staleNotice->setAccessibleName(tr("The audit is out of date"));
    m_staleNotice->setStyleSheet(QStringLiteral("color: #b26a00; font-weight: bold;"));
    m_staleNotice->hide();
    layout->addWidget(m_staleNotice);

    m_verifyNotice = new QLabel;
    m_verifyNotice->setWordWrap(true);
    m_verifyNotice->setTextFormat(Qt::PlainText);
    m_verifyNotice->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_verifyNotice->setAccessibleName(tr("What was applied differs from the migration files"));
    m_verifyNotice->setStyleSheet(QStringLiteral("color: #b26a00; font-weight: bold;"));
    m_verifyNotice->hide();
    layout->addWidget(m_verifyNotice);

    // Controls: what to audit against and Refresh on the left, the view's
    // filters and Export on the right.
    auto* controls = new QHBoxLayout;
    controls->setSpacing(6);
    auto* targetLabel = new QLabel(tr("Audit against:"));
    controls->addWidget(targetLabel);
    m_target = new QComboBox;
    m_target->setEditable(true);
    m_target->setInsertPolicy(QComboBox::NoInsert);
    m_target->addItem(kHead);
    m_target->setMinimumContentsLength(14);
    m_target->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_target->setToolTip(tr("The revision whose schema the database should have: head, or a revision id "
                            "(a unique prefix is enough)"));
    m_target->lineEdit()->setPlaceholderText(kHead);
    targetLabel->setBuddy(m_target);
    controls->addWidget(m_target);
    auto* icons = new ThemedIcons(this);
    m_refresh = new QPushButton(tr("Refresh"));
    icons->set(m_refresh, QStringLiteral("refresh"));
    controls->addWidget(m_refresh);
    m_busyBar = new QProgressBar;
    m_busyBar->setRange(0, 0); // indeterminate: an audit reports no progress
    m_busyBar->setMaximumWidth(80);
    m_busyBar->setMaximumHeight(14);
    m_busyBar->setTextVisible(false);
    m_busyBar->hide();
    controls->addWidget(m_busyBar);
    m_busyLabel = new QLabel(tr("Auditing…"));
    m_busyLabel->hide();
    controls->addWidget(m_busyLabel);
    controls->addStretch(1);

    m_filterEdit = new QLineEdit;
    m_filterEdit->setPlaceholderText(tr("Filter objects (Ctrl+F)"));
    m_filterEdit->setClearButtonEnabled(true);
    m_filterEdit->setMinimumWidth(220);
    m_filterEdit->setAccessibleName(tr("Filter objects by name"));
    controls->addWidget(m_filterEdit);
    m_onlyProblems = new QCheckBox(tr("Only problems"));
    m_onlyProblems->setToolTip(
        tr("Show only what is MISSING, DIFFERS or EXTRA.\nEXTRA is not a failure, but it is drift a DBA "
           "wants to see; the exports follow this setting."));
    controls->addWidget(m_onlyProblems);
    m_export = new QToolButton;
    m_export->setText(tr("Export"));
    icons->set(m_export, QStringLiteral("export"));
    m_export->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_export->setPopupMode(QToolButton::InstantPopup);
    auto* exportMenu = new QMenu(m_export);
    const QList<QPair<QString, QString>> formats { { tr("HTML report…"), QStringLiteral("html") },
        { tr("JSON…"), QStringLiteral("json") }, { tr("CSV…"), QStringLiteral("csv") } };
    for (const auto& format : formats) {
        QAction* action = exportMenu->addAction(format.first);
        const QString suffix = format.second;
        connect(action, &QAction::triggered, this, [this, suffix] { exportWithDialog(suffix); });
    }
    m_export->setMenu(exportMenu);
    controls->addWidget(m_export);
    layout->addLayout(controls);

    m_tree = new QTreeView;
    m_tree->setModel(m_filter);
    m_tree->setItemDelegate(new AuditItemDelegate(m_tree));
    m_tree->setUniformRowHeights(true); // hundreds of columns: keep scrolling cheap
    m_tree->setAlternatingRowColors(true);
    m_tree->setAllColumnsShowFocus(true);
    m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tree->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_tree->setSortingEnabled(true);
    // Problems first; ties keep the report's order (the proxy sorts stably).
    m_tree->sortByColumn(AuditModel::StatusColumn, Qt::AscendingOrder);
    m_tree->setAccessibleName(tr("Schema audit"));
    QHeaderView* header = m_tree->header();
    header->setStretchLastSection(true);
    header->resizeSection(AuditModel::ObjectColumn, 330);
    header->resizeSection(AuditModel::KindColumn, 85);
    header->resizeSection(AuditModel::StatusColumn, 110);
    header->resizeSection(AuditModel::ExpectedColumn, 330);
    m_tree->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto* copy = new QAction(tr("Copy"), m_tree);
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetShortcut);
    connect(copy, &QAction::triggered, this, &AuditPanel::copySelectedRows);
    m_tree->addAction(copy);
    // The tree above, the selected object's diff below (DataGrip's and pgAdmin's layout).
    auto* split = new QSplitter(Qt::Vertical);
    split->setChildrenCollapsible(false);
    split->addWidget(m_tree);
    m_diff = new SchemaDiffView;
    split->addWidget(m_diff);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    layout->addWidget(split, 1);
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this, &AuditPanel::updateDiff);

    // Without a report the empty tree shows a line of text in its middle.
    // The tree itself stays: showing it for the first time with a
    // 2,000-table model (rather than swapping it in for a placeholder page)
    // laid out every row at once on the GUI thread.
    m_placeholderText = tr("Connect to a database to audit it");
    m_placeholder = new QLabel(m_placeholderText, m_tree->viewport());
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_placeholder->setForegroundRole(QPalette::PlaceholderText);
    m_placeholder->setMargin(12);
    m_tree->viewport()->installEventFilter(this);

    // Ctrl+F within the panel only: other panels (the SQL preview) have their own find.
    auto* find = new QShortcut(QKeySequence::Find, this);
    find->setContext(Qt::WidgetWithChildrenShortcut);
    connect(find, &QShortcut::activated, this, [this] {
        m_filterEdit->setFocus(Qt::ShortcutFocusReason);
        m_filterEdit->selectAll();
    });
    auto* refresh = new QShortcut(QKeySequence::Refresh, this);
    refresh->setContext(Qt::WidgetWithChildrenShortcut);
    connect(refresh, &QShortcut::activated, this, [this] {
        if (m_refresh->isEnabled())
            requestAudit();
    });

    connect(m_refresh, &QPushButton::clicked, this, &AuditPanel::requestAudit);
    connect(m_target->lineEdit(), &QLineEdit::returnPressed, this, [this] {
        if (m_refresh->isEnabled())
            requestAudit();
    });
    connect(m_filterEdit, &QLineEdit::textChanged, this, [this](const QString& text) {
        m_filter->setFilterText(text);
        applyExpansion();
    });
    connect(m_onlyProblems, &QCheckBox::toggled, this, [this](bool on) {
        m_filter->setOnlyProblems(on);
        applyExpansion();
    });

    updateHeadline();
    updateSubjectLine();
    updateEnabledState();
    showPlaceholderOrTree();
}

AuditPanel::~AuditPanel() = default;

void AuditPanel::setReport(const AuditReport& report)
{
    setReport(report, AuditOutline::build(report));
}

void AuditPanel::setReport(const AuditReport& report, const AuditOutline& outline)
{
    m_model->setReport(report, outline);
    updateHeadline();
    updateEnabledState();
    showPlaceholderOrTree();
    applyExpansion(false); // the reset closed every group already
    updateDiff();
}

void AuditPanel::clearReport()
{
    m_model->clear();
    updateHeadline();
    updateEnabledState();
    showPlaceholderOrTree();
    updateDiff();
}

AuditReport AuditPanel::report() const
{
    return m_model->report();
}

bool AuditPanel::hasReport() const
{
    return m_model->hasReport();
}

void AuditPanel::setSubject(const AuditSubject& subject)
{
    m_subject = subject;
    updateSubjectLine();
}

void AuditPanel::setPendingRevisionCount(int count)
{
    const int pending = count < 0 ? -1 : count;
    if (pending == m_pendingRevisions)
        return;
    m_pendingRevisions = pending;
    updateHeadline();
}

void AuditPanel::setTargetSuggestions(const QStringList& targets)
{
    const QString current = m_target->currentText();
    m_target->clear();
    m_target->addItem(kHead);
    for (const QString& target : targets) {
        if (target != kHead)
            m_target->addItem(target);
    }
    m_target->setEditText(current);
}

QString AuditPanel::target() const
{
    const QString text = m_target->currentText().trimmed();
    return text.isEmpty() ? kHead : text;
}

void AuditPanel::setTarget(const QString& target)
{
    m_target->setEditText(target.trimmed().isEmpty() ? kHead : target.trimmed());
}

void AuditPanel::setBusy(bool busy)
{
    m_busy = busy;
    m_busyBar->setVisible(busy);
    m_busyLabel->setVisible(busy);
    updateEnabledState();
    showPlaceholderOrTree();
}

void AuditPanel::setAuditAvailable(bool available, const QString& reason)
{
    m_auditAvailable = available;
    m_unavailableReason = reason;
    updateEnabledState();
}

void AuditPanel::setStaleNotice(const QString& text)
{
    m_staleNotice->setText(text);
    m_staleNotice->setVisible(!text.isEmpty());
    const bool current = text.isEmpty();
    m_headline->setEnabled(current);
    m_headlineIcon->setEnabled(current);
    m_asExpectedLine->setEnabled(current);
    m_subjectLine->setEnabled(current);
    m_tree->setEnabled(current);
}

QString AuditPanel::staleNotice() const
{
    return m_staleNotice->text();
}

void AuditPanel::setVerifyNotice(const QString& text)
{
    m_verifyNotice->setText(text);
    m_verifyNotice->setVisible(!text.isEmpty());
}

QString AuditPanel::verifyNotice() const
{
    return m_verifyNotice->text();
}

void AuditPanel::setPlaceholderText(const QString& text)
{
    m_placeholderText = text;
    showPlaceholderOrTree();
}

QString AuditPanel::headlineText() const
{
    return m_model->hasReport() ? m_headline->text() : QString();
}

QString AuditPanel::asExpectedText() const
{
    return m_model->hasReport() ? m_asExpectedLine->text() : QString();
}

void AuditPanel::requestAudit()
{
    Q_EMIT auditRequested(target());
}

void AuditPanel::updateHeadline()
{
    const bool has = m_model->hasReport();
    m_headline->setVisible(has);
    m_headlineIcon->setVisible(has);
    m_asExpectedLine->setVisible(has);
    if (!has) {
        m_headline->clear();
        m_asExpectedLine->clear();
        m_headlineIcon->clear();
        return;
    }
    QString lead;
    // Plurals spelled out: without a loaded translation tr()'s %n keeps "(s)".
    if (m_pendingRevisions == 1)
        lead = tr("1 revision pending");
    else if (m_pendingRevisions > 1)
        lead = tr("%1 revisions pending").arg(m_pendingRevisions);
    else if (m_pendingRevisions == 0)
        lead = tr("No revisions pending");

    // The large line says what is not as expected, the small one what is:
    // both are AuditReport::totalsText() of their half of the report,
    // computed with the outline (in the database worker).
    const AuditOutline& outline = m_model->outline();
    QString problems;
    if (!outline.notAsExpectedTotals.isEmpty())
        problems = outline.notAsExpectedTotals;
    else
        problems = lead.isEmpty() ? tr("Schema as expected") : tr("schema as expected");
    m_headline->setText(lead.isEmpty() ? problems : lead + QStringLiteral(" — ") + problems);
    m_asExpectedLine->setText(
        outline.asExpectedTotals.isEmpty() ? QString() : tr("As expected: %1").arg(outline.asExpectedTotals));
    m_asExpectedLine->setVisible(!outline.asExpectedTotals.isEmpty());

    // The icon of the worst status present; EXTRA alone is not a problem.
    const AuditItem::Status worst = outline.hasMissing ? AuditItem::Status::Missing
        : outline.hasDiffers                           ? AuditItem::Status::Differs
                                                       : AuditItem::Status::Exists;
    m_headlineIcon->setPixmap(m_model->statusIcon(worst).pixmap(QSize(26, 26)));
    m_headlineIcon->setToolTip(worst != AuditItem::Status::Exists
            ? tr("The database does not match the migrations")
            : tr("The database has every object the migrations create"));
}

void AuditPanel::updateSubjectLine()
{
    if (m_subject.database.isEmpty() && m_subject.expectedSource.isEmpty()) {
        m_subjectLine->hide();
        return;
    }
    const QString at = m_subject.versionTableExists ? revisionsText(m_subject.databaseRevisions)
                                                    : tr("base (no version table)");
    QString line = tr("Database: %1 at %2").arg(m_subject.database, at);
    if (!m_subject.expectedSource.isEmpty())
        line += QStringLiteral("  ·  ")
            + tr("Expected: %1 at %2")
                  .arg(m_subject.expectedSource, revisionsText(m_subject.expectedRevisions));
    m_subjectLine->setText(line);
    m_subjectLine->show();
}

void AuditPanel::updateEnabledState()
{
    const bool canAudit = m_auditAvailable && !m_busy;
    m_refresh->setEnabled(canAudit);
    m_target->setEnabled(!m_busy);
    if (!m_auditAvailable && !m_unavailableReason.isEmpty())
        m_refresh->setToolTip(m_unavailableReason);
    else if (m_busy)
        m_refresh->setToolTip(tr("An audit is running"));
    else
        m_refresh->setToolTip(tr("Audit the database against the target (F5)"));
    const bool has = m_model->hasReport();
    m_export->setEnabled(has);
    m_filterEdit->setEnabled(has);
    m_onlyProblems->setEnabled(has);
}

void AuditPanel::showPlaceholderOrTree()
{
    const bool has = m_model->hasReport();
    m_tree->header()->setVisible(has);
    m_placeholder->setVisible(!has);
    if (has)
        return;
    // While the first audit runs, say so instead of asking to connect.
    m_placeholder->setText(m_busy ? tr("Auditing…") : m_placeholderText);
    m_placeholder->setGeometry(m_tree->viewport()->rect());
}

bool AuditPanel::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_tree->viewport() && event->type() == QEvent::Resize)
        m_placeholder->setGeometry(m_tree->viewport()->rect());
    return QWidget::eventFilter(watched, event);
}

void AuditPanel::applyExpansion(bool collapseFirst)
{
    if (collapseFirst)
        m_tree->collapseAll(); // a full layout of the tree: not after a reset
    const bool filtering = !m_filter->filterText().isEmpty();
    int opened = 0;
    for (int row = 0; row < m_filter->rowCount() && opened < kAutoExpandLimit; ++row) {
        const QModelIndex proxyIndex = m_filter->index(row, 0);
        const QModelIndex sourceIndex = m_filter->mapToSource(proxyIndex);
        const bool open = filtering
            || (AuditFilterModel::isProblem(m_model->statusAt(sourceIndex))
                && !m_model->isWholeTableGroup(sourceIndex));
        if (open && m_filter->hasChildren(proxyIndex)) {
            m_tree->setExpanded(proxyIndex, true);
            ++opened;
        }
    }
}

bool AuditPanel::exportHtml(const QString& path, QString* errorMessage) const
{
    const QString html
        = AuditReportFormatter::html(m_model->report(), m_subject, m_onlyProblems->isChecked());
    return writeFileAtomically(path, html.toUtf8(), errorMessage);
}

bool AuditPanel::exportJson(const QString& path, QString* errorMessage) const
{
    const QJsonObject json
        = AuditReportFormatter::json(m_model->report(), m_subject, m_onlyProblems->isChecked());
    return writeFileAtomically(path, QJsonDocument(json).toJson(QJsonDocument::Indented), errorMessage);
}

bool AuditPanel::exportCsv(const QString& path, QString* errorMessage) const
{
    return AuditCsvWriter::write(path, m_model->report(), m_onlyProblems->isChecked(), errorMessage);
}

void AuditPanel::exportWithDialog(const QString& format)
{
    QString filter;
    if (format == QLatin1String("html"))
        filter = tr("HTML pages (*.html)");
    else if (format == QLatin1String("json"))
        filter = tr("JSON files (*.json)");
    else
        filter = tr("CSV files (*.csv)");
    const QString suggested
        = QStringLiteral("schema-audit-%1.%2").arg(QDate::currentDate().toString(Qt::ISODate), format);
    QString path = QFileDialog::getSaveFileName(
        this, tr("Export schema audit"), RecentFolder::suggest(suggested), filter);
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += QLatin1Char('.') + format;
    RecentFolder::remember(path);

    QString error;
    bool ok = false;
    if (format == QLatin1String("html"))
        ok = exportHtml(path, &error);
    else if (format == QLatin1String("json"))
        ok = exportJson(path, &error);
    else
        ok = exportCsv(path, &error);
    if (!ok) {
        QMessageBox::warning(this, tr("Export failed"), tr("Could not write %1:\n%2").arg(path, error));
        return;
    }
    Q_EMIT exported(path);
}

void AuditPanel::copySelectedRows() const
{
    // Tab-separated, one line per row: pastes into a ticket or a spreadsheet.
    const QModelIndexList rows = m_tree->selectionModel()->selectedRows();
    QStringList lines;
    for (const QModelIndex& row : rows) {
        QStringList cells;
        for (int column = 0; column < AuditModel::ColumnCount; ++column)
            cells.append(row.siblingAtColumn(column).data().toString());
        lines.append(cells.join(QLatin1Char('\t')));
    }
    if (!lines.isEmpty())
        QGuiApplication::clipboard()->setText(lines.join(QLatin1Char('\n')) + QLatin1Char('\n'));
}

bool AuditPanel::selectItem(int itemIndex)
{
    const QVector<AuditOutline::Group>& groups = m_model->outline().groups;
    for (int row = 0; row < groups.size(); ++row) {
        const AuditOutline::Group& group = groups.at(row);
        const int part = group.owner == itemIndex ? -1 : static_cast<int>(group.parts.indexOf(itemIndex));
        if (group.owner != itemIndex && part < 0)
            continue;
        const QModelIndex sourceGroup = m_model->index(row, 0);
        const QModelIndex source = part < 0 ? sourceGroup : m_model->index(part, 0, sourceGroup);
        if (!m_filter->mapFromSource(source).isValid()) {
            m_filterEdit->clear();
            m_onlyProblems->setChecked(false);
        }
        if (part >= 0)
            m_tree->expand(m_filter->mapFromSource(sourceGroup));
        const QModelIndex shown = m_filter->mapFromSource(source);
        if (!shown.isValid())
            return false;
        m_tree->selectionModel()->setCurrentIndex(
            shown, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        m_tree->scrollTo(shown);
        m_tree->setFocus(Qt::OtherFocusReason);
        return true;
    }
    return false;
}

void AuditPanel::updateDiff()
{
    const QModelIndex source = m_filter->mapToSource(m_tree->currentIndex());
    if (!source.isValid() || !m_model->hasReport()) {
        m_diff->clear();
        return;
    }
    const bool group = m_model->isGroup(source);
    const int groupRow = group ? source.row() : m_model->parent(source).row();
    const AuditOutline::Group& shown = m_model->outline().groups.at(groupRow);
    QList<AuditItem> items;
    items.reserve(shown.parts.size() + 1);
    if (shown.owner >= 0)
        items.append(m_model->report().items.at(shown.owner));
    for (const int part : shown.parts)
        items.append(m_model->report().items.at(part));

    // A part's own SQL, unless it comes with its whole MISSING or EXTRA table.
    const AuditItem* selected = group ? nullptr : &m_model->part(groupRow, source.row());
    const bool ownStatement = selected && !selected->withTable;
    const QString sql = CorrectiveSql::forItems(ownStatement ? QList<AuditItem> { *selected } : items);
    const QString subtitle = selected ? QStringLiteral("%1 %2 %3")
                                            .arg(AuditItem::kindName(selected->objectKind), selected->name,
                                                AuditItem::statusName(selected->status))
                                      : AuditItem::statusName(m_model->statusAt(source));
    m_diff->setObject(ObjectDefinition::of(items), subtitle, sql);
    if (selected)
        m_diff->revealLine(definitionPrefixes(*selected));
}

} // namespace dbops::ui
