#include "worker/WorkerTypes.h"

#include <QCoreApplication>

namespace dbops {

QString DatabaseStatus::verifyWarning() const
{
    if (!verify || verify->clean())
        return {};
    QStringList parts;
    auto add = [&](VerifyFinding::Kind kind, const char* one, const char* many) {
        const QList<VerifyFinding> findings = verify->ofKind(kind);
        if (findings.isEmpty())
            return;
        QStringList revisions;
        for (const VerifyFinding& finding : findings)
            revisions.append(finding.revision);
        parts.append(QCoreApplication::translate("DatabaseStatus", findings.size() == 1 ? one : many)
                         .arg(findings.size())
                         .arg(revisions.join(QStringLiteral(", "))));
    };
    add(VerifyFinding::Kind::Changed, "%1 applied revision changed since applied (%2)",
        "%1 applied revisions changed since applied (%2)");
    add(VerifyFinding::Kind::NotOnDisk, "%1 applied revision not on disk (%2)",
        "%1 applied revisions not on disk (%2)");
    add(VerifyFinding::Kind::OutOfOrder, "%1 revision pending out of order (%2)",
        "%1 revisions pending out of order (%2)");
    return parts.join(QStringLiteral("; ")) + QStringLiteral(": dbops verify");
}

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
    qRegisterMetaType<dbops::RecoveryReport>("dbops::RecoveryReport");
    qRegisterMetaType<QList<dbops::FixDefinition>>("QList<dbops::FixDefinition>");
}

} // namespace dbops
