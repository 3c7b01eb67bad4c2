#include "lint/LockRequests.h"

#include "lint/LockModel.h"
#include "lint/ParseTree.h"
#include "migrations/MigrationFileParser.h"
#include "sql/SqlParser.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace dbops {

using namespace lint::tree;

namespace {

/// How many statements a request names: enough to find them, short enough to read.
constexpr int kStatementsNamed = 5;

QJsonObject statementTree(const QString& sql)
{
    const QJsonArray stmts = QJsonDocument::fromJson(SqlParser::parseTreeJson(sql))
                                 .object()
                                 .value(QLatin1String("stmts"))
                                 .toArray();
    return stmts.isEmpty() ? QJsonObject() : stmts.first().toObject().value(QLatin1String("stmt")).toObject();
}

// Table 13.2 of PostgreSQL 15's "Explicit Locking": for each requested mode
// (rows, weakest first as LockMode orders them) the held modes it waits for.
bool conflictTable(LockMode requested, LockMode held)
{
    using L = LockMode;
    switch (requested) {
    case L::None:
        return false;
    case L::AccessShare:
        return held == L::AccessExclusive;
    case L::RowShare:
        return held >= L::Exclusive;
    case L::RowExclusive:
        return held >= L::Share;
    case L::ShareUpdateExclusive:
        return held >= L::ShareUpdateExclusive;
    case L::Share:
        return held == L::RowExclusive || held == L::ShareUpdateExclusive || held >= L::ShareRowExclusive;
    case L::ShareRowExclusive:
        return held >= L::RowExclusive;
    case L::Exclusive:
        return held >= L::RowShare;
    case L::AccessExclusive:
        return held >= L::AccessShare;
    }
    return false;
}

} // namespace

bool lockModesConflict(LockMode requested, LockMode held)
{
    return held != LockMode::None && conflictTable(requested, held);
}

LockMode lockModeFromPgLocksName(const QString& name)
{
    for (int m = static_cast<int>(LockMode::AccessShare); m <= static_cast<int>(LockMode::AccessExclusive);
         ++m) {
        const auto mode = static_cast<LockMode>(m);
        if (lockModePgLocksName(mode) == name)
            return mode;
    }
    return LockMode::None;
}

bool RelationLockRequest::conflictsWith(LockMode held) const
{
    for (LockMode mode : modes) {
        if (lockModesConflict(mode, held))
            return true;
    }
    return false;
}

QList<RelationLockRequest> LockRequests::fromScript(const RenderedScript& script)
{
    QList<RelationLockRequest> out;
    LockModel model;
    for (const ScriptItem& item : script.items) {
        if (item.kind == ScriptItem::Kind::Begin) {
            model.beginTransaction();
            continue;
        }
        if (item.kind == ScriptItem::Kind::Commit) {
            model.endTransaction();
            continue;
        }
        if (item.kind != ScriptItem::Kind::Statement)
            continue; // the version table and settings are dbops' own
        const QJsonObject tree = statementTree(item.sql);
        if (tree.isEmpty())
            continue;
        const bool autocommit = !model.inTransaction();
        if (autocommit)
            model.beginTransaction();
        const StatementEffects effects = model.effects(tree);
        model.apply(tree);
        if (autocommit)
            model.endTransaction();
        const QString where = item.filePath.isEmpty()
            ? QString()
            : QStringLiteral("%1:%2 ").arg(QFileInfo(item.filePath).fileName()).arg(item.line);
        const QString statement = where + SqlParser::classify(item.sql).description;
        for (const RelationEffect& effect : effects.relations) {
            if (effect.createdInTransaction || effect.lock == LockMode::None || effect.relation.isEmpty())
                continue;
            auto it = std::find_if(out.begin(), out.end(),
                [&](const RelationLockRequest& r) { return r.relation == effect.relation; });
            if (it == out.end()) {
                out.append(RelationLockRequest());
                it = std::prev(out.end());
                it->relation = effect.relation;
            }
            it->strongest = std::max(it->strongest, effect.lock);
            if (!it->modes.contains(effect.lock))
                it->modes.append(effect.lock);
            it->rewrites = it->rewrites || effect.rewrites;
            it->scans = it->scans || effect.scans;
            if (it->statements.size() < kStatementsNamed && !it->statements.contains(statement))
                it->statements.append(statement);
        }
    }
    return out;
}

Result<RenderedScript> LockRequests::scriptFromSql(const QString& sql, const QString& fileName)
{
    Result<SqlStatementList> statements = SqlParser::split(sql, fileName);
    if (!statements)
        return statements.error();
    RenderedScript script;
    for (const SqlStatement& statement : std::as_const(*statements)) {
        if (statement.noParse)
            continue;
        ScriptItem item;
        item.sql = statement.text;
        item.filePath = fileName;
        item.line = statement.line;
        item.column = statement.column;
        const QJsonObject tree = statementTree(statement.text);
        if (nodeType(tree) == QLatin1String("TransactionStmt")) {
            const QString kind = nodeBody(tree).value(QLatin1String("kind")).toString();
            if (kind == QLatin1String("TRANS_STMT_BEGIN") || kind == QLatin1String("TRANS_STMT_START"))
                item.kind = ScriptItem::Kind::Begin;
            else if (kind == QLatin1String("TRANS_STMT_COMMIT")
                || kind == QLatin1String("TRANS_STMT_ROLLBACK"))
                item.kind = ScriptItem::Kind::Commit;
            else
                continue;
        }
        script.items.append(item);
    }
    return script;
}

Result<QList<RelationLockRequest>> LockRequests::fromFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error::input(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()), path);
    const QString text = QString::fromUtf8(file.readAll());
    static const QRegularExpression revisionHeader(
        QStringLiteral("^\\s*--\\s*revision\\s*:"), QRegularExpression::MultilineOption);
    if (!revisionHeader.match(text).hasMatch()) {
        Result<RenderedScript> script = scriptFromSql(text, path);
        if (!script)
            return script.error();
        return fromScript(*script);
    }
    // A dbops migration: its upgrade, in one transaction unless it says otherwise.
    Result<Revision> revision = MigrationFileParser::parseText(text, path);
    if (!revision)
        return revision.error();
    RenderedScript script;
    ScriptItem begin;
    begin.kind = ScriptItem::Kind::Begin;
    if (revision->transactional)
        script.items.append(begin);
    for (const SqlStatement& statement : std::as_const(revision->upgrade.statements)) {
        if (statement.noParse)
            continue;
        ScriptItem item;
        item.sql = statement.text;
        item.filePath = path;
        item.line = statement.line;
        item.column = statement.column;
        script.items.append(item);
    }
    ScriptItem commit;
    commit.kind = ScriptItem::Kind::Commit;
    if (revision->transactional)
        script.items.append(commit);
    return fromScript(script);
}

} // namespace dbops
