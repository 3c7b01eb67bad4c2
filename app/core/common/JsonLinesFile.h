#pragma once

#include "common/PrivateFiles.h"
#include "common/Result.h"

#include <QJsonObject>
#include <QList>

namespace dbops {

/// A file of one compact JSON object per line, appended to and read whole:
/// the run journal, the rehearsal records.  They name databases, users and
/// errors, so the file is the owner's alone (0600; its folder 0700).
class JsonLinesFile
{
public:
    /// `what` names the file in errors: "the run journal".
    JsonLinesFile(QString path, QString what, PrivateFiles::Folder folder);

    std::optional<Error> append(const QJsonObject& object) const;
    /// Every object, in file order; a line that is not one is an error
    /// naming path:line.  A missing file is empty.
    Result<QList<QJsonObject>> read() const;

private:
    QString m_path;
    QString m_what;
    PrivateFiles::Folder m_folder;
};

} // namespace dbops
