#pragma once

#include "common/Error.h"
#include "migrations/Revision.h"

namespace dbops {

/// Checks a revision's SQL with PostgreSQL's parser before anything runs:
/// syntax errors at file:line:column, transaction control statements, and
/// statements that cannot run in a transaction in a revision not declared
/// `-- transactional: false`.
class MigrationValidator
{
public:
    static ErrorList validate(const Revision& revision);
    static ErrorList validate(const RevisionList& revisions);
};

} // namespace dbops
