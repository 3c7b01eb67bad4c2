#include "runner/RunGuard.h"

namespace dbops {

std::optional<Error> RunGuard::checkWriteAllowed(
    const ConnectionTarget& target, const QString& action, const QString& confirmation)
{
    if (target.isReadOnly())
        return Error::usage(QStringLiteral("profile '%1' is read-only: %2 refused (nothing was changed)")
                                .arg(target.profile->name, action));
    if (target.isProduction()) {
        const QString database = target.settings.value(QStringLiteral("dbname")).isEmpty()
            ? target.profile->database
            : target.settings.value(QStringLiteral("dbname"));
        if (confirmation.isEmpty())
            return Error::usage(
                QStringLiteral("profile '%1' is a production profile: type the database name '%3' to confirm "
                               "the %2 (--confirm %3)")
                    .arg(target.profile->name, action, database));
        if (confirmation != database)
            return Error::usage(
                QStringLiteral("the typed name '%1' does not match the database name '%2': %3 refused")
                    .arg(confirmation, database, action));
    }
    return std::nullopt;
}

} // namespace dbops
