#pragma once

#include <QList>
#include <QString>

namespace dbops {

/// How much a rule's finding matters: off (not reported), a warning, or an
/// error (`dbops lint` and `dbops check` exit 1).
enum class LintSeverity
{
    Off,
    Warning,
    Error,
};

QString lintSeverityName(LintSeverity severity);
/// "off", "warning" or "error" (case-insensitive); false for anything else.
bool lintSeverityFromName(const QString& name, LintSeverity* severity);

/// One thing a rule found, at the file, line and column of the statement (or
/// of the part of it the rule is about).
struct LintFinding
{
    QString file;
    int line = 1;
    int column = 1;
    QString rule; ///< squawk's name where squawk has the rule
    LintSeverity severity = LintSeverity::Warning;
    QString message;
    QString suggestion; ///< the safe form, or empty
    QString statement; ///< e.g. "CREATE INDEX"

    /// "file:line:column: warning: message [rule]"
    QString toText() const;
};

using LintFindingList = QList<LintFinding>;

} // namespace dbops
