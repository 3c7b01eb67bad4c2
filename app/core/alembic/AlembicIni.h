#pragma once

#include "common/Result.h"

#include <QHash>
#include <QString>
#include <QStringList>

namespace dbops {

/// An alembic.ini read the way Python's configparser reads it, for the subset
/// Alembic projects use: `[section]` headers, `key = value` and `key: value`
/// (keys case-insensitive), indented continuation lines, whole-line `#` and
/// `;` comments, `%(name)s` interpolation from the same section, [DEFAULT]
/// and `here` (the ini's directory), `%%` for a percent sign.  On top of that
/// it answers Alembic's own settings in the [alembic] section: where the
/// scripts and the revision files are.
class AlembicIni
{
public:
    static Result<AlembicIni> read(const QString& path);
    static Result<AlembicIni> parse(const QString& text, const QString& path);

    const QString& path() const { return m_path; }
    QString directory() const; ///< the `here` of %(here)s

    bool hasSection(const QString& section) const { return m_sections.contains(section); }
    bool contains(const QString& section, const QString& key) const;
    int lineOf(const QString& section, const QString& key) const; ///< 0 when absent
    /// The value with %(name)s interpolated; an error names the ini's line.
    Result<QString> value(const QString& section, const QString& key) const;

    /// `script_location` in [alembic] as an absolute directory (relative
    /// paths are taken from the ini's directory).  A `package:dir` location
    /// is an error: it needs Python's import system.
    Result<QString> scriptLocation() const;
    /// `version_locations` in [alembic], split by `version_path_separator`
    /// (os, space, newline, `:` or `;`; absent: on spaces and commas, as
    /// Alembic 1.8 does), each an absolute directory.  Empty when not set.
    Result<QStringList> versionLocations() const;
    /// `recursive_version_locations` in [alembic] (false when not set).
    Result<bool> recursiveVersionLocations() const;

    static QString mainSection() { return QStringLiteral("alembic"); }

private:
    struct Entry
    {
        QString rawValue;
        int line = 0;
    };
    using Section = QHash<QString, Entry>;

    /// `references` counts the %(name)s expanded for one value(): a file whose
    /// references multiply (a = %(b)s%(b)s, b = %(c)s%(c)s ...) is refused
    /// instead of taking forever, as configparser itself would.
    Result<QString> interpolate(
        const QString& section, const QString& raw, int line, int depth, int& references) const;
    Result<QString> directoryOf(const QString& key, const QString& value, int line) const;
    Error errorAt(const QString& key, const QString& message) const;

    QString m_path;
    QHash<QString, Section> m_sections;
    Section m_defaults;
};

} // namespace dbops
