#pragma once

#include "lint/LintFinding.h"
#include "lint/LockModel.h"

#include <QJsonObject>
#include <functional>

namespace dbops {

/// What a rule sees of one statement.
struct LintStatementContext
{
    QString nodeType; ///< "AlterTableStmt"
    QJsonObject body; ///< the node's fields
    const StatementEffects* effects = nullptr; ///< the lock model's reading of it
    const LockModel* model = nullptr; ///< what the statements before it did
    bool inTransactionBlock = false; ///< inside BEGIN ... COMMIT or a dbops transactional revision
    bool managedByDbops = false; ///< a dbops migration: the runner sets lock_timeout
    bool lockTimeoutSet = false; ///< a SET lock_timeout came before (plain SQL files)
    bool timeoutRuleReported = false; ///< require-timeout-settings fired already in this file
    /// Identifiers of more than 63 bytes as written (the parser has cut them already).
    QStringList longIdentifiers;
};

/// One finding before it is placed: the rule, what it says, the safe form,
/// and the byte offset in the statement of the part it is about (-1: the
/// statement's start).
struct RuleHit
{
    QString rule;
    QString message;
    QString suggestion;
    int location = -1;
};

/// A lint rule: its name (squawk's where squawk has one), its default
/// severity, one line on what it catches, and the check.
struct LintRule
{
    QString id;
    LintSeverity defaultSeverity = LintSeverity::Warning;
    QString summary;
    std::function<void(const LintStatementContext&, QList<RuleHit>&)> check;
};

class LintRules
{
public:
    static const QList<LintRule>& all();
    static const LintRule* find(const QString& id);
    /// squawk's other names for a rule of ours ("prefer-timestamp-tz"), so
    /// suppressions and configurations written for squawk keep working.
    static QString canonicalId(const QString& id);
    /// Runs every rule on one statement.
    static QList<RuleHit> check(const LintStatementContext& context);
};

} // namespace dbops
