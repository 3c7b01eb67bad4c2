#include "lint/LockModel.h"

#include "lint/LockTable.h"
#include "lint/ParseTree.h"

namespace dbops {

using namespace lint::tree;

namespace {

QString columnKey(const QString& tableKey, const QString& column)
{
    return tableKey + QLatin1Char('|') + column;
}

// The column a CHECK (column IS NOT NULL) is about, or empty.
QString notNullColumn(const QJsonValue& expression)
{
    const QJsonValue test = member(expression, "NullTest");
    if (text(test, "nulltesttype") != QLatin1String("IS_NOT_NULL"))
        return {};
    const QStringList fields = strings(list(member(member(test, "arg"), "ColumnRef"), "fields"));
    return fields.size() == 1 ? fields.first() : QString();
}

bool hasConstraint(const QJsonValue& columnDef, const char* contype)
{
    for (const QJsonValue& c : list(columnDef, "constraints")) {
        if (text(member(c, "Constraint"), "contype") == QLatin1String(contype))
            return true;
    }
    return false;
}

// A ColumnDef's DEFAULT expression, or undefined.
QJsonValue defaultOf(const QJsonValue& columnDef)
{
    for (const QJsonValue& c : list(columnDef, "constraints")) {
        const QJsonValue constraint = member(c, "Constraint");
        if (text(constraint, "contype") == QLatin1String("CONSTR_DEFAULT"))
            return member(constraint, "raw_expr");
    }
    return QJsonValue(QJsonValue::Undefined);
}

bool isSerial(const QString& type)
{
    return type == QLatin1String("serial") || type == QLatin1String("bigserial")
        || type == QLatin1String("smallserial") || type == QLatin1String("serial4")
        || type == QLatin1String("serial8") || type == QLatin1String("serial2");
}

// The base type and the modifiers of "varchar(20)".
QString baseType(const QString& typeText)
{
    return typeText.section(QLatin1Char('('), 0, 0);
}

QList<int> modifiers(const QString& typeText)
{
    QList<int> out;
    const int open = static_cast<int>(typeText.indexOf(QLatin1Char('(')));
    if (open < 0)
        return out;
    const QString inside = typeText.mid(open + 1).chopped(1);
    for (const QString& part : inside.split(QLatin1Char(',')))
        out.append(part.trimmed().toInt());
    return out;
}

} // namespace

// ------------------------------------------------------------------ effects

LockMode StatementEffects::strongestOnExisting() const
{
    const RelationEffect* effect = strongestEffect();
    return effect ? effect->lock : LockMode::None;
}

const RelationEffect* StatementEffects::strongestEffect() const
{
    const RelationEffect* strongest = nullptr;
    for (const RelationEffect& effect : relations) {
        if (!effect.createdInTransaction && (!strongest || effect.lock > strongest->lock))
            strongest = &effect;
    }
    return strongest;
}

const RelationEffect* StatementEffects::relation(const QString& name) const
{
    for (const RelationEffect& effect : relations) {
        if (effect.relation == name)
            return &effect;
    }
    return nullptr;
}

/// Adds a row's lock on a relation; the strongest row of several wins.
struct LockModel::Collector
{
    const LockModel& model;
    StatementEffects effects;

    void add(const QString& relation, const QString& rowId, bool rewrites, bool scans, bool other = false,
        LockMode explicitLock = LockMode::None)
    {
        if (relation.isEmpty())
            return;
        const LockTableRow& row = LockTable::instance().row(rowId);
        const LockMode lock
            = explicitLock != LockMode::None ? explicitLock : (other ? row.otherLock : row.lock);
        for (RelationEffect& effect : effects.relations) {
            if (effect.relation != relation)
                continue;
            if (lock > effect.lock) {
                effect.lock = lock;
                effect.rowIds.prepend(rowId);
            } else {
                effect.rowIds.append(rowId);
            }
            effect.rewrites = effect.rewrites || rewrites;
            effect.scans = (effect.scans || scans) && !effect.rewrites;
            return;
        }
        RelationEffect effect;
        effect.relation = relation;
        effect.lock = lock;
        effect.rewrites = rewrites;
        effect.scans = scans && !rewrites;
        effect.createdInTransaction = model.createdInTransaction(relation);
        effect.rowIds.append(rowId);
        effects.relations.append(effect);
    }

    // ALTER TABLE ... ADD COLUMN: rewritten for a value computed per row.
    void addColumn(const QString& table, const QJsonValue& columnDef)
    {
        const QJsonValue defaultExpr = defaultOf(columnDef);
        const bool rewrites = (!defaultExpr.isUndefined() && isVolatile(defaultExpr))
            || hasConstraint(columnDef, "CONSTR_GENERATED") || hasConstraint(columnDef, "CONSTR_IDENTITY")
            || isSerial(typeName(member(columnDef, "typeName")));
        const bool scans = (hasConstraint(columnDef, "CONSTR_NOTNULL") && defaultExpr.isUndefined())
            || hasConstraint(columnDef, "CONSTR_CHECK") || hasConstraint(columnDef, "CONSTR_PRIMARY")
            || hasConstraint(columnDef, "CONSTR_UNIQUE");
        add(table,
            rewrites ? QStringLiteral("alter-table-add-column-volatile-default")
                     : QStringLiteral("alter-table-add-column"),
            rewrites, scans);
        for (const QJsonValue& c : list(columnDef, "constraints")) {
            const QJsonValue constraint = member(c, "Constraint");
            if (text(constraint, "contype") == QLatin1String("CONSTR_FOREIGN"))
                add(relationName(member(constraint, "pktable")),
                    QStringLiteral("alter-table-add-column-references"), false, false, true);
        }
    }

    void addConstraint(const QString& table, const QJsonValue& constraint)
    {
        const QString type = text(constraint, "contype");
        const bool notValid = flag(constraint, "skip_validation");
        if (type == QLatin1String("CONSTR_CHECK")) {
            add(table,
                notValid ? QStringLiteral("alter-table-add-check-not-valid")
                         : QStringLiteral("alter-table-add-check"),
                false, !notValid);
        } else if (type == QLatin1String("CONSTR_FOREIGN")) {
            const QString rowId = notValid ? QStringLiteral("alter-table-add-foreign-key-not-valid")
                                           : QStringLiteral("alter-table-add-foreign-key");
            add(table, rowId, false, !notValid);
            add(relationName(member(constraint, "pktable")), rowId, false, false, true);
        } else if (!text(constraint, "indexname").isEmpty()) {
            add(table, QStringLiteral("alter-table-add-constraint-using-index"), false, false);
        } else {
            add(table, QStringLiteral("alter-table-add-unique"), false, true);
        }
    }

    void alterTableCommand(const QString& table, const QJsonValue& cmd)
    {
        const QString subtype = text(cmd, "subtype");
        const QJsonValue def = member(cmd, "def");
        const QString column = text(cmd, "name");
        if (subtype == QLatin1String("AT_AddColumn") || subtype == QLatin1String("AT_AddColumnToView")) {
            addColumn(table, member(def, "ColumnDef"));
        } else if (subtype == QLatin1String("AT_DropColumn")) {
            add(table, QStringLiteral("alter-table-drop-column"), false, false);
        } else if (subtype == QLatin1String("AT_AlterColumnType")) {
            const QJsonValue columnDef = member(def, "ColumnDef");
            const bool coercible = !member(columnDef, "raw_default").isObject()
                && binaryCoercible(model.columnType(table, column), typeText(member(columnDef, "typeName")));
            add(table,
                coercible ? QStringLiteral("alter-table-alter-column-type-coercible")
                          : QStringLiteral("alter-table-alter-column-type"),
                !coercible, false);
        } else if (subtype == QLatin1String("AT_ColumnDefault")) {
            add(table, QStringLiteral("alter-table-set-default"), false, false);
        } else if (subtype == QLatin1String("AT_SetNotNull")) {
            const bool proven = model.notNullProven(table, column);
            add(table,
                proven ? QStringLiteral("alter-table-set-not-null-proven")
                       : QStringLiteral("alter-table-set-not-null"),
                false, !proven);
        } else if (subtype == QLatin1String("AT_DropNotNull")) {
            add(table, QStringLiteral("alter-table-drop-not-null"), false, false);
        } else if (subtype == QLatin1String("AT_SetStatistics")) {
            add(table, QStringLiteral("alter-table-set-statistics"), false, false);
        } else if (subtype == QLatin1String("AT_SetRelOptions")
            || subtype == QLatin1String("AT_ResetRelOptions")) {
            add(table, QStringLiteral("alter-table-set-storage-parameters"), false, false);
        } else if (subtype == QLatin1String("AT_ClusterOn") || subtype == QLatin1String("AT_DropCluster")) {
            add(table, QStringLiteral("alter-table-cluster-on"), false, false);
        } else if (subtype == QLatin1String("AT_AddConstraint")) {
            addConstraint(table, member(def, "Constraint"));
        } else if (subtype == QLatin1String("AT_ValidateConstraint")) {
            add(table, QStringLiteral("alter-table-validate-constraint"), false, true);
        } else if (subtype == QLatin1String("AT_DropConstraint")) {
            add(table, QStringLiteral("alter-table-drop-constraint"), false, false);
        } else if (subtype == QLatin1String("AT_SetLogged")) {
            add(table, QStringLiteral("alter-table-set-logged"), true, false);
        } else if (subtype == QLatin1String("AT_SetUnLogged")) {
            add(table, QStringLiteral("alter-table-set-unlogged"), true, false);
        } else if (subtype.startsWith(QLatin1String("AT_EnableTrig"))
            || subtype.startsWith(QLatin1String("AT_DisableTrig"))
            || subtype.startsWith(QLatin1String("AT_EnableAlwaysTrig"))
            || subtype.startsWith(QLatin1String("AT_EnableReplicaTrig"))) {
            add(table, QStringLiteral("alter-table-trigger"), false, false);
        } else if (subtype == QLatin1String("AT_AttachPartition")) {
            const QString partition = relationName(member(member(def, "PartitionCmd"), "name"));
            add(table, QStringLiteral("alter-table-attach-partition"), false, false);
            add(partition, QStringLiteral("alter-table-attach-partition"), false,
                !model.m_checkedTables.contains(key(partition)), true);
        } else if (subtype == QLatin1String("AT_DetachPartition")
            || subtype == QLatin1String("AT_DetachPartitionFinalize")) {
            const QJsonValue partitionCmd = member(def, "PartitionCmd");
            const QString rowId
                = flag(partitionCmd, "concurrent") || subtype == QLatin1String("AT_DetachPartitionFinalize")
                ? QStringLiteral("alter-table-detach-partition-concurrently")
                : QStringLiteral("alter-table-detach-partition");
            add(table, rowId, false, false);
            add(relationName(member(partitionCmd, "name")), rowId, false, false, true);
        } else {
            add(table, QStringLiteral("alter-table-other"), false, false);
        }
    }
};

StatementEffects LockModel::effects(const QJsonObject& statement) const
{
    Collector c { *this, {} };
    const QString type = nodeType(statement);
    const QJsonObject body = nodeBody(statement);
    if (type == QLatin1String("CreateStmt")) {
        const QString table = relationName(body.value(QLatin1String("relation")));
        c.add(table, QStringLiteral("create-table"), false, false);
        if (!c.effects.relations.isEmpty())
            c.effects.relations.last().createdInTransaction = true; // it is being created
        for (const QJsonValue& element : body.value(QLatin1String("tableElts")).toArray()) {
            QJsonArray constraints = list(member(element, "ColumnDef"), "constraints");
            if (member(element, "Constraint").isObject())
                constraints.append(element);
            for (const QJsonValue& constraint : constraints) {
                const QJsonValue con = member(constraint, "Constraint");
                if (text(con, "contype") == QLatin1String("CONSTR_FOREIGN"))
                    c.add(relationName(member(con, "pktable")), QStringLiteral("create-table-references"),
                        false, false, true);
            }
        }
    } else if (type == QLatin1String("IndexStmt")) {
        const bool concurrent = flag(body, "concurrent");
        c.add(relationName(body.value(QLatin1String("relation"))),
            concurrent ? QStringLiteral("create-index-concurrently") : QStringLiteral("create-index"), false,
            true);
    } else if (type == QLatin1String("DropStmt")) {
        const QString removeType = text(body, "removeType");
        for (const QJsonValue& object : body.value(QLatin1String("objects")).toArray()) {
            const QString name = dottedName(object);
            if (removeType == QLatin1String("OBJECT_INDEX")) {
                const QString table = tableOfIndex(name);
                c.add(table.isEmpty() ? name : table,
                    flag(body, "concurrent") ? QStringLiteral("drop-index-concurrently")
                                             : QStringLiteral("drop-index"),
                    false, false);
            } else if (removeType == QLatin1String("OBJECT_TABLE")
                || removeType == QLatin1String("OBJECT_VIEW") || removeType == QLatin1String("OBJECT_MATVIEW")
                || removeType == QLatin1String("OBJECT_FOREIGN_TABLE")
                || removeType == QLatin1String("OBJECT_SEQUENCE")) {
                c.add(name, QStringLiteral("drop-table"), false, false);
            }
        }
    } else if (type == QLatin1String("TruncateStmt")) {
        for (const QJsonValue& relation : body.value(QLatin1String("relations")).toArray())
            c.add(relationName(member(relation, "RangeVar")), QStringLiteral("truncate"), true, false);
    } else if (type == QLatin1String("RenameStmt")) {
        const QString renameType = text(body, "renameType");
        const QString relation = relationName(body.value(QLatin1String("relation")));
        if (renameType == QLatin1String("OBJECT_COLUMN"))
            c.add(relation, QStringLiteral("rename-column"), false, false);
        else if (renameType == QLatin1String("OBJECT_TABCONSTRAINT"))
            c.add(relation, QStringLiteral("rename-constraint"), false, false);
        else if (renameType == QLatin1String("OBJECT_INDEX"))
            c.add(relation, QStringLiteral("rename-index"), false, false);
        else if (renameType == QLatin1String("OBJECT_TABLE") || renameType == QLatin1String("OBJECT_VIEW")
            || renameType == QLatin1String("OBJECT_MATVIEW") || renameType == QLatin1String("OBJECT_SEQUENCE")
            || renameType == QLatin1String("OBJECT_FOREIGN_TABLE"))
            c.add(relation, QStringLiteral("rename-table"), false, false);
    } else if (type == QLatin1String("AlterTableStmt")) {
        const QString table = relationName(body.value(QLatin1String("relation")));
        for (const QJsonValue& cmd : body.value(QLatin1String("cmds")).toArray())
            c.alterTableCommand(table, member(cmd, "AlterTableCmd"));
    } else if (type == QLatin1String("CreateTrigStmt")) {
        c.add(relationName(body.value(QLatin1String("relation"))), QStringLiteral("create-trigger"), false,
            false);
    } else if (type == QLatin1String("VacuumStmt")) {
        bool full = false;
        for (const QJsonValue& option : body.value(QLatin1String("options")).toArray())
            full = full || text(member(option, "DefElem"), "defname") == QLatin1String("full");
        for (const QJsonValue& relation : body.value(QLatin1String("rels")).toArray()) {
            const QString name = relationName(member(member(relation, "VacuumRelation"), "relation"));
            if (full && flag(body, "is_vacuumcmd"))
                c.add(name, QStringLiteral("vacuum-full"), true, false);
            else
                c.add(name, QStringLiteral("vacuum"), false, false);
        }
    } else if (type == QLatin1String("ClusterStmt")) {
        c.add(relationName(body.value(QLatin1String("relation"))), QStringLiteral("cluster"), true, false);
    } else if (type == QLatin1String("ReindexStmt")) {
        bool concurrently = false;
        for (const QJsonValue& param : body.value(QLatin1String("params")).toArray())
            concurrently
                = concurrently || text(member(param, "DefElem"), "defname") == QLatin1String("concurrently");
        const QString kind = text(body, "kind");
        QString relation = relationName(body.value(QLatin1String("relation")));
        if (kind == QLatin1String("REINDEX_OBJECT_INDEX") && !tableOfIndex(relation).isEmpty())
            relation = tableOfIndex(relation);
        if (kind == QLatin1String("REINDEX_OBJECT_TABLE") || kind == QLatin1String("REINDEX_OBJECT_INDEX"))
            c.add(relation, concurrently ? QStringLiteral("reindex-concurrently") : QStringLiteral("reindex"),
                false, true);
    } else if (type == QLatin1String("RefreshMatViewStmt")) {
        const bool concurrent = flag(body, "concurrent");
        c.add(relationName(body.value(QLatin1String("relation"))),
            concurrent ? QStringLiteral("refresh-materialized-view-concurrently")
                       : QStringLiteral("refresh-materialized-view"),
            !concurrent, concurrent);
    } else if (type == QLatin1String("LockStmt")) {
        // LOCK TABLE's modes are numbered as LockMode (AccessShareLock = 1 ...).
        const int mode = body.value(QLatin1String("mode")).toInt(8);
        const LockMode lock
            = mode >= 1 && mode <= 8 ? static_cast<LockMode>(mode) : LockMode::AccessExclusive;
        for (const QJsonValue& relation : body.value(QLatin1String("relations")).toArray())
            c.add(relationName(member(relation, "RangeVar")), QStringLiteral("lock-table"), false, false,
                false, lock);
    } else if (type == QLatin1String("CommentStmt")) {
        const QString objtype = text(body, "objtype");
        QStringList parts = strings(list(member(body.value(QLatin1String("object")), "List"), "items"));
        if (objtype == QLatin1String("OBJECT_COLUMN") && !parts.isEmpty())
            parts.removeLast();
        if (objtype == QLatin1String("OBJECT_TABLE") || objtype == QLatin1String("OBJECT_COLUMN"))
            c.add(parts.mid(qMax(0, static_cast<int>(parts.size()) - 2)).join(QLatin1Char('.')),
                QStringLiteral("comment"), false, false);
    } else if (type == QLatin1String("CreateStatsStmt")) {
        for (const QJsonValue& relation : body.value(QLatin1String("relations")).toArray())
            c.add(relationName(member(relation, "RangeVar")), QStringLiteral("create-statistics"), false,
                false);
    } else if (type == QLatin1String("InsertStmt")) {
        c.add(relationName(body.value(QLatin1String("relation"))), QStringLiteral("insert"), false, false);
    } else if (type == QLatin1String("UpdateStmt") || type == QLatin1String("DeleteStmt")) {
        c.add(relationName(body.value(QLatin1String("relation"))), QStringLiteral("update"), false,
            !body.contains(QLatin1String("whereClause")));
    }
    return c.effects;
}

// ------------------------------------------------------------------ state

void LockModel::beginTransaction()
{
    m_inTransaction = true;
    m_createdInTransaction.clear();
    m_notValidInTransaction.clear();
}

void LockModel::endTransaction()
{
    m_inTransaction = false;
    m_createdInTransaction.clear();
    m_notValidInTransaction.clear();
}

QString LockModel::key(const QString& relation)
{
    // Schemas are rarely written in migrations; a name matches with or without one.
    return relation.section(QLatin1Char('.'), -1);
}

void LockModel::forget(const QString& relation)
{
    m_createdInTransaction.remove(key(relation));
    m_checkedTables.remove(key(relation));
}

bool LockModel::createdInTransaction(const QString& relation) const
{
    return m_createdInTransaction.contains(key(relation));
}

QString LockModel::tableOfIndex(const QString& index) const
{
    return m_indexTable.value(key(index));
}

QString LockModel::columnType(const QString& relation, const QString& column) const
{
    return m_columnTypes.value(columnKey(key(relation), column));
}

bool LockModel::notNullProven(const QString& relation, const QString& column) const
{
    return m_notNullChecks.contains(columnKey(key(relation), column));
}

bool LockModel::addedNotValidInTransaction(const QString& relation, const QString& name) const
{
    return m_notValidInTransaction.contains(columnKey(key(relation), name));
}

void LockModel::apply(const QJsonObject& statement)
{
    const QString type = nodeType(statement);
    const QJsonObject body = nodeBody(statement);
    auto addCheck = [this](const QString& table, const QJsonValue& constraint) {
        const QString tableKey = key(table);
        const QString column = notNullColumn(member(constraint, "raw_expr"));
        const QString name = text(constraint, "conname");
        if (flag(constraint, "skip_validation")) {
            m_notValidInTransaction.insert(columnKey(tableKey, name));
            m_notValidChecks.insert(columnKey(tableKey, name), column);
            return;
        }
        m_checkedTables.insert(tableKey);
        if (!column.isEmpty())
            m_notNullChecks.insert(columnKey(tableKey, column));
    };
    if (type == QLatin1String("CreateStmt") || type == QLatin1String("CreateTableAsStmt")
        || type == QLatin1String("ViewStmt") || type == QLatin1String("CreateSeqStmt")) {
        const QJsonValue relation = type == QLatin1String("CreateTableAsStmt")
            ? member(body.value(QLatin1String("into")), "rel")
            : body.value(type == QLatin1String("ViewStmt")   ? QLatin1String("view")
                    : type == QLatin1String("CreateSeqStmt") ? QLatin1String("sequence")
                                                             : QLatin1String("relation"));
        const QString table = relationName(relation);
        if (m_inTransaction)
            m_createdInTransaction.insert(key(table));
        for (const QJsonValue& element : body.value(QLatin1String("tableElts")).toArray()) {
            const QJsonValue column = member(element, "ColumnDef");
            if (column.isObject())
                m_columnTypes.insert(
                    columnKey(key(table), text(column, "colname")), typeText(member(column, "typeName")));
            const QJsonValue constraint = member(element, "Constraint");
            if (text(constraint, "contype") == QLatin1String("CONSTR_CHECK"))
                addCheck(table, constraint);
        }
    } else if (type == QLatin1String("IndexStmt")) {
        const QString name = text(body, "idxname");
        if (!name.isEmpty())
            m_indexTable.insert(key(name), relationName(body.value(QLatin1String("relation"))));
    } else if (type == QLatin1String("DropStmt")) {
        for (const QJsonValue& object : body.value(QLatin1String("objects")).toArray())
            forget(dottedName(object));
    } else if (type == QLatin1String("AlterTableStmt")) {
        const QString table = relationName(body.value(QLatin1String("relation")));
        for (const QJsonValue& cmdNode : body.value(QLatin1String("cmds")).toArray()) {
            const QJsonValue cmd = member(cmdNode, "AlterTableCmd");
            const QString subtype = text(cmd, "subtype");
            const QJsonValue def = member(cmd, "def");
            if (subtype == QLatin1String("AT_AddColumn")) {
                const QJsonValue column = member(def, "ColumnDef");
                m_columnTypes.insert(
                    columnKey(key(table), text(column, "colname")), typeText(member(column, "typeName")));
            } else if (subtype == QLatin1String("AT_AlterColumnType")) {
                m_columnTypes.insert(columnKey(key(table), text(cmd, "name")),
                    typeText(member(member(def, "ColumnDef"), "typeName")));
            } else if (subtype == QLatin1String("AT_AddConstraint")
                && text(member(def, "Constraint"), "contype") == QLatin1String("CONSTR_CHECK")) {
                addCheck(table, member(def, "Constraint"));
            } else if (subtype == QLatin1String("AT_ValidateConstraint")) {
                const QString constraintKey = columnKey(key(table), text(cmd, "name"));
                if (m_notValidChecks.contains(constraintKey)) {
                    m_checkedTables.insert(key(table));
                    const QString column = m_notValidChecks.take(constraintKey);
                    if (!column.isEmpty())
                        m_notNullChecks.insert(columnKey(key(table), column));
                }
            }
        }
    }
}

// ------------------------------------------------------------------ expressions and types

bool LockModel::isVolatile(const QJsonValue& expression)
{
    // Functions PostgreSQL marks STABLE or IMMUTABLE that defaults use; a
    // default calling anything else is taken as volatile (a rewrite), the
    // safe guess without the catalog.
    static const QStringList nonVolatile { QStringLiteral("now"), QStringLiteral("transaction_timestamp"),
        QStringLiteral("statement_timestamp"), QStringLiteral("current_setting"), QStringLiteral("lower"),
        QStringLiteral("upper"), QStringLiteral("concat"), QStringLiteral("to_timestamp"),
        QStringLiteral("to_date"), QStringLiteral("make_date"), QStringLiteral("make_interval"),
        QStringLiteral("json_build_object"), QStringLiteral("jsonb_build_object"),
        QStringLiteral("json_build_array"), QStringLiteral("jsonb_build_array"), QStringLiteral("array_fill"),
        QStringLiteral("length"), QStringLiteral("abs"), QStringLiteral("round") };
    if (expression.isObject()) {
        const QJsonObject object = expression.toObject();
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            if (it.key() == QLatin1String("FuncCall")) {
                const QStringList name = strings(list(it.value(), "funcname"));
                if (name.isEmpty() || !nonVolatile.contains(name.last()))
                    return true;
            }
            if (it.key() == QLatin1String("SubLink"))
                return true;
            if (isVolatile(it.value()))
                return true;
        }
    } else if (expression.isArray()) {
        for (const QJsonValue& item : expression.toArray()) {
            if (isVolatile(item))
                return true;
        }
    }
    return false;
}

QString LockModel::typeText(const QJsonValue& typeNameNode)
{
    QString out = typeName(typeNameNode);
    const QList<int> mods = typeModifiers(typeNameNode);
    if (!mods.isEmpty()) {
        QStringList parts;
        for (int mod : mods)
            parts.append(QString::number(mod));
        out += QLatin1Char('(') + parts.join(QLatin1Char(',')) + QLatin1Char(')');
    }
    if (!list(typeNameNode, "arrayBounds").isEmpty())
        out += QStringLiteral("[]");
    return out;
}

bool LockModel::binaryCoercible(const QString& from, const QString& to)
{
    if (from.isEmpty() || to.isEmpty())
        return false; // unknown: assume a rewrite
    if (from == to)
        return true;
    const QString fromBase = baseType(from);
    const QString toBase = baseType(to);
    const QList<int> fromMods = modifiers(from);
    const QList<int> toMods = modifiers(to);
    const bool fromText = fromBase == QLatin1String("varchar") || fromBase == QLatin1String("text");
    if (fromText && toBase == QLatin1String("text"))
        return true;
    if (fromText && toBase == QLatin1String("varchar"))
        return toMods.isEmpty()
            || (fromBase == QLatin1String("varchar") && !fromMods.isEmpty()
                && toMods.first() >= fromMods.first());
    if (fromBase == QLatin1String("numeric") && toBase == QLatin1String("numeric")) {
        if (toMods.isEmpty())
            return true;
        return fromMods.size() == 2 && toMods.size() == 2 && toMods.at(0) >= fromMods.at(0)
            && toMods.at(1) == fromMods.at(1);
    }
    return false;
}

} // namespace dbops
