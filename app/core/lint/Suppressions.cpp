#include "lint/Suppressions.h"

#include <QRegularExpression>

namespace dbops {

Suppression Suppressions::parseComment(const QString& line, int lineNumber)
{
    static const QRegularExpression allow(
        QStringLiteral(
            "^--\\s*dbops:\\s*allow\\s+([A-Za-z0-9_-]+(?:\\s*,\\s*[A-Za-z0-9_-]+)*)\\s*(?::(.*))?$"),
        QRegularExpression::CaseInsensitiveOption);
    Suppression out;
    const QRegularExpressionMatch match = allow.match(line.trimmed());
    if (!match.hasMatch())
        return out;
    for (const QString& rule : match.captured(1).split(QLatin1Char(',')))
        out.rules.append(rule.trimmed().toLower());
    out.reason = match.captured(2).trimmed();
    out.line = lineNumber;
    return out;
}

QList<Suppression> Suppressions::above(const QStringList& lines, int statementLine)
{
    QList<Suppression> out;
    for (int index = statementLine - 2; index >= 0 && index < lines.size(); --index) {
        const QString line = lines.at(index).trimmed();
        if (line.isEmpty())
            continue;
        if (!line.startsWith(QLatin1String("--")))
            break;
        const Suppression suppression = parseComment(line, index + 1);
        if (!suppression.rules.isEmpty())
            out.append(suppression);
    }
    return out;
}

} // namespace dbops
