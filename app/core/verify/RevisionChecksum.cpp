#include "verify/RevisionChecksum.h"

#include "render/SqlScriptRenderer.h"

#include <QCryptographicHash>

namespace dbops {

QByteArray RevisionChecksum::normalised(const QString& sql)
{
    QString text = sql;
    text.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    text.replace(QLatin1Char('\r'), QLatin1Char('\n'));
    return text.toUtf8();
}

QString RevisionChecksum::ofStep(const RenderedScript& script, int stepIndex)
{
    QString sql;
    for (const ScriptItem& item : script.items) {
        if (item.kind == ScriptItem::Kind::Statement && item.stepIndex == stepIndex)
            sql += item.rendered();
    }
    return QString::fromLatin1(QCryptographicHash::hash(normalised(sql), QCryptographicHash::Sha256).toHex());
}

Result<QString> RevisionChecksum::ofUpgrade(const RevisionGraph& graph, const QString& revision)
{
    if (!graph.contains(revision))
        return Error::input(QStringLiteral("unknown revision '%1'").arg(revision));
    const Revision& r = graph.revision(revision);
    if (!r.sqlLoaded)
        return Error { Error::Kind::Internal,
            QStringLiteral("the SQL of revision %1 was not loaded, so its checksum cannot be computed")
                .arg(revision),
            r.filePath, 0, 0, {}, {}, {} };
    // A one-step plan: the renderer emits the revision's statements exactly
    // as it does inside any other plan (no version-table work is needed).
    MigrationStep step;
    step.revision = revision;
    step.upgrade = true;
    step.fromRevisions = r.downRevisions;
    step.toRevisions = QStringList { revision };
    MigrationPlan plan;
    plan.upgrade = true;
    plan.startHeads = r.downRevisions;
    plan.endHeads = QStringList { revision };
    plan.steps.append(step);
    SqlScriptRenderer::Options options;
    options.createVersionTable = false;
    return ofStep(SqlScriptRenderer::render(plan, graph, options), 0);
}

} // namespace dbops
