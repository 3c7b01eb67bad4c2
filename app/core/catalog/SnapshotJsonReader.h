#pragma once

#include "catalog/CatalogSnapshot.h"
#include "common/Result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QStringList>

namespace dbops {

/// Reads a CatalogSnapshot from its JSON (`migrations/schema/head.json`):
/// what CatalogSnapshot::fromJson(), fromJsonText(), readFile() and
/// schemasAhead() do.  A file as SnapshotJsonWriter writes it is parsed
/// straight into the snapshot; anything else takes QJsonDocument and gets
/// its error messages, and a file means the same either way.
class SnapshotJsonReader
{
public:
    static Result<CatalogSnapshot> fromJson(const QJsonObject& object);
    /// Reads the file (mapped, its pages given back as they are read); the error names the file.
    static Result<CatalogSnapshot> readFile(const QString& path);
    /// The same from the file's bytes (`path` names it in errors).
    static Result<CatalogSnapshot> fromJsonText(const QByteArray& text, const QString& path);
    /// The schemas the text's first lines name: see CatalogSnapshot::schemasAhead().
    static QStringList schemasAhead(const QByteArray& text);
};

} // namespace dbops
