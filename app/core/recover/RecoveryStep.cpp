#include "recover/RecoveryStep.h"

namespace dbops {

namespace {
const QLatin1String rollbackWord("rollback-partial");
const QLatin1String rebuildWord("rebuild-index ");
} // namespace

QString RecoveryStep::target() const
{
    return kind == Kind::RollbackPartial ? QString(rollbackWord) : QString(rebuildWord) + index;
}

std::optional<RecoveryStep> RecoveryStep::parse(const QString& target)
{
    if (target == rollbackWord)
        return rollbackPartial();
    if (target.startsWith(rebuildWord) && target.size() > rebuildWord.size())
        return rebuildIndex(target.mid(rebuildWord.size()));
    return std::nullopt;
}

} // namespace dbops
