#include "catalog/LibpqPipeline.h"

#include "connection/ConnectionSettings.h"

#include <vector>

namespace dbops {

Error LibpqPipeline::databaseError(
    PGconn* connection, const PGresult* result, const ConnectionSettings& settings)
{
    auto field = [result](int code) {
        return result ? QString::fromUtf8(PQresultErrorField(result, code)) : QString();
    };
    QString message = field(PG_DIAG_MESSAGE_PRIMARY);
    if (message.isEmpty())
        message
            = QString::fromUtf8(result ? PQresultErrorMessage(result) : PQerrorMessage(connection)).trimmed();
    if (message.isEmpty())
        message = QString::fromUtf8(PQerrorMessage(connection)).trimmed();
    Error error = Error::database(settings.redact(message), field(PG_DIAG_SQLSTATE));
    error.detail = settings.redact(field(PG_DIAG_MESSAGE_DETAIL));
    error.hint = field(PG_DIAG_MESSAGE_HINT);
    return error;
}

std::optional<Error> LibpqPipeline::Statement::handOver(const PGresult* result) const
{
    if (!rows)
        return std::nullopt;
    Rows read(result);
    std::optional<Error> error = rows(read);
    if (!error && !read.missingColumn().isEmpty())
        error = Error { Error::Kind::Internal,
            QStringLiteral("catalog query '%1' returns no column %2").arg(name, read.missingColumn()), {}, 0,
            0, {}, {}, {} };
    if (error && !name.isEmpty())
        error->message = QStringLiteral("reading the catalog (%1): %2").arg(name, error->message);
    return error;
}

std::optional<Error> LibpqPipeline::run(const QList<QList<Statement>>& batches)
{
#ifdef LIBPQ_HAS_PIPELINING
    if (!PQenterPipelineMode(m_connection))
        return connectionError();
    bool sent = true;
    for (const QList<Statement>& batch : batches) {
        for (const Statement& statement : batch)
            sent = sent && send(statement);
        sent = sent && PQpipelineSync(m_connection);
    }
    ++m_statistics.roundTrips;
    if (!sent) {
        std::optional<Error> error = connectionError();
        PQexitPipelineMode(m_connection);
        return error;
    }
    std::optional<Error> failure;
    for (const QList<Statement>& batch : batches) {
        for (const Statement& statement : batch)
            keepFirst(failure, receive(statement));
        keepFirst(failure, receiveSync());
    }
    if (!PQexitPipelineMode(m_connection))
        keepFirst(failure, connectionError());
    return failure;
#else
    std::optional<Error> failure;
    for (const QList<Statement>& batch : batches) {
        std::optional<Error> batchFailure;
        for (const Statement& statement : batch) {
            if (batchFailure)
                break;
            ++m_statistics.roundTrips;
            batchFailure = send(statement) ? receive(statement) : connectionError();
        }
        keepFirst(failure, std::move(batchFailure));
    }
    return failure;
#endif
}

void LibpqPipeline::keepFirst(std::optional<Error>& first, std::optional<Error> next)
{
    if (!first && next)
        first = std::move(next);
}

Error LibpqPipeline::connectionError() const
{
    return databaseError(m_connection, nullptr, m_settings);
}

bool LibpqPipeline::send(const Statement& statement)
{
    ++m_statistics.statements;
    std::vector<const char*> values;
    values.reserve(static_cast<size_t>(statement.parameters.size()));
    for (const QByteArray& parameter : statement.parameters)
        values.push_back(parameter.constData());
    return PQsendQueryParams(m_connection, statement.sql.constData(), static_cast<int>(values.size()),
               nullptr, values.data(), nullptr, nullptr, 0)
        != 0;
}

std::optional<Error> LibpqPipeline::receive(const Statement& statement)
{
    ResultPointer result(PQgetResult(m_connection));
    // The end of this statement's results (a NULL); never more than one result here.
    while (PGresult* extra = PQgetResult(m_connection))
        PQclear(extra);
    if (!result)
        return connectionError();
    std::optional<Error> error;
    switch (PQresultStatus(result.get())) {
    case PGRES_TUPLES_OK:
    case PGRES_COMMAND_OK:
        if (statement.keep)
            *statement.keep = std::move(result);
        else
            return statement.handOver(result.get());
        break;
#ifdef LIBPQ_HAS_PIPELINING
    case PGRES_PIPELINE_ABORTED:
        break; // an earlier statement failed: that error is the one to report
#endif
    default:
        error = databaseError(m_connection, result.get(), m_settings);
        if (!statement.name.isEmpty())
            error->message
                = QStringLiteral("reading the catalog (%1): %2").arg(statement.name, error->message);
        break;
    }
    return error;
}

#ifdef LIBPQ_HAS_PIPELINING
std::optional<Error> LibpqPipeline::receiveSync()
{
    ResultPointer result(PQgetResult(m_connection));
    if (!result || PQresultStatus(result.get()) != PGRES_PIPELINE_SYNC)
        return connectionError();
    return std::nullopt;
}
#endif

} // namespace dbops
