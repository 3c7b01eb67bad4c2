#pragma once

#include "catalog/CatalogReader.h"
#include "common/Error.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <cstdlib>
#include <functional>
#include <libpq-fe.h>
#include <memory>
#include <optional>

namespace dbops {

class ConnectionSettings;

/// Sends a catalog read's statements on one libpq connection and hands each
/// result over as it arrives.  With libpq's pipeline mode everything goes out
/// at once, so the server works through the queries while the client turns
/// the previous results into the snapshot: one round trip, and client and
/// server work side by side.  Each batch ends at a sync point, so a later
/// batch (ROLLBACK) runs also when a statement of an earlier one failed.
/// The reader talks to libpq directly: QSqlQuery turns every field of every
/// row into a QVariant, and sends one statement at a time.
class LibpqPipeline
{
public:
    struct ResultDeleter
    {
        void operator()(PGresult* result) const { PQclear(result); }
    };
    using ResultPointer = std::unique_ptr<PGresult, ResultDeleter>;

    /// One query's rows, read by column number: the numbers are looked up
    /// once per query (`column`), the values straight from libpq's buffer.
    class Rows
    {
    public:
        explicit Rows(const PGresult* result)
            : m_result(result)
        { }

        int count() const { return PQntuples(m_result); }
        /// The column's number; records a missing one, which `error` then names.
        int column(const char* name)
        {
            const int number = PQfnumber(m_result, name);
            if (number < 0 && m_missing.isEmpty())
                m_missing = QString::fromLatin1(name);
            return number;
        }
        const QString& missingColumn() const { return m_missing; }

        QString text(int row, int column) const
        {
            return QString::fromUtf8(PQgetvalue(m_result, row, column), PQgetlength(m_result, row, column));
        }
        const char* value(int row, int column) const { return PQgetvalue(m_result, row, column); }
        int length(int row, int column) const { return PQgetlength(m_result, row, column); }
        bool boolean(int row, int column) const { return PQgetvalue(m_result, row, column)[0] == 't'; }
        quint32 oid(int row, int column) const
        {
            return static_cast<quint32>(std::strtoul(PQgetvalue(m_result, row, column), nullptr, 10));
        }

    private:
        const PGresult* m_result;
        QString m_missing;
    };

    /// A statement of the read and what to do with its rows.
    struct Statement
    {
        QString name; ///< names a catalog query in errors; empty for BEGIN, SET, ROLLBACK
        QByteArray sql;
        QList<QByteArray> parameters;
        std::function<std::optional<Error>(Rows&)> rows;
        /// Where the result goes instead of `rows`, to be handed over later (`handOver`):
        /// for a helper connection's results, read in another thread.
        ResultPointer* keep = nullptr;

        /// Hands a result to the row handler; names the query in an error.
        std::optional<Error> handOver(const PGresult* result) const;
    };

    LibpqPipeline(
        PGconn* connection, const ConnectionSettings& settings, CatalogReader::Statistics& statistics)
        : m_connection(connection)
        , m_settings(settings)
        , m_statistics(statistics)
    { }

    /// Runs the batches in order; the first error wins.
    std::optional<Error> run(const QList<QList<Statement>>& batches);

private:
    static void keepFirst(std::optional<Error>& first, std::optional<Error> next);
    static Error databaseError(
        PGconn* connection, const PGresult* result, const ConnectionSettings& settings);
    Error connectionError() const;
    bool send(const Statement& statement);
    std::optional<Error> receive(const Statement& statement);
#ifdef LIBPQ_HAS_PIPELINING
    std::optional<Error> receiveSync();
#endif

    PGconn* m_connection;
    const ConnectionSettings& m_settings;
    CatalogReader::Statistics& m_statistics;
};

} // namespace dbops
