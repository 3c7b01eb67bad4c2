#pragma once

#include "common/Result.h"
#include "connection/ConnectionTarget.h"

#include <QList>
#include <QString>

namespace dbops {

class ProfileStore;

/// One database of a fleet and where it was named.
struct FleetMember
{
    QString name; ///< the profile's name, or the URL without its password
    QString origin; ///< "group 'prod-eu'", "hosts.txt:3"
    ConnectionTarget target;
};

/// The databases a fleet command works on: the profiles of a group, or a
/// URL file (one URL, libpq keyword string or profile name per line; blank
/// lines and '#' comments skipped).  Passwords are not read here: profiles
/// take theirs from the keychain through readKeychainPasswords(), URLs carry
/// theirs or leave it to ~/.pgpass.
class FleetMembers
{
public:
    /// Every profile in `group`, by name; an unknown group is an error that
    /// lists the groups there are.
    static Result<QList<FleetMember>> fromGroup(const QString& group, const ProfileStore& store);
    /// The lines of `path`; a bad line is an error naming path:line, and
    /// nothing of the file is used.
    static Result<QList<FleetMember>> fromUrlFile(const QString& path, const ProfileStore& store);
    /// The profiles' keychain passwords, one after the other (the keychain
    /// is not asked from several threads at once).
    static void readKeychainPasswords(QList<FleetMember>& members);
};

} // namespace dbops
