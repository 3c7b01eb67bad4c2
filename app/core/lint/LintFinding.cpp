#include "lint/LintFinding.h"

namespace dbops {

QString lintSeverityName(LintSeverity severity)
{
    switch (severity) {
    case LintSeverity::Off:
        return QStringLiteral("off");
    case LintSeverity::Warning:
        return QStringLiteral("warning");
    case LintSeverity::Error:
        return QStringLiteral("error");
    }
    return {};
}

bool lintSeverityFromName(const QString& name, LintSeverity* severity)
{
    for (LintSeverity s : { LintSeverity::Off, LintSeverity::Warning, LintSeverity::Error }) {
        if (name.trimmed().compare(lintSeverityName(s), Qt::CaseInsensitive) == 0) {
            *severity = s;
            return true;
        }
    }
    return false;
}

QString LintFinding::toText() const
{
    return QStringLiteral("%1:%2:%3: %4: %5 [%6]")
        .arg(file)
        .arg(line)
        .arg(column)
        .arg(lintSeverityName(severity), message, rule);
}

} // namespace dbops
