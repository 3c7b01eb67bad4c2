#include "lint/LockTable.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

static void initLintResources()
{
    Q_INIT_RESOURCE(lint);
}

namespace dbops {

const LockTable& LockTable::instance()
{
    static const LockTable table;
    return table;
}

LockTable::LockTable()
{
    initLintResources();
    QFile file(QStringLiteral(":/dbops/lint/lock_table.json"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("lock_table.json is missing from the resources");
    const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    m_baseSetup = root.value(QStringLiteral("base_setup")).toString();
    for (const QJsonValue& value : root.value(QStringLiteral("rows")).toArray()) {
        const QJsonObject o = value.toObject();
        LockTableRow row;
        row.id = o.value(QStringLiteral("id")).toString();
        row.statement = o.value(QStringLiteral("statement")).toString();
        row.lock = lockModeFromName(o.value(QStringLiteral("lock")).toString());
        row.otherLock = lockModeFromName(o.value(QStringLiteral("other_lock")).toString());
        row.rewrites = o.value(QStringLiteral("rewrites")).toString();
        row.scans = o.value(QStringLiteral("scans")).toString();
        row.doc = o.value(QStringLiteral("doc")).toString();
        row.example = o.value(QStringLiteral("example")).toString();
        row.setup = o.value(QStringLiteral("setup")).toString();
        row.relation = o.value(QStringLiteral("relation")).toString();
        row.other = o.value(QStringLiteral("other")).toString();
        row.exampleRewrites = o.value(QStringLiteral("example_rewrites")).toBool();
        row.exampleScans = o.value(QStringLiteral("example_scans")).toBool();
        row.verifyOnServer = o.value(QStringLiteral("verify_on_server")).toBool(true);
        if (row.lock == LockMode::None)
            qFatal("lock_table.json: row %s has no known lock", qPrintable(row.id));
        m_rows.append(row);
    }
}

const LockTableRow& LockTable::row(const QString& id) const
{
    for (const LockTableRow& row : m_rows) {
        if (row.id == id)
            return row;
    }
    return m_missing;
}

} // namespace dbops
