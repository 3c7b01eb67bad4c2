// dbops verify: what was applied against what is on disk (checksums).
#include "CliContext.h"
#include "Commands.h"
#include "ExitCode.h"
#include "connection/DatabaseConnection.h"
#include "verify/ChecksumVerifier.h"

#include <QJsonArray>
#include <QJsonObject>

namespace dbops::cli {

namespace {

QJsonObject findingJson(const VerifyFinding& finding)
{
    return QJsonObject {
        { QStringLiteral("kind"), VerifyFinding::kindName(finding.kind) },
        { QStringLiteral("revision"), finding.revision },
        { QStringLiteral("recorded_sha256"), finding.recordedSha256 },
        { QStringLiteral("current_sha256"), finding.currentSha256 },
        { QStringLiteral("applied_at"), finding.appliedAt },
        { QStringLiteral("applied_by"), finding.appliedBy },
        { QStringLiteral("accepted_reason"), finding.acceptedReason },
        { QStringLiteral("message"), finding.message },
    };
}

void printSection(QTextStream& out, const VerifyReport& report, VerifyFinding::Kind kind, const char* title)
{
    const QList<VerifyFinding> findings = report.ofKind(kind);
    if (findings.isEmpty())
        return;
    out << title << " (" << findings.size() << "):\n";
    for (const VerifyFinding& finding : findings)
        out << "  " << finding.message << '\n';
}

} // namespace

int runVerify(CliContext& context, const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Compare what was applied with the migration files: revisions whose file changed after "
        "it was applied (checksum), applied revisions no file has, and pending revisions "
        "older than the applied ones.  Read-only.  Exit 1 when any is found."));
    const QCommandLineOption json = jsonOption();
    parser.addOption(json);
    if (auto code = context.parse(parser, arguments, QStringLiteral("verify")))
        return *code;
    int exitCode = ExitOk;
    std::optional<ConnectedRepository> connected = connectWithSql(context, &exitCode);
    if (!connected)
        return exitCode;
    const ConnectionTarget& target = connected->target;
    const std::unique_ptr<DatabaseConnection>& connection = connected->connection;
    const MigrationRepository* repository = connected->repository;

    Result<VerifyReport> verified
        = ChecksumVerifier::verify(*connection, repository->graph(), target.versionTable);
    if (!verified)
        return context.fail(verified.error());
    const VerifyReport& report = verified.value();

    if (parser.isSet(json)) {
        QJsonArray findings;
        for (const VerifyFinding& finding : report.findings)
            findings.append(findingJson(finding));
        context.printJson(QJsonObject {
            { QStringLiteral("database"), target.settings.describe() },
            { QStringLiteral("version_table"), report.versionTable },
            { QStringLiteral("version_table_exists"), report.versionTableExists },
            { QStringLiteral("checksum_table"), report.checksumTable },
            { QStringLiteral("checksum_table_exists"), report.checksumTableExists },
            { QStringLiteral("revisions"), QJsonArray::fromStringList(report.databaseRevisions) },
            { QStringLiteral("verified"), report.verified },
            { QStringLiteral("clean"), report.clean() },
            { QStringLiteral("findings"), findings },
        });
    } else {
        QTextStream& out = context.out();
        out << "Database: " << target.describe() << '\n';
        if (!report.versionTableExists) {
            out << "Current:  base (no " << report.versionTable << " table): nothing applied to verify\n";
        } else {
            out << "Current:  "
                << (report.databaseRevisions.isEmpty() ? QStringLiteral("base")
                                                       : report.databaseRevisions.join(QStringLiteral(", ")))
                << '\n';
            out << "Checksums: "
                << (report.checksumTableExists
                           ? report.checksumTable
                           : QStringLiteral("none recorded (no %1 table)").arg(report.checksumTable))
                << '\n';
        }
        printSection(out, report, VerifyFinding::Kind::Changed, "Changed after they were applied");
        printSection(out, report, VerifyFinding::Kind::NotOnDisk, "Applied but not on disk");
        printSection(out, report, VerifyFinding::Kind::OutOfOrder, "Pending out of order");
        printSection(out, report, VerifyFinding::Kind::NoChecksum, "No checksum recorded (not an error)");
        out << "Verified: " << report.verified << " applied revision(s) match their files"
            << (report.clean() ? QStringLiteral("; clean") : QStringLiteral("; problems found")) << '\n';
        out.flush();
    }
    return report.clean() ? ExitOk : ExitCheckFailed;
}

} // namespace dbops::cli
