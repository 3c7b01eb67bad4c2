#pragma once

#include "common/Error.h"
#include "common/Result.h"
#include "sql/SqlStatement.h"

#include <QList>
#include <QString>
#include <optional>

namespace dbops {

/// The functions a data check (or a fix's postcondition) must not call,
/// because a READ ONLY transaction that ends in ROLLBACK does not stop what
/// they do: signalling other sessions, server-wide actions, locks that
/// outlive the transaction, connections of their own, server files,
/// non-transactional counters, SQL run from a string.  Found in PostgreSQL's
/// parse tree (every FuncCall, schema-qualified or not), never by searching
/// the text, so a comment or a string that mentions one is fine.  A function
/// of the user's own that calls one of them is not seen: the read-only
/// transaction and the statement timeout remain for those.
class SideEffectFunctions
{
public:
    /// One call of a listed function.
    struct Call
    {
        QString name; ///< as written, e.g. "pg_catalog.pg_terminate_backend"
        QString reason; ///< why its family is listed
        int offset = 0; ///< character offset of the call in the statement
    };

    /// Every call of a listed function in `sql`, in the order of the parse
    /// tree.  Fails when the text does not parse or its tree is too deep to
    /// walk: then nobody can say what it calls.
    static Result<QList<Call>> find(const QString& sql);

    /// Why `functionName` (unqualified, any case) is listed; nothing when it is not.
    static std::optional<QString> reasonFor(const QString& functionName);

    /// The refusal of `statement` (`what`: "a check", "the postcondition")
    /// at the first listed call's file:line:column; nothing when it calls none.
    static std::optional<Error> refuse(
        const SqlStatement& statement, const QString& what, const QString& path);
};

} // namespace dbops
