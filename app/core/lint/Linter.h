#pragma once

#include "common/Result.h"
#include "lint/LintConfig.h"
#include "lint/LintFinding.h"
#include "lint/LockModel.h"
#include "migrations/Revision.h"
#include "migrations/RevisionGraph.h"

#include <QHash>
#include <QStringList>

namespace dbops {

/// Statements in, findings out: reads each statement's parse tree, asks the
/// lock model what it locks, rewrites and scans (knowing what the statements
/// before it created in the same transaction), runs the rules, applies the
/// `-- dbops: allow` comments above the statement and the repository's
/// severities.  Offline: no database.
class Linter
{
public:
    explicit Linter(LintConfig config = LintConfig());

    /// A plain SQL file: transactions as written (each statement outside
    /// BEGIN ... COMMIT is its own), and require-timeout-settings applies.
    /// A dbops migration file (`-- revision:` headers) is read as dbops runs
    /// it instead (lintRevisions).  Fails on a file that cannot be read or split.
    Result<LintFindingList> lintFile(const QString& path);
    Result<LintFindingList> lintSql(const QString& sql, const QString& fileName);

    /// dbops migrations, in the order they apply: each section one
    /// transaction (or autocommit with `-- transactional: false`), run with
    /// dbops' own SET LOCAL lock_timeout.  A downgrade section is read with
    /// what its revision's upgrade created.
    LintFindingList lintRevisions(const QList<const Revision*>& revisions);

    /// Every revision of a repository, parents first (later ones are read
    /// with what the earlier ones made): what `dbops lint` and `dbops check` report.
    static LintFindingList lintRepository(const RevisionGraph& graph, const LintConfig& config);

    /// True when a finding is at error severity.
    static bool hasErrors(const LintFindingList& findings);

private:
    struct Unit;
    void lintStatements(const SqlStatementList& statements, Unit& unit, LintFindingList& out);
    void place(const QString& rule, const QString& message, const QString& suggestion,
        const SqlStatement& statement, int byteLocation, const QString& description, const Unit& unit,
        LintFindingList& out) const;
    const QStringList& linesOf(const QString& path);

    LintConfig m_config;
    LockModel m_model;
    QHash<QString, QStringList> m_fileLines;
};

} // namespace dbops
