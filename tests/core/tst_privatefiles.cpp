// Files that hold data or settings are 0600 in 0700 folders whatever the
// umask: PrivateFiles itself, the run journal and the profile store, all
// under umask 022 (the usual one, which would make them world-readable).
// The user's journal and profiles are found through XDG_DATA_HOME and
// XDG_CONFIG_HOME, pointed at a temporary folder (QStandardPaths reads them
// on each call).
#include "common/PrivateFiles.h"
#include "connection/ProfileStore.h"
#include "journal/RunJournal.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>
#include <sys/stat.h>

using namespace dbops;

namespace {

// The permission bits, as `ls -l` shows them in octal; -1 if missing.
int modeOf(const QString& path)
{
    struct stat status
    {
    };
    if (::lstat(QFile::encodeName(path).constData(), &status) != 0)
        return -1;
    return static_cast<int>(status.st_mode & 07777);
}

QString octal(int mode)
{
    return mode < 0 ? QStringLiteral("missing") : QStringLiteral("0%1").arg(mode, 0, 8);
}

// A folder made the way umask 022 makes it: 0755.
bool makeOpenFolder(const QString& path)
{
    return QDir().mkpath(path) && modeOf(path) == 0755;
}

// A file made the way umask 022 makes it: 0644.
bool makeOpenFile(const QString& path, const QByteArray& content)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size() && (file.close(), true)
        && modeOf(path) == 0644;
}

JournalRecord sampleRecord()
{
    JournalRecord record;
    record.startedAt = QDateTime::currentDateTime();
    record.finishedAt = record.startedAt;
    record.action = QStringLiteral("upgrade");
    record.target = QStringLiteral("app@db.example.com:5432/portfolio");
    record.outcome = QStringLiteral("success");
    return record;
}

ConnectionProfile sampleProfile(const QString& name)
{
    ConnectionProfile profile;
    profile.name = name;
    profile.host = QStringLiteral("db.example.com");
    profile.database = QStringLiteral("portfolio");
    profile.user = QStringLiteral("admin");
    return profile;
}

} // namespace

#define QCOMPARE_MODE(path, expected) QCOMPARE(octal(modeOf(path)), octal(expected))

class TestPrivateFiles : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_root;
    QString path(const QString& relative) const { return m_root.filePath(relative); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_root.isValid());
        ::umask(022);
    }

    void ensureDirectoryCreatesPrivateFolders()
    {
        QVERIFY(!PrivateFiles::ensureDirectory(path(QStringLiteral("new/a/b"))));
        QCOMPARE_MODE(path(QStringLiteral("new")), 0700);
        QCOMPARE_MODE(path(QStringLiteral("new/a")), 0700);
        QCOMPARE_MODE(path(QStringLiteral("new/a/b")), 0700);
        // Again: nothing to do, no error.
        QVERIFY(!PrivateFiles::ensureDirectory(path(QStringLiteral("new/a/b"))));
    }

    void ensureDirectoryLeavesExistingFolders()
    {
        // A user's /backups (or /tmp, or $HOME) may be shared on purpose.
        QVERIFY(makeOpenFolder(path(QStringLiteral("shared"))));
        QVERIFY(!PrivateFiles::ensureDirectory(path(QStringLiteral("shared"))));
        QCOMPARE_MODE(path(QStringLiteral("shared")), 0755);
        QVERIFY(!PrivateFiles::ensureDirectory(path(QStringLiteral("shared/mine"))));
        QCOMPARE_MODE(path(QStringLiteral("shared")), 0755);
        QCOMPARE_MODE(path(QStringLiteral("shared/mine")), 0700);
    }

    void ensureOwnDirectoryTightensTheLeafOnly()
    {
        QVERIFY(makeOpenFolder(path(QStringLiteral("home/.config/dbops"))));
        QVERIFY(!PrivateFiles::ensureOwnDirectory(path(QStringLiteral("home/.config/dbops"))));
        QCOMPARE_MODE(path(QStringLiteral("home/.config/dbops")), 0700);
        QCOMPARE_MODE(path(QStringLiteral("home/.config")), 0755);
        QCOMPARE_MODE(path(QStringLiteral("home")), 0755);
    }

    void ensureDirectoryRefusesAFile()
    {
        QVERIFY(makeOpenFile(path(QStringLiteral("plain")), "x"));
        const std::optional<Error> error = PrivateFiles::ensureDirectory(path(QStringLiteral("plain/sub")));
        QVERIFY(error);
        QCOMPARE(error->file, path(QStringLiteral("plain")));
    }

    void createFileIsPrivateAndExclusive()
    {
        const QString file = path(QStringLiteral("dump"));
        QVERIFY(!PrivateFiles::createFile(file));
        QCOMPARE_MODE(file, 0600);
        QCOMPARE(QFileInfo(file).size(), 0);
        // Never over something already there, a symlink included.
        QVERIFY(PrivateFiles::createFile(file));
        const QString target = path(QStringLiteral("elsewhere"));
        QVERIFY(QFile::link(target, path(QStringLiteral("link"))));
        QVERIFY(PrivateFiles::createFile(path(QStringLiteral("link"))));
        QVERIFY(!QFileInfo::exists(target));
    }

    void ensureFileCreatesOrTightens()
    {
        const QString fresh = path(QStringLiteral("fresh.jsonl"));
        QVERIFY(!PrivateFiles::ensureFile(fresh));
        QCOMPARE_MODE(fresh, 0600);

        const QString old = path(QStringLiteral("old.jsonl"));
        QVERIFY(makeOpenFile(old, "keep me\n"));
        QVERIFY(!PrivateFiles::ensureFile(old));
        QCOMPARE_MODE(old, 0600);
        QFile file(old);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), QByteArray("keep me\n"));
    }

    void restrictTightens()
    {
        const QString file = path(QStringLiteral("settings.conf"));
        QVERIFY(makeOpenFile(file, "[a]\n"));
        QVERIFY(!PrivateFiles::restrict(file));
        QCOMPARE_MODE(file, 0600);
        QVERIFY(PrivateFiles::restrict(path(QStringLiteral("missing.conf"))));
    }

    void journalIsPrivate()
    {
        const QString dataHome = path(QStringLiteral("xdg-data"));
        qputenv("XDG_DATA_HOME", dataHome.toUtf8());
        const RunJournal journal;
        QCOMPARE(journal.filePath(), dataHome + QStringLiteral("/dbops/journal.jsonl"));
        const std::optional<Error> error = journal.append(sampleRecord());
        QVERIFY2(!error, qPrintable(error ? error->toString() : QString()));
        QCOMPARE_MODE(journal.filePath(), 0600);
        QCOMPARE_MODE(dataHome + QStringLiteral("/dbops"), 0700);
        QCOMPARE_MODE(dataHome, 0700);
        QCOMPARE(journal.read().value().size(), 1);
    }

    void journalOfAnOlderDbopsIsTightened()
    {
        // An older dbops left them 0755 / 0644; appending tightens both,
        // and keeps what was there.
        const QString dataHome = path(QStringLiteral("xdg-data-old"));
        QVERIFY(makeOpenFolder(dataHome + QStringLiteral("/dbops")));
        const QString file = dataHome + QStringLiteral("/dbops/journal.jsonl");
        QVERIFY(
            makeOpenFile(file, QJsonDocument(sampleRecord().toJson()).toJson(QJsonDocument::Compact) + '\n'));
        qputenv("XDG_DATA_HOME", dataHome.toUtf8());
        const RunJournal journal;
        QVERIFY(!journal.append(sampleRecord()));
        QCOMPARE_MODE(file, 0600);
        QCOMPARE_MODE(dataHome + QStringLiteral("/dbops"), 0700);
        QCOMPARE_MODE(dataHome, 0755); // the user's XDG_DATA_HOME is not dbops'
        QCOMPARE(journal.read().value().size(), 2);
    }

    void journalAtAChosenPath()
    {
        // A folder the caller chose keeps its permissions; the file does not.
        QVERIFY(makeOpenFolder(path(QStringLiteral("team-logs"))));
        const RunJournal journal(path(QStringLiteral("team-logs/journal.jsonl")));
        QVERIFY(!journal.append(sampleRecord()));
        QCOMPARE_MODE(journal.filePath(), 0600);
        QCOMPARE_MODE(path(QStringLiteral("team-logs")), 0755);
    }

    void profilesArePrivate()
    {
        const QString configHome = path(QStringLiteral("xdg-config"));
        qputenv("XDG_CONFIG_HOME", configHome.toUtf8());
        ProfileStore store;
        QCOMPARE(store.filePath(), configHome + QStringLiteral("/dbops/profiles.conf"));
        const std::optional<Error> error = store.save(sampleProfile(QStringLiteral("prod")));
        QVERIFY2(!error, qPrintable(error ? error->toString() : QString()));
        QCOMPARE_MODE(store.filePath(), 0600);
        QCOMPARE_MODE(configHome + QStringLiteral("/dbops"), 0700);
        QCOMPARE_MODE(configHome, 0700);
        QVERIFY(!store.save(sampleProfile(QStringLiteral("staging"))));
        QVERIFY(!store.remove(QStringLiteral("staging")));
        QCOMPARE_MODE(store.filePath(), 0600);
        QCOMPARE(store.profiles().size(), 1);
        QCOMPARE(store.profile(QStringLiteral("prod")).value().host, QStringLiteral("db.example.com"));
    }

    void profilesOfAnOlderDbopsAreTightened()
    {
        const QString configHome = path(QStringLiteral("xdg-config-old"));
        QVERIFY(makeOpenFolder(configHome + QStringLiteral("/dbops")));
        qputenv("XDG_CONFIG_HOME", configHome.toUtf8());
        ProfileStore store;
        QVERIFY(makeOpenFile(store.filePath(), QByteArray()));
        QVERIFY(!store.save(sampleProfile(QStringLiteral("prod"))));
        QCOMPARE_MODE(store.filePath(), 0600);
        QCOMPARE_MODE(configHome + QStringLiteral("/dbops"), 0700);
        QCOMPARE_MODE(configHome, 0755);
    }
};

QTEST_GUILESS_MAIN(TestPrivateFiles)
#include "tst_privatefiles.moc"
