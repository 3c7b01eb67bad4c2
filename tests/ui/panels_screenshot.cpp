// dbops-panel-shots: fills the schema audit and the data checks panels with
// the story of the bundled migrations (production at 19c513d3bf90, 23
// revisions behind head) and saves them as PNG, for docs/screenshots and for
// looking at the panels without the whole console.  Run it under a display
// (xvfb-run -a build/.../dbops-panel-shots OUTDIR); not a test.
#include "AuditPanel.h"
#include "ChecksPanel.h"
#include "ScreenshotSupport.h"
#include "catalog/CatalogSnapshot.h"
#include "catalog/SchemaDiff.h"
#include "checks/CheckRepository.h"

#include <QApplication>
#include <QCheckBox>
#include <QCommandLineParser>
#include <QDir>
#include <QPalette>
#include <QStyleFactory>
#include <QTest>
#include <algorithm>
#include <cstdio>

using namespace dbops;
using namespace dbops::ui;
using namespace dbops::ui::shots;

namespace {

template<typename T, typename Predicate> void removeIf(QList<T>& list, Predicate predicate)
{
    list.erase(std::remove_if(list.begin(), list.end(), predicate), list.end());
}

/// Production as the README tells it: at 19c513d3bf90, without what the 23
/// later revisions add (7 tables, 2 enums, 18 portfolio_snapshots columns and
/// their 5 CHECK constraints, 2 lookup indexes), plus the drift a real database collects:
/// an index created by hand and a column someone changed.
CatalogSnapshot productionFrom(const CatalogSnapshot& head)
{
    CatalogSnapshot actual = head;
    actual.revisions.clear();
    const QStringList laterTables { QStringLiteral("equity_changes"),
        QStringLiteral("position_realized_events"), QStringLiteral("batch_run_tracking"),
        QStringLiteral("spread_factor_definitions"), QStringLiteral("position_volatility"),
        QStringLiteral("ai_insights"), QStringLiteral("ai_insight_templates") };
    removeIf(actual.tables, [&](const CatalogTable& t) { return laterTables.contains(t.name); });
    actual.enums.clear(); // batch_run_status and insight_type both came later
    const QStringList laterColumnPrefixes { QStringLiteral("beta_"), QStringLiteral("realized_volatility"),
        QStringLiteral("expected_volatility"), QStringLiteral("volatility_"), QStringLiteral("hhi"),
        QStringLiteral("effective_num_positions"), QStringLiteral("top_"), QStringLiteral("target_price_") };
    auto later = [&](const QString& name) {
        return std::any_of(laterColumnPrefixes.begin(), laterColumnPrefixes.end(),
            [&](const QString& prefix) { return name.startsWith(prefix); });
    };
    for (CatalogTable& table : actual.tables) {
        if (table.name == QLatin1String("portfolio_snapshots")) {
            removeIf(table.columns, [&](const CatalogColumn& c) { return later(c.name); });
            const QStringList laterChecks { QStringLiteral("ck_portfolio_snapshots_beta_90d_r_squared"),
                QStringLiteral("ck_portfolio_snapshots_volatility_trend"),
                QStringLiteral("ck_portfolio_snapshots_volatility_percentile"),
                QStringLiteral("ck_portfolio_snapshots_hhi_range"),
                QStringLiteral("ck_portfolio_snapshots_target_price_coverage") };
            removeIf(
                table.constraints, [&](const CatalogConstraint& c) { return laterChecks.contains(c.name); });
            removeIf(table.indexes, [](const CatalogIndex& i) {
                return i.name == QLatin1String("ix_portfolio_snapshots_portfolio_latest");
            });
        }
        if (table.name == QLatin1String("target_prices"))
            removeIf(table.indexes,
                [](const CatalogIndex& i) { return i.name == QLatin1String("ix_target_prices_symbol"); });
        if (table.name == QLatin1String("positions"))
            table.indexes.append(CatalogIndex { QStringLiteral("ix_positions_symbol_tmp"),
                QStringLiteral(
                    "CREATE INDEX ix_positions_symbol_tmp ON public.positions USING btree (symbol, "
                    "portfolio_id)") });
        if (table.name == QLatin1String("market_data_cache")) {
            for (CatalogColumn& column : table.columns) {
                if (column.name == QLatin1String("volume"))
                    column.type = QStringLiteral("integer");
            }
        }
    }
    actual.sort();
    return actual;
}

CheckOutcome outcome(
    const CheckRepository& repository, const QString& name, const QList<CheckRow>& rows, qint64 ms)
{
    CheckOutcome o;
    o.name = name;
    if (const CheckDefinition* check = repository.check(name)) {
        o.description = check->description;
        o.filePath = check->filePath;
        o.line = check->query.line;
    }
    o.rows = rows;
    o.milliseconds = ms;
    return o;
}

/// After upgrading to head, before the data fix: the tables are there, but
/// 'Short Interest' is still active, so there are 10 active factors, not 9.
CheckReport failingChecks(const CheckRepository& repository)
{
    CheckReport report;
    report.outcomes.append(outcome(repository, QStringLiteral("active-style-macro-factors"),
        { CheckRow { QStringLiteral("active style/macro factors"), QStringLiteral("9 active"),
            QStringLiteral(
                "10 active: Growth, Interest Rate Sensitivity, Low Volatility, Market Beta, Momentum, "
                "Oil Price Sensitivity, Quality, Short Interest, Size, Value"),
            false } },
        4));
    QList<CheckRow> tables;
    for (const char* table : { "users", "portfolios", "positions", "portfolio_snapshots", "market_data_cache",
             "company_profiles", "target_prices", "factor_definitions", "factor_exposures",
             "batch_run_tracking", "equity_changes", "position_realized_events", "spread_factor_definitions",
             "position_volatility", "ai_insight_templates", "ai_insights" })
        tables.append(CheckRow { QStringLiteral("table ") + QLatin1String(table), QStringLiteral("present"),
            QStringLiteral("present"), true });
    report.outcomes.append(outcome(repository, QStringLiteral("migration-tables-present"), tables, 2));
    report.outcomes.append(outcome(repository, QStringLiteral("short-interest-inactive"),
        { CheckRow { QStringLiteral("Short Interest inactive"), QStringLiteral("is_active = false"),
            QStringLiteral("is_active = true"), false } },
        1));
    return report;
}

} // namespace

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Screenshots of the schema audit and data checks panels."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("outdir"), QStringLiteral("Where the PNG files go."));
    const QCommandLineOption migrations(QStringLiteral("migrations"), QStringLiteral("Migration repository."),
        QStringLiteral("DIR"), QStringLiteral(DBOPS_SOURCE_MIGRATIONS_DIR));
    const QCommandLineOption extras(QStringLiteral("extras"),
        QStringLiteral("Also a dark-palette audit with only problems (audit-dark.png) and the checks on a "
                       "read-only profile with the factor check selected (checks-readonly.png)."));
    parser.addOption(migrations);
    parser.addOption(extras);
    parser.process(app);
    const QString outdir = parser.positionalArguments().value(0, QStringLiteral("."));
    QDir().mkpath(outdir);
    const QString repositoryDir = parser.value(migrations);

    Result<CatalogSnapshot> head
        = CatalogSnapshot::readFile(repositoryDir + QStringLiteral("/schema/head.json"));
    if (!head) {
        std::fprintf(stderr, "%s\n", qPrintable(head.error().toString()));
        return 1;
    }
    Result<CheckRepository> checks = CheckRepository::load(repositoryDir);
    if (!checks) {
        std::fprintf(stderr, "%s\n", qPrintable(checks.error().toString()));
        return 1;
    }

    bool ok = true;
    {
        AuditPanel panel;
        panel.setWindowTitle(QStringLiteral("Schema audit"));
        AuditSubject subject;
        subject.database = QStringLiteral("dbops@prod-db.internal:5432/portfolio");
        subject.databaseRevisions = QStringList { QStringLiteral("19c513d3bf90") };
        subject.versionTableExists = true;
        subject.expectedSource = QStringLiteral("migrations/schema/head.json");
        subject.expectedRevisions = head->revisions;
        panel.setSubject(subject);
        panel.setTargetSuggestions({ QStringLiteral("792ffb1ab1ad"), QStringLiteral("19c513d3bf90") });
        panel.setPendingRevisionCount(23);
        panel.setReport(SchemaDiff::compare(*head, productionFrom(*head)));
        // As a DBA would look at it: only what is not as expected, so every
        // status that needs attention fits in one window.
        panel.onlyProblemsCheckBox()->setChecked(true);
        panel.resize(1280, 930);
        ok &= save(panel, outdir + QStringLiteral("/audit.png"));
        if (parser.isSet(extras)) {
            // The model picks text colours from the application palette.
            const QPalette light = QApplication::palette();
            QApplication::setPalette(darkPalette());
            panel.onlyProblemsCheckBox()->setChecked(false);
            panel.setReport(panel.report());
            ok &= save(panel, outdir + QStringLiteral("/audit-dark.png"));
            QApplication::setPalette(light);
        }
    }
    {
        ChecksPanel panel;
        panel.setWindowTitle(QStringLiteral("Data checks"));
        panel.setFixes(checks->fixes());
        panel.setWriteAllowed(true);
        panel.setReport(failingChecks(*checks));
        panel.selectCheck(QStringLiteral("short-interest-inactive"));
        panel.resize(1100, 540);
        ok &= save(panel, outdir + QStringLiteral("/checks.png"));
        if (parser.isSet(extras)) {
            panel.setWriteAllowed(false);
            panel.selectCheck(QStringLiteral("active-style-macro-factors"));
            ok &= save(panel, outdir + QStringLiteral("/checks-readonly.png"));
        }
    }
    return ok ? 0 : 1;
}
