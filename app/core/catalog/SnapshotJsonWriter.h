#pragma once

#include "catalog/CatalogSnapshot.h"

#include <QByteArray>
#include <QJsonObject>

namespace dbops {

/// Writes a CatalogSnapshot as JSON: CatalogSnapshot::toJson() and
/// toJsonText(), the form of `migrations/schema/head.json`.
class SnapshotJsonWriter
{
public:
    /// The snapshot with every list sorted (the snapshot itself may be unsorted).
    static QJsonObject toJson(const CatalogSnapshot& snapshot);
    /// The file form: indented JSON with a final newline, the same text for the same schema.
    static QByteArray toJsonText(const CatalogSnapshot& snapshot);
};

} // namespace dbops
