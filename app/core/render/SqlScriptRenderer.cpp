#include "render/SqlScriptRenderer.h"

#include <QRegularExpression>

namespace dbops {

namespace {

class ScriptBuilder
{
public:
    explicit ScriptBuilder(const QString& versionTable)
        : m_table(versionTable)
        , m_column(versionTable.section(QLatin1Char('.'), -1) + QStringLiteral(".version_num"))
    {
    }

    void comment(const QString& text, int step, const QString& revision)
    {
        add(ScriptItem::Kind::Comment, text, step, revision);
    }
    void begin()
    {
        if (!m_inTransaction)
            add(ScriptItem::Kind::Begin, QStringLiteral("BEGIN"), -1, {});
        m_inTransaction = true;
    }
    void commit()
    {
        if (m_inTransaction)
            add(ScriptItem::Kind::Commit, QStringLiteral("COMMIT"), -1, {});
        m_inTransaction = false;
    }
    bool inTransaction() const { return m_inTransaction; }

    void createVersionTable()
    {
        add(ScriptItem::Kind::VersionTable,
            QStringLiteral("CREATE TABLE %1 (version_num VARCHAR(32) NOT NULL, CONSTRAINT %2_pkc PRIMARY KEY (version_num))")
                .arg(m_table, m_table.section(QLatin1Char('.'), -1)),
            -1, {});
    }
    void dropVersionTable() { add(ScriptItem::Kind::VersionTable, QStringLiteral("DROP TABLE %1").arg(m_table), -1, {}); }

    void statement(const SqlStatement& s, const Revision& revision, int step)
    {
        ScriptItem& item = add(ScriptItem::Kind::Statement, s.text, step, revision.id);
        item.filePath = revision.filePath;
        item.line = s.line;
        item.column = s.column;
    }

    void versionChange(const VersionTableChange& change, int step, const QString& revision)
    {
        for (const QString& id : change.deletes)
            add(ScriptItem::Kind::VersionTable,
                QStringLiteral("DELETE FROM %1 WHERE %2 = '%3'").arg(m_table, m_column, id), step, revision);
        if (!change.updateTo.isEmpty())
            add(ScriptItem::Kind::VersionTable,
                QStringLiteral("UPDATE %1 SET version_num='%2' WHERE %3 = '%4'")
                    .arg(m_table, change.updateTo, m_column, change.updateFrom),
                step, revision);
        for (const QString& id : change.inserts)
            add(ScriptItem::Kind::VersionTable,
                QStringLiteral("INSERT INTO %1 (version_num) VALUES ('%2')").arg(m_table, id), step, revision);
    }

    RenderedScript take() { return std::move(m_script); }

private:
    ScriptItem& add(ScriptItem::Kind kind, const QString& sql, int step, const QString& revision)
    {
        ScriptItem item;
        item.kind = kind;
        item.sql = sql;
        item.stepIndex = step;
        item.revision = revision;
        item.autocommit = !m_inTransaction && kind != ScriptItem::Kind::Begin;
        m_script.items.append(item);
        return m_script.items.last();
    }

    QString m_table;
    QString m_column;
    bool m_inTransaction = false;
    RenderedScript m_script;
};

} // namespace

bool SqlScriptRenderer::isValidVersionTable(const QString& name)
{
    static const QRegularExpression pattern(QStringLiteral("^([a-z_][a-z0-9_]*\\.)?[a-z_][a-z0-9_]*$"));
    return pattern.match(name).hasMatch() && name.size() <= 127;
}

Result<TransactionMode> SqlScriptRenderer::parseTransactionMode(const QString& text)
{
    if (text == QLatin1String("all"))
        return TransactionMode::All;
    if (text == QLatin1String("per-revision"))
        return TransactionMode::PerRevision;
    return Error::usage(QStringLiteral("--transaction must be 'all' or 'per-revision', not '%1'").arg(text));
}

RenderedScript SqlScriptRenderer::render(const MigrationPlan& plan, const RevisionGraph& graph, const Options& options)
{
    ScriptBuilder out(options.versionTable);
    if (plan.steps.isEmpty())
        return out.take();

    const bool perRevision = options.transactionMode == TransactionMode::PerRevision;
    auto revisionAt = [&](int i) -> const Revision& { return graph.revision(plan.steps[i].revision); };

    if (plan.upgrade && plan.startHeads.isEmpty()) {
        // Like Alembic: the version table is created with the first revision.
        if (!perRevision && revisionAt(0).transactional)
            out.begin();
        out.createVersionTable();
    }
    for (int i = 0; i < plan.steps.size(); ++i) {
        const MigrationStep& step = plan.steps[i];
        const Revision& revision = revisionAt(i);
        if (revision.transactional)
            out.begin();
        else
            out.commit(); // CONCURRENTLY and friends refuse a transaction block

        out.comment(QStringLiteral("Running %1 %2 -> %3")
                        .arg(step.upgrade ? QStringLiteral("upgrade") : QStringLiteral("downgrade"),
                            step.fromRevisions.join(QStringLiteral(", ")), step.toRevisions.join(QStringLiteral(", "))),
            i, step.revision);
        const MigrationSection& section = step.upgrade ? revision.upgrade : revision.downgrade;
        for (const SqlStatement& statement : section.statements)
            out.statement(statement, revision, i);
        out.versionChange(step.versionChange, i, step.revision);
        if (perRevision)
            out.commit();
    }
    if (!plan.upgrade && plan.endHeads.isEmpty())
        out.dropVersionTable();
    out.commit();
    return out.take();
}

} // namespace dbops
