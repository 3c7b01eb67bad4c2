#pragma once

#include "common/Error.h"
#include "migrations/Revision.h"

namespace dbops {

/// Checks a revision's SQL with PostgreSQL's parser before anything runs:
/// syntax errors at file:line:column, transaction control statements,
/// statements that cannot run in a transaction in a revision not declared
/// `-- transactional: false`, and a SET that turns standard_conforming_strings
/// off.  A `-- dbops: no-parse` statement skips the syntax check only: it is
/// classified from PostgreSQL's scanner tokens instead.
class MigrationValidator
{
public:
    static ErrorList validate(const Revision& revision);
    static ErrorList validate(const RevisionList& revisions);
};

} // namespace dbops
