#pragma once

#include "sql/SchemaChange.h"

namespace dbops {

/// Which schema objects SQL creates, drops or alters, from PostgreSQL's own
/// parse tree (SqlParser::parseTreeJson), for the confirmations of upgrades
/// and rollbacks.
class SchemaChanges
{
public:
    /// The changes of `statement` (several statements are read in order), in
    /// the order they are written: one per ALTER TABLE subcommand and one per
    /// object of a DROP; a CREATE TABLE is one change, its inline columns and
    /// constraints are not listed.  Empty for text that does not parse and
    /// for statements that change no schema object (SELECT, INSERT, GRANT,
    /// COMMENT, temporary tables, roles and databases ...).
    static SchemaChangeList of(const QString& statement);
};

} // namespace dbops
