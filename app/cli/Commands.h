#pragma once

#include "common/Result.h"
#include "connection/ConnectionTarget.h"
#include "connection/DatabaseConnection.h"
#include "recover/RecoveryStep.h"

#include <QCommandLineOption>
#include <QStringList>
#include <memory>
#include <optional>

namespace dbops {
class MigrationRepository;
}

namespace dbops::cli {

class CliContext;

/// Opens the connection to the command's target (--database, --profile ...).
Result<std::unique_ptr<DatabaseConnection>> connectTo(CliContext& context, ConnectionTarget* targetOut);

/// A database command's repository, with its SQL split while the connection opens.
struct ConnectedRepository
{
    const MigrationRepository* repository = nullptr;
    std::unique_ptr<DatabaseConnection> connection;
    ConnectionTarget target;
};
/// --json: "Print JSON (shape in docs/cli.md)", the same option on every command that has it.
QCommandLineOption jsonOption();

/// std::nullopt after printing why (the repository's problems or the
/// connection's error), with the exit code in `exitCode`.
std::optional<ConnectedRepository> connectWithSql(CliContext& context, int* exitCode);

/// One function a command; `arguments` starts with the program name, as
/// QCommandLineParser expects, followed by the command's own arguments.
int runHistory(CliContext& context, const QStringList& arguments);
int runHeads(CliContext& context, const QStringList& arguments);
int runShow(CliContext& context, const QStringList& arguments);
int runCheck(CliContext& context, const QStringList& arguments);
int runNew(CliContext& context, const QStringList& arguments);
int runSql(CliContext& context, const QStringList& arguments);
int runCurrent(CliContext& context, const QStringList& arguments);
int runAudit(CliContext& context, const QStringList& arguments);
int runSnapshot(CliContext& context, const QStringList& arguments);
int runUpgrade(CliContext& context, const QStringList& arguments);
int runDowngrade(CliContext& context, const QStringList& arguments);
int runStamp(CliContext& context, const QStringList& arguments);
int runProfile(CliContext& context, const QStringList& arguments);
int runChecks(CliContext& context, const QStringList& arguments);
int runFix(CliContext& context, const QStringList& arguments);
int runJournal(CliContext& context, const QStringList& arguments);
int runImportAlembic(CliContext& context, const QStringList& arguments);
int runLint(CliContext& context, const QStringList& arguments);
int runVerify(CliContext& context, const QStringList& arguments);
int runFleet(CliContext& context, const QStringList& arguments);
int runRehearse(CliContext& context, const QStringList& arguments);
int runRecover(CliContext& context, const QStringList& arguments);
/// `dbops recover --rollback-partial | --rebuild-index NAME`: the step as a guarded write.
int runRecoveryStep(CliContext& context, const QStringList& arguments, const RecoveryStep& step);

} // namespace dbops::cli
