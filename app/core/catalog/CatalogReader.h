#pragma once

#include "catalog/CatalogSnapshot.h"
#include "common/Result.h"

#include <functional>

namespace dbops {

class DatabaseConnection;

/// Reads a database's schema objects into a CatalogSnapshot.  One bulk
/// pg_catalog query per object kind (tables, columns, indexes, constraints,
/// enums, views, sequences), never one per table: an audit of a large schema
/// over a slow link costs the same handful of round trips as a small one.
/// The queries live in app/core/catalog/sql/*.sql, compiled in as a resource.
/// The tables query goes first; the others take the oids it returned (so the
/// filter that picks the audited tables runs once), the per-table ones in
/// slices of a few thousand tables (kTablesPerStatement in the .cpp: no
/// result holds 400,000 columns at once), and go out together in one libpq
/// pipeline (LibpqPipeline): the server runs the next query while the client
/// turns the previous rows into the snapshot (CatalogSnapshotBuilder).  Some
/// of them go to a second connection in the same snapshot
/// (SnapshotHelperConnection, Options::helperConnection), so that two server
/// processes share the catalog work.
class CatalogReader
{
public:
    struct Options
    {
        QStringList schemas { QStringLiteral("public") };
        /// Tables that are the tool's bookkeeping, not the application's
        /// schema: "name" (in any audited schema) or "schema.name".
        QStringList excludedTables { QStringLiteral("alembic_version"), QStringLiteral("dbops_journal"),
            QStringLiteral("dbops_applied_revisions") };
        /// Split the queries over this connection and a second one to the same
        /// database, in the same snapshot, so two server processes share the
        /// catalog work.  Without a free connection slot (or where the server
        /// refuses the snapshot) the read simply stays on this connection.
        /// Off where the database is dropped right after the read (a shadow
        /// replay): the second server process might still be ending then.
        bool helperConnection = true;
        /// A snapshot the read is likely to equal (an audit's expected side),
        /// once there (nullptr until then; it may be parsed meanwhile): each
        /// table's columns, indexes and constraints that equal its take its
        /// lists, shared, instead of a copy.  20,000 tables are not held twice.
        std::function<const CatalogSnapshot*()> sharedWith;
    };

    /// What a read cost, to hold the design to its promise.
    struct Statistics
    {
        int statements = 0; ///< every statement sent, the transaction's included
        /// Times the reader sent statements and waited for their results: 3
        /// with libpq's pipeline mode (libpq 14 and later: the tables, the
        /// rest, the end), one or two more where it asks pg_get_indexdef or
        /// pg_get_constraintdef for definitions it does not compose itself; else one per
        /// statement.  The same for any number of tables.
        int roundTrips = 0;
        int connections = 0; ///< 2 when a helper connection did its part
        /// Plain index and constraint definitions the reader could not
        /// compose from their parts and asked the server's pg_get_indexdef
        /// or pg_get_constraintdef for (a foreign key to a table outside the
        /// audit, a collation of an index's own ...).
        int definitionsAsked = 0;
    };

    /// The catalog queries per read (statements up to 4,000 tables: a larger
    /// schema's per-table queries are one statement per slice of 4,000).
    static constexpr int kCatalogQueries = 8;
    /// The catalog queries a helper connection takes over (Options::helperConnection).
    static constexpr int kHelperQueries = 3;
    /// Every statement of a read alone: the catalog queries inside BEGIN, SET LOCAL and ROLLBACK.
    static constexpr int kStatementsPerRead = kCatalogQueries + 3;
    /// Every statement of a split read: that, pg_export_snapshot on the main
    /// connection, and BEGIN, SET TRANSACTION SNAPSHOT, SET LOCAL and ROLLBACK on the helper.
    static constexpr int kStatementsPerSplitRead = kStatementsPerRead + 1 + 4;

    /// Reads in its own read-only REPEATABLE READ transaction, so every query
    /// sees the same catalog: call it outside a transaction block, with no
    /// QSqlQuery of the connection still fetching rows (an Internal error otherwise).
    static Result<CatalogSnapshot> read(
        DatabaseConnection& connection, const Options& options, Statistics* statistics = nullptr);
    static Result<CatalogSnapshot> read(
        DatabaseConnection& connection, const QStringList& schemas = { QStringLiteral("public") });

    /// The text of one catalog query ("tables", "columns" ...), comments removed.
    static Result<QString> query(const QString& name);
};

} // namespace dbops
