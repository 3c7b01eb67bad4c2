#include "connection/ProfileStore.h"

#include "common/PrivateFiles.h"

#include <QSettings>
#include <QStandardPaths>

namespace dbops {

namespace {

QString defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation)
        + QStringLiteral("/dbops/profiles.conf");
}

// QSettings groups cannot hold '/' and treat some characters specially: a
// percent-encoded group name keeps any profile name intact.
QString groupFor(const QString& name)
{
    return QStringLiteral("profile-") + QString::fromLatin1(name.toUtf8().toHex());
}

// Profiles name hosts, users and certificates: the owner's alone.  QSettings
// creates files and folders through the umask, so the folder and an empty
// 0600 file are made first (QSettings keeps an existing file's permissions
// when it rewrites it).  The default folder is dbops' own, and tightened; a
// folder the caller chose is not.
std::optional<Error> preparePrivateFile(const QString& path)
{
    std::optional<Error> error = PrivateFiles::ensureFileIn(
        path, path == defaultPath() ? PrivateFiles::Folder::Own : PrivateFiles::Folder::Chosen);
    if (error)
        error->message = QStringLiteral("cannot write the profile store: ") + error->message;
    return error;
}

} // namespace

ProfileStore::ProfileStore()
    : m_path(defaultPath())
{ }

ProfileStore::ProfileStore(const QString& filePath)
    : m_path(filePath)
{ }

QList<ConnectionProfile> ProfileStore::profiles() const
{
    QSettings settings(m_path, QSettings::IniFormat);
    QList<ConnectionProfile> list;
    const QStringList groups = settings.childGroups();
    for (const QString& group : groups) {
        if (!group.startsWith(QLatin1String("profile-")))
            continue;
        settings.beginGroup(group);
        ConnectionProfile p;
        p.name = settings.value(QStringLiteral("name")).toString();
        p.host = settings.value(QStringLiteral("host")).toString();
        p.port = settings.value(QStringLiteral("port"), 0).toInt();
        p.database = settings.value(QStringLiteral("database")).toString();
        p.user = settings.value(QStringLiteral("user")).toString();
        p.sslmode = settings.value(QStringLiteral("sslmode")).toString();
        p.sslrootcert = settings.value(QStringLiteral("sslrootcert")).toString();
        p.connectTimeout = settings.value(QStringLiteral("connect_timeout"), 10).toInt();
        p.applicationName
            = settings.value(QStringLiteral("application_name"), QStringLiteral("dbops")).toString();
        p.service = settings.value(QStringLiteral("service")).toString();
        p.extraOptions = settings.value(QStringLiteral("extra_options")).toString();
        p.migrationsDirectory = settings.value(QStringLiteral("migrations")).toString();
        p.versionTable
            = settings.value(QStringLiteral("version_table"), QStringLiteral("alembic_version")).toString();
        p.production = settings.value(QStringLiteral("production"), false).toBool();
        p.readOnly = settings.value(QStringLiteral("read_only"), false).toBool();
        p.color = settings.value(QStringLiteral("color")).toString();
        p.shadowUrl = settings.value(QStringLiteral("shadow_url")).toString();
        p.journalInDatabase = settings.value(QStringLiteral("journal_in_database"), false).toBool();
        p.lockTimeoutSeconds = settings.value(QStringLiteral("lock_timeout"), 10).toInt();
        p.statementTimeoutSeconds = settings.value(QStringLiteral("statement_timeout"), 0).toInt();
        p.groups
            = settings.value(QStringLiteral("groups")).toString().split(QLatin1Char(','), Qt::SkipEmptyParts);
        settings.endGroup();
        if (!p.name.isEmpty())
            list.append(p);
    }
    std::sort(list.begin(), list.end(), [](const ConnectionProfile& a, const ConnectionProfile& b) {
        return a.name.localeAwareCompare(b.name) < 0;
    });
    return list;
}

Result<ConnectionProfile> ProfileStore::profile(const QString& name) const
{
    const QList<ConnectionProfile> all = profiles();
    for (const ConnectionProfile& p : all) {
        if (p.name == name)
            return p;
    }
    QStringList names;
    for (const ConnectionProfile& p : all)
        names.append(p.name);
    return Error::input(
        QStringLiteral("no profile named '%1'%2")
            .arg(name,
                names.isEmpty() ? QStringLiteral(" (there are no profiles; add one with 'dbops profile add')")
                                : QStringLiteral(" (profiles: %1)").arg(names.join(QStringLiteral(", ")))));
}

bool ProfileStore::contains(const QString& name) const
{
    return profile(name).ok();
}

std::optional<Error> ProfileStore::save(const ConnectionProfile& p)
{
    if (auto error = p.validate())
        return error;
    if (auto error = preparePrivateFile(m_path))
        return error;
    QSettings settings(m_path, QSettings::IniFormat);
    settings.remove(groupFor(p.name));
    settings.beginGroup(groupFor(p.name));
    settings.setValue(QStringLiteral("name"), p.name);
    settings.setValue(QStringLiteral("host"), p.host);
    settings.setValue(QStringLiteral("port"), p.port);
    settings.setValue(QStringLiteral("database"), p.database);
    settings.setValue(QStringLiteral("user"), p.user);
    settings.setValue(QStringLiteral("sslmode"), p.sslmode);
    settings.setValue(QStringLiteral("sslrootcert"), p.sslrootcert);
    settings.setValue(QStringLiteral("connect_timeout"), p.connectTimeout);
    settings.setValue(QStringLiteral("application_name"), p.applicationName);
    settings.setValue(QStringLiteral("service"), p.service);
    settings.setValue(QStringLiteral("extra_options"), p.extraOptions);
    settings.setValue(QStringLiteral("migrations"), p.migrationsDirectory);
    settings.setValue(QStringLiteral("version_table"), p.versionTable);
    settings.setValue(QStringLiteral("production"), p.production);
    settings.setValue(QStringLiteral("read_only"), p.readOnly);
    settings.setValue(QStringLiteral("color"), p.color);
    settings.setValue(QStringLiteral("shadow_url"), p.shadowUrl);
    settings.setValue(QStringLiteral("journal_in_database"), p.journalInDatabase);
    settings.setValue(QStringLiteral("lock_timeout"), p.lockTimeoutSeconds);
    settings.setValue(QStringLiteral("statement_timeout"), p.statementTimeoutSeconds);
    // One comma-separated string, not QSettings' list syntax: the file stays
    // readable and the names cannot hold a comma.
    settings.setValue(QStringLiteral("groups"), p.groups.join(QLatin1Char(',')));
    settings.endGroup();
    settings.sync();
    if (settings.status() != QSettings::NoError)
        return Error::io(QStringLiteral("cannot write the profile store"), m_path);
    // QSettings (QSaveFile) keeps the 0600 today; this guards against a Qt that would not.
    return PrivateFiles::restrict(m_path);
}

std::optional<Error> ProfileStore::remove(const QString& name)
{
    if (!contains(name))
        return profile(name).error();
    if (auto error = preparePrivateFile(m_path))
        return error;
    QSettings settings(m_path, QSettings::IniFormat);
    settings.remove(groupFor(name));
    settings.sync();
    return PrivateFiles::restrict(m_path);
}

} // namespace dbops
