#pragma once

#include <QString>
#include <QStringList>

namespace dbops {

/// A problem a user has to act on: what went wrong and, where known, the
/// place in a migration file (file:line:column) and the server's SQLSTATE.
struct Error
{
    enum class Kind
    {
        Usage, ///< bad command line or argument
        Input, ///< malformed migration file, unknown revision, bad URL ...
        Graph, ///< the revision graph is inconsistent
        Io, ///< a file could not be read or written
        Database, ///< the server refused something
        Internal,
    };

    Kind kind = Kind::Input;
    QString message;
    QString file;
    int line = 0;
    int column = 0;
    QString sqlState;
    QString detail; ///< the server's DETAIL, if any
    QString hint; ///< the server's HINT, if any

    static Error input(const QString& message, const QString& file = {}, int line = 0, int column = 0)
    {
        return Error { Kind::Input, message, file, line, column, {}, {}, {} };
    }
    static Error usage(const QString& message)
    {
        return Error { Kind::Usage, message, {}, 0, 0, {}, {}, {} };
    }
    static Error graph(const QString& message, const QString& file = {}, int line = 0)
    {
        return Error { Kind::Graph, message, file, line, 0, {}, {}, {} };
    }
    static Error io(const QString& message, const QString& file = {})
    {
        return Error { Kind::Io, message, file, 0, 0, {}, {}, {} };
    }

    static Error database(const QString& message, const QString& sqlState = {})
    {
        return Error { Kind::Database, message, {}, 0, 0, sqlState, {}, {} };
    }

    /// "file:line:column: message", the form compilers and editors understand.
    QString toString() const
    {
        QString location;
        if (!file.isEmpty()) {
            location = file;
            if (line > 0) {
                location += QLatin1Char(':') + QString::number(line);
                if (column > 0)
                    location += QLatin1Char(':') + QString::number(column);
            }
            location += QStringLiteral(": ");
        }
        QString text = location + message;
        if (!sqlState.isEmpty())
            text += QStringLiteral(" [SQLSTATE %1]").arg(sqlState);
        if (!detail.isEmpty())
            text += QStringLiteral("\n  DETAIL: ") + detail;
        if (!hint.isEmpty())
            text += QStringLiteral("\n  HINT: ") + hint;
        return text;
    }
};

using ErrorList = QList<Error>;

} // namespace dbops
