#pragma once

#include "common/Error.h"
#include "connection/DatabaseConnection.h"
#include "sql/SqlStatement.h"

namespace dbops {

/// Places a server error from `statement` at its file:line[:column], using
/// the LINE the server pointed at inside the statement, so the user lands on
/// the exact line of the check or fix file.
inline Error locateServerError(
    Error error, const DatabaseConnection& connection, const SqlStatement& statement, const QString& path)
{
    error.file = path;
    error.line = statement.line;
    error.column = 0;
    if (connection.lastErrorLine() > 0) {
        error.line = statement.line + connection.lastErrorLine() - 1;
        error.column = connection.lastErrorColumn() > 0 && connection.lastErrorLine() == 1
            ? connection.lastErrorColumn() + statement.column - 1
            : connection.lastErrorColumn();
    }
    return error;
}

} // namespace dbops
