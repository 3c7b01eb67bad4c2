#pragma once

#include "common/Result.h"
#include "lint/LintFinding.h"

#include <QHash>

namespace dbops {

/// The severities of the lint rules for one repository: the defaults
/// (LintRules), changed by the repository's `lint.conf` beside `versions/`:
///
///     # comments and blank lines are ignored
///     require-concurrent-index-creation = error
///     prefer-text-field = off
///
/// An unknown rule or severity is an error at its line, so a typo never
/// silently turns a rule off.
class LintConfig
{
public:
    /// The defaults.
    LintConfig() = default;

    /// `directory`/lint.conf when it exists, else the defaults.
    static Result<LintConfig> forRepository(const QString& directory);
    static Result<LintConfig> parse(const QString& text, const QString& fileName);

    LintSeverity severity(const QString& rule) const;
    void setSeverity(const QString& rule, LintSeverity severity) { m_severities.insert(rule, severity); }
    QString fileName() const { return m_fileName; } ///< the lint.conf read, or empty

private:
    QHash<QString, LintSeverity> m_severities;
    QString m_fileName;
};

} // namespace dbops
