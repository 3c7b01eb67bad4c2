#include "migrations/MigrationFileWriter.h"

#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QRegularExpression>

namespace dbops {

QString MigrationFileWriter::generateRevisionId()
{
    const quint64 value = QRandomGenerator::system()->generate64() & 0xffffffffffffULL;
    return QStringLiteral("%1").arg(value, 12, 16, QLatin1Char('0'));
}

QString MigrationFileWriter::fileNameFor(const NewRevision& revision, int sequence)
{
    static const QRegularExpression nonWord(QStringLiteral("[^a-z0-9]+"));
    QString slug = revision.message.toLower().replace(nonWord, QStringLiteral("_"));
    slug = slug.left(48);
    while (slug.startsWith(QLatin1Char('_')))
        slug.remove(0, 1);
    while (slug.endsWith(QLatin1Char('_')))
        slug.chop(1);
    return QStringLiteral("%1_%2%3.sql")
        .arg(sequence, 4, 10, QLatin1Char('0'))
        .arg(revision.id, slug.isEmpty() ? QString() : QLatin1Char('_') + slug);
}

QString MigrationFileWriter::render(const NewRevision& revision)
{
    QString text;
    text += QStringLiteral("-- revision: ") + revision.id + QLatin1Char('\n');
    text += QStringLiteral("-- down_revision: ")
        + (revision.downRevisions.isEmpty() ? QStringLiteral("none")
                                            : revision.downRevisions.join(QStringLiteral(", ")))
        + QLatin1Char('\n');
    text += QStringLiteral("-- message: ") + revision.message.simplified() + QLatin1Char('\n');
    if (revision.createDate.isValid()) {
        text += QStringLiteral("-- create_date: ")
            + revision.createDate.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) + QLatin1Char('\n');
    }
    if (!revision.branchLabels.isEmpty())
        text += QStringLiteral("-- branch_labels: ") + revision.branchLabels.join(QStringLiteral(", "))
            + QLatin1Char('\n');
    if (!revision.dependsOn.isEmpty())
        text += QStringLiteral("-- depends_on: ") + revision.dependsOn.join(QStringLiteral(", "))
            + QLatin1Char('\n');
    if (!revision.transactional)
        text += QStringLiteral("-- transactional: false\n");
    auto section = [](const QString& sql, const QString& placeholder) -> QString {
        QString body = sql.trimmed();
        if (body.isEmpty())
            body = placeholder;
        return body + QLatin1Char('\n');
    };
    text += QStringLiteral("\n-- +upgrade\n")
        + section(revision.upgradeSql,
            QStringLiteral("-- write the upgrade statements here, each ending with ';'"));
    if (revision.hasDowngrade) {
        text += QStringLiteral("\n-- +downgrade\n")
            + section(
                revision.downgradeSql, QStringLiteral("-- write the statements that undo the upgrade here"));
    }
    return text;
}

Result<QString> MigrationFileWriter::write(
    const NewRevision& revision, const QString& directory, int sequence)
{
    const QString path = directory + QLatin1Char('/') + fileNameFor(revision, sequence);
    if (QFileInfo::exists(path))
        return Error::io(QStringLiteral("file already exists"), path);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly))
        return Error::io(QStringLiteral("cannot write: %1").arg(file.errorString()), path);
    file.write(render(revision).toUtf8());
    if (!file.flush())
        return Error::io(QStringLiteral("cannot write: %1").arg(file.errorString()), path);
    return path;
}

} // namespace dbops
