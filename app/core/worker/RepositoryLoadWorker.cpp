#include "worker/RepositoryLoadWorker.h"

namespace dbops {

void RepositoryLoadWorker::load(int jobId, const QString& directory)
{
    LoadedRepository result;
    result.directory = directory;
    Result<MigrationRepository> repository = MigrationRepository::load(directory);
    if (repository)
        result.repository = std::make_shared<const MigrationRepository>(std::move(repository).value());
    else
        result.error = repository.error();
    Q_EMIT loaded(jobId, result);
}

} // namespace dbops
