#pragma once

#include <QStringList>

namespace dbops::cli {

class CliContext;

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

} // namespace dbops::cli
