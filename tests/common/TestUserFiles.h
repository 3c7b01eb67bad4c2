#pragma once

// A test's user files (settings, profiles, the run journal) in a temporary
// folder of its own, never the developer's, and no keychain: CI has no
// keyring daemon, and a test must not leave secrets in a real one.
#include <QTemporaryDir>
#include <QtGlobal>

namespace dbops::testing {

/// Points XDG_CONFIG_HOME and XDG_DATA_HOME into `home` and turns the keychain off.
inline void isolateUserFiles(const QTemporaryDir& home)
{
    qputenv("XDG_CONFIG_HOME", home.filePath(QStringLiteral("config")).toUtf8());
    qputenv("XDG_DATA_HOME", home.filePath(QStringLiteral("data")).toUtf8());
    qputenv("DBOPS_KEYCHAIN", "off");
}

} // namespace dbops::testing
