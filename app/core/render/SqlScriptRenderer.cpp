#include "render/SqlScriptRenderer.h"

#include <QRegularExpression>

namespace dbops {

namespace {

class ScriptBuilder
{
public:
    explicit ScriptBuilder(const SqlScriptRenderer::Options& options)
        : m_table(options.versionTable)
        , m_column(options.versionTable.section(QLatin1Char('.'), -1) + QStringLiteral(".version_num"))
        , m_lockTimeoutMs(options.lockTimeoutMs)
        , m_statementTimeoutMs(options.statementTimeoutMs)
    { }

    void comment(const QString& text, int step, const QString& revision)
    {
        add(ScriptItem::Kind::Comment, text, step, revision);
    }
    void begin()
    {
        if (!m_inTransaction) {
            nameUnit(); // the autocommit stretch before, if any
            add(ScriptItem::Kind::Begin, QStringLiteral("BEGIN"), -1, {});
            m_inTransaction = true;
            settings(QStringLiteral("SET LOCAL"));
        }
    }
    void commit()
    {
        if (m_inTransaction) {
            add(ScriptItem::Kind::Commit, QStringLiteral("COMMIT"), -1, {});
            nameUnit();
        }
        m_inTransaction = false;
    }
    // Before statements that run in autocommit: session-level settings, once.
    void autocommitStretch()
    {
        commit();
        if (!m_sessionSettingsDone)
            settings(QStringLiteral("SET"));
        m_sessionSettingsDone = true;
    }
    bool inTransaction() const { return m_inTransaction; }

    void createVersionTable()
    {
        add(ScriptItem::Kind::VersionTable,
            QStringLiteral("CREATE TABLE %1 (version_num VARCHAR(32) NOT NULL, CONSTRAINT %2_pkc PRIMARY KEY "
                           "(version_num))")
                .arg(m_table, m_table.section(QLatin1Char('.'), -1)),
            -1, {});
    }
    void dropVersionTable()
    {
        add(ScriptItem::Kind::VersionTable, QStringLiteral("DROP TABLE %1").arg(m_table), -1, {});
    }

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
                QStringLiteral("DELETE FROM %1 WHERE %2 = '%3'").arg(m_table, m_column, id), step, revision)
                .expectsOneRow
                = true;
        if (!change.updateTo.isEmpty())
            add(ScriptItem::Kind::VersionTable,
                QStringLiteral("UPDATE %1 SET version_num='%2' WHERE %3 = '%4'")
                    .arg(m_table, change.updateTo, m_column, change.updateFrom),
                step, revision)
                .expectsOneRow
                = true;
        for (const QString& id : change.inserts)
            add(ScriptItem::Kind::VersionTable,
                QStringLiteral("INSERT INTO %1 (version_num) VALUES ('%2') RETURNING %3")
                    .arg(m_table, id, m_column),
                step, revision);
    }

    RenderedScript take()
    {
        nameUnit();
        return std::move(m_script);
    }

    void settings(const QString& verb)
    {
        if (m_lockTimeoutMs > 0)
            add(ScriptItem::Kind::Setting,
                QStringLiteral("%1 lock_timeout = '%2ms'").arg(verb).arg(m_lockTimeoutMs), -1, {});
        if (m_statementTimeoutMs > 0)
            add(ScriptItem::Kind::Setting,
                QStringLiteral("%1 statement_timeout = '%2ms'").arg(verb).arg(m_statementTimeoutMs), -1, {});
    }

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

    // BEGIN, SET and COMMIT belong to no step (stepIndex stays -1, so progress
    // is not reported for them), but an error there, such as a deferred
    // constraint failing at COMMIT, must name a revision: the last one of
    // their unit (a BEGIN..COMMIT block or a stretch of autocommit items).
    void nameUnit()
    {
        const int end = static_cast<int>(m_script.items.size());
        QString revision;
        for (int i = end - 1; i >= m_unitStart && revision.isEmpty(); --i) {
            if (m_script.items.at(i).stepIndex >= 0)
                revision = m_script.items.at(i).revision;
        }
        for (int i = m_unitStart; i < end; ++i) {
            ScriptItem& item = m_script.items[i];
            if (item.revision.isEmpty()
                && (item.kind == ScriptItem::Kind::Begin || item.kind == ScriptItem::Kind::Setting
                    || item.kind == ScriptItem::Kind::Commit))
                item.revision = revision;
        }
        m_unitStart = end;
    }

    QString m_table;
    QString m_column;
    int m_lockTimeoutMs = 0;
    int m_statementTimeoutMs = 0;
    bool m_inTransaction = false;
    bool m_sessionSettingsDone = false;
    int m_unitStart = 0; ///< the first item of the unit being built
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

RenderedScript SqlScriptRenderer::render(
    const MigrationPlan& plan, const RevisionGraph& graph, const Options& options)
{
    ScriptBuilder out(options);
    if (plan.steps.isEmpty())
        return out.take();

    const bool perRevision = options.transactionMode == TransactionMode::PerRevision;
    auto revisionAt = [&](int i) -> const Revision& { return graph.revision(plan.steps[i].revision); };

    if (plan.upgrade && plan.startHeads.isEmpty()) {
        // Like Alembic: the version table is created with the first revision.
        if (options.createVersionTable) {
            if (!perRevision && revisionAt(0).transactional)
                out.begin();
            else
                out.autocommitStretch();
            out.createVersionTable();
        }
    }
    for (int i = 0; i < plan.steps.size(); ++i) {
        const MigrationStep& step = plan.steps[i];
        const Revision& revision = revisionAt(i);
        if (revision.transactional)
            out.begin();
        else
            out.autocommitStretch(); // CONCURRENTLY and friends refuse a transaction block

        out.comment(QStringLiteral("Running %1 %2 -> %3")
                        .arg(step.upgrade ? QStringLiteral("upgrade") : QStringLiteral("downgrade"),
                            step.fromRevisions.join(QStringLiteral(", ")),
                            step.toRevisions.join(QStringLiteral(", "))),
            i, step.revision);
        if (!revision.sqlLoaded) {
            // A programming error, not bad input: the caller loaded the graph
            // only (MigrationRepository::loadGraph) and skipped ensureSql().
            // Rendering on would run the revision as if its sections were empty.
            qFatal("internal error: rendering revision %s, whose SQL was never loaded "
                   "(MigrationRepository::ensureSql was not called)",
                qPrintable(revision.id));
        }
        const MigrationSection& section = step.upgrade ? revision.upgrade : revision.downgrade;
        for (const SqlStatement& statement : section.statements)
            out.statement(statement, revision, i);
        out.versionChange(step.versionChange, i, step.revision);
        if (perRevision)
            out.commit();
    }
    if (!plan.upgrade && plan.endHeads.isEmpty()) {
        if (!out.inTransaction())
            out.autocommitStretch();
        out.dropVersionTable();
    }
    out.commit();
    return out.take();
}

RenderedScript SqlScriptRenderer::renderStamp(const QStringList& currentHeads, bool versionTableExists,
    const QStringList& targetHeads, const Options& options)
{
    ScriptBuilder out(options);
    out.begin();
    if (!versionTableExists)
        out.createVersionTable();
    VersionTableChange change;
    QStringList toDelete = currentHeads;
    QStringList toInsert = targetHeads;
    for (const QString& id : targetHeads) {
        if (toDelete.removeAll(id) > 0)
            toInsert.removeAll(id); // already there
    }
    if (toDelete.size() == 1 && !toInsert.isEmpty()) {
        change.updateFrom = toDelete.takeFirst();
        change.updateTo = toInsert.takeFirst();
    }
    change.deletes = toDelete;
    change.inserts = toInsert;
    out.comment(
        QStringLiteral("Stamping %1 -> %2")
            .arg(currentHeads.isEmpty() ? QStringLiteral("base") : currentHeads.join(QStringLiteral(", ")),
                targetHeads.isEmpty() ? QStringLiteral("base") : targetHeads.join(QStringLiteral(", "))),
        -1, {});
    out.versionChange(change, -1, {});
    out.commit();
    return out.take();
}

RenderedScript SqlScriptRenderer::renderRecovery(
    const QStringList& comments, const QStringList& statements, bool inTransaction, const Options& options)
{
    ScriptBuilder out(options);
    for (const QString& text : comments)
        out.comment(text, -1, {});
    if (inTransaction)
        out.begin();
    else
        out.autocommitStretch();
    for (QString text : statements) {
        if (text.endsWith(QLatin1Char(';')))
            text.chop(1);
        SqlStatement statement;
        statement.text = text;
        out.statement(statement, Revision(), -1);
    }
    out.commit();
    return out.take();
}

} // namespace dbops
