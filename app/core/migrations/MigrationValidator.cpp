#include "migrations/MigrationValidator.h"

#include "sql/SqlParser.h"

namespace dbops {

namespace {

void validateSection(
    const Revision& revision, const MigrationSection& section, const char* name, ErrorList* errors)
{
    for (const SqlStatement& statement : section.statements) {
        // One parse per statement: the syntax check and the classification
        // share it.  `-- dbops: no-parse` skips the syntax check only: what
        // the statement is still comes from the scanner's tokens.
        const SqlParser::Analysis analysis = statement.noParse
            ? SqlParser::Analysis { std::nullopt, SqlParser::classifyTokens(statement.text) }
            : SqlParser::analyze(statement.text);
        if (const auto& syntax = analysis.syntaxError) {
            int line = 0;
            int column = 0;
            statement.locate(syntax->offset + 1, &line, &column);
            errors->append(
                Error::input(QStringLiteral("%1 (in %2 section)").arg(syntax->message, QLatin1String(name)),
                    revision.filePath, line, column));
            continue;
        }
        const StatementTraits& traits = analysis.traits;
        if (traits.isTransactionControl) {
            errors->append(
                Error::input(QStringLiteral("transaction control statement '%1' in a migration: dbops runs "
                                            "each revision in its own transaction; remove it")
                                 .arg(statement.text.simplified().left(40)),
                    revision.filePath, statement.line, statement.column));
        } else if (traits.cannotRunInTransaction && revision.transactional) {
            errors->append(
                Error::input(QStringLiteral("%1 cannot run inside a transaction block: declare "
                                            "'-- transactional: false' in the header of revision %2")
                                 .arg(traits.description, revision.id),
                    revision.filePath, statement.line, statement.column));
        }
        if (traits.turnsOffStandardConformingStrings)
            errors->append(Error::input(SqlParser::standardConformingStringsRefusal(statement.text),
                revision.filePath, statement.line, statement.column));
    }
}

} // namespace

ErrorList MigrationValidator::validate(const Revision& revision)
{
    ErrorList errors;
    if (!revision.sqlLoaded) {
        // The caller loaded the graph only and skipped MigrationRepository::ensureSql.
        errors.append(Error { Error::Kind::Internal,
            QStringLiteral("internal error: revision %1 is validated before its SQL was loaded")
                .arg(revision.id),
            revision.filePath, revision.revisionLine, 0, {}, {}, {} });
        return errors;
    }
    validateSection(revision, revision.upgrade, "upgrade", &errors);
    validateSection(revision, revision.downgrade, "downgrade", &errors);
    return errors;
}

ErrorList MigrationValidator::validate(const RevisionList& revisions)
{
    ErrorList errors;
    for (const Revision& revision : revisions)
        errors.append(validate(revision));
    return errors;
}

} // namespace dbops
