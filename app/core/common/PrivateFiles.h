#pragma once

#include "common/Error.h"

#include <optional>

namespace dbops {

/// Files that hold data or settings (backups, the run journal, profiles) are
/// readable by their owner only, whatever the umask: files 0600, the folders
/// dbops creates 0700.  A dump is a full copy of the database, and with the
/// usual umask 022 it would otherwise be world-readable.
class PrivateFiles
{
public:
    static constexpr int kFileMode = 0600;
    static constexpr int kDirectoryMode = 0700;

    /// Whose folder a file lives in.
    enum class Folder
    {
        Chosen, ///< one the user or caller chose: created 0700 if missing, else left alone
        Own, ///< dbops' own (~/.config/dbops): also tightened to 0700 if it exists
    };

    /// Creates `path` and any missing parent folders, each 0700.  Folders that
    /// already exist are left as they are: a user's /backups, /tmp or $HOME
    /// may be shared on purpose.
    static std::optional<Error> ensureDirectory(const QString& path);
    /// As ensureDirectory, and a folder that belongs to dbops alone (such as
    /// ~/.config/dbops) is tightened to 0700 when it exists already, e.g.
    /// made 0755 by an older dbops.  Only when the current user owns it.
    static std::optional<Error> ensureOwnDirectory(const QString& path);
    /// Creates a new empty file 0600 for someone else (pg_dump) to write
    /// into; fails if anything, a symlink included, is already at `path`.
    static std::optional<Error> createFile(const QString& path);
    /// Creates `path` 0600 if it is missing, and tightens it to 0600 if it
    /// exists: for files that are appended to or rewritten in place.
    static std::optional<Error> ensureFile(const QString& path);
    /// The file's folder (ensureDirectory or ensureOwnDirectory), then ensureFile.
    static std::optional<Error> ensureFileIn(const QString& path, Folder folder);
    /// Tightens an existing file to 0600 (after QSettings has written it).
    static std::optional<Error> restrict(const QString& path);
};

} // namespace dbops
