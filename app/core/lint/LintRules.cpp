#include "lint/LintRules.h"

#include "lint/ParseTree.h"

namespace dbops {

using namespace lint::tree;

namespace {

using Hits = QList<RuleHit>;
using Context = LintStatementContext;

bool is(const Context& c, const char* type)
{
    return c.nodeType == QLatin1String(type);
}

QString relationOf(const Context& c)
{
    return relationName(c.body.value(QLatin1String("relation")));
}

bool existing(const Context& c, const QString& relation)
{
    return !c.model->createdInTransaction(relation);
}

/// The ALTER TABLE subcommands (AlterTableCmd bodies) of an existing table.
QList<QJsonObject> commandsOnExisting(const Context& c)
{
    QList<QJsonObject> out;
    if (!is(c, "AlterTableStmt") || !existing(c, relationOf(c)))
        return out;
    for (const QJsonValue& cmd : c.body.value(QLatin1String("cmds")).toArray())
        out.append(member(cmd, "AlterTableCmd").toObject());
    return out;
}

QList<QJsonObject> allCommands(const Context& c)
{
    QList<QJsonObject> out;
    if (!is(c, "AlterTableStmt"))
        return out;
    for (const QJsonValue& cmd : c.body.value(QLatin1String("cmds")).toArray())
        out.append(member(cmd, "AlterTableCmd").toObject());
    return out;
}

bool subtypeIs(const QJsonObject& cmd, const char* subtype)
{
    return cmd.value(QLatin1String("subtype")).toString() == QLatin1String(subtype);
}

QList<QJsonObject> constraintsOf(const QJsonValue& columnDef)
{
    QList<QJsonObject> out;
    for (const QJsonValue& c : list(columnDef, "constraints"))
        out.append(member(c, "Constraint").toObject());
    return out;
}

bool hasConstraint(const QJsonValue& columnDef, const char* contype)
{
    for (const QJsonObject& c : constraintsOf(columnDef)) {
        if (c.value(QLatin1String("contype")).toString() == QLatin1String(contype))
            return true;
    }
    return false;
}

/// Column definitions with the types they give: CREATE TABLE columns, ADD
/// COLUMN and ALTER COLUMN ... TYPE (whose ColumnDef has only the type).
struct TypedColumn
{
    QJsonValue typeName;
    int location = -1;
};

QList<TypedColumn> typedColumns(const Context& c)
{
    QList<TypedColumn> out;
    if (is(c, "CreateStmt")) {
        for (const QJsonValue& element : c.body.value(QLatin1String("tableElts")).toArray()) {
            const QJsonValue column = member(element, "ColumnDef");
            if (column.isObject()) {
                const QJsonValue typeNode = member(column, "typeName");
                out.append({ typeNode, typeNode.toObject().value(QLatin1String("location")).toInt(-1) });
            }
        }
    }
    for (const QJsonObject& cmd : allCommands(c)) {
        if (subtypeIs(cmd, "AT_AddColumn") || subtypeIs(cmd, "AT_AlterColumnType")) {
            const QJsonValue typeNode
                = member(member(cmd.value(QLatin1String("def")), "ColumnDef"), "typeName");
            out.append({ typeNode, typeNode.toObject().value(QLatin1String("location")).toInt(-1) });
        }
    }
    return out;
}

QString rewriteNote(bool rewrites)
{
    return rewrites ? QStringLiteral(" and rewrites the whole table while holding it") : QString();
}

// ------------------------------------------------------------------ the rules

void requireConcurrentIndexCreation(const Context& c, Hits& hits)
{
    if (!is(c, "IndexStmt") || flag(c.body, "concurrent") || !existing(c, relationOf(c)))
        return;
    hits.append({ QStringLiteral("require-concurrent-index-creation"),
        QStringLiteral(
            "CREATE INDEX on %1 takes a SHARE lock: writes to the table wait until the index is built")
            .arg(relationOf(c)),
        QStringLiteral("CREATE INDEX CONCURRENTLY, in a revision of its own with '-- transactional: false'"),
        -1 });
}

void requireConcurrentIndexDeletion(const Context& c, Hits& hits)
{
    if (!is(c, "DropStmt") || text(c.body, "removeType") != QLatin1String("OBJECT_INDEX")
        || flag(c.body, "concurrent"))
        return;
    for (const QJsonValue& object : c.body.value(QLatin1String("objects")).toArray()) {
        const QString table = c.model->tableOfIndex(dottedName(object));
        if (!table.isEmpty() && !existing(c, table))
            continue;
        hits.append({ QStringLiteral("require-concurrent-index-deletion"),
            QStringLiteral("DROP INDEX %1 takes an ACCESS EXCLUSIVE lock on its table: reads and writes wait")
                .arg(dottedName(object)),
            QStringLiteral("DROP INDEX CONCURRENTLY, in a revision with '-- transactional: false'"), -1 });
    }
}

void constraintMissingNotValid(const Context& c, Hits& hits)
{
    for (const QJsonObject& cmd : commandsOnExisting(c)) {
        const QJsonValue constraint = member(cmd.value(QLatin1String("def")), "Constraint");
        const QString contype = text(constraint, "contype");
        if (subtypeIs(cmd, "AT_AddConstraint")
            && (contype == QLatin1String("CONSTR_CHECK") || contype == QLatin1String("CONSTR_FOREIGN"))
            && !flag(constraint, "skip_validation")) {
            hits.append({ QStringLiteral("constraint-missing-not-valid"),
                QStringLiteral(
                    "adding a constraint without NOT VALID reads every row of %1 while holding its lock")
                    .arg(relationOf(c)),
                QStringLiteral(
                    "ADD CONSTRAINT ... NOT VALID, then ALTER TABLE ... VALIDATE CONSTRAINT in a later "
                    "revision (SHARE UPDATE EXCLUSIVE: reads and writes go on)"),
                constraint.toObject().value(QLatin1String("location")).toInt(-1) });
        }
        if (subtypeIs(cmd, "AT_ValidateConstraint")
            && c.model->addedNotValidInTransaction(
                relationOf(c), cmd.value(QLatin1String("name")).toString())) {
            hits.append({ QStringLiteral("constraint-missing-not-valid"),
                QStringLiteral("constraint %1 is validated in the transaction that added it NOT VALID: the "
                               "transaction still holds the ADD CONSTRAINT's lock while the rows are read")
                    .arg(cmd.value(QLatin1String("name")).toString()),
                QStringLiteral("VALIDATE CONSTRAINT in a later revision"), -1 });
        }
    }
}

void addingForeignKeyConstraint(const Context& c, Hits& hits)
{
    for (const QJsonObject& cmd : commandsOnExisting(c)) {
        const QJsonValue def = cmd.value(QLatin1String("def"));
        QList<QJsonObject> foreignKeys;
        if (subtypeIs(cmd, "AT_AddConstraint")) {
            const QJsonObject constraint = member(def, "Constraint").toObject();
            if (text(constraint, "contype") == QLatin1String("CONSTR_FOREIGN")
                && !flag(constraint, "skip_validation"))
                foreignKeys.append(constraint);
        } else if (subtypeIs(cmd, "AT_AddColumn")) {
            for (const QJsonObject& constraint : constraintsOf(member(def, "ColumnDef"))) {
                if (text(constraint, "contype") == QLatin1String("CONSTR_FOREIGN"))
                    foreignKeys.append(constraint);
            }
        }
        for (const QJsonObject& fk : foreignKeys) {
            hits.append({ QStringLiteral("adding-foreign-key-constraint"),
                QStringLiteral(
                    "a foreign key takes SHARE ROW EXCLUSIVE locks on %1 and %2 (writes wait) and reads "
                    "every row to validate it")
                    .arg(relationOf(c), relationName(fk.value(QLatin1String("pktable")))),
                QStringLiteral(
                    "ADD CONSTRAINT ... FOREIGN KEY ... NOT VALID, then VALIDATE CONSTRAINT in a later "
                    "revision"),
                fk.value(QLatin1String("location")).toInt(-1) });
        }
    }
}

void addingNotNullableField(const Context& c, Hits& hits)
{
    for (const QJsonObject& cmd : commandsOnExisting(c)) {
        if (!subtypeIs(cmd, "AT_SetNotNull")
            || c.model->notNullProven(relationOf(c), cmd.value(QLatin1String("name")).toString()))
            continue;
        const QString column = cmd.value(QLatin1String("name")).toString();
        hits.append({ QStringLiteral("adding-not-nullable-field"),
            QStringLiteral("SET NOT NULL on %1.%2 reads every row while holding an ACCESS EXCLUSIVE lock")
                .arg(relationOf(c), column),
            QStringLiteral(
                "ADD CONSTRAINT %1_not_null CHECK (%1 IS NOT NULL) NOT VALID; VALIDATE CONSTRAINT "
                "%1_not_null (later revision); then SET NOT NULL, which the valid CHECK makes instant")
                .arg(column),
            -1 });
    }
}

void addingRequiredField(const Context& c, Hits& hits)
{
    for (const QJsonObject& cmd : commandsOnExisting(c)) {
        if (!subtypeIs(cmd, "AT_AddColumn"))
            continue;
        const QJsonValue column = member(cmd.value(QLatin1String("def")), "ColumnDef");
        if (hasConstraint(column, "CONSTR_NOTNULL") && !hasConstraint(column, "CONSTR_DEFAULT")
            && !hasConstraint(column, "CONSTR_GENERATED") && !hasConstraint(column, "CONSTR_IDENTITY")) {
            hits.append({ QStringLiteral("adding-required-field"),
                QStringLiteral(
                    "column %1 is NOT NULL without a DEFAULT: the ALTER fails on a table with rows, and "
                    "inserts that do not name it fail")
                    .arg(text(column, "colname")),
                QStringLiteral(
                    "add it with a DEFAULT, or nullable and SET NOT NULL once every row has a value"),
                column.toObject().value(QLatin1String("location")).toInt(-1) });
        }
    }
}

void addingFieldWithDefault(const Context& c, Hits& hits)
{
    for (const QJsonObject& cmd : commandsOnExisting(c)) {
        if (!subtypeIs(cmd, "AT_AddColumn"))
            continue;
        const QJsonValue column = member(cmd.value(QLatin1String("def")), "ColumnDef");
        for (const QJsonObject& constraint : constraintsOf(column)) {
            const QString contype = constraint.value(QLatin1String("contype")).toString();
            const bool volatileDefault = contype == QLatin1String("CONSTR_DEFAULT")
                && LockModel::isVolatile(constraint.value(QLatin1String("raw_expr")));
            if (volatileDefault || contype == QLatin1String("CONSTR_GENERATED")) {
                hits.append({ QStringLiteral("adding-field-with-default"),
                    QStringLiteral(
                        "column %1's %2 is computed for every row: the table is rewritten under an "
                        "ACCESS EXCLUSIVE lock")
                        .arg(text(column, "colname"),
                            volatileDefault ? QStringLiteral("volatile DEFAULT")
                                            : QStringLiteral("generated value")),
                    QStringLiteral("add the column without the default (or with a constant one), set the "
                                   "default, and backfill in batches"),
                    constraint.value(QLatin1String("location")).toInt(-1) });
            }
        }
    }
}

void addingSerialPrimaryKeyField(const Context& c, Hits& hits)
{
    for (const QJsonObject& cmd : commandsOnExisting(c)) {
        const QJsonValue def = cmd.value(QLatin1String("def"));
        bool primaryKey = false;
        if (subtypeIs(cmd, "AT_AddColumn"))
            primaryKey = hasConstraint(member(def, "ColumnDef"), "CONSTR_PRIMARY");
        else if (subtypeIs(cmd, "AT_AddConstraint"))
            primaryKey = text(member(def, "Constraint"), "contype") == QLatin1String("CONSTR_PRIMARY")
                && text(member(def, "Constraint"), "indexname").isEmpty();
        if (primaryKey) {
            hits.append({ QStringLiteral("adding-serial-primary-key-field"),
                QStringLiteral("adding a primary key builds its index under an ACCESS EXCLUSIVE lock on %1")
                    .arg(relationOf(c)),
                QStringLiteral(
                    "CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... PRIMARY KEY USING INDEX"),
                -1 });
        }
    }
}

void changingColumnType(const Context& c, Hits& hits)
{
    for (const QJsonObject& cmd : commandsOnExisting(c)) {
        if (!subtypeIs(cmd, "AT_AlterColumnType"))
            continue;
        const RelationEffect* effect = c.effects->relation(relationOf(c));
        hits.append({ QStringLiteral("changing-column-type"),
            QStringLiteral("changing the type of %1.%2 takes an ACCESS EXCLUSIVE lock%3; clients reading the "
                           "column may break")
                .arg(relationOf(c), cmd.value(QLatin1String("name")).toString(),
                    rewriteNote(effect && effect->rewrites)),
            QStringLiteral("add a column of the new type, backfill it in batches, and switch readers to it"),
            -1 });
    }
}

void disallowedUniqueConstraint(const Context& c, Hits& hits)
{
    for (const QJsonObject& cmd : commandsOnExisting(c)) {
        const QJsonValue def = cmd.value(QLatin1String("def"));
        bool unique = false;
        if (subtypeIs(cmd, "AT_AddConstraint"))
            unique = text(member(def, "Constraint"), "contype") == QLatin1String("CONSTR_UNIQUE")
                && text(member(def, "Constraint"), "indexname").isEmpty();
        else if (subtypeIs(cmd, "AT_AddColumn"))
            unique = hasConstraint(member(def, "ColumnDef"), "CONSTR_UNIQUE");
        if (unique) {
            hits.append({ QStringLiteral("disallowed-unique-constraint"),
                QStringLiteral(
                    "adding a UNIQUE constraint builds its index under an ACCESS EXCLUSIVE lock on %1")
                    .arg(relationOf(c)),
                QStringLiteral(
                    "CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... UNIQUE USING INDEX"),
                -1 });
        }
    }
}

void renaming(const Context& c, Hits& hits)
{
    if (!is(c, "RenameStmt") || !existing(c, relationOf(c)))
        return;
    const QString renameType = text(c.body, "renameType");
    if (renameType == QLatin1String("OBJECT_COLUMN")) {
        hits.append({ QStringLiteral("renaming-column"),
            QStringLiteral("renaming %1.%2 breaks every client that still uses the old name")
                .arg(relationOf(c), text(c.body, "subname")),
            QStringLiteral("add the new column, write both, move readers, then drop the old one"), -1 });
    } else if (renameType == QLatin1String("OBJECT_TABLE")) {
        hits.append({ QStringLiteral("renaming-table"),
            QStringLiteral("renaming %1 breaks every client that still uses the old name").arg(relationOf(c)),
            QStringLiteral("rename it and leave a view with the old name until clients move"), -1 });
    }
}

void banDropColumn(const Context& c, Hits& hits)
{
    for (const QJsonObject& cmd : commandsOnExisting(c)) {
        if (subtypeIs(cmd, "AT_DropColumn")) {
            hits.append({ QStringLiteral("ban-drop-column"),
                QStringLiteral("dropping %1.%2 breaks clients that still read it, and its data is gone")
                    .arg(relationOf(c), cmd.value(QLatin1String("name")).toString()),
                QStringLiteral("stop using the column in the application first; drop it in a later release"),
                -1 });
        }
    }
}

void banDropTable(const Context& c, Hits& hits)
{
    if (!is(c, "DropStmt") || text(c.body, "removeType") != QLatin1String("OBJECT_TABLE"))
        return;
    for (const QJsonValue& object : c.body.value(QLatin1String("objects")).toArray()) {
        if (!existing(c, dottedName(object)))
            continue;
        hits.append({ QStringLiteral("ban-drop-table"),
            QStringLiteral("dropping table %1 breaks clients that still use it, and its rows are gone")
                .arg(dottedName(object)),
            QStringLiteral("stop using the table first; keep a backup; drop it in a later release"), -1 });
    }
}

void banDropNotNull(const Context& c, Hits& hits)
{
    for (const QJsonObject& cmd : commandsOnExisting(c)) {
        if (subtypeIs(cmd, "AT_DropNotNull")) {
            hits.append({ QStringLiteral("ban-drop-not-null"),
                QStringLiteral("dropping NOT NULL on %1.%2 lets NULLs in that clients may not expect")
                    .arg(relationOf(c), cmd.value(QLatin1String("name")).toString()),
                QString(), -1 });
        }
    }
}

void banConcurrentIndexCreationInTransaction(const Context& c, Hits& hits)
{
    if (is(c, "IndexStmt") && flag(c.body, "concurrent") && c.inTransactionBlock) {
        hits.append({ QStringLiteral("ban-concurrent-index-creation-in-transaction"),
            QStringLiteral("CREATE INDEX CONCURRENTLY cannot run inside a transaction block"),
            QStringLiteral(
                "put it in a revision of its own with '-- transactional: false' (outside BEGIN ... "
                "COMMIT in a plain file)"),
            -1 });
    }
}

void requireTimeoutSettings(const Context& c, Hits& hits)
{
    if (c.managedByDbops || c.lockTimeoutSet || c.timeoutRuleReported)
        return;
    const RelationEffect* strongest = c.effects->strongestEffect();
    if (!strongest || strongest->lock <= LockMode::RowExclusive)
        return;
    hits.append({ QStringLiteral("require-timeout-settings"),
        QStringLiteral(
            "%1 lock on %2 without a lock_timeout: while it waits for the lock, every query on the "
            "table queues behind it")
            .arg(lockModeName(strongest->lock), strongest->relation),
        QStringLiteral(
            "SET lock_timeout = '5s'; at the top of the file (dbops migrations get the run's SET LOCAL "
            "lock_timeout)"),
        -1 });
}

void preferRobustStmts(const Context& c, Hits& hits)
{
    if (c.inTransactionBlock)
        return;
    QString missing;
    if (is(c, "CreateStmt") && !flag(c.body, "if_not_exists"))
        missing = QStringLiteral("IF NOT EXISTS");
    else if (is(c, "IndexStmt") && (!flag(c.body, "if_not_exists") || text(c.body, "idxname").isEmpty()))
        missing = QStringLiteral("IF NOT EXISTS (and an index name)");
    else if (is(c, "DropStmt") && !flag(c.body, "missing_ok"))
        missing = QStringLiteral("IF EXISTS");
    else if (is(c, "RenameStmt"))
        missing = QStringLiteral("a way to run twice");
    for (const QJsonObject& cmd : allCommands(c)) {
        const bool idempotent = (subtypeIs(cmd, "AT_AddColumn") || subtypeIs(cmd, "AT_DropColumn")
                                    || subtypeIs(cmd, "AT_DropConstraint"))
            && cmd.value(QLatin1String("missing_ok")).toBool();
        if (!idempotent && missing.isEmpty())
            missing = QStringLiteral("IF [NOT] EXISTS");
    }
    if (missing.isEmpty())
        return;
    hits.append({ QStringLiteral("prefer-robust-stmts"),
        QStringLiteral(
            "outside a transaction, a statement that fails halfway leaves the ones before it done: "
            "without %1 the migration cannot simply be run again")
            .arg(missing),
        QStringLiteral("write IF [NOT] EXISTS, or run the statements in one transaction"), -1 });
}

void typeRules(const Context& c, Hits& hits)
{
    for (const TypedColumn& column : typedColumns(c)) {
        const QString type = typeName(column.typeName);
        if (type == QLatin1String("int4") || type == QLatin1String("int") || type == QLatin1String("integer")
            || type == QLatin1String("serial") || type == QLatin1String("serial4")) {
            hits.append({ QStringLiteral("prefer-bigint-over-int"),
                QStringLiteral(
                    "a 32-bit integer column runs out at 2,147,483,647; changing it later rewrites "
                    "the table"),
                QStringLiteral("bigint (or bigserial / GENERATED ... AS IDENTITY on bigint)"),
                column.location });
        } else if (type == QLatin1String("timestamp")) {
            hits.append({ QStringLiteral("prefer-timestamptz"),
                QStringLiteral("timestamp without time zone drops the UTC offset of the values written"),
                QStringLiteral("timestamptz"), column.location });
        } else if (type == QLatin1String("varchar") && !typeModifiers(column.typeName).isEmpty()) {
            hits.append({ QStringLiteral("prefer-text-field"),
                QStringLiteral("a varchar(n) limit can only grow by an ALTER that locks the table"),
                QStringLiteral("text, with a CHECK (length(col) <= n) added NOT VALID if a limit is needed"),
                column.location });
        }
    }
}

void identifierTooLong(const Context& c, Hits& hits)
{
    for (const QString& name : c.longIdentifiers) {
        hits.append({ QStringLiteral("identifier-too-long"),
            QStringLiteral(
                "'%1' is %2 bytes: PostgreSQL silently cuts names to 63, so the object gets another "
                "name than the one written")
                .arg(name)
                .arg(name.toUtf8().size()),
            QStringLiteral("a name of at most 63 bytes"), -1 });
    }
}

} // namespace

const QList<LintRule>& LintRules::all()
{
    using S = LintSeverity;
    static const QList<LintRule> rules {
        { QStringLiteral("require-concurrent-index-creation"), S::Warning,
            QStringLiteral("CREATE INDEX without CONCURRENTLY on an existing table"),
            requireConcurrentIndexCreation },
        { QStringLiteral("require-concurrent-index-deletion"), S::Warning,
            QStringLiteral("DROP INDEX without CONCURRENTLY"), requireConcurrentIndexDeletion },
        { QStringLiteral("constraint-missing-not-valid"), S::Warning,
            QStringLiteral("ADD CHECK / FOREIGN KEY without NOT VALID, or validated in the same transaction"),
            constraintMissingNotValid },
        { QStringLiteral("adding-foreign-key-constraint"), S::Warning,
            QStringLiteral("a validated foreign key added to an existing table"),
            addingForeignKeyConstraint },
        { QStringLiteral("adding-not-nullable-field"), S::Warning,
            QStringLiteral("SET NOT NULL without a valid CHECK (col IS NOT NULL) proving it"),
            addingNotNullableField },
        { QStringLiteral("adding-required-field"), S::Warning,
            QStringLiteral("ADD COLUMN ... NOT NULL without a DEFAULT"), addingRequiredField },
        { QStringLiteral("adding-field-with-default"), S::Warning,
            QStringLiteral("ADD COLUMN with a volatile DEFAULT or a generated value (a rewrite)"),
            addingFieldWithDefault },
        { QStringLiteral("adding-serial-primary-key-field"), S::Warning,
            QStringLiteral("a primary key added to an existing table without USING INDEX"),
            addingSerialPrimaryKeyField },
        { QStringLiteral("changing-column-type"), S::Warning, QStringLiteral("ALTER COLUMN ... TYPE"),
            changingColumnType },
        { QStringLiteral("disallowed-unique-constraint"), S::Warning,
            QStringLiteral("a UNIQUE constraint added without USING INDEX"), disallowedUniqueConstraint },
        { QStringLiteral("renaming-column"), S::Warning, QStringLiteral("ALTER TABLE ... RENAME COLUMN"),
            renaming },
        { QStringLiteral("renaming-table"), S::Warning, QStringLiteral("ALTER TABLE ... RENAME TO"),
            nullptr },
        { QStringLiteral("ban-drop-column"), S::Warning, QStringLiteral("ALTER TABLE ... DROP COLUMN"),
            banDropColumn },
        { QStringLiteral("ban-drop-table"), S::Warning, QStringLiteral("DROP TABLE"), banDropTable },
        { QStringLiteral("ban-drop-not-null"), S::Warning, QStringLiteral("ALTER COLUMN ... DROP NOT NULL"),
            banDropNotNull },
        { QStringLiteral("ban-concurrent-index-creation-in-transaction"), S::Error,
            QStringLiteral("CREATE INDEX CONCURRENTLY inside a transaction"),
            banConcurrentIndexCreationInTransaction },
        { QStringLiteral("require-timeout-settings"), S::Warning,
            QStringLiteral("a lock taken without a lock_timeout (plain SQL files; dbops migrations get one)"),
            requireTimeoutSettings },
        { QStringLiteral("prefer-robust-stmts"), S::Warning,
            QStringLiteral("outside a transaction, a statement that cannot run twice"), preferRobustStmts },
        { QStringLiteral("prefer-bigint-over-int"), S::Warning, QStringLiteral("integer / serial columns"),
            typeRules },
        { QStringLiteral("prefer-timestamptz"), S::Warning,
            QStringLiteral("timestamp without time zone columns"), nullptr },
        { QStringLiteral("prefer-text-field"), S::Warning, QStringLiteral("varchar(n) columns"), nullptr },
        { QStringLiteral("identifier-too-long"), S::Error, QStringLiteral("names longer than 63 bytes"),
            identifierTooLong },
        { QStringLiteral("transaction-nesting"), S::Error,
            QStringLiteral("BEGIN inside a transaction, or transaction control in a dbops migration"),
            nullptr },
    };
    return rules;
}

const LintRule* LintRules::find(const QString& id)
{
    const QString canonical = canonicalId(id);
    for (const LintRule& rule : all()) {
        if (rule.id == canonical)
            return &rule;
    }
    return nullptr;
}

QString LintRules::canonicalId(const QString& id)
{
    if (id == QLatin1String("prefer-timestamp-tz"))
        return QStringLiteral("prefer-timestamptz");
    if (id == QLatin1String("require-lock-timeout") || id == QLatin1String("require-statement-timeout"))
        return QStringLiteral("require-timeout-settings");
    return id;
}

QList<RuleHit> LintRules::check(const LintStatementContext& context)
{
    QList<RuleHit> hits;
    for (const LintRule& rule : all()) {
        if (rule.check)
            rule.check(context, hits);
    }
    return hits;
}

} // namespace dbops
