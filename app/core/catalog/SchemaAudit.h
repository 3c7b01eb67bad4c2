#pragma once

#include "catalog/AuditReport.h"
#include "catalog/CatalogSnapshot.h"
#include "common/Result.h"
#include "connection/ConnectionTarget.h"

#include <memory>

namespace dbops {

class DatabaseConnection;
class LocalShadowServer;
class MigrationRepository;

/// An audit end to end, shared by `dbops audit`, the stamp guard and the
/// console: what the schema should be at a revision, and how the live
/// database compares.
class SchemaAudit
{
public:
    /// <repository>/schema/head.json, written by `dbops snapshot`.
    static QString headSnapshotPath(const MigrationRepository& repository);

    /// Where a throwaway replay runs.  When dbops started that server itself,
    /// `local` holds it: it stops when the last copy of this value goes, so
    /// keep the value until the replay is done.
    struct ShadowServer
    {
        ConnectionSettings settings;
        std::shared_ptr<LocalShadowServer> local;

        /// "postgres@db:5432/postgres", or the local server's description.
        QString describe() const;
    };

    /// Where throwaway replays run: an explicit URL, else the profile's shadow
    /// URL, else the target database's own server (dbname=postgres).  A
    /// read-only profile never writes to its server, so without a URL it gets
    /// a throwaway local server started now (LocalShadowServer; the major of
    /// `targetServerVersion`, e.g. 150004, when installed), and when none can
    /// be started an error that says how to configure a shadow server.
    static Result<ShadowServer> shadowServer(
        const ConnectionTarget& target, const QString& explicitUrl = {}, int targetServerVersion = 0);

    /// The expected schema at `target` (a specifier): the committed head
    /// snapshot when `target` is the repository's head(s) and the file exists,
    /// else a replay on shadowServer(connectionTarget, shadowUrl, targetServerVersion).
    static Result<CatalogSnapshot> expectedAt(const MigrationRepository& repository, const QString& target,
        const ConnectionTarget& connectionTarget, const QString& shadowUrl = {}, int targetServerVersion = 0);

    /// Reads the live catalog (the schemas `expected` names, bookkeeping
    /// tables left out) and compares.
    static Result<AuditReport> compare(
        DatabaseConnection& connection, const CatalogSnapshot& expected, const QString& versionTable);
    /// The live side of compare(): `schemas` of the database, bookkeeping tables left out.
    /// With `sharedWith` (CatalogReader::Options::sharedWith), what equals
    /// the expected side is shared with it rather than held twice.
    static Result<CatalogSnapshot> readActual(DatabaseConnection& connection, const QStringList& schemas,
        const QString& versionTable, std::function<const CatalogSnapshot*()> sharedWith = {});

    /// "table equity_changes", "column portfolio_snapshots.hhi" ... for every MISSING item
    /// that stands on its own (parts of a missing table are covered by it).
    static QStringList missingObjects(const AuditReport& report);
};

} // namespace dbops
