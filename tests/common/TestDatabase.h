#pragma once

// A fresh database at a revision of the bundled migrations, built by the real
// runner: what the console's tests connect to (tests/with-postgres.sh gives
// the server's URL in DBOPS_TEST_PG_URL).
#include "connection/DatabaseConnection.h"
#include "migrations/MigrationRepository.h"
#include "render/SqlScriptRenderer.h"
#include "runner/MigrationRunner.h"

namespace dbops::testing {

/// Drops and creates database `name` on the server of `adminUrl`, upgrades it
/// to `revision` and returns its URL (no password).  Fails the process on any error.
inline QString databaseAt(const QString& adminUrl, const QString& name, const QString& revision)
{
    Result<std::unique_ptr<DatabaseConnection>> admin
        = DatabaseConnection::open(*ConnectionSettings::parse(adminUrl));
    if (!admin)
        qFatal("%s", qPrintable(admin.error().toString()));
    admin.value()->exec(QStringLiteral("DROP DATABASE IF EXISTS %1").arg(name));
    admin.value()->exec(QStringLiteral("CREATE DATABASE %1").arg(name));
    ConnectionSettings settings = *ConnectionSettings::parse(adminUrl);
    settings.setValue(QStringLiteral("dbname"), name);
    Result<std::unique_ptr<DatabaseConnection>> db = DatabaseConnection::open(settings);
    if (!db)
        qFatal("%s", qPrintable(db.error().toString()));
    const Result<MigrationRepository> repository
        = MigrationRepository::load(QStringLiteral(DBOPS_SOURCE_MIGRATIONS_DIR));
    const MigrationPlan plan = *repository->graph().upgradePlan({}, revision);
    MigrationRunner runner(*db.value(), RunOptions());
    const RunResult result = runner.run(plan, SqlScriptRenderer::render(plan, repository->graph()));
    if (!result.ok())
        qFatal("%s", qPrintable(result.error.toString()));
    return settings.toUrlWithoutPassword();
}

} // namespace dbops::testing
