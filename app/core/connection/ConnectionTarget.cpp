#include "connection/ConnectionTarget.h"

#include "connection/PasswordStore.h"
#include "connection/ProfileStore.h"

namespace dbops {

QString ConnectionTarget::describe() const
{
    return settings.describe() + (profile ? QStringLiteral(" (profile '%1')").arg(profile->name) : QString());
}

std::optional<Error> ConnectionTarget::checkProfileName(const QString& option, const QString& value)
{
    if (value.trimmed().isEmpty())
        return Error::usage(QStringLiteral("%1: the profile name is empty (an unset variable?); give a "
                                           "profile name ('dbops profile list') or leave the option out")
                                .arg(option));
    return std::nullopt;
}

void ConnectionTarget::adoptVersionTable(const QString& repositoryVersionTable)
{
    if (versionTable == QLatin1String("alembic_version") && !repositoryVersionTable.isEmpty())
        versionTable = repositoryVersionTable;
}

Result<ConnectionTarget> ConnectionTarget::resolve(
    const QString& databaseUrl, const QString& profileName, const ProfileStore& store)
{
    Result<ConnectionTarget> located = locate(databaseUrl, profileName, store);
    if (!located)
        return located;
    ConnectionTarget target = std::move(located).value();
    if (target.needsKeychainPassword())
        target.readKeychainPassword();
    return target;
}

void ConnectionTarget::readKeychainPassword()
{
    if (profile)
        applyKeychainAnswer(PasswordStore::read(profile->keychainKey()));
}

void ConnectionTarget::applyKeychainAnswer(const Result<QString>& password)
{
    if (password && !password->isEmpty())
        settings.setPassword(password.value());
}

Result<ConnectionTarget> ConnectionTarget::locate(
    const QString& databaseUrl, const QString& profileName, const ProfileStore& store)
{
    ConnectionTarget target;
    if (!databaseUrl.isEmpty() && !profileName.isEmpty())
        return Error::usage(QStringLiteral("give either --database or --profile, not both"));
    if (!profileName.isEmpty()) {
        Result<ConnectionProfile> profile = store.profile(profileName);
        if (!profile)
            return profile.error();
        Result<ConnectionSettings> settings = profile->toSettings();
        if (!settings)
            return settings.error();
        target.settings = settings.value();
        target.profile = profile.value();
        target.versionTable = profile->versionTable;
        target.source = QStringLiteral("profile '%1'").arg(profileName);
        return target;
    }
    if (!databaseUrl.isEmpty()) {
        Result<ConnectionSettings> settings = ConnectionSettings::parse(databaseUrl);
        if (!settings)
            return Error::input(QStringLiteral("--database: %1").arg(settings.error().message));
        target.settings = settings.value();
        target.source = QStringLiteral("--database");
        return target;
    }
    Result<ConnectionSettings> environment = ConnectionSettings::fromEnvironment();
    if (!environment)
        return environment.error();
    target.settings = environment.value();
    target.source = qEnvironmentVariableIsSet("DATABASE_URL") ? QStringLiteral("DATABASE_URL")
                                                              : QStringLiteral("PG* environment");
    return target;
}

} // namespace dbops
