#include "recover/RecoveryReport.h"

#include "catalog/DdlText.h"

#include <QJsonArray>

namespace dbops {

namespace {

QString shellQuoted(const QString& text)
{
    QString quoted = text;
    quoted.replace(QLatin1Char('\''), QLatin1String("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

QJsonObject objectJson(const RecoveryObject& object)
{
    return QJsonObject {
        { QStringLiteral("object"), object.change.describe() },
        { QStringLiteral("schema"), object.change.schema },
        { QStringLiteral("table"), object.change.table },
        { QStringLiteral("name"), object.change.name },
        { QStringLiteral("line"), object.line },
        { QStringLiteral("exists"), object.exists },
        { QStringLiteral("drop_sql"), object.dropStatement },
    };
}

QJsonObject indexJson(const InvalidIndex& index)
{
    return QJsonObject {
        { QStringLiteral("schema"), index.schema },
        { QStringLiteral("table"), index.table },
        { QStringLiteral("name"), index.name },
        { QStringLiteral("definition"), index.definition },
        { QStringLiteral("rebuild_sql"), QJsonArray::fromStringList(index.rebuildStatements()) },
    };
}

} // namespace

QStringList InvalidIndex::rebuildStatements() const
{
    // pg_get_indexdef writes "CREATE [UNIQUE] INDEX name ON ...": CONCURRENTLY
    // goes right after INDEX, so the rebuild takes no lock that blocks writes.
    QString create = definition;
    const int index = static_cast<int>(create.indexOf(QLatin1String(" INDEX ")));
    if (index >= 0)
        create.insert(index + 6, QLatin1String(" CONCURRENTLY"));
    return QStringList { QStringLiteral("DROP INDEX CONCURRENTLY %1;").arg(DdlText::qualified(schema, name)),
        create + QLatin1Char(';') };
}

bool RecoveryReport::hasPartialRevision() const
{
    for (const RecoveryObject& object : checkedObjects) {
        if (object.exists)
            return true;
    }
    return false;
}

QStringList RecoveryReport::rollbackStatements() const
{
    QStringList statements;
    for (auto object = checkedObjects.crbegin(); object != checkedObjects.crend(); ++object) {
        if (object->exists && !object->dropStatement.isEmpty())
            statements.append(object->dropStatement);
    }
    return statements;
}

QStringList RecoveryReport::nextSteps() const
{
    QStringList steps;
    if (hasPartialRevision()) {
        steps.append(QStringLiteral("roll back what %1 left, in one transaction (guarded: dbops recover "
                                    "--rollback-partial; add --sql to print it):\n%2")
                         .arg(checkedRevision, rollbackStatements().join(QLatin1Char('\n'))));
    }
    for (const InvalidIndex& index : invalidIndexes) {
        steps.append(QStringLiteral("rebuild the INVALID index %1 concurrently, outside a transaction "
                                    "(guarded: dbops recover --rebuild-index %1):\n%2")
                         .arg(DdlText::qualified(index.schema, index.name),
                             index.rebuildStatements().join(QLatin1Char('\n'))));
    }
    if (!pendingRevisions.isEmpty()) {
        steps.append(hasPartialRevision() ? QStringLiteral("then resume: dbops upgrade")
                                          : QStringLiteral("resume: dbops upgrade"));
    }
    if (hasPartialRevision()) {
        steps.append(
            QStringLiteral("or, if every object of %1 is complete and checked by hand, record it as "
                           "applied instead: dbops stamp %1 --force --reason %2")
                .arg(checkedRevision, shellQuoted(QStringLiteral("completed by hand after a failed run"))));
    }
    return steps;
}

QJsonObject RecoveryReport::toJson() const
{
    QJsonArray objects;
    for (const RecoveryObject& object : checkedObjects)
        objects.append(objectJson(object));
    QJsonArray indexes;
    for (const InvalidIndex& index : invalidIndexes)
        indexes.append(indexJson(index));
    QJsonObject json {
        { QStringLiteral("database"), database },
        { QStringLiteral("version_table"), versionTable },
        { QStringLiteral("version_table_exists"), versionTableExists },
        { QStringLiteral("heads"), QJsonArray::fromStringList(heads) },
        { QStringLiteral("applied"), QJsonArray::fromStringList(appliedRevisions) },
        { QStringLiteral("pending"), QJsonArray::fromStringList(pendingRevisions) },
        { QStringLiteral("plan_problem"), planProblem },
        { QStringLiteral("failed_revision"), failedRevision },
        { QStringLiteral("checked_revision"), checkedRevision },
        { QStringLiteral("checked_objects"), objects },
        { QStringLiteral("partial"), hasPartialRevision() },
        { QStringLiteral("invalid_indexes"), indexes },
        { QStringLiteral("rollback_sql"), QJsonArray::fromStringList(rollbackStatements()) },
        { QStringLiteral("next_steps"), QJsonArray::fromStringList(nextSteps()) },
        { QStringLiteral("consistent"), consistent() },
    };
    json.insert(QStringLiteral("last_run"), lastRun ? QJsonValue(lastRun->toJson()) : QJsonValue());
    return json;
}

} // namespace dbops
