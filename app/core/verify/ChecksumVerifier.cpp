#include "verify/ChecksumVerifier.h"

#include "verify/RevisionChecksum.h"

#include <QSet>
#include <algorithm>

namespace dbops {

QString VerifyFinding::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Changed:
        return QStringLiteral("changed");
    case Kind::NotOnDisk:
        return QStringLiteral("not-on-disk");
    case Kind::OutOfOrder:
        return QStringLiteral("out-of-order");
    case Kind::NoChecksum:
        return QStringLiteral("no-checksum");
    }
    return QStringLiteral("no-checksum");
}

namespace {

VerifyFinding findingFor(VerifyFinding::Kind kind, const QString& revision, const AppliedChecksum* recorded)
{
    VerifyFinding finding;
    finding.kind = kind;
    finding.revision = revision;
    if (recorded) {
        finding.recordedSha256 = recorded->sha256;
        finding.appliedAt = recorded->appliedAt;
        finding.appliedBy = recorded->appliedBy;
        finding.acceptedReason = recorded->acceptedReason;
    }
    return finding;
}

QString appliedWhen(const VerifyFinding& finding)
{
    if (finding.appliedAt.isEmpty())
        return QString();
    return QStringLiteral(" (applied %1 by %2)").arg(finding.appliedAt, finding.appliedBy);
}

} // namespace

Result<VerifyReport> ChecksumVerifier::verify(
    DatabaseConnection& connection, const RevisionGraph& graph, const QString& versionTable)
{
    Result<VersionState> versions = VersionTable::read(connection, versionTable);
    if (!versions)
        return versions.error();
    Result<AppliedChecksumTable> checksums = AppliedChecksums::read(connection, versionTable);
    if (!checksums)
        return checksums.error();
    return compare(graph, versionTable, versions.value(), checksums.value());
}

Result<VerifyReport> ChecksumVerifier::compare(const RevisionGraph& graph, const QString& versionTable,
    const VersionState& versions, const AppliedChecksumTable& checksums)
{
    VerifyReport report;
    report.versionTable = versionTable;
    report.versionTableExists = versions.tableExists;
    report.checksumTable = checksums.table;
    report.checksumTableExists = checksums.exists;
    report.databaseRevisions = versions.revisions;
    if (!versions.tableExists)
        return report; // nothing applied

    QStringList knownHeads;
    QStringList unknownHeads;
    for (const QString& id : versions.revisions)
        (graph.contains(id) ? knownHeads : unknownHeads).append(id);

    // What is applied: the ancestry of the version table's rows.  When a row
    // names a revision no file has, its ancestry is unknown, and the side
    // table's rows are the best evidence left of what ran below it.
    QStringList roots = knownHeads;
    if (!unknownHeads.isEmpty()) {
        for (auto it = checksums.rows.constBegin(); it != checksums.rows.constEnd(); ++it) {
            if (graph.contains(it.key()))
                roots.append(it.key());
        }
    }
    const QStringList appliedList = graph.ancestorsOf(roots);
    const QSet<QString> applied(appliedList.cbegin(), appliedList.cend());

    QStringList oldestFirst = graph.historyOrder();
    std::reverse(oldestFirst.begin(), oldestFirst.end());

    QList<VerifyFinding> changed;
    QList<VerifyFinding> noChecksum;
    for (const QString& id : std::as_const(oldestFirst)) {
        if (!applied.contains(id))
            continue;
        const auto row = checksums.rows.constFind(id);
        if (row == checksums.rows.constEnd()) {
            VerifyFinding finding = findingFor(VerifyFinding::Kind::NoChecksum, id, nullptr);
            finding.message = QStringLiteral("revision %1: no checksum recorded (applied before dbops kept "
                                             "checksums, by another tool, or stamped)")
                                  .arg(id);
            noChecksum.append(finding);
            continue;
        }
        Result<QString> current = RevisionChecksum::ofUpgrade(graph, id);
        if (!current)
            return current.error();
        if (row->normalisation != RevisionChecksum::kNormalisation) {
            VerifyFinding finding = findingFor(VerifyFinding::Kind::NoChecksum, id, &row.value());
            finding.currentSha256 = current.value();
            finding.message = QStringLiteral("revision %1: its checksum was recorded with normalisation %2, "
                                             "which this dbops (normalisation %3) cannot compare")
                                  .arg(id)
                                  .arg(row->normalisation)
                                  .arg(RevisionChecksum::kNormalisation);
            noChecksum.append(finding);
            continue;
        }
        if (current.value() == row->sha256) {
            ++report.verified;
            continue;
        }
        VerifyFinding finding = findingFor(VerifyFinding::Kind::Changed, id, &row.value());
        finding.currentSha256 = current.value();
        finding.message = QStringLiteral("revision %1 (%2) changed after it was applied%3: its upgrade SQL "
                                         "now has SHA-256 %4, %5 was applied")
                              .arg(id, graph.revision(id).filePath, appliedWhen(finding),
                                  finding.currentSha256.left(12), finding.recordedSha256.left(12));
        changed.append(finding);
    }

    // Applied but on no file: the version table's unknown rows, and, since
    // their ancestry is unknown, the side table's rows no file has.
    QList<VerifyFinding> notOnDisk;
    QStringList missing = unknownHeads;
    if (!unknownHeads.isEmpty()) {
        for (auto it = checksums.rows.constBegin(); it != checksums.rows.constEnd(); ++it) {
            if (!graph.contains(it.key()) && !missing.contains(it.key()))
                missing.append(it.key());
        }
    }
    missing.sort();
    for (const QString& id : std::as_const(missing)) {
        const auto row = checksums.rows.constFind(id);
        VerifyFinding finding = findingFor(
            VerifyFinding::Kind::NotOnDisk, id, row == checksums.rows.constEnd() ? nullptr : &row.value());
        finding.message
            = QStringLiteral("revision %1 is applied%2 but no migration file has it%3")
                  .arg(id,
                      versions.revisions.contains(id) ? QStringLiteral(" (in %1)").arg(versionTable)
                                                      : QString(),
                      appliedWhen(finding));
        notOnDisk.append(finding);
    }

    // Out of order: pending revisions that no applied revision leads to, yet
    // a pending revision above the current ones needs (a merged branch the
    // database skipped).  A separate, unmerged branch is simply pending.
    QList<VerifyFinding> outOfOrder;
    if (unknownHeads.isEmpty() && !knownHeads.isEmpty()) {
        Result<MigrationPlan> plan = graph.upgradePlan(knownHeads, QStringLiteral("heads"));
        if (plan) {
            const QStringList pending = plan->revisions();
            QStringList aboveCurrent;
            for (const QString& id : pending) {
                const bool above = std::any_of(knownHeads.cbegin(), knownHeads.cend(),
                    [&](const QString& head) { return graph.isAncestor(head, id); });
                if (above)
                    aboveCurrent.append(id);
            }
            const QStringList neededList = graph.ancestorsOf(aboveCurrent);
            const QSet<QString> needed(neededList.cbegin(), neededList.cend());
            for (const QString& id : pending) {
                if (needed.contains(id) && !aboveCurrent.contains(id)) {
                    VerifyFinding finding = findingFor(VerifyFinding::Kind::OutOfOrder, id, nullptr);
                    finding.message
                        = QStringLiteral("revision %1 (%2) is pending, but older than what is "
                                         "applied (%3): a merged branch not applied yet")
                              .arg(id, graph.revision(id).filePath, knownHeads.join(QStringLiteral(", ")));
                    outOfOrder.append(finding);
                }
            }
        }
    }
    report.findings = changed + notOnDisk + outOfOrder + noChecksum;
    return report;
}

ErrorList ChecksumVerifier::refusals(const VerifyReport& report, const QList<AcceptedChange>& acceptedChanges)
{
    ErrorList refusals;
    for (const AcceptedChange& accepted : acceptedChanges) {
        if (accepted.reason.trimmed().isEmpty())
            refusals.append(Error::usage(
                QStringLiteral("--accept-changed %1 needs --reason TEXT: why the applied revision's file may "
                               "differ from what ran")
                    .arg(accepted.revision)));
    }
    for (const VerifyFinding& finding : report.findings) {
        if (finding.kind != VerifyFinding::Kind::Changed)
            continue;
        const bool accepted = std::any_of(
            acceptedChanges.cbegin(), acceptedChanges.cend(), [&](const AcceptedChange& change) {
                return change.revision == finding.revision && !change.reason.trimmed().isEmpty();
            });
        if (!accepted)
            refusals.append(Error::input(finding.message
                + QStringLiteral(
                    "; refused until it is resolved: restore the file, or pass --accept-changed %1 "
                    "--reason TEXT")
                      .arg(finding.revision)));
    }
    return refusals;
}

} // namespace dbops
