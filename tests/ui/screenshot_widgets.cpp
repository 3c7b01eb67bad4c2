// dbops-widget-shots: renders the SQL preview and the revision timeline with
// the bundled migrations and saves them as PNG, for docs/screenshots and for
// looking at the widgets without the whole console.  Run it under a display
// (xvfb-run -a build/.../dbops-widget-shots OUTDIR); not a test.
#include "FindBar.h"
#include "FindingsModel.h"
#include "RevisionTimelineModel.h"
#include "RevisionTimelineView.h"
#include "ScreenshotSupport.h"
#include "SqlEditor.h"
#include "SqlPreviewPanel.h"
#include "lint/LintConfig.h"
#include "migrations/MigrationFileParser.h"
#include "migrations/MigrationRepository.h"
#include "render/SqlScriptRenderer.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QStyleFactory>
#include <QTableView>
#include <QTest>
#include <cstdio>

using namespace dbops;
using namespace dbops::ui;
using namespace dbops::ui::shots;

namespace {

// A small repository with branches, a merge and a second head, to see lanes.
RevisionGraph branchyGraph()
{
    const QStringList specs { QStringLiteral("a1b2c3d4e5f6:none:init schema"),
        QStringLiteral("b2c3d4e5f6a1:a1b2c3d4e5f6:add accounts"),
        QStringLiteral("c3d4e5f6a1b2:b2c3d4e5f6a1:add billing tables"),
        QStringLiteral("d4e5f6a1b2c3:b2c3d4e5f6a1:add reporting views"),
        QStringLiteral("e5f6a1b2c3d4:c3d4e5f6a1b2:billing indexes"),
        QStringLiteral("f6a1b2c3d4e5:e5f6a1b2c3d4,d4e5f6a1b2c3:merge billing and reporting"),
        QStringLiteral("0a1b2c3d4e5f:f6a1b2c3d4e5:add audit log"),
        QStringLiteral("1b2c3d4e5f6a:d4e5f6a1b2c3:experimental search"),
        QStringLiteral("2c3d4e5f6a1b:0a1b2c3d4e5f:partition audit log") };
    RevisionList revisions;
    for (const QString& spec : specs) {
        const QStringList parts = spec.split(QLatin1Char(':'));
        const QString text
            = QStringLiteral("-- revision: %1\n-- down_revision: %2\n-- message: %3\n"
                             "-- create_date: 2025-10-0%4 10:00:00\n\n-- +upgrade\nSELECT 1;\n\n"
                             "-- +downgrade\nSELECT 1;\n")
                  .arg(parts.at(0), parts.at(1), parts.at(2))
                  .arg(revisions.size() % 9 + 1);
        Result<Revision> revision
            = MigrationFileParser::parseText(text, parts.at(0) + QStringLiteral(".sql"));
        if (!revision)
            qFatal("%s", qPrintable(revision.error().toString()));
        revisions.append(revision.value());
    }
    Result<RevisionGraph> graph = RevisionGraph::build(revisions);
    if (!graph)
        qFatal("%s", qPrintable(graph.error().toString()));
    return graph.value();
}

} // namespace

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Screenshots of the SQL preview and the revision timeline."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("outdir"), QStringLiteral("Where the PNG files go."));
    const QCommandLineOption migrations(QStringLiteral("migrations"), QStringLiteral("Migration repository."),
        QStringLiteral("DIR"), QStringLiteral(DBOPS_SOURCE_MIGRATIONS_DIR));
    const QCommandLineOption extras(QStringLiteral("extras"),
        QStringLiteral(
            "Also a dark-theme preview and a branchy timeline (file names end in -dark, -branches)."));
    parser.addOption(migrations);
    parser.addOption(extras);
    parser.process(app);
    const QString outdir = parser.positionalArguments().value(0, QStringLiteral("."));
    QDir().mkpath(outdir);

    Result<MigrationRepository> repository = MigrationRepository::load(parser.value(migrations));
    if (!repository) {
        std::fprintf(stderr, "%s\n", qPrintable(repository.error().toString()));
        return 1;
    }
    const RevisionGraph& graph = repository->graph();
    const QString from = QStringLiteral("19c513d3bf90");
    Result<MigrationPlan> plan = graph.upgradePlan({ from }, QStringLiteral("head"));
    if (!plan) {
        std::fprintf(stderr, "%s\n", qPrintable(plan.error().toString()));
        return 1;
    }
    const RenderedScript script = SqlScriptRenderer::render(*plan, graph);

    bool ok = true;
    {
        SqlPreviewPanel panel;
        panel.setWindowTitle(QStringLiteral("SQL preview: upgrade %1 -> head").arg(from));
        panel.resize(1200, 720);
        panel.setScript(script, &graph);
        panel.editor()->setSuggestedFileName(QStringLiteral("upgrade_%1_head.sql").arg(from));
        // Show a step with markers, and the find bar in use, as a user would
        // after the window is up (the editor has its real size only then).
        showAndSettle(panel);
        panel.editor()->goToRevision(2);
        panel.editor()->showFindBar();
        panel.editor()->findBar()->activate(QStringLiteral("equity_changes"));
        panel.editor()->findNext(QStringLiteral("equity_changes"));
        ok &= save(panel, outdir + QStringLiteral("/sql-preview.png"));
        if (parser.isSet(extras)) {
            panel.setPalette(darkPalette());
            panel.setScript(script, &graph);
            panel.editor()->goToRevision(2);
            ok &= save(panel, outdir + QStringLiteral("/sql-preview-dark.png"));
        }
    }
    {
        // The SQL tab with the lint findings of the same upgrade: the gutter's
        // severity marks and the Findings list, the first finding clicked.
        SqlPreviewPanel panel;
        panel.setWindowTitle(QStringLiteral("SQL preview: findings of upgrade %1 -> head").arg(from));
        panel.resize(1200, 760);
        if (Result<LintConfig> config = LintConfig::forRepository(repository->directory()))
            panel.setLintConfig(*config);
        panel.setScript(script, &graph);
        panel.setHeading(
            QStringLiteral("Upgrade %1 \u2192 head, %2 revisions").arg(from).arg(plan->steps.size()));
        showAndSettle(panel);
        QTableView* findings = panel.findingsView();
        if (panel.findingsModel()->rowCount() > 0) {
            const QModelIndex first = panel.findingsModel()->index(0, FindingsModel::MessageColumn);
            QTest::mouseClick(findings->viewport(), Qt::LeftButton, {}, findings->visualRect(first).center());
        }
        ok &= save(panel, outdir + QStringLiteral("/sql-findings.png"));
    }
    {
        RevisionTimelineModel model;
        model.setGraph(&graph);
        model.setCurrentHeads({ from });
        RevisionTimelineView view;
        view.setModel(&model);
        view.setWindowTitle(QStringLiteral("Revision timeline"));
        view.resize(1100, 820);
        ok &= save(view, outdir + QStringLiteral("/timeline.png"));
    }
    if (parser.isSet(extras)) {
        const RevisionGraph branches = branchyGraph();
        RevisionTimelineModel model;
        model.setGraph(&branches);
        model.setCurrentHeads({ QStringLiteral("f6a1b2c3d4e5"), QStringLiteral("1b2c3d4e5f6a") });
        RevisionTimelineView view;
        view.setModel(&model);
        view.resize(900, 300);
        ok &= save(view, outdir + QStringLiteral("/timeline-branches.png"));
        view.setPalette(darkPalette());
        ok &= save(view, outdir + QStringLiteral("/timeline-branches-dark.png"));
    }
    return ok ? 0 : 1;
}
