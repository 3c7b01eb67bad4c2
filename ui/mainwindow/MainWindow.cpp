#include "MainWindow.h"

#include "SqlHighlighter.h"
#include "migrations/MigrationRepository.h"
#include "render/SqlScriptRenderer.h"

#include <QFontDatabase>
#include <QHeaderView>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QStatusBar>
#include <QTreeWidget>

namespace dbops::ui {

MainWindow::MainWindow(const QString& migrationsDirectory, QWidget* parent)
    : QMainWindow(parent)
{
    setWindowTitle(tr("DbOps Console"));
    auto* splitter = new QSplitter(this);
    m_history = new QTreeWidget(splitter);
    m_history->setHeaderLabels({ tr("Revision"), tr("Message"), tr("Date") });
    m_history->setRootIsDecorated(false);
    m_history->setAccessibleName(tr("Revision history"));
    m_preview = new QPlainTextEdit(splitter);
    m_preview->setReadOnly(true);
    m_preview->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_preview->setAccessibleName(tr("SQL preview"));
    SqlHighlighting::attach(m_preview->document());
    splitter->setStretchFactor(1, 2);
    setCentralWidget(splitter);
    resize(1100, 700);

    connect(m_history, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
        if (item)
            showRevision(item->text(0));
    });
    loadRepository(migrationsDirectory.isEmpty() ? MigrationRepository::defaultDirectory() : migrationsDirectory);
}

MainWindow::~MainWindow() = default;

void MainWindow::loadRepository(const QString& directory)
{
    m_directory = directory;
    Result<MigrationRepository> repository = MigrationRepository::load(directory);
    if (!repository) {
        statusBar()->showMessage(repository.error().toString());
        return;
    }
    m_repository = std::make_unique<MigrationRepository>(std::move(repository).value());
    const RevisionGraph& graph = m_repository->graph();
    for (const QString& id : graph.historyOrder()) {
        const Revision& r = graph.revision(id);
        new QTreeWidgetItem(m_history, { id, r.message, r.createDate });
    }
    m_history->header()->resizeSections(QHeaderView::ResizeToContents);
    statusBar()->showMessage(tr("%1 revisions, head %2").arg(graph.size()).arg(graph.heads().join(QStringLiteral(", "))));
    if (m_history->topLevelItemCount() > 0)
        m_history->setCurrentItem(m_history->topLevelItem(0));
}

void MainWindow::showRevision(const QString& id)
{
    if (!m_repository)
        return;
    const RevisionGraph& graph = m_repository->graph();
    const Revision& r = graph.revision(id);
    Result<MigrationPlan> plan = graph.upgradePlan(r.downRevisions, id);
    if (!plan) {
        m_preview->setPlainText(plan.error().toString());
        return;
    }
    m_preview->setPlainText(SqlScriptRenderer::render(*plan, graph).text());
}

} // namespace dbops::ui
