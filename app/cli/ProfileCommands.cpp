// profile add|edit|list|show|remove|test: saved connection profiles.  The
// profile file never holds a password: one typed in a URL or at the prompt
// goes to the OS keychain, or, where there is none, nowhere (the user is told
// to use ~/.pgpass).
#include "CliContext.h"
#include "Commands.h"
#include "ExitCode.h"
#include "TextTable.h"
#include "connection/ConnectionTarget.h"
#include "connection/DatabaseConnection.h"
#include "connection/PasswordStore.h"
#include "connection/ProfileStore.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <iostream>
#include <string>
#include <termios.h>
#include <unistd.h>

namespace dbops::cli {

namespace {

QCommandLineOption valueOption(const char* name, const char* description, const char* valueName)
{
    return QCommandLineOption(
        QString::fromLatin1(name), QString::fromLatin1(description), QString::fromLatin1(valueName));
}

QCommandLineOption flagOption(const char* name, const char* description)
{
    return QCommandLineOption(QString::fromLatin1(name), QString::fromLatin1(description));
}

// The options of `profile add` and `profile edit`; edit also gets the --no-* switches.
void addFieldOptions(QCommandLineParser& parser, bool edit)
{
    parser.addOptions({
        valueOption(
            "url", "postgresql:// URL or libpq keywords; a password in it goes to the keychain.", "URL"),
        valueOption("host", "Server host name, IP address or socket directory.", "HOST"),
        valueOption("port", "Server port (default: libpq's, 5432).", "PORT"),
        valueOption("dbname", "Database name.", "NAME"),
        valueOption("user", "Database user.", "USER"),
        valueOption("sslmode",
            "disable, allow, prefer, require, verify-ca or verify-full (production default: require).",
            "MODE"),
        valueOption("sslrootcert", "CA certificate file for verify-ca / verify-full.", "FILE"),
        valueOption("connect-timeout", "Seconds to wait for a connection (default 10).", "SECONDS"),
        valueOption("application-name", "application_name the server sees (default dbops).", "NAME"),
        valueOption("service", "libpq service name (pg_service.conf).", "NAME"),
        valueOption(
            "options", "Further libpq keywords, e.g. \"target_session_attrs=read-write\".", "KEYWORDS"),
        valueOption("version-table", "Version table, [schema.]name (default alembic_version).", "NAME"),
        flagOption("production", "Production: writes need --confirm DBNAME; sslmode defaults to require."),
        flagOption("read-only", "Refuse every write (upgrade, stamp, fix) before connecting."),
        valueOption("color", "Banner colour, #rrggbb.", "COLOR"),
        valueOption("shadow", "Server for throwaway audit databases (no password in the URL).", "URL"),
        flagOption("journal-in-database", "Also journal runs in a dbops_journal table."),
        valueOption("lock-timeout", "lock_timeout for writes, in seconds (default 10).", "SECONDS"),
        valueOption("statement-timeout", "statement_timeout, in seconds (default 0: none).", "SECONDS"),
        flagOption(
            "password-prompt", "Read a password from stdin (no echo on a terminal) into the keychain."),
        valueOption(
            "group", "A fleet group (repeatable); on edit the groups given replace the profile's.", "GROUP"),
    });
    if (edit) {
        parser.addOptions({
            flagOption("no-production", "No longer a production profile."),
            flagOption("no-read-only", "No longer read-only."),
            flagOption("no-journal-in-database", "Journal runs in the local journal only."),
            flagOption("no-groups", "Remove the profile from every group."),
        });
    }
}

std::optional<Error> readNumber(const QCommandLineParser& parser, const char* option, int* field)
{
    const QString name = QString::fromLatin1(option);
    if (!parser.isSet(name))
        return std::nullopt;
    bool ok = false;
    const int value = parser.value(name).toInt(&ok);
    if (!ok)
        return Error::usage(QStringLiteral("--%1: '%2' is not a whole number").arg(name, parser.value(name)));
    *field = value;
    return std::nullopt;
}

// Applies the options given (and only those) to `profile`.  A password from
// --url comes back in `password`, never in the profile.
std::optional<Error> applyOptions(
    const QCommandLineParser& parser, ConnectionProfile* profile, QString* password)
{
    if (parser.isSet(QStringLiteral("url"))) {
        Result<ConnectionSettings> settings = ConnectionSettings::parse(parser.value(QStringLiteral("url")));
        if (!settings)
            return Error::input(QStringLiteral("--url: %1").arg(settings.error().message));
        profile->applySettings(settings.value());
        *password = settings->password();
    }
    const std::pair<const char*, QString*> texts[] = {
        { "host", &profile->host },
        { "dbname", &profile->database },
        { "user", &profile->user },
        { "sslmode", &profile->sslmode },
        { "sslrootcert", &profile->sslrootcert },
        { "application-name", &profile->applicationName },
        { "service", &profile->service },
        { "version-table", &profile->versionTable },
        { "color", &profile->color },
        { "shadow", &profile->shadowUrl },
    };
    for (const auto& [option, field] : texts) {
        if (parser.isSet(QString::fromLatin1(option)))
            *field = parser.value(QString::fromLatin1(option));
    }
    if (parser.isSet(QStringLiteral("options"))) {
        const QString keywords = parser.value(QStringLiteral("options")).trimmed();
        if (!keywords.isEmpty()) {
            Result<ConnectionSettings> extra = ConnectionSettings::parse(keywords);
            if (!extra)
                return Error::input(QStringLiteral("--options: %1").arg(extra.error().message));
            // The profile file is plain text: a password must not hide in it.
            if (extra->hasPassword())
                return Error::input(
                    QStringLiteral("--options: a password does not belong in the profile file; use "
                                   "--password-prompt (keychain) or ~/.pgpass"));
        }
        profile->extraOptions = keywords;
    }
    if (parser.isSet(QStringLiteral("migrations"))) {
        const QString directory = parser.value(QStringLiteral("migrations"));
        // Profiles are used from any working directory.
        profile->migrationsDirectory
            = directory.isEmpty() ? QString() : QFileInfo(directory).absoluteFilePath();
    }
    const bool clearGroups = parser.optionNames().contains(QStringLiteral("no-groups"));
    if (parser.isSet(QStringLiteral("group")) && clearGroups)
        return Error::usage(QStringLiteral("--group and --no-groups contradict each other"));
    if (clearGroups)
        profile->groups.clear();
    if (parser.isSet(QStringLiteral("group"))) {
        QStringList groups;
        for (const QString& group : parser.values(QStringLiteral("group"))) {
            if (!ConnectionProfile::isValidGroupName(group))
                return Error::usage(
                    QStringLiteral("--group: '%1' is not a group name (letters, digits, '.', '_', '-')")
                        .arg(group));
            if (!groups.contains(group))
                groups.append(group);
        }
        profile->groups = groups;
    }
    if (auto error = readNumber(parser, "port", &profile->port))
        return error;
    if (auto error = readNumber(parser, "connect-timeout", &profile->connectTimeout))
        return error;
    if (auto error = readNumber(parser, "lock-timeout", &profile->lockTimeoutSeconds))
        return error;
    if (auto error = readNumber(parser, "statement-timeout", &profile->statementTimeoutSeconds))
        return error;

    const std::tuple<const char*, const char*, bool*> switches[] = {
        { "production", "no-production", &profile->production },
        { "read-only", "no-read-only", &profile->readOnly },
        { "journal-in-database", "no-journal-in-database", &profile->journalInDatabase },
    };
    for (const auto& [on, off, field] : switches) {
        const bool setOn = parser.isSet(QString::fromLatin1(on));
        // --no-* exists for edit only; isSet() on an undefined option would warn.
        const bool setOff = parser.optionNames().contains(QString::fromLatin1(off));
        if (setOn && setOff)
            return Error::usage(QStringLiteral("--%1 and --%2 contradict each other")
                                    .arg(QLatin1String(on), QLatin1String(off)));
        if (setOn)
            *field = true;
        if (setOff)
            *field = false;
    }
    return std::nullopt;
}

// Reads a password without echoing it when stdin is a terminal; from a pipe
// it reads one line, so scripts can feed it.
Result<QString> readPassword(QTextStream& err, const QString& profileName)
{
    const bool terminal = isatty(STDIN_FILENO) != 0;
    termios saved {};
    if (terminal) {
        err << "Password for profile '" << profileName << "': " << Qt::flush;
        if (tcgetattr(STDIN_FILENO, &saved) == 0) {
            termios quiet = saved;
            quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
        }
    }
    std::string line;
    const bool gotLine = static_cast<bool>(std::getline(std::cin, line));
    if (terminal) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        err << Qt::endl;
    }
    if (!gotLine && line.empty())
        return Error::usage(QStringLiteral("--password-prompt: no password on stdin"));
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    if (line.empty())
        return Error::usage(QStringLiteral("--password-prompt: the password is empty"));
    return QString::fromStdString(line);
}

// Puts the password in the keychain.  Without a keychain the profile stays
// saved (it is useful with ~/.pgpass), and the user is told plainly.
void storePassword(
    CliContext& context, const ConnectionProfile& profile, const QString& password, const QString& source)
{
    if (auto error = PasswordStore::write(profile.keychainKey(), password)) {
        context.err()
            << "dbops: warning: the password " << source << " was NOT stored: " << error->message << "\n"
            << "  The profile '" << profile.name << "' is saved without it. Put the password in ~/.pgpass "
            << "(host:port:dbname:user:password, chmod 600) or a file named by PGPASSFILE; libpq reads it "
            << "when connecting." << Qt::endl;
        return;
    }
    context.out() << "Password " << source << " stored in the OS keychain." << '\n';
}

void printWarnings(CliContext& context, const ConnectionProfile& profile)
{
    const QStringList warnings = profile.warnings();
    for (const QString& warning : warnings)
        context.err() << "dbops: warning: " << warning << '\n';
    context.err().flush();
}

// "user@host:port/db" from the profile's own fields: no environment
// defaults mixed in, never a password.
QString profileTarget(const ConnectionProfile& p)
{
    QString where;
    if (!p.host.isEmpty())
        where = p.host + (p.port > 0 ? QLatin1Char(':') + QString::number(p.port) : QString());
    else if (!p.service.isEmpty())
        where = QStringLiteral("service=") + p.service;
    else
        where = QStringLiteral("(local)")
            + (p.port > 0 ? QLatin1Char(':') + QString::number(p.port) : QString());
    return (p.user.isEmpty() ? QString() : p.user + QLatin1Char('@')) + where
        + (p.database.isEmpty() ? QString() : QLatin1Char('/') + p.database);
}

QStringList profileFlags(const ConnectionProfile& p)
{
    QStringList flags;
    if (p.production)
        flags.append(QStringLiteral("production"));
    if (p.readOnly)
        flags.append(QStringLiteral("read-only"));
    if (p.journalInDatabase)
        flags.append(QStringLiteral("journal-in-database"));
    return flags;
}

QString urlWithoutPassword(const ConnectionProfile& p)
{
    Result<ConnectionSettings> settings = p.toSettings();
    return settings ? settings->toUrlWithoutPassword() : QString();
}

QJsonObject profileJson(const ConnectionProfile& p)
{
    return QJsonObject {
        { QStringLiteral("name"), p.name },
        { QStringLiteral("target"), profileTarget(p) },
        { QStringLiteral("url"), urlWithoutPassword(p) },
        { QStringLiteral("host"), p.host },
        { QStringLiteral("port"), p.port },
        { QStringLiteral("dbname"), p.database },
        { QStringLiteral("user"), p.user },
        { QStringLiteral("sslmode"), p.sslmode },
        { QStringLiteral("sslrootcert"), p.sslrootcert },
        { QStringLiteral("connect_timeout"), p.connectTimeout },
        { QStringLiteral("application_name"), p.applicationName },
        { QStringLiteral("service"), p.service },
        { QStringLiteral("options"), p.extraOptions },
        { QStringLiteral("migrations"), p.migrationsDirectory },
        { QStringLiteral("version_table"), p.versionTable },
        { QStringLiteral("production"), p.production },
        { QStringLiteral("read_only"), p.readOnly },
        { QStringLiteral("color"), p.color },
        { QStringLiteral("shadow"), p.shadowUrl },
        { QStringLiteral("journal_in_database"), p.journalInDatabase },
        { QStringLiteral("lock_timeout"), p.lockTimeoutSeconds },
        { QStringLiteral("statement_timeout"), p.statementTimeoutSeconds },
        { QStringLiteral("groups"), QJsonArray::fromStringList(p.groups) },
        { QStringLiteral("flags"), QJsonArray::fromStringList(profileFlags(p)) },
        { QStringLiteral("warnings"), QJsonArray::fromStringList(p.warnings()) },
    };
}

// The NAME argument; `dbops -p NAME profile show` works as well.
Result<QString> profileNameArgument(
    CliContext& context, const QCommandLineParser& parser, const QString& command)
{
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1)
        return Error::usage(QStringLiteral("profile %1: one NAME only, got: %2")
                                .arg(command, positional.join(QLatin1Char(' '))));
    if (positional.isEmpty()) {
        if (!context.profileName.isEmpty())
            return context.profileName;
        return Error::usage(QStringLiteral("profile %1: give the profile NAME").arg(command));
    }
    return positional.constFirst();
}

// Saves the profile, then the password: a profile that fails validation
// must not leave a password behind in the keychain.
int saveWithPassword(CliContext& context, ProfileStore& store, const ConnectionProfile& profile,
    const QCommandLineParser& parser, QString urlPassword, const QString& verb)
{
    QString password = urlPassword;
    QString source = QStringLiteral("from the URL");
    if (parser.isSet(QStringLiteral("password-prompt"))) {
        Result<QString> typed = readPassword(context.err(), profile.name);
        if (!typed)
            return context.fail(typed.error());
        password = typed.value();
        source = QStringLiteral("from the prompt");
    }
    if (auto error = store.save(profile))
        return context.fail(*error);
    // Flushed first, so the lines keep their order when stdout and stderr share a terminal.
    context.out() << verb << " profile '" << profile.name << "' (" << profileTarget(profile) << ") in "
                  << store.filePath() << Qt::endl;
    if (!password.isEmpty())
        storePassword(context, profile, password, source);
    context.out().flush();
    printWarnings(context, profile);
    return ExitOk;
}

int profileAdd(CliContext& context, const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Add a connection profile, from a URL and/or field options. A password "
                       "goes to the OS keychain, never to the profile file."));
    parser.addPositionalArgument(QStringLiteral("NAME"), QStringLiteral("Profile name."));
    addFieldOptions(parser, false);
    if (auto code = context.parse(parser, arguments, QStringLiteral("profile add")))
        return *code;
    Result<QString> name = profileNameArgument(context, parser, QStringLiteral("add"));
    if (!name)
        return context.fail(name.error());
    ProfileStore store;
    if (store.contains(name.value()))
        return context.fail(
            Error::usage(QStringLiteral("profile '%1' exists already; change it with 'dbops profile edit %1'")
                             .arg(name.value())));
    ConnectionProfile profile;
    profile.name = name.value();
    QString password;
    if (auto error = applyOptions(parser, &profile, &password))
        return context.fail(*error);
    return saveWithPassword(context, store, profile, parser, password, QStringLiteral("Added"));
}

int profileEdit(CliContext& context, const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Change a connection profile: only the options given change."));
    parser.addPositionalArgument(QStringLiteral("NAME"), QStringLiteral("Profile name."));
    addFieldOptions(parser, true);
    if (auto code = context.parse(parser, arguments, QStringLiteral("profile edit")))
        return *code;
    Result<QString> name = profileNameArgument(context, parser, QStringLiteral("edit"));
    if (!name)
        return context.fail(name.error());
    ProfileStore store;
    Result<ConnectionProfile> existing = store.profile(name.value());
    if (!existing)
        return context.fail(existing.error());
    ConnectionProfile profile = existing.value();
    QString password;
    if (auto error = applyOptions(parser, &profile, &password))
        return context.fail(*error);
    return saveWithPassword(context, store, profile, parser, password, QStringLiteral("Updated"));
}

int profileList(CliContext& context, const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("List the saved connection profiles."));
    const QCommandLineOption json = jsonOption();
    parser.addOption(json);
    if (auto code = context.parse(parser, arguments, QStringLiteral("profile list")))
        return *code;
    ProfileStore store;
    const QList<ConnectionProfile> profiles = store.profiles();
    if (parser.isSet(json)) {
        QJsonArray list;
        for (const ConnectionProfile& p : profiles)
            list.append(profileJson(p));
        context.printJson(QJsonObject {
            { QStringLiteral("file"), store.filePath() }, { QStringLiteral("profiles"), list } });
        return ExitOk;
    }
    if (profiles.isEmpty()) {
        context.out() << "No profiles in " << store.filePath()
                      << ". Add one with 'dbops profile add NAME --url URL'." << Qt::endl;
        return ExitOk;
    }
    TextTable table({ QStringLiteral("NAME"), QStringLiteral("TARGET"), QStringLiteral("GROUPS"),
        QStringLiteral("FLAGS") });
    for (const ConnectionProfile& p : profiles)
        table.addRow({ p.name, profileTarget(p), p.groups.join(QLatin1Char(',')),
            profileFlags(p).join(QStringLiteral(", ")) });
    table.print(context.out());
    context.out().flush();
    return ExitOk;
}

int profileShow(CliContext& context, const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Show one connection profile (never a password)."));
    parser.addPositionalArgument(QStringLiteral("NAME"), QStringLiteral("Profile name."));
    const QCommandLineOption json = jsonOption();
    parser.addOption(json);
    if (auto code = context.parse(parser, arguments, QStringLiteral("profile show")))
        return *code;
    Result<QString> name = profileNameArgument(context, parser, QStringLiteral("show"));
    if (!name)
        return context.fail(name.error());
    Result<ConnectionProfile> profile = ProfileStore().profile(name.value());
    if (!profile)
        return context.fail(profile.error());
    const ConnectionProfile& p = profile.value();

    // Whether the keychain holds a password, never what it is.
    QString passwordState;
    Result<QString> stored = PasswordStore::read(p.keychainKey());
    if (!stored)
        passwordState = QStringLiteral("unavailable");
    else
        passwordState = stored->isEmpty() ? QStringLiteral("none") : QStringLiteral("keychain");

    if (parser.isSet(json)) {
        QJsonObject object = profileJson(p);
        object.insert(QStringLiteral("password"), passwordState);
        context.printJson(object);
        return ExitOk;
    }
    auto yesNo = [](bool b) { return b ? QStringLiteral("yes") : QStringLiteral("no"); };
    auto orDefault
        = [](const QString& value, const QString& fallback) { return value.isEmpty() ? fallback : value; };
    const QList<std::pair<QString, QString>> rows = {
        { QStringLiteral("Profile"), p.name },
        { QStringLiteral("Target"), profileTarget(p) },
        { QStringLiteral("URL"), urlWithoutPassword(p) },
        { QStringLiteral("Host"), orDefault(p.host, QStringLiteral("(libpq default)")) },
        { QStringLiteral("Port"), p.port > 0 ? QString::number(p.port) : QStringLiteral("(libpq default)") },
        { QStringLiteral("Database"), orDefault(p.database, QStringLiteral("(libpq default)")) },
        { QStringLiteral("User"), orDefault(p.user, QStringLiteral("(libpq default)")) },
        { QStringLiteral("SSL mode"),
            orDefault(p.sslmode,
                p.production ? QStringLiteral("require (production default)")
                             : QStringLiteral("(libpq default: prefer)")) },
        { QStringLiteral("SSL root cert"), p.sslrootcert },
        { QStringLiteral("Connect timeout"), QStringLiteral("%1 s").arg(p.connectTimeout) },
        { QStringLiteral("Application name"), p.applicationName },
        { QStringLiteral("Service"), p.service },
        { QStringLiteral("Options"), p.extraOptions },
        { QStringLiteral("Migrations"),
            orDefault(p.migrationsDirectory, QStringLiteral("(default repository)")) },
        { QStringLiteral("Version table"), p.versionTable },
        { QStringLiteral("Production"), yesNo(p.production) },
        { QStringLiteral("Read-only"), yesNo(p.readOnly) },
        { QStringLiteral("Groups"),
            orDefault(p.groups.join(QStringLiteral(", ")), QStringLiteral("(none)")) },
        { QStringLiteral("Color"), p.color },
        { QStringLiteral("Shadow server"), p.shadowUrl },
        { QStringLiteral("Journal in database"), yesNo(p.journalInDatabase) },
        { QStringLiteral("Lock timeout"), QStringLiteral("%1 s").arg(p.lockTimeoutSeconds) },
        { QStringLiteral("Statement timeout"),
            p.statementTimeoutSeconds > 0 ? QStringLiteral("%1 s").arg(p.statementTimeoutSeconds)
                                          : QStringLiteral("none") },
        { QStringLiteral("Password"),
            passwordState == QLatin1String("keychain") ? QStringLiteral("stored in the OS keychain")
                : passwordState == QLatin1String("none")
                ? QStringLiteral("none in the keychain (libpq uses ~/.pgpass / PGPASSFILE)")
                : QStringLiteral("keychain unavailable (libpq uses ~/.pgpass / PGPASSFILE)") },
    };
    for (const auto& [label, value] : rows) {
        if (!value.isEmpty())
            context.out() << QString(label + QLatin1Char(':')).leftJustified(21) << value << '\n';
    }
    context.out().flush();
    printWarnings(context, p);
    return ExitOk;
}

int profileRemove(CliContext& context, const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Remove a connection profile and its keychain password."));
    parser.addPositionalArgument(QStringLiteral("NAME"), QStringLiteral("Profile name."));
    if (auto code = context.parse(parser, arguments, QStringLiteral("profile remove")))
        return *code;
    Result<QString> name = profileNameArgument(context, parser, QStringLiteral("remove"));
    if (!name)
        return context.fail(name.error());
    ProfileStore store;
    Result<ConnectionProfile> profile = store.profile(name.value());
    if (!profile)
        return context.fail(profile.error());
    if (auto error = store.remove(name.value()))
        return context.fail(*error);
    // No keychain (CI, servers): there is no password to remove either.
    PasswordStore::remove(profile->keychainKey());
    context.out() << "Removed profile '" << name.value() << "'." << Qt::endl;
    return ExitOk;
}

int profileTest(CliContext& context, const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Connect with a profile and print the server version, user and TLS state (exit 3 on failure)."));
    parser.addPositionalArgument(QStringLiteral("NAME"), QStringLiteral("Profile name."));
    if (auto code = context.parse(parser, arguments, QStringLiteral("profile test")))
        return *code;
    Result<QString> name = profileNameArgument(context, parser, QStringLiteral("test"));
    if (!name)
        return context.fail(name.error());
    Result<ConnectionTarget> target = ConnectionTarget::resolve({}, name.value(), ProfileStore());
    if (!target)
        return context.fail(target.error());
    printWarnings(context, *target->profile);
    context.out() << "Connecting to " << target->describe() << " ..." << Qt::endl;
    Result<std::unique_ptr<DatabaseConnection>> connection = DatabaseConnection::open(target->settings);
    if (!connection)
        return context.fail(connection.error());
    const ServerInfo info = connection.value()->serverInfo();
    QTextStream& out = context.out();
    out << "Server:   PostgreSQL " << info.version << '\n'
        << "User:     " << info.user << '\n'
        << "Database: " << info.database << '\n'
        << "Address:  " << info.host.section(QLatin1Char('/'), 0, 0) << '\n'
        << "TLS:      " << (info.tls ? "on" : "off") << '\n'
        << "OK" << Qt::endl;
    return ExitOk;
}

void printProfileUsage(QTextStream& out)
{
    out << "Usage: dbops profile SUBCOMMAND [options]\n\n"
           "Saved connection profiles ($XDG_CONFIG_HOME/dbops/profiles.conf; passwords only in the OS "
           "keychain).\n\n"
           "Subcommands:\n"
           "  add NAME --url URL | --host ... [options]   add a profile\n"
           "  edit NAME [options]                         change the options given\n"
           "  list [--json]                               all profiles\n"
           "  show NAME [--json]                          one profile\n"
           "  remove NAME                                 delete it and its keychain password\n"
           "  test NAME                                   connect; server version, user, TLS\n\n"
           "'dbops profile SUBCOMMAND --help' lists the options.\n";
    out.flush();
}

} // namespace

int runProfile(CliContext& context, const QStringList& arguments)
{
    using Subcommand = int (*)(CliContext&, const QStringList&);
    static const std::pair<const char*, Subcommand> subcommands[] = {
        { "add", profileAdd },
        { "edit", profileEdit },
        { "list", profileList },
        { "show", profileShow },
        { "remove", profileRemove },
        { "test", profileTest },
    };
    if (arguments.size() < 2) {
        printProfileUsage(context.err());
        return ExitBadInput;
    }
    const QString name = arguments.at(1);
    if (name == QLatin1String("--help") || name == QLatin1String("-h")) {
        printProfileUsage(context.out());
        return ExitOk;
    }
    for (const auto& [subcommand, run] : subcommands) {
        if (name == QLatin1String(subcommand)) {
            QStringList rest = arguments.mid(2);
            rest.prepend(arguments.constFirst());
            return run(context, rest);
        }
    }
    context.err() << "dbops profile: unknown subcommand '" << name << "'\nTry 'dbops profile --help'."
                  << Qt::endl;
    return ExitBadInput;
}

} // namespace dbops::cli
