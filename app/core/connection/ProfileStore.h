#pragma once

#include "common/Result.h"
#include "connection/ConnectionProfile.h"

#include <QList>

namespace dbops {

/// Saved profiles, in an INI file in the XDG config dir
/// ($XDG_CONFIG_HOME/dbops/profiles.conf).  Holds no passwords.
class ProfileStore
{
public:
    ProfileStore(); ///< the user's store
    explicit ProfileStore(const QString& filePath); ///< for tests and portable setups

    QString filePath() const { return m_path; }
    QList<ConnectionProfile> profiles() const;
    Result<ConnectionProfile> profile(const QString& name) const;
    bool contains(const QString& name) const;
    std::optional<Error> save(const ConnectionProfile& profile); ///< add or replace
    std::optional<Error> remove(const QString& name);

private:
    QString m_path;
};

} // namespace dbops
