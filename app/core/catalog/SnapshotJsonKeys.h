#pragma once

#include <QString>

namespace dbops {

/// The keys of the schema snapshot file (`migrations/schema/head.json`), in
/// one place for the code that writes it and the code that reads it; the
/// format is documented in docs/cli.md.
namespace SnapshotJsonKeys {

inline const QString kFormat = QStringLiteral("format");
inline const QString kSchemas = QStringLiteral("schemas");
inline const QString kRevisions = QStringLiteral("revisions");
inline const QString kTables = QStringLiteral("tables");
inline const QString kEnums = QStringLiteral("enums");
inline const QString kViews = QStringLiteral("views");
inline const QString kSequences = QStringLiteral("sequences");
inline const QString kSchema = QStringLiteral("schema");
inline const QString kName = QStringLiteral("name");
inline const QString kColumns = QStringLiteral("columns");
inline const QString kIndexes = QStringLiteral("indexes");
inline const QString kConstraints = QStringLiteral("constraints");
inline const QString kType = QStringLiteral("type");
inline const QString kNullable = QStringLiteral("nullable");
inline const QString kDefault = QStringLiteral("default");
inline const QString kIdentity = QStringLiteral("identity");
inline const QString kGenerated = QStringLiteral("generated");
inline const QString kDefinition = QStringLiteral("definition");
inline const QString kLabels = QStringLiteral("labels");
inline const QString kMaterialized = QStringLiteral("materialized");
inline const QString kDataType = QStringLiteral("data_type");
inline const QString kStart = QStringLiteral("start");
inline const QString kIncrement = QStringLiteral("increment");
inline const QString kMinValue = QStringLiteral("min_value");
inline const QString kMaxValue = QStringLiteral("max_value");
inline const QString kCache = QStringLiteral("cache");
inline const QString kCycle = QStringLiteral("cycle");
inline const QString kOwnedByTable = QStringLiteral("owned_by_table");
inline const QString kOwnedByColumn = QStringLiteral("owned_by_column");

} // namespace SnapshotJsonKeys

} // namespace dbops
