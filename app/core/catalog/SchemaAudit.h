#pragma once

#include "catalog/AuditReport.h"
#include "catalog/CatalogSnapshot.h"
#include "common/Result.h"
#include "connection/ConnectionTarget.h"

namespace dbops {

class DatabaseConnection;
class MigrationRepository;

/// An audit end to end, shared by `dbops audit`, the stamp guard and the
/// console: what the schema should be at a revision, and how the live
/// database compares.
class SchemaAudit
{
public:
    /// <repository>/schema/head.json, written by `dbops snapshot`.
    static QString headSnapshotPath(const MigrationRepository& repository);

    /// Where throwaway replays run: an explicit URL, else the profile's shadow
    /// URL, else the target database's own server (dbname=postgres).
    static Result<ConnectionSettings> shadowServer(
        const ConnectionTarget& target, const QString& explicitUrl = {});

    /// The expected schema at `target` (a specifier): the committed head
    /// snapshot when `target` is the repository's head(s) and the file exists,
    /// else a replay on `shadow`.
    static Result<CatalogSnapshot> expectedAt(const MigrationRepository& repository, const QString& target,
        const ConnectionTarget& connectionTarget, const QString& shadowUrl = {});

    /// Reads the live catalog (the schemas `expected` names, bookkeeping
    /// tables left out) and compares.
    static Result<AuditReport> compare(
        DatabaseConnection& connection, const CatalogSnapshot& expected, const QString& versionTable);
    /// The live side of compare(): `schemas` of the database, bookkeeping tables left out.
    static Result<CatalogSnapshot> readActual(
        DatabaseConnection& connection, const QStringList& schemas, const QString& versionTable);

    /// "table equity_changes", "column portfolio_snapshots.hhi" ... for every MISSING item
    /// that stands on its own (parts of a missing table are covered by it).
    static QStringList missingObjects(const AuditReport& report);
};

} // namespace dbops
