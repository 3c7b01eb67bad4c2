#include "alembic/AlembicOfflineSql.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>
#include <QSet>
#include <algorithm>

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

// Where a failed run stopped: the innermost traceback frame in a revision
// script, else the revision of the last marker Alembic printed (it prints the
// marker before it calls the revision's function).  -1: before any revision.
struct FailureSite
{
    int revisionIndex = -1;
    int line = 0; ///< from the traceback, 0 when it names no line of the revision
};

FailureSite failureSite(
    const Error& runError, const AlembicCommand::Failure& failure, const RevisionList& revisions)
{
    QHash<QString, int> byFile;
    QHash<QString, int> byId;
    for (int i = 0; i < revisions.size(); ++i) {
        byFile.insert(canonical(revisions.at(i).filePath), i);
        byId.insert(revisions.at(i).id, i);
    }
    FailureSite site;
    const QList<TracebackFrame> frames = tracebackFrames(runError.detail);
    for (auto it = frames.crbegin(); it != frames.crend(); ++it) {
        const auto found = byFile.constFind(canonical(it->file));
        if (found != byFile.constEnd()) {
            site.revisionIndex = *found;
            site.line = it->line;
            return site;
        }
    }
    const QStringList ran = AlembicOfflineScript::markerRevisions(failure.partialOutput);
    if (!ran.isEmpty())
        site.revisionIndex = byId.value(ran.constLast(), -1);
    return site;
}

// The error of a run that failed in (or is blamed on) `revision`.
Error revisionError(const Error& runError, const AlembicCommand::Failure& failure, const Revision& revision,
    int line, Direction direction)
{
    if (line <= 0)
        line = functionLine(revision.filePath, direction);
    if (line <= 0)
        line = revision.revisionLine;
    // A timeout's message is ours; otherwise Alembic's own words say most.
    const QString reason
        = failure.timedOut || failure.alembicMessage.isEmpty() ? runError.message : failure.alembicMessage;
    Error error = Error::input(QStringLiteral("Alembic's offline mode failed for revision %1 (%2): %3")
                                   .arg(revision.id, directionName(direction), reason),
        revision.filePath, line);
    error.detail = runError.detail;
    if (failure.timedOut)
        return error;
    if (direction == Direction::Downgrade && reason.startsWith(QLatin1String("NotImplementedError"))) {
        error.hint = QStringLiteral("its downgrade() raises NotImplementedError: Alembic cannot roll "
                                    "it back either; restore a backup instead");
    } else {
        error.hint = QStringLiteral("offline mode has no database connection: if this revision reads query "
                                    "results (op.get_bind().execute(...)), emit its SQL with op.execute() "
                                    "instead, or run it with Alembic itself");
    }
    return error;
}

// Which revision a failed run was in, and where; before any revision ran
// (env.py, the configuration or the timeout), the ini.
Error failureError(const Error& runError, const AlembicCommand::Failure& failure,
    const RevisionList& revisions, Direction direction, const QString& iniPath)
{
    const FailureSite site = failureSite(runError, failure, revisions);
    if (site.revisionIndex < 0) {
        Error error = runError;
        error.file = iniPath;
        error.message = QStringLiteral("Alembic's offline mode failed: ") + runError.message;
        return error;
    }
    return revisionError(runError, failure, revisions.at(site.revisionIndex), site.line, direction);
}

QString commandName(const QStringList& arguments)
{
    return QStringLiteral("alembic ") + arguments.join(QLatin1Char(' '));
}

QString outputName(const QStringList& arguments)
{
    return QStringLiteral("output of '%1'").arg(commandName(arguments));
}

// Puts one direction's blocks into the sections of `revisions`, matched by
// id.  A block for a revision not in the list, or twice, is an error; so is
// a revision without a block, unless `mayLack` lists it.
Result<bool> applyDirection(const AlembicScriptBlockList& blocks, Direction direction,
    RevisionList& revisions, const QString& scriptName, const QHash<QString, Error>& mayLack = {})
{
    QHash<QString, int> byId;
    for (int i = 0; i < revisions.size(); ++i)
        byId.insert(revisions.at(i).id, i);
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
        MigrationSection& section = direction == Direction::Upgrade ? revision.upgrade : revision.downgrade;
        section.present = true;
        section.markerLine = block.markerLine;
        section.statements = block.statements;
        if (!block.transactional)
            revision.transactional = false;
    }
    for (const Revision& revision : std::as_const(revisions)) {
        if (!seen.contains(revision.id) && !mayLack.contains(revision.id)) {
            return Error::input(QStringLiteral("Alembic's offline mode printed no %1 for revision %2 (%3)")
                                    .arg(directionName(direction), revision.id, scriptName),
                revision.filePath, revision.revisionLine);
        }
    }
    return true;
}

// Every revision's downgrade block that Alembic can render, and why it
// cannot render the others.
struct Downgrades
{
    AlembicScriptBlockList blocks; ///< one per revision at most
    QHash<QString, Error> unavailable; ///< by revision id
};

// `alembic downgrade heads:base --sql` covers the whole graph in one run,
// but Alembic 1.8 refuses it for some branchy graphs ("Multiple head
// revisions are present for given argument 'heads'"), and one revision whose
// downgrade cannot run offline stops the whole run.  Then the downgrades
// come from `alembic downgrade REV:base --sql`, one run from each revision at
// the top of what is still missing (the heads first, then the revisions
// below one that failed), until every revision has its block or Alembic's
// reason why not.  Each run settles at least one revision: usually there is
// one run per head.
Result<Downgrades> renderDowngrades(
    const AlembicCommand& alembic, const AlembicProject& project, const RevisionList& revisions)
{
    Downgrades result;
    QHash<QString, int> byId;
    for (int i = 0; i < revisions.size(); ++i)
        byId.insert(revisions.at(i).id, i);
    // Above a revision: its children, and what depends on it by id.  Labels
    // would need the graph; they change only the order of the runs, not what
    // they print.
    QHash<QString, QStringList> above;
    for (const Revision& revision : revisions) {
        for (const QStringList* below : { &revision.downRevisions, &revision.dependsOn }) {
            for (const QString& id : *below) {
                if (byId.contains(id))
                    above[id].append(revision.id);
            }
        }
    }
    QSet<QString> rendered;
    auto settled
        = [&](const QString& id) { return rendered.contains(id) || result.unavailable.contains(id); };
    auto failAllMissing = [&](const Error& error) {
        for (const Revision& revision : revisions) {
            if (!settled(revision.id))
                result.unavailable.insert(revision.id, error);
        }
    };

    // Keeps a run's blocks of revisions still missing (a failed run's last
    // block is cut short: dropped).  An output that does not parse is
    // returned as the optional error; a block of a revision the project does
    // not have, or two of one revision, fails the whole load as before.
    auto keepBlocks = [&](const QString& output, const QStringList& arguments,
                          bool failed) -> Result<std::optional<Error>> {
        const QString name = outputName(arguments);
        Result<AlembicScriptBlockList> parsed
            = AlembicOfflineScript::parse(output, name, project.versionTable);
        if (!parsed)
            return std::optional<Error>(parsed.error());
        AlembicScriptBlockList blocks = std::move(parsed).value();
        if (failed && !blocks.isEmpty())
            blocks.removeLast();
        QHash<QString, int> seen;
        for (const AlembicScriptBlock& block : std::as_const(blocks)) {
            if (block.direction != Direction::Downgrade) {
                return Error::input(QStringLiteral("a '-- Running upgrade' marker in the downgrade script"),
                    name, block.markerLine);
            }
            if (!byId.contains(block.revisionId)) {
                return Error::input(
                    QStringLiteral("Alembic ran revision %1, which is not among the project's revisions")
                        .arg(block.revisionId),
                    name, block.markerLine);
            }
            if (seen.contains(block.revisionId)) {
                return Error::input(QStringLiteral("revision %1 appears twice (first at line %2)")
                                        .arg(block.revisionId)
                                        .arg(seen.value(block.revisionId)),
                    name, block.markerLine);
            }
            seen.insert(block.revisionId, block.markerLine);
            if (settled(block.revisionId))
                continue; // the same function, rendered by an earlier run
            rendered.insert(block.revisionId);
            result.blocks.append(block);
        }
        return std::optional<Error>();
    };

    // One run: from `start`, or from every head (`heads:base`) when null.
    auto runFrom = [&](const Revision* start) -> Result<bool> {
        const QStringList arguments { QStringLiteral("downgrade"),
            start ? start->id + QStringLiteral(":base") : QStringLiteral("heads:base"),
            QStringLiteral("--sql") };
        AlembicCommand::Failure failure;
        Result<QString> output = alembic.run(arguments, &failure);
        if (output) {
            Result<std::optional<Error>> kept = keepBlocks(*output, arguments, false);
            if (!kept)
                return kept.error();
            if (start && !settled(start->id)) {
                result.unavailable.insert(start->id,
                    *kept ? **kept
                          : Error::input(QStringLiteral("Alembic's offline mode printed no downgrade for "
                                                        "revision %1 (%2)")
                                             .arg(start->id, commandName(arguments)),
                              start->filePath, start->revisionLine));
            }
            return true;
        }
        if (failure.timedOut) {
            // Another run would wait as long again.
            failAllMissing(start ? revisionError(output.error(), failure, *start, 0, Direction::Downgrade)
                                 : failureError(output.error(), failure, revisions, Direction::Downgrade,
                                     project.iniPath));
            return true;
        }
        if (Result<std::optional<Error>> kept = keepBlocks(failure.partialOutput, arguments, true); !kept)
            return kept.error();
        const FailureSite site = failureSite(output.error(), failure, revisions);
        if (site.revisionIndex >= 0 && !settled(revisions.at(site.revisionIndex).id)) {
            const Revision& failed = revisions.at(site.revisionIndex);
            result.unavailable.insert(
                failed.id, revisionError(output.error(), failure, failed, site.line, Direction::Downgrade));
        } else if (start && !settled(start->id)) {
            // Alembic refused before it reached a revision: blame where it started.
            result.unavailable.insert(
                start->id, revisionError(output.error(), failure, *start, 0, Direction::Downgrade));
        }
        return true;
    };

    if (Result<bool> ran = runFrom(nullptr); !ran)
        return ran.error();
    for (int runs = 0; runs < revisions.size(); ++runs) {
        const Revision* start = nullptr;
        const Revision* anyMissing = nullptr;
        for (const Revision& revision : revisions) {
            if (settled(revision.id))
                continue;
            if (!anyMissing)
                anyMissing = &revision;
            const QStringList over = above.value(revision.id);
            if (std::all_of(over.cbegin(), over.cend(), settled)) {
                start = &revision;
                break;
            }
        }
        if (!anyMissing)
            break;
        if (Result<bool> ran = runFrom(start ? start : anyMissing); !ran)
            return ran.error();
    }
    failAllMissing(Error::input(
        QStringLiteral("Alembic's offline mode printed no downgrade for this revision"), project.iniPath));
    return result;
}

} // namespace

Result<bool> AlembicOfflineSql::applyBlocks(const AlembicScriptBlockList& upgradeBlocks,
    const std::optional<AlembicScriptBlockList>& downgradeBlocks, RevisionList& revisions,
    const QString& upgradeScriptName, const QString& downgradeScriptName)
{
    if (Result<bool> applied
        = applyDirection(upgradeBlocks, Direction::Upgrade, revisions, upgradeScriptName);
        !applied)
        return applied;
    if (downgradeBlocks) {
        if (Result<bool> applied
            = applyDirection(*downgradeBlocks, Direction::Downgrade, revisions, downgradeScriptName);
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

Result<bool> AlembicOfflineSql::fillSections(const AlembicProject& project, RevisionList& revisions,
    const AlembicRunOptions& options, QMap<QString, Error>* downgradeErrors)
{
    if (downgradeErrors)
        downgradeErrors->clear();
    if (revisions.isEmpty())
        return true;
    const AlembicCommand alembic(project.iniPath, options);
    // Alembic 1.8 walks every head in one run: the upgrade must come out of
    // it, or nothing works.
    const QStringList upgradeArguments { QStringLiteral("upgrade"), QStringLiteral("heads"),
        QStringLiteral("--sql") };
    AlembicCommand::Failure failure;
    Result<QString> upgradeOutput = alembic.run(upgradeArguments, &failure);
    if (!upgradeOutput)
        return failureError(upgradeOutput.error(), failure, revisions, Direction::Upgrade, project.iniPath);
    Result<AlembicScriptBlockList> upgradeBlocks
        = AlembicOfflineScript::parse(*upgradeOutput, outputName(upgradeArguments), project.versionTable);
    if (!upgradeBlocks)
        return upgradeBlocks.error();
    // The downgrades, as far as Alembic can render them.
    Result<Downgrades> downgrades = renderDowngrades(alembic, project, revisions);
    if (!downgrades)
        return downgrades.error();

    RevisionList filled = revisions;
    for (Revision& revision : filled) {
        revision.upgrade = MigrationSection {};
        revision.downgrade = MigrationSection {};
        revision.transactional = true;
    }
    if (Result<bool> applied
        = applyDirection(*upgradeBlocks, Direction::Upgrade, filled, commandName(upgradeArguments));
        !applied)
        return applied;
    if (Result<bool> applied = applyDirection(downgrades->blocks, Direction::Downgrade, filled,
            QStringLiteral("alembic downgrade ...:base --sql"), downgrades->unavailable);
        !applied)
        return applied;
    for (Revision& revision : filled) {
        pointAtRevisionFile(revision.upgrade, revision, Direction::Upgrade);
        // A downgrade Alembic could not render stays absent: the planner
        // refuses to roll back through it, and nothing else needs it.
        if (revision.downgrade.present)
            pointAtRevisionFile(revision.downgrade, revision, Direction::Downgrade);
    }
    revisions = std::move(filled);
    if (downgradeErrors) {
        for (auto it = downgrades->unavailable.cbegin(); it != downgrades->unavailable.cend(); ++it)
            downgradeErrors->insert(it.key(), it.value());
    }
    return true;
}

} // namespace dbops
