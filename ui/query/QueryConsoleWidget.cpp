#include "QueryConsoleWidget.h"

#include "MonospaceFont.h"
#include "QueryResultModel.h"
#include "SqlHighlighter.h"
#include "common/PrivateFiles.h"
#include "query/QueryController.h"
#include "query/QueryResultFormat.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFontMetrics>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QTableView>
#include <QTextBlock>
#include <QVBoxLayout>
#include <vector>

namespace dbops::ui {

namespace {

// Numbers in the status line group their thousands the same way everywhere.
QString count(qint64 n)
{
    return QLocale(QLocale::English, QLocale::UnitedStates).toString(n);
}

QString duration(qint64 milliseconds)
{
    if (milliseconds < 1000)
        return QStringLiteral("%1 ms").arg(milliseconds);
    return QStringLiteral("%1 s").arg(double(milliseconds) / 1000.0, 0, 'f', 1);
}

// The selected rows and columns, each in order, from the selection's ranges
// (never one QModelIndex per cell: a select-all of 100,000 rows stays cheap).
void selectedRowsAndColumns(
    const QItemSelectionModel* selection, const QueryTable& table, QList<int>* rows, QList<int>* columns)
{
    std::vector<bool> rowMask(size_t(table.rowCount()), false);
    std::vector<bool> columnMask(size_t(table.columnCount()), false);
    bool any = false;
    if (selection) {
        const QItemSelection ranges = selection->selection();
        for (const QItemSelectionRange& range : ranges) {
            for (int row = range.top(); row <= range.bottom() && row < table.rowCount(); ++row)
                rowMask[size_t(row)] = true;
            for (int column = range.left(); column <= range.right() && column < table.columnCount(); ++column)
                columnMask[size_t(column)] = true;
            any = true;
        }
    }
    if (!any) {
        *rows = QueryResultFormat::allRows(table);
        *columns = QueryResultFormat::allColumns(table);
        return;
    }
    for (size_t row = 0; row < rowMask.size(); ++row) {
        if (rowMask[row])
            rows->append(int(row));
    }
    for (size_t column = 0; column < columnMask.size(); ++column) {
        if (columnMask[column])
            columns->append(int(column));
    }
}

} // namespace

QueryConsoleWidget::QueryConsoleWidget(QWidget* parent)
    : QWidget(parent)
    , m_controller(new QueryController(this))
    , m_historyPath(QueryHistory::defaultPath())
{
    m_editor = new QPlainTextEdit(this);
    m_editor->setObjectName(QStringLiteral("queryEditor"));
    m_editor->setFont(MonospaceFont::preferred());
    m_editor->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_editor->setTabChangesFocus(false);
    m_editor->setPlaceholderText(tr("SELECT … FROM …   (Ctrl+Enter runs it, read-only)"));
    m_highlighter = SqlHighlighting::attach(m_editor->document(), m_editor->palette());

    m_runAction = new QAction(tr("Run"), this);
    m_runAction->setToolTip(tr("Run the selection, or all of the text, read-only (Ctrl+Enter)"));
    connect(m_runAction, &QAction::triggered, this, &QueryConsoleWidget::run);
    m_cancelAction = new QAction(tr("Cancel"), this);
    m_cancelAction->setToolTip(tr("Stop the running query on the server"));
    connect(m_cancelAction, &QAction::triggered, this, &QueryConsoleWidget::cancel);
    // Ctrl+Enter in the editor (eventFilter): a window-wide shortcut would
    // also fire from other tabs' editors once the console is docked.
    m_runAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    m_runAction->setShortcutContext(Qt::WidgetShortcut);
    m_editor->installEventFilter(this);

    m_copyCsvAction = new QAction(tr("Copy as CSV"), this);
    m_copyCsvAction->setShortcut(QKeySequence::Copy);
    connect(m_copyCsvAction, &QAction::triggered, this, &QueryConsoleWidget::copyAsCsv);
    m_copyMarkdownAction = new QAction(tr("Copy as Markdown"), this);
    m_copyMarkdownAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    connect(m_copyMarkdownAction, &QAction::triggered, this, &QueryConsoleWidget::copyAsMarkdown);
    m_exportAction = new QAction(tr("Export as CSV…"), this);
    connect(m_exportAction, &QAction::triggered, this, &QueryConsoleWidget::exportCsv);

    m_runButton = new QPushButton(tr("Run"), this);
    m_runButton->setToolTip(m_runAction->toolTip());
    connect(m_runButton, &QPushButton::clicked, m_runAction, &QAction::trigger);
    m_cancelButton = new QPushButton(tr("Cancel"), this);
    m_cancelButton->setToolTip(m_cancelAction->toolTip());
    connect(m_cancelButton, &QPushButton::clicked, m_cancelAction, &QAction::trigger);
    m_exportButton = new QPushButton(tr("Export CSV…"), this);
    connect(m_exportButton, &QPushButton::clicked, m_exportAction, &QAction::trigger);
    m_historyBox = new QComboBox(this);
    m_historyBox->setObjectName(QStringLiteral("queryHistory"));
    m_historyBox->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_historyBox->setMinimumContentsLength(40);
    m_historyBox->setPlaceholderText(tr("History"));
    m_historyBox->setToolTip(tr("Queries run with this profile, newest first"));
    connect(m_historyBox, QOverload<int>::of(&QComboBox::activated), this, [this](int index) {
        if (index < 0)
            return;
        setSql(m_historyBox->itemData(index).toString());
        m_historyBox->setCurrentIndex(-1);
        m_editor->setFocus();
    });

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_runButton);
    buttons->addWidget(m_cancelButton);
    buttons->addWidget(m_historyBox, 1);
    buttons->addWidget(m_exportButton);

    m_model = new QueryResultModel(this);
    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("queryResult"));
    m_view->setModel(m_model);
    m_view->setWordWrap(false);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_view->setVerticalScrollMode(QAbstractItemView::ScrollPerItem);
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->installEventFilter(this);
    m_view->addAction(m_copyCsvAction);
    m_view->addAction(m_copyMarkdownAction);
    m_copyCsvAction->setShortcutContext(Qt::WidgetShortcut);
    m_copyMarkdownAction->setShortcutContext(Qt::WidgetShortcut);
    connect(m_view, &QWidget::customContextMenuRequested, this, &QueryConsoleWidget::showResultMenu);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("queryStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_editor);
    splitter->addWidget(m_view);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 3);
    splitter->setChildrenCollapsible(false);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_status);

    connect(m_controller, &QueryController::finished, this, &QueryConsoleWidget::showResult);
    connect(m_controller, &QueryController::busyChanged, this, [this](bool busy) {
        updateActions();
        Q_EMIT runningChanged(busy);
    });
    setStatus(tr("Not connected."), false);
    updateActions();
}

QueryConsoleWidget::~QueryConsoleWidget() = default;

void QueryConsoleWidget::setConnection(const ConnectionTarget& target)
{
    if (m_controller->isBusy())
        m_controller->cancel();
    // A profile's password is not in `target`: the query thread asks the keychain itself.
    m_target = target;
    reloadHistory();
    setStatus(tr("Queries run on %1%2. %3")
                  .arg(m_target->describe(), m_target->isReadOnly() ? tr(", a read-only profile") : QString(),
                      limitsText()),
        false);
    updateActions();
}

void QueryConsoleWidget::setConnection(
    const ConnectionSettings& settings, const QString& profileName, bool readOnlyProfile)
{
    ConnectionTarget target;
    target.settings = settings;
    if (!profileName.isEmpty()) {
        ConnectionProfile profile;
        profile.name = profileName;
        profile.readOnly = readOnlyProfile;
        target.profile = profile;
        target.source = QStringLiteral("profile '%1'").arg(profileName);
    }
    // A password in `settings` is used as given; without one a profile's keychain entry is asked.
    setConnection(target);
}

void QueryConsoleWidget::clearConnection()
{
    if (m_controller->isBusy())
        m_controller->cancel();
    m_controller->disconnectFromDatabase();
    m_target.reset();
    m_historyBox->clear();
    setStatus(tr("Not connected."), false);
    updateActions();
}

void QueryConsoleWidget::setOptions(const ReadOnlyQuery::Options& options)
{
    m_options = options;
}

ReadOnlyQuery::Options QueryConsoleWidget::options() const
{
    ReadOnlyQuery::Options options = m_options;
    if (options.statementTimeoutSeconds <= 0 && m_target && m_target->profile
        && m_target->profile->statementTimeoutSeconds > 0)
        options.statementTimeoutSeconds = m_target->profile->statementTimeoutSeconds;
    return options;
}

void QueryConsoleWidget::setHistoryPath(const QString& path)
{
    m_historyPath = path;
    reloadHistory();
}

QString QueryConsoleWidget::historyKey() const
{
    if (!m_target)
        return {};
    // describe() never holds the password.
    return m_target->profile ? m_target->profile->name : m_target->settings.describe();
}

QList<QueryHistoryEntry> QueryConsoleWidget::historyEntries() const
{
    if (!m_target)
        return {};
    Result<QList<QueryHistoryEntry>> entries = QueryHistory(m_historyPath).entries(historyKey());
    return entries ? entries.value() : QList<QueryHistoryEntry>();
}

void QueryConsoleWidget::reloadHistory()
{
    m_historyBox->clear();
    const QList<QueryHistoryEntry> entries = historyEntries();
    for (const QueryHistoryEntry& entry : entries) {
        QString firstLine = entry.sql.simplified();
        if (firstLine.size() > 100)
            firstLine = firstLine.left(100) + QChar(0x2026);
        m_historyBox->addItem(entry.time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"))
                + QStringLiteral("  ") + firstLine,
            entry.sql);
        m_historyBox->setItemData(m_historyBox->count() - 1, entry.sql, Qt::ToolTipRole);
    }
    m_historyBox->setCurrentIndex(-1);
}

void QueryConsoleWidget::setSql(const QString& sql)
{
    m_editor->setPlainText(sql);
}

QString QueryConsoleWidget::sql() const
{
    return m_editor->toPlainText();
}

bool QueryConsoleWidget::isRunning() const
{
    return m_controller->isBusy();
}

QString QueryConsoleWidget::statusText() const
{
    return m_status->text();
}

QString QueryConsoleWidget::limitsText() const
{
    const ReadOnlyQuery::Options effective = options();
    return tr("Read-only transaction, rolled back; statement timeout %1 s; at most %2 rows.")
        .arg(effective.effectiveTimeoutSeconds())
        .arg(count(effective.rowLimit));
}

void QueryConsoleWidget::setStatus(const QString& text, bool problem)
{
    m_status->setText(text);
    m_status->setStyleSheet(problem ? QStringLiteral("color: #c62828;") : QString());
}

void QueryConsoleWidget::updateActions()
{
    const bool busy = m_controller->isBusy();
    const bool connected = m_target.has_value();
    const bool hasRows = m_model->table() && m_model->table()->columnCount() > 0;
    m_runAction->setEnabled(connected && !busy);
    m_runButton->setEnabled(m_runAction->isEnabled());
    m_runButton->setToolTip(connected ? m_runAction->toolTip() : tr("Connect to a database first"));
    m_cancelAction->setEnabled(busy);
    m_cancelButton->setEnabled(busy);
    m_copyCsvAction->setEnabled(hasRows);
    m_copyMarkdownAction->setEnabled(hasRows);
    m_exportAction->setEnabled(hasRows);
    m_exportButton->setEnabled(hasRows);
    m_historyBox->setEnabled(connected && m_historyBox->count() > 0);
}

void QueryConsoleWidget::run()
{
    if (!m_target || m_controller->isBusy())
        return;
    const QTextCursor cursor = m_editor->textCursor();
    QString text = sql();
    m_selectionFirstLine = 1;
    m_selectionFirstColumn = 1;
    if (cursor.hasSelection()) {
        // QTextCursor separates lines with U+2029.
        text = cursor.selectedText().replace(QChar(0x2029), QLatin1Char('\n'));
        const QTextBlock first = m_editor->document()->findBlock(cursor.selectionStart());
        m_selectionFirstLine = first.blockNumber() + 1;
        m_selectionFirstColumn = cursor.selectionStart() - first.position() + 1;
    }
    if (text.trimmed().isEmpty()) {
        setStatus(tr("Nothing to run: type a query first."), true);
        return;
    }
    if (std::optional<Error> error = QueryHistory(m_historyPath).add(historyKey(), text))
        qWarning("dbops: %s", qPrintable(error->toString()));
    reloadHistory();
    m_controller->run(*m_target, text, options());
    setStatus(tr("Running… %1").arg(limitsText()), false);
    updateActions();
}

void QueryConsoleWidget::cancel()
{
    if (!m_controller->isBusy())
        return;
    m_controller->cancel();
    setStatus(tr("Cancelling…"), false);
}

void QueryConsoleWidget::showResult(const QueryResult& result)
{
    m_result = result;
    if (result.ok()) {
        m_model->setTable(result.table);
        fitColumns();
        QString text;
        if (result.table && result.table->columnCount() == 0)
            text = tr("%1 in %2.")
                       .arg(result.commandTag.isEmpty() ? tr("Done") : result.commandTag,
                           duration(result.milliseconds));
        else if (result.truncated)
            text = tr("The first %1 rows in %2: more were not fetched (the console's limit).")
                       .arg(count(result.rowCount()), duration(result.milliseconds));
        else
            text = (result.rowCount() == 1 ? tr("1 row in %1.")
                                           : tr("%1 rows in %2.").arg(count(result.rowCount())))
                       .arg(duration(result.milliseconds));
        if (result.statementCount > 1)
            text += QLatin1Char(' ')
                + tr("%1 statements ran; the last one's result is shown.").arg(result.statementCount);
        for (const ServerNotice& notice : result.notices)
            text += QStringLiteral(" %1: %2").arg(notice.severity, notice.message);
        setStatus(text + QLatin1Char(' ') + limitsText(), false);
    } else {
        QString what;
        switch (result.status) {
        case QueryResult::Status::Refused:
            what = tr("Refused");
            break;
        case QueryResult::Status::Cancelled:
            what = tr("Cancelled");
            break;
        default:
            what = tr("Failed");
            break;
        }
        QString text = what;
        if (result.error) {
            Error error = *result.error;
            // Lines and columns of the text that ran; in the editor a selection starts elsewhere.
            if (error.line > 0) {
                if (error.line == 1 && error.column > 0)
                    error.column += m_selectionFirstColumn - 1;
                error.line += m_selectionFirstLine - 1;
                text += tr(" (line %1%2)")
                            .arg(error.line)
                            .arg(error.column > 0 ? tr(", column %1").arg(error.column) : QString());
                const QTextBlock block = m_editor->document()->findBlockByNumber(error.line - 1);
                if (block.isValid()) {
                    QTextCursor cursor(block);
                    cursor.movePosition(QTextCursor::Right, QTextCursor::MoveAnchor,
                        std::min(std::max(error.column - 1, 0), block.length() - 1));
                    m_editor->setTextCursor(cursor);
                }
            }
            text += QStringLiteral(": ") + error.message;
            if (!error.sqlState.isEmpty())
                text += QStringLiteral(" [SQLSTATE %1]").arg(error.sqlState);
            if (!error.detail.isEmpty())
                text += QStringLiteral(" DETAIL: ") + error.detail;
            if (!error.hint.isEmpty())
                text += QStringLiteral(" HINT: ") + error.hint;
        }
        setStatus(text, true);
    }
    updateActions();
    Q_EMIT resultShown(result);
}

void QueryConsoleWidget::fitColumns()
{
    const std::shared_ptr<const QueryTable>& table = m_model->table();
    if (!table)
        return;
    // From the header and the first rows only: measuring 100,000 rows would stall the window.
    const QFontMetrics metrics(m_view->font());
    const QFontMetrics headerMetrics(m_view->horizontalHeader()->font());
    const int rows = std::min(table->rowCount(), 200);
    // A long value may take up to half the view (a check's "10 active: ...,
    // Short Interest" must be readable without resizing by hand).
    const int widest = std::max(400, m_view->viewport()->width() / 2);
    std::vector<int> wanted;
    int used = 0;
    for (int column = 0; column < table->columnCount(); ++column) {
        int width = headerMetrics.horizontalAdvance(table->columns().at(column).name) + 24;
        for (int row = 0; row < rows; ++row) {
            const QString text
                = table->isNull(row, column) ? QStringLiteral("NULL") : table->displayText(row, column, 200);
            width = std::max(width, metrics.horizontalAdvance(text) + 16);
        }
        wanted.push_back(width);
        used += std::min(width, widest);
    }
    // What the view has left goes to the columns that were cut short.
    int spare = std::max(0, m_view->viewport()->width() - used);
    for (int column = 0; column < table->columnCount(); ++column) {
        const int want = wanted[static_cast<size_t>(column)];
        const int extra = std::min(spare, std::max(0, want - widest));
        spare -= extra;
        m_view->setColumnWidth(column, std::min(want, widest) + extra);
    }
}

QString QueryConsoleWidget::selectionText(CopyFormat format) const
{
    const std::shared_ptr<const QueryTable>& table = m_model->table();
    if (!table || table->columnCount() == 0)
        return {};
    QList<int> rows;
    QList<int> columns;
    selectedRowsAndColumns(m_view->selectionModel(), *table, &rows, &columns);
    return format == CopyFormat::Csv ? QueryResultFormat::csv(*table, rows, columns)
                                     : QueryResultFormat::markdown(*table, rows, columns);
}

void QueryConsoleWidget::copyAsCsv()
{
    const QString text = selectionText(CopyFormat::Csv);
    if (!text.isEmpty())
        QApplication::clipboard()->setText(text);
}

void QueryConsoleWidget::copyAsMarkdown()
{
    const QString text = selectionText(CopyFormat::Markdown);
    if (!text.isEmpty())
        QApplication::clipboard()->setText(text);
}

bool QueryConsoleWidget::exportCsvTo(const QString& path, QString* error)
{
    auto fail = [this, error](const QString& message) {
        if (error)
            *error = message;
        setStatus(tr("Export failed: %1").arg(message), true);
        return false;
    };
    const std::shared_ptr<const QueryTable>& table = m_model->table();
    if (!table || table->columnCount() == 0)
        return fail(tr("there is no result to export"));
    // The result is data from the database: the file is the owner's alone.
    if (std::optional<Error> problem = PrivateFiles::ensureFileIn(path, PrivateFiles::Folder::Chosen))
        return fail(problem->message);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fail(file.errorString());
    if (!QueryResultFormat::writeCsv(*table, file)) {
        file.cancelWriting();
        return fail(file.errorString());
    }
    if (!file.commit())
        return fail(file.errorString());
    if (std::optional<Error> problem = PrivateFiles::restrict(path))
        return fail(problem->message);
    const QString where = QDir::toNativeSeparators(QFileInfo(path).absoluteFilePath());
    setStatus(tr("Wrote %1 rows to %2.").arg(count(table->rowCount()), where), false);
    return true;
}

void QueryConsoleWidget::exportCsv()
{
    if (!m_model->table() || m_model->table()->columnCount() == 0)
        return;
    const QString path = QFileDialog::getSaveFileName(this, tr("Export the result as CSV"),
        QDir::home().filePath(QStringLiteral("query-result.csv")), tr("CSV files (*.csv);;All files (*)"));
    if (!path.isEmpty())
        exportCsvTo(path);
}

void QueryConsoleWidget::showResultMenu(const QPoint& position)
{
    QMenu menu(this);
    menu.addAction(m_copyCsvAction);
    menu.addAction(m_copyMarkdownAction);
    menu.addSeparator();
    menu.addAction(m_exportAction);
    menu.exec(m_view->viewport()->mapToGlobal(position));
}

bool QueryConsoleWidget::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_editor && event->type() == QEvent::KeyPress) {
        auto* key = static_cast<QKeyEvent*>(event);
        if ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter)
            && (key->modifiers() & Qt::ControlModifier)) {
            run();
            return true;
        }
    }
    // The view copies only its current cell on Ctrl+C; the console copies the selection as CSV.
    if (watched == m_view
        && (event->type() == QEvent::ShortcutOverride || event->type() == QEvent::KeyPress)) {
        auto* key = static_cast<QKeyEvent*>(event);
        const bool copy = key->matches(QKeySequence::Copy);
        const bool markdown
            = key->key() == Qt::Key_C && key->modifiers() == (Qt::ControlModifier | Qt::ShiftModifier);
        if (copy || markdown) {
            event->accept();
            if (event->type() == QEvent::KeyPress) {
                if (markdown)
                    copyAsMarkdown();
                else
                    copyAsCsv();
            }
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void QueryConsoleWidget::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && m_editor) {
        delete m_highlighter;
        // This widget's palette: the editor's may not have changed yet when
        // the parent is told (a dark theme would keep light colours).
        m_highlighter = SqlHighlighting::attach(m_editor->document(), palette());
    }
}

} // namespace dbops::ui
