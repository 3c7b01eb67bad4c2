#include "fleet/FleetMembers.h"

#include "connection/ProfileStore.h"

#include <QFile>
#include <QSet>

namespace dbops {

Result<QList<FleetMember>> FleetMembers::fromGroup(const QString& group, const ProfileStore& store)
{
    if (!ConnectionProfile::isValidGroupName(group))
        return Error::usage(
            QStringLiteral("--group: '%1' is not a group name (letters, digits, '.', '_', '-')").arg(group));
    QList<FleetMember> members;
    QStringList knownGroups;
    for (const ConnectionProfile& profile : store.profiles()) {
        for (const QString& g : profile.groups) {
            if (!knownGroups.contains(g))
                knownGroups.append(g);
        }
        if (!profile.isInGroup(group))
            continue;
        Result<ConnectionTarget> target = ConnectionTarget::locate(QString(), profile.name, store);
        if (!target)
            return Error::input(QStringLiteral("profile '%1': %2").arg(profile.name, target.error().message));
        members.append({ profile.name, QStringLiteral("group '%1'").arg(group), target.value() });
    }
    if (members.isEmpty()) {
        knownGroups.sort();
        return Error::input(
            QStringLiteral("no profile is in group '%1' (%2)")
                .arg(group,
                    knownGroups.isEmpty()
                        ? QStringLiteral("no profile has a group; add one with 'dbops profile "
                                         "edit NAME --group GROUP'")
                        : QStringLiteral("groups: ") + knownGroups.join(QStringLiteral(", "))));
    }
    return members;
}

Result<QList<FleetMember>> FleetMembers::fromUrlFile(const QString& path, const ProfileStore& store)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return Error::io(QStringLiteral("cannot read the URL file: %1").arg(file.errorString()), path);
    QList<FleetMember> members;
    QSet<QString> seen;
    int lineNumber = 0;
    while (!file.atEnd()) {
        ++lineNumber;
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        const QString origin = QStringLiteral("%1:%2").arg(path).arg(lineNumber);
        const bool isConnectionString
            = line.contains(QLatin1String("://")) || line.contains(QLatin1Char('='));
        Result<ConnectionTarget> target = isConnectionString
            ? ConnectionTarget::locate(line, QString(), store)
            : ConnectionTarget::locate(QString(), line, store);
        // The line may hold a password: the message is the parser's, which
        // never echoes one.
        if (!target)
            return Error::input(target.error().message, path, lineNumber);
        const QString name = isConnectionString ? target->settings.toUrlWithoutPassword() : line;
        if (seen.contains(name))
            return Error::input(QStringLiteral("'%1' is listed twice").arg(name), path, lineNumber);
        seen.insert(name);
        members.append({ name, origin, target.value() });
    }
    if (members.isEmpty())
        return Error::input(
            QStringLiteral("no database in the file (one URL or profile name per line)"), path);
    return members;
}

void FleetMembers::readKeychainPasswords(QList<FleetMember>& members)
{
    for (FleetMember& member : members) {
        if (member.target.needsKeychainPassword())
            member.target.readKeychainPassword();
    }
}

} // namespace dbops
