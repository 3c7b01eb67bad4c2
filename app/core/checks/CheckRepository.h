#pragma once

#include "checks/CheckDefinition.h"
#include "common/Result.h"

namespace dbops {

/// The checks/ and fixes/ folders of a migration repository.  Loading reads
/// every `*.sql` file in both; a missing folder simply holds nothing.
class CheckRepository
{
public:
    /// `directory` is the migration repository (the folder holding versions/).
    /// On failure `allErrors` lists every problem found, each with file:line.
    static Result<CheckRepository> load(const QString& directory, ErrorList* allErrors = nullptr);

    const QString& directory() const { return m_directory; }
    const CheckDefinitionList& checks() const { return m_checks; } ///< sorted by file name
    const FixDefinitionList& fixes() const { return m_fixes; }

    const CheckDefinition* check(const QString& name) const;
    const FixDefinition* fix(const QString& name) const;
    QStringList fixNames() const;

private:
    QString m_directory;
    CheckDefinitionList m_checks;
    FixDefinitionList m_fixes;
};

} // namespace dbops
