#include "connection/ConnectionProfile.h"
#include "connection/ConnectionSettings.h"
#include "connection/DatabaseConnection.h"
#include "connection/PasswordStore.h"
#include "connection/ProfileStore.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

using namespace dbops;

class TestConnection : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parseInputs_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("host");
        QTest::addColumn<QString>("port");
        QTest::addColumn<QString>("dbname");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("sslmode");
        QTest::addColumn<QString>("password");
        QTest::newRow("provider url")
            << "postgres://app:s3cr%40t@db.example.com:25060/defaultdb?sslmode=require"
            << "db.example.com"
            << "25060"
            << "defaultdb"
            << "app"
            << "require"
            << "s3cr@t";
        QTest::newRow("postgresql url") << "postgresql://u@h/d"
                                        << "h"
                                        << ""
                                        << "d"
                                        << "u"
                                        << ""
                                        << "";
        QTest::newRow("sqlalchemy url") << "postgresql+psycopg2://u:p@h:5433/d"
                                        << "h"
                                        << "5433"
                                        << "d"
                                        << "u"
                                        << ""
                                        << "p";
        QTest::newRow("keywords") << "host=h port=6000 dbname='my db' user=x sslmode=verify-full"
                                  << "h"
                                  << "6000"
                                  << "my db"
                                  << "x"
                                  << "verify-full"
                                  << "";
        QTest::newRow("service") << "service=prod"
                                 << ""
                                 << ""
                                 << ""
                                 << ""
                                 << ""
                                 << "";
        // Three slashes: the local socket, a database named.  Not "empty".
        QTest::newRow("local socket url") << "postgres:///app"
                                          << ""
                                          << ""
                                          << "app"
                                          << ""
                                          << ""
                                          << "";
    }
    void parseInputs()
    {
        QFETCH(QString, input);
        const Result<ConnectionSettings> s = ConnectionSettings::parse(input);
        QVERIFY2(s, qPrintable(s.error().message));
        QTEST(s->value(QStringLiteral("host")), "host");
        QTEST(s->value(QStringLiteral("port")), "port");
        QTEST(s->value(QStringLiteral("dbname")), "dbname");
        QTEST(s->value(QStringLiteral("user")), "user");
        QTEST(s->value(QStringLiteral("sslmode")), "sslmode");
        QTEST(s->password(), "password");
        QVERIFY(!s->describe().contains(QStringLiteral("s3cr")));
        QVERIFY(!s->toUrlWithoutPassword().contains(QStringLiteral("s3cr")));
    }

    void badInputsNameTheProblemWithoutPassword_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("fragment");
        QTest::newRow("not a url") << "hello"
                                   << "not a connection string";
        QTest::newRow("bad port") << "postgresql://u:topsecret@h:99999/d"
                                  << "port";
        QTest::newRow("bad query parameter") << "postgresql://u:topsecret@h/d?nosuchparam=1"
                                             << "nosuchparam";
        QTest::newRow("bad keyword") << "host=h bogus=1"
                                     << "bogus";
        // libpq quotes the token it cannot read: here the password itself ...
        QTest::newRow("bad percent-encoding in the password") << "postgresql://u:topsecret%zz@h/d"
                                                              << "invalid percent-encoded token: \"****\"";
        QTest::newRow("bad percent-encoding in ?password=") << "postgresql://h/d?password=topsecret%zz"
                                                            << "invalid percent-encoded token: \"****\"";
        // ... or the word after a space in an unquoted one.
        QTest::newRow("unquoted password with a space") << "host=h password=my topsecret dbname=d"
                                                        << "missing \"=\" after \"****\"";
        // Nothing after "//": libpq would connect with all its defaults.
        QTest::newRow("empty postgres url") << "postgres://"
                                            << "empty URL: nothing after 'postgres://'";
        QTest::newRow("empty postgresql url") << "  postgresql://  "
                                              << "empty URL: nothing after 'postgresql://'";
        QTest::newRow("empty sqlalchemy url") << "postgresql+psycopg2://"
                                              << "empty URL";
    }
    void badInputsNameTheProblemWithoutPassword()
    {
        QFETCH(QString, input);
        QFETCH(QString, fragment);
        const Result<ConnectionSettings> s = ConnectionSettings::parse(input);
        QVERIFY(!s);
        QVERIFY2(s.error().message.contains(fragment), qPrintable(s.error().message));
        QVERIFY2(!s.error().message.contains(QStringLiteral("topsecret")), qPrintable(s.error().message));
    }

    void redactHidesOnlyEchoedPasswords_data()
    {
        QTest::addColumn<QString>("password");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        // libpq's own words, with passwords that are words of them: untouched,
        // or the place of the stars would spell the password out.
        const QString refused = QStringLiteral(
            "connection to server at \"db.example.com\" (10.0.0.5), port 5432 failed: Connection refused\n"
            "\tIs the server running on that host and accepting TCP/IP connections?");
        for (const char* word : { "server", "connection", "port", "a", "failed", "Is" })
            QTest::newRow(qPrintable(QStringLiteral("libpq message, password '%1'").arg(QLatin1String(word))))
                << QString::fromLatin1(word) << refused << refused;
        const QString auth = QStringLiteral("FATAL:  password authentication failed for user \"server\"");
        QTest::newRow("password authentication failed") << "server" << auth << auth;

        // Where a connection string is echoed, any password in it goes.
        QTest::newRow("url in a message")
            << "S3cret-Pw"
            << "cannot reach postgresql://app:S3cret-Pw@db.example.com:5432/app: timeout"
            << "cannot reach postgresql://app:****@db.example.com:5432/app: timeout";
        QTest::newRow("common word in a url")
            << "server"
            << "connection to server failed for postgres://u:server@server/db"
            << "connection to server failed for postgres://u:****@server/db";
        QTest::newRow("percent-encoded") << "p@ss/w0rd"
                                         << "\"postgres://app:p%40ss%2Fw0rd@h:6543/app\""
                                         << "\"postgres://app:****@h:6543/app\"";
        QTest::newRow("raw @ in the password") << "p@ss"
                                               << "postgres://u:p@ss@h/d"
                                               << "postgres://u:****@h/d";
        // Found by fuzz/fuzz_connection_string: libpq accepts a space in the user name.
        QTest::newRow("user name with a space") << "s3cret"
                                                << "cannot reach postgres://my user:s3cret@db/app"
                                                << "cannot reach postgres://my user:****@db/app";
        QTest::newRow("another password") << "mine"
                                          << "postgresql+psycopg2://u:theirs@h/d"
                                          << "postgresql+psycopg2://u:****@h/d";
        QTest::newRow("?password=") << "pw x"
                                    << "postgresql://h/d?sslmode=require&password=pw%20x&application_name=a"
                                    << "postgresql://h/d?sslmode=require&password=****&application_name=a";
        // libpq decodes a query key too.
        QTest::newRow("percent-encoded ?password=") << "s3cret"
                                                    << "postgresql://h/d?pass%77ord=s3cret&a=b"
                                                    << "postgresql://h/d?pass%77ord=****&a=b";
        // Found by fuzz/fuzz_connection_string: "&password=" in the user name
        // once took the URL's ':' and '@' with it, and libpq then read the
        // password after the next '@'.  The user name is left alone.
        QTest::newRow("&password= in the user name") << "s3cret"
                                                     << "postgres://u&password=:s3cret@h/a&x=:s3cret@h2/p"
                                                     << "postgres://u&password=:****@h/a&x=:s3cret@h2/p";
        QTest::newRow("password keyword in a url's user name") << "s3cret"
                                                               << "user=postgres://x password=s3cret :y@h"
                                                               << "user=postgres://x password=**** :****@h";
        QTest::newRow("keyword") << "hunter2"
                                 << "host=h password=hunter2 dbname=d"
                                 << "host=h password=**** dbname=d";
        QTest::newRow("quoted keyword") << "it's a secret"
                                        << "host=h password = 'it\\'s a secret' dbname=d"
                                        << "host=h password = **** dbname=d";
        QTest::newRow("unterminated quote") << "abc def"
                                            << "host=h password='abc def"
                                            << "host=h password=****";
        QTest::newRow("PGPASSWORD") << "server"
                                    << "PGPASSWORD=server psql: error"
                                    << "PGPASSWORD=**** psql: error";
    }
    void redactHidesOnlyEchoedPasswords()
    {
        QFETCH(QString, password);
        QFETCH(QString, text);
        ConnectionSettings settings;
        settings.setPassword(password);
        QTEST(settings.redact(text), "expected");
    }

    void emptyUrlIsRefusedByName()
    {
        // The field a caller names: fromEnvironment() prefixes DATABASE_URL.
        qputenv("DATABASE_URL", "postgres://");
        const Result<ConnectionSettings> s = ConnectionSettings::fromEnvironment();
        qunsetenv("DATABASE_URL");
        QVERIFY(!s);
        QCOMPARE(s.error().kind, Error::Kind::Input);
        QVERIFY2(s.error().message.startsWith(QLatin1String("DATABASE_URL: empty URL")),
            qPrintable(s.error().message));
    }

    void commonWordPasswordsLeaveServerErrorsReadable_data()
    {
        QTest::addColumn<QString>("password");
        for (const char* word : { "server", "connection", "port", "a", "database" })
            QTest::newRow(word) << QString::fromLatin1(word);
    }
    void commonWordPasswordsLeaveServerErrorsReadable()
    {
        QFETCH(QString, password);
        const QString url = qEnvironmentVariable("DBOPS_TEST_PG_URL");
        if (url.isEmpty())
            QSKIP("needs DBOPS_TEST_PG_URL");
        ConnectionSettings s = *ConnectionSettings::parse(url);
        s.setValue(QStringLiteral("dbname"), QStringLiteral("no_such_db"));
        s.setPassword(password);
        const Result<std::unique_ptr<DatabaseConnection>> c = DatabaseConnection::open(s);
        QVERIFY(!c);
        // libpq: 'connection to server at "127.0.0.1", port N failed: FATAL:  database "no_such_db" does not
        // exist'
        const QString message = c.error().toString();
        QVERIFY2(!message.contains(QLatin1String("****")), qPrintable(message));
        QVERIFY2(
            message.contains(QLatin1String("database \"no_such_db\" does not exist")), qPrintable(message));

        // A server error that quotes a URL with a password: that one goes.
        Result<std::unique_ptr<DatabaseConnection>> db
            = DatabaseConnection::open(*ConnectionSettings::parse(url));
        QVERIFY2(db, qPrintable(db.error().toString()));
        const Result<QSqlQuery> echo = db.value()->exec(QStringLiteral(
            "DO $$ BEGIN RAISE EXCEPTION 'cannot use postgresql://app:%1-x9@db.example.com/app'; "
            "END $$")
                                                            .arg(password));
        QVERIFY(!echo);
        QCOMPARE(echo.error().message, QStringLiteral("cannot use postgresql://app:****@db.example.com/app"));
    }

    void profileStoreRoundTripHasNoPassword()
    {
        QTemporaryDir dir;
        ProfileStore store(dir.filePath(QStringLiteral("profiles.conf")));
        ConnectionProfile p;
        p.name = QStringLiteral("Prod / EU");
        p.host = QStringLiteral("db.example.com");
        p.port = 25060;
        p.database = QStringLiteral("app");
        p.user = QStringLiteral("admin");
        p.production = true;
        QVERIFY(!store.save(p));
        const Result<ConnectionProfile> back = store.profile(p.name);
        QVERIFY(back);
        QCOMPARE(back->host, p.host);
        QCOMPARE(back->port, 25060);
        QVERIFY(back->production);
        QCOMPARE(back->toSettings()->value(QStringLiteral("sslmode")), QStringLiteral("require"));
        QVERIFY(!back->warnings().isEmpty());
        QFile file(store.filePath());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains("password"));

        ConnectionProfile bad = p;
        bad.shadowUrl = QStringLiteral("postgresql://u:pw@h/d");
        const auto error = store.save(bad);
        QVERIFY(error);
        QVERIFY(error->message.contains(QStringLiteral("shadow server")));
        bad = p;
        bad.port = 70000;
        QVERIFY(store.save(bad)->message.contains(QStringLiteral("port")));
    }

    void keychainFallsBackCleanly()
    {
        // CI has no keyring daemon: every call must fail with a clear error, fast.
        qputenv("DBOPS_KEYCHAIN", "off");
        QVERIFY(!PasswordStore::isAvailable());
        const Result<QString> r = PasswordStore::read(QStringLiteral("profile:x"));
        QVERIFY(!r);
        QVERIFY(r.error().message.contains(QStringLiteral(".pgpass")));
        QVERIFY(PasswordStore::write(QStringLiteral("profile:x"), QStringLiteral("pw")).has_value());
        qunsetenv("DBOPS_KEYCHAIN");
        // Without a D-Bus session the real backend must also just say no.
        const QByteArray bus = qgetenv("DBUS_SESSION_BUS_ADDRESS");
        qunsetenv("DBUS_SESSION_BUS_ADDRESS");
        QElapsedTimer timer;
        timer.start();
        const Result<QString> real = PasswordStore::read(QStringLiteral("profile:x"));
        QVERIFY(!real);
        QVERIFY(timer.elapsed() < 15000);
        if (!bus.isEmpty())
            qputenv("DBUS_SESSION_BUS_ADDRESS", bus);
    }

    void connectReportsServerAndErrors()
    {
        const QString url = qEnvironmentVariable("DBOPS_TEST_PG_URL");
        if (url.isEmpty())
            QSKIP("needs DBOPS_TEST_PG_URL (run through tests/with-postgres.sh)");
        Result<std::unique_ptr<DatabaseConnection>> c
            = DatabaseConnection::open(*ConnectionSettings::parse(url));
        QVERIFY2(c, qPrintable(c.error().toString()));
        DatabaseConnection& db = *c.value();
        const ServerInfo info = db.serverInfo();
        QVERIFY(info.versionNumber >= 150000);
        QCOMPARE(info.user, QStringLiteral("postgres"));
        QCOMPARE(db.scalar(QStringLiteral("SELECT current_setting('application_name')"))->toString(),
            QStringLiteral("dbops"));

        const Result<QSqlQuery> bad = db.exec(QStringLiteral("SELECT 1\n  FROM no_such_table"));
        QVERIFY(!bad);
        QCOMPARE(bad.error().sqlState, QStringLiteral("42P01"));
        QVERIFY2(
            bad.error().message.contains(QStringLiteral("no_such_table")), qPrintable(bad.error().message));
        QCOMPARE(db.lastErrorLine(), 2);
        QCOMPARE(db.lastErrorColumn(), 8);

        QVERIFY(db.exec(QStringLiteral("CREATE TABLE t (id int primary key)")));
        const Result<QSqlQuery> dup = db.exec(QStringLiteral("INSERT INTO t VALUES (1), (1)"));
        QCOMPARE(dup.error().sqlState, QStringLiteral("23505"));
        QVERIFY2(dup.error().detail.contains(QStringLiteral("(id)=(1)")), qPrintable(dup.error().toString()));

        QVERIFY(db.exec(
            QStringLiteral("DO $$ BEGIN RAISE NOTICE 'hello %', 42; RAISE WARNING 'careful'; END $$")));
        const QList<ServerNotice> notices = db.takeNotices();
        QCOMPARE(notices.size(), 2);
        QCOMPARE(notices[0].message, QStringLiteral("hello 42"));
        QCOMPARE(notices[0].severity, QStringLiteral("NOTICE"));
        QCOMPARE(notices[1].severity, QStringLiteral("WARNING"));

        const Result<QSqlQuery> bound = db.exec(
            QStringLiteral("SELECT $1::text || $2::text"), { QStringLiteral("a'"), QStringLiteral("b") });
        QVERIFY(bound);
    }

    void cancelFromAnotherThread()
    {
        const QString url = qEnvironmentVariable("DBOPS_TEST_PG_URL");
        if (url.isEmpty())
            QSKIP("needs DBOPS_TEST_PG_URL");
        Result<std::unique_ptr<DatabaseConnection>> c
            = DatabaseConnection::open(*ConnectionSettings::parse(url));
        QVERIFY(c);
        std::shared_ptr<QueryCanceller> canceller = c.value()->canceller();
        QThread* thread = QThread::create([canceller] {
            QThread::msleep(300);
            canceller->cancel();
        });
        thread->start();
        QElapsedTimer timer;
        timer.start();
        const Result<QSqlQuery> r = c.value()->exec(QStringLiteral("SELECT pg_sleep(30)"));
        thread->wait();
        delete thread;
        QVERIFY(!r);
        QCOMPARE(r.error().sqlState, QStringLiteral("57014"));
        QVERIFY(timer.elapsed() < 10000);
    }

    void wrongPasswordIsRedacted()
    {
        const QString url = qEnvironmentVariable("DBOPS_TEST_PG_URL");
        if (url.isEmpty())
            QSKIP("needs DBOPS_TEST_PG_URL");
        ConnectionSettings s = *ConnectionSettings::parse(url);
        s.setValue(QStringLiteral("dbname"), QStringLiteral("no_such_db"));
        s.setPassword(QStringLiteral("hunter2secret"));
        const Result<std::unique_ptr<DatabaseConnection>> c = DatabaseConnection::open(s);
        QVERIFY(!c);
        QVERIFY2(c.error().message.contains(QStringLiteral("no_such_db")), qPrintable(c.error().message));
        QVERIFY(!c.error().toString().contains(QStringLiteral("hunter2secret")));
    }
};

QTEST_GUILESS_MAIN(TestConnection)
#include "tst_connection.moc"
