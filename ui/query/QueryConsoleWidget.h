#pragma once

#include "connection/ConnectionTarget.h"
#include "query/QueryHistory.h"
#include "query/QueryResult.h"
#include "query/ReadOnlyQuery.h"

#include <QWidget>
#include <optional>

class QAction;
class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableView;

namespace dbops {
class QueryController;
}

namespace dbops::ui {

class QueryResultModel;

/// The read-only query console, for support staff and engineers: a SQL
/// editor (the SQL preview's highlighting), Run (Ctrl+Enter; the selection
/// when there is one, else everything) and Cancel, a status line, and the
/// result in a table that copies as CSV (Ctrl+C) or Markdown (Ctrl+Shift+C)
/// and exports to a CSV file.  Its history of queries is per profile.
///
/// What may run is the core's decision (ReadOnlyQuery): reads only, in a READ
/// ONLY transaction that is rolled back, under a statement timeout, at most
/// 100,000 rows.  The queries run in a QueryController's thread, on a
/// connection of its own, so a long query never holds up the window or the
/// console's database worker.
///
/// Wiring: construct it, then setConnection(session->target()) whenever the
/// console connects to something else, clearConnection() on disconnect.
class QueryConsoleWidget : public QWidget
{
    Q_OBJECT
public:
    enum class CopyFormat
    {
        Csv,
        Markdown,
    };

    explicit QueryConsoleWidget(QWidget* parent = nullptr);
    ~QueryConsoleWidget() override;

    /// Where queries run (a profile's password is read from the keychain in
    /// the query thread, never here).  Loads that profile's history.
    void setConnection(const ConnectionTarget& target);
    /// The same, for a connection given by settings and a profile name.
    void setConnection(const ConnectionSettings& settings, const QString& profileName, bool readOnlyProfile);
    /// No connection: Run is disabled, a running query is cancelled.
    void clearConnection();
    bool hasConnection() const { return m_target.has_value(); }

    /// Timeout (0: the profile's statement timeout, else 30 s) and row limit.
    void setOptions(const ReadOnlyQuery::Options& options);
    ReadOnlyQuery::Options options() const;
    /// The history file (default: QueryHistory::defaultPath()); tests use their own.
    void setHistoryPath(const QString& path);
    /// What the history is kept under: the profile's name, else the connection's description.
    QString historyKey() const;
    QList<QueryHistoryEntry> historyEntries() const;

    void setSql(const QString& sql);
    QString sql() const;

    bool isRunning() const;
    const QueryResult& lastResult() const { return m_result; }
    QString statusText() const;

    /// The selected cells (their rows by their columns), or everything when
    /// nothing is selected, as text.
    QString selectionText(CopyFormat format) const;
    /// Writes the whole result as CSV to `path` (0600); false and why otherwise.
    bool exportCsvTo(const QString& path, QString* error = nullptr);

    QPlainTextEdit* editor() const { return m_editor; }
    QTableView* resultView() const { return m_view; }
    QueryResultModel* resultModel() const { return m_model; }
    QAction* runAction() const { return m_runAction; }
    QAction* cancelAction() const { return m_cancelAction; }
    QComboBox* historyBox() const { return m_historyBox; }

public Q_SLOTS:
    /// Runs the selection, or the whole text.
    void run();
    void cancel();
    void copyAsCsv();
    void copyAsMarkdown();
    /// Asks for a file name, then exportCsvTo().
    void exportCsv();

Q_SIGNALS:
    /// A run ended and its result (or why it did not run) is shown.
    void resultShown(const dbops::QueryResult& result);
    void runningChanged(bool running);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void showResult(const QueryResult& result);
    void setStatus(const QString& text, bool problem);
    QString limitsText() const;
    void updateActions();
    void reloadHistory();
    void fitColumns();
    void showResultMenu(const QPoint& position);

    QueryController* m_controller = nullptr;
    std::optional<ConnectionTarget> m_target;
    ReadOnlyQuery::Options m_options;
    QString m_historyPath;
    QueryResult m_result;
    int m_selectionFirstLine = 1; ///< of the text that ran: error lines are in it
    int m_selectionFirstColumn = 1;

    QPlainTextEdit* m_editor = nullptr;
    QObject* m_highlighter = nullptr;
    QTableView* m_view = nullptr;
    QueryResultModel* m_model = nullptr;
    QLabel* m_status = nullptr;
    QComboBox* m_historyBox = nullptr;
    QPushButton* m_runButton = nullptr;
    QPushButton* m_cancelButton = nullptr;
    QPushButton* m_exportButton = nullptr;
    QAction* m_runAction = nullptr;
    QAction* m_cancelAction = nullptr;
    QAction* m_copyCsvAction = nullptr;
    QAction* m_copyMarkdownAction = nullptr;
    QAction* m_exportAction = nullptr;
};

} // namespace dbops::ui
