#include "worker/WorkerTypes.h"

namespace dbops {

void registerWorkerMetaTypes()
{
    qRegisterMetaType<dbops::Error>("dbops::Error");
    qRegisterMetaType<dbops::DatabaseStatus>("dbops::DatabaseStatus");
    qRegisterMetaType<dbops::ConnectionState>("dbops::ConnectionState");
    qRegisterMetaType<dbops::RunEvent>("dbops::RunEvent");
    qRegisterMetaType<dbops::RunResult>("dbops::RunResult");
    qRegisterMetaType<dbops::WriteRequest>("dbops::WriteRequest");
    qRegisterMetaType<dbops::WriteAnswers>("dbops::WriteAnswers");
    qRegisterMetaType<dbops::WriteReview>("dbops::WriteReview");
    qRegisterMetaType<dbops::WriteOutcome>("dbops::WriteOutcome");
    qRegisterMetaType<dbops::RehearsalReport>("dbops::RehearsalReport");
    qRegisterMetaType<dbops::RehearsalOptions>("dbops::RehearsalOptions");
    qRegisterMetaType<dbops::ConnectionSettings>("dbops::ConnectionSettings");
    qRegisterMetaType<dbops::ServerNotice>("dbops::ServerNotice");
    qRegisterMetaType<dbops::ConnectionTarget>("dbops::ConnectionTarget");
    qRegisterMetaType<dbops::AuditReport>("dbops::AuditReport");
    qRegisterMetaType<dbops::AuditSubject>("dbops::AuditSubject");
    qRegisterMetaType<dbops::CheckReport>("dbops::CheckReport");
    qRegisterMetaType<dbops::FixOutcome>("dbops::FixOutcome");
    qRegisterMetaType<dbops::AuditOutline>("dbops::AuditOutline");
    qRegisterMetaType<dbops::LoadedRepository>("dbops::LoadedRepository");
    qRegisterMetaType<QList<dbops::FixDefinition>>("QList<dbops::FixDefinition>");
}

} // namespace dbops
