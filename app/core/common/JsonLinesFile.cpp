#include "common/JsonLinesFile.h"

#include <QFile>
#include <QJsonDocument>

namespace dbops {

JsonLinesFile::JsonLinesFile(QString path, QString what, PrivateFiles::Folder folder)
    : m_path(std::move(path))
    , m_what(std::move(what))
    , m_folder(folder)
{ }

std::optional<Error> JsonLinesFile::append(const QJsonObject& object) const
{
    if (std::optional<Error> error = PrivateFiles::ensureFileIn(m_path, m_folder)) {
        error->message = QStringLiteral("cannot write %1: %2").arg(m_what, error->message);
        return error;
    }
    QFile file(m_path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Append))
        return Error::io(QStringLiteral("cannot write %1: %2").arg(m_what, file.errorString()), m_path);
    // One write of the whole line: O_APPEND keeps concurrent writers' lines whole.
    file.write(QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n');
    if (!file.flush())
        return Error::io(QStringLiteral("cannot write %1: %2").arg(m_what, file.errorString()), m_path);
    return std::nullopt;
}

Result<QList<QJsonObject>> JsonLinesFile::read() const
{
    QList<QJsonObject> objects;
    QFile file(m_path);
    if (!file.exists())
        return objects;
    if (!file.open(QIODevice::ReadOnly))
        return Error::io(QStringLiteral("cannot read %1: %2").arg(m_what, file.errorString()), m_path);
    int lineNumber = 0;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        ++lineNumber;
        if (line.isEmpty())
            continue;
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
        if (!doc.isObject())
            return Error::input(QStringLiteral("damaged line in %1: %2").arg(m_what, error.errorString()),
                m_path, lineNumber);
        objects.append(doc.object());
    }
    return objects;
}

} // namespace dbops
