#include "AuditCsvWriter.h"

#include <QSaveFile>
#include <QStringList>

namespace dbops::ui {

namespace {

constexpr QLatin1String kLineEnd("\r\n");

} // namespace

QString AuditCsvWriter::field(const QString& value)
{
    const bool needsQuotes = value.contains(QLatin1Char(',')) || value.contains(QLatin1Char('"'))
        || value.contains(QLatin1Char('\n')) || value.contains(QLatin1Char('\r'))
        || (!value.isEmpty() && (value.front().isSpace() || value.back().isSpace()));
    if (!needsQuotes)
        return value;
    return QLatin1Char('"') + QString(value).replace(QLatin1Char('"'), QStringLiteral("\"\""))
        + QLatin1Char('"');
}

QString AuditCsvWriter::csv(const AuditReport& report, bool onlyProblems)
{
    QString out = QStringLiteral("schema,table,kind,name,status,expected,actual,with_table") + kLineEnd;
    for (const AuditItem& item : report.items) {
        if (onlyProblems && item.status == AuditItem::Status::Exists)
            continue;
        const QStringList fields { item.schema, item.table, AuditItem::kindName(item.objectKind), item.name,
            AuditItem::statusName(item.status), item.expected, item.actual,
            item.withTable ? QStringLiteral("true") : QStringLiteral("false") };
        QStringList quoted;
        quoted.reserve(fields.size());
        for (const QString& f : fields)
            quoted.append(field(f));
        out += quoted.join(QLatin1Char(',')) + kLineEnd;
    }
    return out;
}

bool AuditCsvWriter::write(
    const QString& path, const AuditReport& report, bool onlyProblems, QString* errorMessage)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (errorMessage)
            *errorMessage = file.errorString();
        return false;
    }
    file.write(csv(report, onlyProblems).toUtf8());
    if (!file.commit()) {
        if (errorMessage)
            *errorMessage = file.errorString();
        return false;
    }
    return true;
}

} // namespace dbops::ui
