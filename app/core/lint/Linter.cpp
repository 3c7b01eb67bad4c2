#include "lint/Linter.h"

#include "lint/LintRules.h"
#include "lint/ParseTree.h"
#include "lint/Suppressions.h"
#include "migrations/MigrationFileParser.h"
#include "sql/SqlParser.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace dbops {

using namespace lint::tree;

namespace {

// Identifiers of more than 63 bytes, from the scanner's tokens: the parser
// truncates them (with only a NOTICE), so the tree no longer shows them.
QStringList longIdentifiers(const QString& statement)
{
    static const QRegularExpression longWord(QStringLiteral("[^\\s(),;.]{64,}"));
    QStringList out;
    if (!longWord.match(statement).hasMatch())
        return out;
    for (const SqlToken& token : SqlParser::scan(statement)) {
        if (token.kind != SqlTokenKind::Identifier && token.kind != SqlTokenKind::QuotedIdentifier)
            continue;
        QString name = statement.mid(token.start, token.length);
        if (token.kind == SqlTokenKind::QuotedIdentifier)
            name = name.mid(1, name.size() - 2).replace(QLatin1String("\"\""), QLatin1String("\""));
        if (name.toUtf8().size() > 63 && !out.contains(name))
            out.append(name);
    }
    return out;
}

} // namespace

/// Where the statements being read come from and how they run.
struct Linter::Unit
{
    QString file;
    const QStringList* lines = nullptr;
    bool managedByDbops = false; ///< a dbops migration section
    bool inTransactionBlock = false;
    bool lockTimeoutSet = false;
    bool timeoutRuleReported = false;
};

Linter::Linter(LintConfig config)
    : m_config(std::move(config))
{ }

LintFindingList Linter::lintRepository(const RevisionGraph& graph, const LintConfig& config)
{
    Linter linter(config);
    QList<const Revision*> revisions;
    const Result<MigrationPlan> plan = graph.upgradePlan({}, QStringLiteral("heads"));
    if (plan) {
        for (const MigrationStep& step : plan->steps)
            revisions.append(&graph.revision(step.revision));
    }
    return linter.lintRevisions(revisions);
}

bool Linter::hasErrors(const LintFindingList& findings)
{
    for (const LintFinding& finding : findings) {
        if (finding.severity == LintSeverity::Error)
            return true;
    }
    return false;
}

const QStringList& Linter::linesOf(const QString& path)
{
    auto it = m_fileLines.find(path);
    if (it == m_fileLines.end()) {
        QFile file(path);
        QStringList lines;
        if (file.open(QIODevice::ReadOnly))
            lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'));
        it = m_fileLines.insert(path, lines);
    }
    return *it;
}

Result<LintFindingList> Linter::lintFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error::input(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()), path);
    const QString text = QString::fromUtf8(file.readAll());
    static const QRegularExpression revisionHeader(
        QStringLiteral("^\\s*--\\s*revision\\s*:"), QRegularExpression::MultilineOption);
    if (revisionHeader.match(text).hasMatch()) {
        Result<Revision> revision = MigrationFileParser::parseText(text, path);
        if (!revision)
            return revision.error();
        m_fileLines.insert(path, text.split(QLatin1Char('\n')));
        return lintRevisions({ &revision.value() });
    }
    return lintSql(text, path);
}

Result<LintFindingList> Linter::lintSql(const QString& sql, const QString& fileName)
{
    Result<SqlStatementList> statements = SqlParser::split(sql, fileName);
    if (!statements)
        return statements.error();
    m_fileLines.insert(fileName, sql.split(QLatin1Char('\n')));
    Unit unit;
    unit.file = fileName;
    unit.lines = &m_fileLines[fileName];
    LintFindingList findings;
    lintStatements(*statements, unit, findings);
    if (unit.inTransactionBlock)
        m_model.endTransaction();
    return findings;
}

LintFindingList Linter::lintRevisions(const QList<const Revision*>& revisions)
{
    LintFindingList findings;
    for (const Revision* revision : revisions) {
        const QStringList& lines = linesOf(revision->filePath);
        auto lintSection = [&](const MigrationSection& section) {
            Unit unit;
            unit.file = revision->filePath;
            unit.lines = &lines;
            unit.managedByDbops = true;
            unit.inTransactionBlock = revision->transactional;
            if (unit.inTransactionBlock)
                m_model.beginTransaction();
            lintStatements(section.statements, unit, findings);
            m_model.endTransaction();
        };
        lintSection(revision->upgrade);
        // A downgrade runs against what the upgrade made, and its changes do
        // not carry on to the next revision's upgrade.
        const LockModel afterUpgrade = m_model;
        lintSection(revision->downgrade);
        m_model = afterUpgrade;
    }
    return findings;
}

void Linter::lintStatements(const SqlStatementList& statements, Unit& unit, LintFindingList& out)
{
    for (const SqlStatement& statement : statements) {
        if (statement.noParse)
            continue; // written for a newer parser: nothing to read it with
        const QJsonArray stmts = QJsonDocument::fromJson(SqlParser::parseTreeJson(statement.text))
                                     .object()
                                     .value(QLatin1String("stmts"))
                                     .toArray();
        if (stmts.isEmpty())
            continue; // a syntax error: `dbops check` reports it
        const QJsonObject node = stmts.first().toObject().value(QLatin1String("stmt")).toObject();
        const QString type = nodeType(node);
        const QJsonObject body = nodeBody(node);
        QList<RuleHit> hits;

        if (type == QLatin1String("TransactionStmt")) {
            const QString kind = body.value(QLatin1String("kind")).toString();
            const bool begins
                = kind == QLatin1String("TRANS_STMT_BEGIN") || kind == QLatin1String("TRANS_STMT_START");
            const bool ends
                = kind == QLatin1String("TRANS_STMT_COMMIT") || kind == QLatin1String("TRANS_STMT_ROLLBACK");
            if (unit.managedByDbops && (begins || ends)) {
                hits.append({ QStringLiteral("transaction-nesting"),
                    QStringLiteral("transaction control in a migration: dbops runs each revision in its own "
                                   "transaction (or autocommit with '-- transactional: false')"),
                    QStringLiteral("remove it"), -1 });
            } else if (begins && unit.inTransactionBlock) {
                hits.append({ QStringLiteral("transaction-nesting"),
                    QStringLiteral(
                        "BEGIN inside a transaction: PostgreSQL only warns, and the COMMIT that follows "
                        "ends the outer transaction"),
                    QStringLiteral("remove the inner BEGIN / COMMIT"), -1 });
            } else if (begins) {
                unit.inTransactionBlock = true;
                m_model.beginTransaction();
            } else if (ends && unit.inTransactionBlock) {
                unit.inTransactionBlock = false;
                m_model.endTransaction();
            }
        } else {
            if (type == QLatin1String("VariableSetStmt")
                && body.value(QLatin1String("name")).toString() == QLatin1String("lock_timeout"))
                unit.lockTimeoutSet = true;
            const bool autocommit = !unit.inTransactionBlock;
            if (autocommit)
                m_model.beginTransaction();
            const StatementEffects effects = m_model.effects(node);
            LintStatementContext context;
            context.nodeType = type;
            context.body = body;
            context.effects = &effects;
            context.model = &m_model;
            context.inTransactionBlock = unit.inTransactionBlock;
            context.managedByDbops = unit.managedByDbops;
            context.lockTimeoutSet = unit.lockTimeoutSet;
            context.timeoutRuleReported = unit.timeoutRuleReported;
            context.longIdentifiers = longIdentifiers(statement.text);
            hits = LintRules::check(context);
            m_model.apply(node);
            if (autocommit)
                m_model.endTransaction();
        }
        if (hits.isEmpty())
            continue;

        const QString description = SqlParser::classify(statement.text).description;
        const QList<Suppression> suppressions
            = unit.lines ? Suppressions::above(*unit.lines, statement.line) : QList<Suppression>();
        for (const Suppression& suppression : suppressions) {
            QStringList unknown;
            for (const QString& rule : suppression.rules) {
                if (!LintRules::find(rule))
                    unknown.append(rule);
            }
            if (suppression.reason.isEmpty() || !unknown.isEmpty()) {
                LintFinding finding;
                finding.file = unit.file;
                finding.line = suppression.line;
                finding.column = 1;
                finding.rule = QStringLiteral("dbops-allow");
                finding.severity = LintSeverity::Error;
                finding.message = !unknown.isEmpty()
                    ? QStringLiteral("allow comment names unknown rule(s) %1")
                          .arg(unknown.join(QStringLiteral(", ")))
                    : QStringLiteral("allow comment without a reason silences nothing");
                finding.suggestion = QStringLiteral("-- dbops: allow %1: why it is safe here")
                                         .arg(suppression.rules.join(QStringLiteral(", ")));
                out.append(finding);
            }
        }
        for (const RuleHit& hit : std::as_const(hits)) {
            if (hit.rule == QLatin1String("require-timeout-settings"))
                unit.timeoutRuleReported = true;
            bool suppressed = false;
            for (const Suppression& suppression : suppressions) {
                if (suppression.reason.isEmpty())
                    continue;
                for (const QString& rule : suppression.rules)
                    suppressed = suppressed || LintRules::canonicalId(rule) == hit.rule;
            }
            if (!suppressed)
                place(hit.rule, hit.message, hit.suggestion, statement, hit.location, description, unit, out);
        }
    }
}

void Linter::place(const QString& rule, const QString& message, const QString& suggestion,
    const SqlStatement& statement, int byteLocation, const QString& description, const Unit& unit,
    LintFindingList& out) const
{
    const LintSeverity severity = m_config.severity(rule);
    if (severity == LintSeverity::Off)
        return;
    LintFinding finding;
    finding.file = unit.file;
    finding.line = statement.line;
    finding.column = statement.column;
    if (byteLocation > 0) {
        const QByteArray utf8 = statement.text.toUtf8();
        const int position = static_cast<int>(
            QString::fromUtf8(utf8.constData(), qMin(byteLocation, static_cast<int>(utf8.size()))).size());
        statement.locate(position + 1, &finding.line, &finding.column);
    }
    finding.rule = rule;
    finding.severity = severity;
    finding.message = message;
    finding.suggestion = suggestion;
    finding.statement = description;
    out.append(finding);
}

} // namespace dbops
