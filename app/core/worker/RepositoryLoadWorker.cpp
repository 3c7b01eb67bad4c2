#include "worker/RepositoryLoadWorker.h"

namespace dbops {

void RepositoryLoadWorker::load(int jobId, const QString& directory)
{
    LoadedRepository result;
    result.directory = directory;
    Result<MigrationRepository> repository = MigrationRepository::load(directory);
    // The console previews and runs SQL, so an Alembic project's comes now,
    // from Alembic's offline mode (a subprocess; this thread may wait on it).
    Result<bool> withSql = repository ? repository.value().ensureSql() : Result<bool>(repository.error());
    if (withSql)
        result.repository = std::make_shared<const MigrationRepository>(std::move(repository).value());
    else
        result.error = withSql.error();
    Q_EMIT loaded(jobId, result);
}

} // namespace dbops
