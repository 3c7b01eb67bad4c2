#include "alembic/AlembicOfflineSql.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>

namespace dbops {

namespace {

using Direction = AlembicScriptBlock::Direction;

QString directionName(Direction direction)
{
    return direction == Direction::Upgrade ? QStringLiteral("upgrade") : QStringLiteral("downgrade");
}

QString canonical(const QString& path)
{
    const QString resolved = QFileInfo(path).canonicalFilePath();
    return resolved.isEmpty() ? QDir::cleanPath(QFileInfo(path).absoluteFilePath()) : resolved;
}

// The line of `def upgrade(` (or downgrade) in a revision script, 0 if absent.
int functionLine(const QString& pythonFile, Direction direction)
{
    QFile file(pythonFile);
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    const QRegularExpression definition(QStringLiteral("^def\\s+%1\\s*\\(").arg(directionName(direction)),
        QRegularExpression::MultilineOption);
    const QString text = QString::fromUtf8(file.readAll());
    const QRegularExpressionMatch match = definition.match(text);
    if (!match.hasMatch())
        return 0;
    return 1 + static_cast<int>(text.left(match.capturedStart()).count(QLatin1Char('\n')));
}

// Alembic's generated script is nowhere on disk: point statements at the
// function that produced them, so file:line opens the right place.
void pointAtRevisionFile(MigrationSection& section, const Revision& revision, Direction direction)
{
    int line = functionLine(revision.filePath, direction);
    if (line <= 0)
        line = revision.revisionLine;
    section.markerLine = line;
    for (SqlStatement& statement : section.statements) {
        statement.line = line;
        statement.column = 1;
    }
}

struct TracebackFrame
{
    QString file;
    int line = 0;
};

QList<TracebackFrame> tracebackFrames(const QString& standardError)
{
    static const QRegularExpression frame(
        QStringLiteral("^\\s*File \"([^\"]+)\", line (\\d+)"), QRegularExpression::MultilineOption);
    QList<TracebackFrame> frames;
    QRegularExpressionMatchIterator it = frame.globalMatch(standardError);
    while (it.hasNext()) {
        const QRegularExpressionMatch match = it.next();
        frames.append(TracebackFrame { match.captured(1), match.captured(2).toInt() });
    }
    return frames;
}

// Which revision a failed run was in, and where: the innermost traceback frame
// in a revision script, else the revision of the last marker Alembic printed
// (it prints the marker before it calls the revision's function).
Error failureError(const Error& runError, const AlembicCommand::Failure& failure,
    const RevisionList& revisions, Direction direction, const QString& iniPath)
{
    QHash<QString, int> byFile;
    QHash<QString, int> byId;
    for (int i = 0; i < revisions.size(); ++i) {
        byFile.insert(canonical(revisions.at(i).filePath), i);
        byId.insert(revisions.at(i).id, i);
    }
    const QString message = AlembicCommand::lastErrorLine(runError.detail);
    int revisionIndex = -1;
    int line = 0;
    const QList<TracebackFrame> frames = tracebackFrames(runError.detail);
    for (auto it = frames.crbegin(); it != frames.crend(); ++it) {
        const auto found = byFile.constFind(canonical(it->file));
        if (found != byFile.constEnd()) {
            revisionIndex = *found;
            line = it->line;
            break;
        }
    }
    if (revisionIndex < 0) {
        const QStringList ran = AlembicOfflineScript::markerRevisions(failure.partialOutput);
        if (!ran.isEmpty())
            revisionIndex = byId.value(ran.constLast(), -1);
    }
    if (revisionIndex < 0) {
        // Before any revision ran: env.py, the configuration or the timeout.
        Error error = runError;
        error.file = iniPath;
        error.message = QStringLiteral("Alembic's offline mode failed: ") + runError.message;
        return error;
    }
    const Revision& revision = revisions.at(revisionIndex);
    if (line <= 0)
        line = functionLine(revision.filePath, direction);
    if (line <= 0)
        line = revision.revisionLine;
    // A timeout's message is ours; otherwise Alembic's own last line says most.
    const QString reason = failure.timedOut || message.isEmpty() ? runError.message : message;
    Error error = Error::input(QStringLiteral("Alembic's offline mode failed for revision %1 (%2): %3")
                                   .arg(revision.id, directionName(direction), reason),
        revision.filePath, line);
    error.detail = runError.detail;
    if (!failure.timedOut) {
        error.hint = QStringLiteral("offline mode has no database connection: if this revision reads query "
                                    "results (op.get_bind().execute(...)), emit its SQL with op.execute() "
                                    "instead, or run it with Alembic itself");
    }
    return error;
}

} // namespace

Result<bool> AlembicOfflineSql::applyBlocks(const AlembicScriptBlockList& upgradeBlocks,
    const std::optional<AlembicScriptBlockList>& downgradeBlocks, RevisionList& revisions,
    const QString& upgradeScriptName, const QString& downgradeScriptName)
{
    QHash<QString, int> byId;
    for (int i = 0; i < revisions.size(); ++i)
        byId.insert(revisions.at(i).id, i);

    auto apply = [&](const AlembicScriptBlockList& blocks, Direction direction,
                     const QString& scriptName) -> Result<bool> {
        QHash<QString, int> seen;
        for (const AlembicScriptBlock& block : blocks) {
            if (block.direction != direction) {
                return Error::input(QStringLiteral("a '-- Running %1' marker in the %2 script")
                                        .arg(directionName(block.direction), directionName(direction)),
                    scriptName, block.markerLine);
            }
            const auto found = byId.constFind(block.revisionId);
            if (found == byId.constEnd()) {
                return Error::input(
                    QStringLiteral("Alembic ran revision %1, which is not among the project's revisions")
                        .arg(block.revisionId),
                    scriptName, block.markerLine);
            }
            if (seen.contains(block.revisionId)) {
                return Error::input(QStringLiteral("revision %1 appears twice (first at line %2)")
                                        .arg(block.revisionId)
                                        .arg(seen.value(block.revisionId)),
                    scriptName, block.markerLine);
            }
            seen.insert(block.revisionId, block.markerLine);
            Revision& revision = revisions[*found];
            MigrationSection& section
                = direction == Direction::Upgrade ? revision.upgrade : revision.downgrade;
            section.present = true;
            section.markerLine = block.markerLine;
            section.statements = block.statements;
            if (!block.transactional)
                revision.transactional = false;
        }
        for (const Revision& revision : std::as_const(revisions)) {
            if (!seen.contains(revision.id)) {
                return Error::input(
                    QStringLiteral("Alembic's offline mode printed no %1 for revision %2 (%3)")
                        .arg(directionName(direction), revision.id, scriptName),
                    revision.filePath, revision.revisionLine);
            }
        }
        return true;
    };

    if (Result<bool> applied = apply(upgradeBlocks, Direction::Upgrade, upgradeScriptName); !applied)
        return applied;
    if (downgradeBlocks) {
        if (Result<bool> applied = apply(*downgradeBlocks, Direction::Downgrade, downgradeScriptName);
            !applied)
            return applied;
    }
    return true;
}

Result<RevisionList> AlembicOfflineSql::revisionsFromScripts(const QString& upgradeText,
    const QString& upgradeFile, const std::optional<QString>& downgradeText, const QString& downgradeFile,
    const QString& versionTable)
{
    Result<AlembicScriptBlockList> upgrade
        = AlembicOfflineScript::parse(upgradeText, upgradeFile, versionTable);
    if (!upgrade)
        return upgrade.error();
    if (upgrade->isEmpty()) {
        return Error::input(
            QStringLiteral("no '-- Running upgrade PARENTS -> REVISION' marker: this is not the "
                           "output of 'alembic upgrade heads --sql'"),
            upgradeFile, 1);
    }
    RevisionList revisions;
    QHash<QString, int> byId;
    for (const AlembicScriptBlock& block : std::as_const(*upgrade)) {
        if (block.direction != Direction::Upgrade) {
            return Error::input(
                QStringLiteral("a downgrade marker in the upgrade script"), upgradeFile, block.markerLine);
        }
        if (byId.contains(block.revisionId)) {
            return Error::input(QStringLiteral("revision %1 appears twice (first at line %2)")
                                    .arg(block.revisionId)
                                    .arg(revisions.at(byId.value(block.revisionId)).revisionLine),
                upgradeFile, block.markerLine);
        }
        for (const QString& parent : block.parentIds) {
            if (!byId.contains(parent)) {
                return Error::input(
                    QStringLiteral("revision %1's parent %2 is not earlier in the script: generate "
                                   "it from the base ('alembic upgrade heads --sql')")
                        .arg(block.revisionId, parent),
                    upgradeFile, block.markerLine);
            }
        }
        Revision revision;
        revision.id = block.revisionId;
        revision.downRevisions = block.parentIds;
        revision.filePath = upgradeFile;
        revision.revisionLine = block.markerLine;
        revision.downRevisionLine = block.markerLine;
        revision.upgrade.present = true;
        revision.upgrade.markerLine = block.markerLine;
        revision.upgrade.statements = block.statements;
        revision.transactional = block.transactional;
        // depends_on is not in the markers; Alembic's version-table update shows
        // it when the dependency was a head: it replaces that row too.
        for (const QString& replaced : block.versionsReplaced) {
            if (!block.parentIds.contains(replaced) && byId.contains(replaced)
                && !revision.dependsOn.contains(replaced))
                revision.dependsOn.append(replaced);
        }
        byId.insert(revision.id, static_cast<int>(revisions.size()));
        revisions.append(revision);
    }
    if (!downgradeText)
        return revisions;

    Result<AlembicScriptBlockList> downgrade
        = AlembicOfflineScript::parse(*downgradeText, downgradeFile, versionTable);
    if (!downgrade)
        return downgrade.error();
    QHash<QString, int> seen;
    for (const AlembicScriptBlock& block : std::as_const(*downgrade)) {
        if (block.direction != Direction::Downgrade) {
            return Error::input(
                QStringLiteral("an upgrade marker in the downgrade script"), downgradeFile, block.markerLine);
        }
        const auto found = byId.constFind(block.revisionId);
        if (found == byId.constEnd()) {
            return Error::input(QStringLiteral("revision %1 is not in the upgrade script %2")
                                    .arg(block.revisionId, upgradeFile),
                downgradeFile, block.markerLine);
        }
        if (seen.contains(block.revisionId)) {
            return Error::input(QStringLiteral("revision %1 appears twice (first at line %2)")
                                    .arg(block.revisionId)
                                    .arg(seen.value(block.revisionId)),
                downgradeFile, block.markerLine);
        }
        seen.insert(block.revisionId, block.markerLine);
        Revision& revision = revisions[*found];
        QStringList parents = block.parentIds;
        QStringList expected = revision.downRevisions;
        parents.sort();
        expected.sort();
        if (parents != expected) {
            return Error::input(
                QStringLiteral("the downgrade of %1 goes to '%2', but its upgrade starts from '%3' "
                               "(%4:%5): the scripts come from different projects")
                    .arg(revision.id, block.parentIds.join(QStringLiteral(", ")),
                        revision.downRevisions.join(QStringLiteral(", ")), upgradeFile)
                    .arg(revision.revisionLine),
                downgradeFile, block.markerLine);
        }
        revision.downgrade.present = true;
        revision.downgrade.markerLine = block.markerLine;
        revision.downgrade.statements = block.statements;
        if (!block.transactional)
            revision.transactional = false;
    }
    return revisions;
}

Result<bool> AlembicOfflineSql::fillSections(
    const AlembicProject& project, RevisionList& revisions, const AlembicRunOptions& options)
{
    if (revisions.isEmpty())
        return true;
    const AlembicCommand alembic(project.iniPath, options);
    // Alembic 1.8 walks every head in one run, and `heads:base` downgrades
    // every branch down to its base, so two runs cover the whole graph.
    const QStringList upgradeArguments { QStringLiteral("upgrade"), QStringLiteral("heads"),
        QStringLiteral("--sql") };
    const QStringList downgradeArguments { QStringLiteral("downgrade"), QStringLiteral("heads:base"),
        QStringLiteral("--sql") };
    const QString upgradeName = QStringLiteral("alembic ") + upgradeArguments.join(QLatin1Char(' '));
    const QString downgradeName = QStringLiteral("alembic ") + downgradeArguments.join(QLatin1Char(' '));

    AlembicScriptBlockList blocks[2];
    const Direction directions[2] = { Direction::Upgrade, Direction::Downgrade };
    for (int i = 0; i < 2; ++i) {
        AlembicCommand::Failure failure;
        Result<QString> output = alembic.run(i == 0 ? upgradeArguments : downgradeArguments, &failure);
        if (!output)
            return failureError(output.error(), failure, revisions, directions[i], project.iniPath);
        const QString name = QStringLiteral("output of '%1'").arg(i == 0 ? upgradeName : downgradeName);
        Result<AlembicScriptBlockList> parsed
            = AlembicOfflineScript::parse(*output, name, project.versionTable);
        if (!parsed)
            return parsed.error();
        blocks[i] = std::move(parsed).value();
    }

    RevisionList filled = revisions;
    for (Revision& revision : filled) {
        revision.upgrade = MigrationSection {};
        revision.downgrade = MigrationSection {};
        revision.transactional = true;
    }
    if (Result<bool> applied = applyBlocks(blocks[0], blocks[1], filled, upgradeName, downgradeName);
        !applied)
        return applied;
    for (Revision& revision : filled) {
        pointAtRevisionFile(revision.upgrade, revision, Direction::Upgrade);
        pointAtRevisionFile(revision.downgrade, revision, Direction::Downgrade);
    }
    revisions = std::move(filled);
    return true;
}

} // namespace dbops
