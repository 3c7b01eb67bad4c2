#pragma once

#include <QMainWindow>

#include <memory>

class QPlainTextEdit;
class QTreeWidget;

namespace dbops {
class MigrationRepository;
}

namespace dbops::ui {

/// The console's main window.  For now: the revision history of the
/// repository and the SQL of the selected revision.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(const QString& migrationsDirectory, QWidget* parent = nullptr);
    ~MainWindow() override;

    QTreeWidget* historyView() const { return m_history; }
    QPlainTextEdit* sqlPreview() const { return m_preview; }

private:
    void loadRepository(const QString& directory);
    void showRevision(const QString& id);

    QTreeWidget* m_history = nullptr;
    QPlainTextEdit* m_preview = nullptr;
    QString m_directory;
    std::unique_ptr<MigrationRepository> m_repository;
};

} // namespace dbops::ui
