#include "migrations/MigrationFileParser.h"
#include "migrations/MigrationRepository.h"
#include "migrations/MigrationValidator.h"

#include <QtTest>

using namespace dbops;

namespace {

const QString kE = QStringLiteral("\u00e9"); // é: 2 UTF-8 bytes, 1 QChar
const QString kSmile = QStringLiteral("\U0001F600"); // 😀: 4 UTF-8 bytes, 2 QChars

const QString kHeader = QStringLiteral("-- revision: aaa111\n-- down_revision: none\n-- message: m\n");

// "line:column@offset|text", '*' after the offset for a no-parse statement.
QStringList describe(const SqlStatementList& statements)
{
    QStringList out;
    for (const SqlStatement& s : statements) {
        out.append(QStringLiteral("%1:%2@%3%4|%5")
                       .arg(QString::number(s.line), QString::number(s.column), QString::number(s.offset),
                           s.noParse ? QStringLiteral("*") : QString(), s.text));
    }
    return out;
}

// "line:column: message" of each error.
QStringList describe(const ErrorList& errors)
{
    QStringList out;
    for (const Error& e : errors)
        out.append(
            QStringLiteral("%1:%2: %3").arg(QString::number(e.line), QString::number(e.column), e.message));
    return out;
}

// Statements are the file's text at their offsets, and their line:column is
// where that offset lies in the file.
void verifyFilePositions(const QString& text, const SqlStatementList& statements)
{
    for (const SqlStatement& s : statements) {
        QCOMPARE(text.mid(s.offset, s.text.size()), s.text);
        const QString before = text.left(s.offset);
        QCOMPARE(s.line, static_cast<int>(before.count(QLatin1Char('\n'))) + 1);
        QCOMPARE(s.column, static_cast<int>(s.offset - (before.lastIndexOf(QLatin1Char('\n')) + 1)) + 1);
    }
}

// The two ways to a revision's statements: one pass (Depth::Full), or the
// graph first (Depth::GraphOnly) and its SQL later (splitSql).
Result<Revision> parseInStages(const QString& text, const QString& path)
{
    Result<Revision> r = MigrationFileParser::parseText(text, path, MigrationFileParser::Depth::GraphOnly);
    if (!r)
        return r;
    if (r->sqlLoaded || !r->upgrade.statements.isEmpty() || !r->downgrade.statements.isEmpty())
        qFatal("Depth::GraphOnly split the SQL of %s", qPrintable(path));
    if (Result<bool> split = MigrationFileParser::splitSql(r.value()); !split)
        return split.error();
    return r;
}

// Both ways must agree on everything.
Revision parseOrFail(const QString& text, const QString& path = QStringLiteral("rev.sql"))
{
    const Result<Revision> r = MigrationFileParser::parseText(text, path);
    if (!r)
        qFatal("unexpected parse error: %s", qPrintable(r.error().toString()));
    const Result<Revision> staged = parseInStages(text, path);
    if (!staged)
        qFatal("unexpected error in the staged parse: %s", qPrintable(staged.error().toString()));
    const bool same = r->sqlLoaded && staged->sqlLoaded && r->id == staged->id
        && r->downRevisions == staged->downRevisions && r->message == staged->message
        && r->upgrade.markerLine == staged->upgrade.markerLine
        && r->downgrade.markerLine == staged->downgrade.markerLine
        && r->downgrade.present == staged->downgrade.present
        && describe(r->upgrade.statements) == describe(staged->upgrade.statements)
        && describe(r->downgrade.statements) == describe(staged->downgrade.statements);
    if (!same)
        qFatal("the staged parse differs from the one-pass parse of %s", qPrintable(path));
    return r.value();
}

QString dataDir()
{
    return QStringLiteral(DBOPS_TEST_DATA_DIR);
}

} // namespace

class TestMigrationFile : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // ------------------------------------------------------------ errors

    void parseErrors_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("message");

        const QString body = QStringLiteral("\n-- +upgrade\nSELECT 1;\n");
        QTest::newRow("missing revision")
            << QString(QStringLiteral("-- down_revision: none\n-- message: m\n") + body) << 1 << 0
            << QStringLiteral("missing header '-- revision: <id>'");
        QTest::newRow("missing down_revision")
            << QString(QStringLiteral("-- revision: aaa111\n-- message: m\n") + body) << 1 << 0
            << QStringLiteral("missing header '-- down_revision: <id>'");
        QTest::newRow("missing message")
            << QString(QStringLiteral("-- revision: aaa111\n-- down_revision: none\n") + body) << 1 << 0
            << QStringLiteral("missing header '-- message: <text>'");
        QTest::newRow("empty file") << QString() << 1 << 0
                                    << QStringLiteral("missing header '-- revision: <id>'");
        QTest::newRow("duplicate key") << QString(kHeader + QStringLiteral("-- Revision: bbb222\n") + body)
                                       << 4 << 0 << QStringLiteral("duplicate header 'revision'");
        QTest::newRow("duplicate message") << QString(QStringLiteral("-- message: a\n") + kHeader + body) << 4
                                           << 0 << QStringLiteral("duplicate header 'message'");
        QTest::newRow("unknown key") << QString(
            QStringLiteral("-- revision: aaa111\n-- down_revision: none\n-- author: bob\n-- message: m\n")
            + body) << 3 << 0 << QStringLiteral("unknown header 'author'");
        QTest::newRow("bad revision id")
            << QString(QStringLiteral("-- revision: abc-def\n-- down_revision: none\n-- message: m\n") + body)
            << 1 << 0 << QStringLiteral("bad revision id 'abc-def'");
        QTest::newRow("empty revision id")
            << QString(QStringLiteral("-- down_revision: none\n-- revision:\n-- message: m\n") + body) << 2
            << 0 << QStringLiteral("bad revision id ''");
        QTest::newRow("reserved revision id")
            << QString(QStringLiteral("-- down_revision: none\n-- revision: Head\n-- message: m\n") + body)
            << 2 << 0 << QStringLiteral("bad revision id 'Head'");
        QTest::newRow("revision id too long") << QString(
            QStringLiteral("\n-- revision: %1\n-- down_revision: none\n-- message: m\n")
                .arg(QString(33, QLatin1Char('a')))
            + body) << 2 << 0 << QStringLiteral("bad revision id");
        QTest::newRow("bad down_revision") << QString(
            QStringLiteral("-- revision: aaa111\n-- down_revision: bbb222, b-c\n-- "
                           "message: m\n")
            + body) << 2 << 0 << QStringLiteral("bad revision id 'b-c' in down_revision");
        QTest::newRow("empty down_revision")
            << QString(QStringLiteral("-- revision: aaa111\n-- down_revision:  \n-- message: m\n") + body)
            << 2 << 0 << QStringLiteral("empty down_revision");
        QTest::newRow("down_revision twice") << QString(
            QStringLiteral("-- revision: aaa111\n-- down_revision: bbb222, "
                           "bbb222\n-- message: m\n")
            + body) << 2 << 0 << QStringLiteral("down_revision names a revision twice");
        QTest::newRow("bad transactional")
            << QString(kHeader + QStringLiteral("-- transactional: maybe\n") + body) << 4 << 0
            << QStringLiteral("transactional must be 'true' or 'false', not 'maybe'");
        QTest::newRow("bad branch label")
            << QString(kHeader + QStringLiteral("-- branch_labels: core, bad label\n") + body) << 4 << 0
            << QStringLiteral("bad branch label 'bad label'");

        // Sections.
        QTest::newRow("empty upgrade section") << QString(
            kHeader + QStringLiteral("\n-- +upgrade\n-- nothing to do;\n;\n-- +downgrade\nSELECT 1;\n"))
                                               << 5 << 0 << QStringLiteral("empty upgrade section");
        QTest::newRow("empty upgrade section at the end")
            << QString(kHeader + QStringLiteral("\n\n\n-- +upgrade")) << 7 << 0
            << QStringLiteral("empty upgrade section");
        QTest::newRow("empty upgrade section of a one-parent revision") << QStringLiteral(
            "-- revision: aaa111\n-- down_revision: bbb222\n-- message: m\n\n-- "
            "+upgrade\n-- +downgrade\n") << 5 << 0 << QStringLiteral("only a merge revision may be empty");
        QTest::newRow("both sections missing")
            << kHeader << 3 << 0 << QStringLiteral("both sections are missing");
        QTest::newRow("both sections missing, trailing comment")
            << QString(kHeader + QStringLiteral("\n-- TODO write it\n")) << 5 << 0
            << QStringLiteral("both sections are missing");
        QTest::newRow("both sections missing, no final newline")
            << QStringLiteral("-- revision: aaa111\n-- down_revision: none\n-- message: m") << 3 << 0
            << QStringLiteral("both sections are missing");
        QTest::newRow("only a downgrade")
            << QString(kHeader + QStringLiteral("\n-- +downgrade\nDROP TABLE t;\n")) << 5 << 0
            << QStringLiteral("missing '-- +upgrade' section");
        QTest::newRow("duplicate section")
            << QString(kHeader + QStringLiteral("\n-- +upgrade\nSELECT 1;\n-- +upgrade\nSELECT 2;\n")) << 7
            << 0 << QStringLiteral("duplicate section '-- +upgrade' (first at line 5)");
        QTest::newRow("unknown section marker")
            << QString(kHeader + QStringLiteral("\n-- +upgrde\nSELECT 1;\n")) << 5 << 0
            << QStringLiteral("unknown section marker '-- +upgrde'");
        QTest::newRow("SQL outside a section") << QString(kHeader
            + QStringLiteral("\nCREATE TABLE t (id int);\n\n-- "
                             "+upgrade\nSELECT 1;\n"))
                                               << 5 << 0 << QStringLiteral("SQL outside a section");
        QTest::newRow("SQL after a block comment outside a section") << QString(kHeader
            + QStringLiteral("\n/* about\n   this; */\n-- more\n  SELECT 0;\n-- +upgrade\nSELECT 1;\n"))
                                                                     << 8 << 0
                                                                     << QStringLiteral(
                                                                            "SQL outside a section");
        QTest::newRow("unterminated string outside a section")
            << QString(kHeader + QStringLiteral("\n/* c */ 'oops\n-- +upgrade\nSELECT 1;\n")) << 5 << 0
            << QStringLiteral("SQL outside a section");
        QTest::newRow("SQL right after the headers")
            << QString(kHeader + QStringLiteral("SELECT 0;\n-- +upgrade\nSELECT 1;\n")) << 4 << 0
            << QStringLiteral("SQL outside a section");
        QTest::newRow("SQL outside a section, no sections")
            << QString(kHeader + QStringLiteral("\n\nSELECT 1;\n")) << 6 << 0
            << QStringLiteral("SQL outside a section");

        // SQL structure problems found while splitting, at file line:column.
        QTest::newRow("meta-command in upgrade") << QString(kHeader
            + QStringLiteral(
                "\n-- +upgrade\nCREATE TABLE t (id int);\n\\i more.sql\n\n-- +downgrade\nDROP TABLE t;\n"))
                                                 << 7 << 1
                                                 << QStringLiteral("psql meta-command \\i is not supported");
        QTest::newRow("indented meta-command in downgrade")
            << QString(kHeader + QStringLiteral("\n-- +upgrade\nSELECT 1;\n-- +downgrade\n\n   \\set x 1\n"))
            << 9 << 4 << QStringLiteral("psql meta-command \\set is not supported");
        QTest::newRow("unterminated string in downgrade") << QString(kHeader
            + QStringLiteral("\n-- +upgrade\nSELECT 1;\n\n-- +downgrade\nDROP TABLE t;\nSELECT '") + kSmile
            + QStringLiteral(" ', 'x;\n")) << 10 << 15 << QStringLiteral("unterminated quoted string");
        QTest::newRow("unterminated comment in upgrade")
            << QString(kHeader + QStringLiteral("\n-- +upgrade\n") + kE
                   + QStringLiteral(";/* /* */\n-- +downgrade\nSELECT 1;\n"))
            << 6 << 3 << QStringLiteral("unterminated /* comment");

        // CRLF files report the same lines.
        QTest::newRow("CRLF duplicate key") << QStringLiteral(
            "-- revision: aaa111\r\n-- down_revision: none\r\n-- message: m\r\n-- message: n\r\n\r\n-- "
            "+upgrade\r\nSELECT 1;\r\n") << 4
                                            << 0 << QStringLiteral("duplicate header 'message'");
        QTest::newRow("backslash string after SET standard_conforming_strings = off")
            << QString(kHeader
                   + QStringLiteral("\n-- +upgrade\nSET standard_conforming_strings = off;\n"
                                    "INSERT INTO t VALUES ('x\\'y\\'z');\n"))
            << 6 << 1
            << QStringLiteral("'SET standard_conforming_strings = off': turning standard_conforming_strings "
                              "off is not supported in migrations");
        QTest::newRow("no-parse does not let a meta-command through")
            << QString(kHeader + QStringLiteral("\n-- +upgrade\n-- dbops: no-parse\n\\i more.sql\n")) << 7
            << 1 << QStringLiteral("psql meta-command \\i is not supported");
        QTest::newRow("CRLF meta-command") << QStringLiteral(
            "-- revision: aaa111\r\n-- down_revision: none\r\n-- message: m\r\n\r\n-- +upgrade\r\nSELECT "
            "1;\r\n\\connect other\r\n") << 7
                                           << 1
                                           << QStringLiteral("psql meta-command \\connect is not supported");
    }
    void parseErrors()
    {
        QFETCH(QString, text);
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(QString, message);
        const Result<Revision> r = MigrationFileParser::parseText(text, QStringLiteral("versions/x.sql"));
        // The graph first and the SQL later report the same error.
        const Result<Revision> staged = parseInStages(text, QStringLiteral("versions/x.sql"));
        for (const Result<Revision>* result : { &r, &staged }) {
            QVERIFY2(!*result, "the file was accepted");
            QVERIFY2(result->error().message.contains(message), qPrintable(result->error().message));
            QCOMPARE(result->error().file, QStringLiteral("versions/x.sql"));
            QCOMPARE(result->error().line, line);
            QCOMPARE(result->error().column, column);
            QCOMPARE(result->error().kind, Error::Kind::Input);
        }
    }

    void graphOnlyLeavesSqlProblemsToTheSqlStage()
    {
        const QString text = kHeader
            + QStringLiteral(
                "\n-- +upgrade\nCREATE TABLE t (id int);\n\\i more.sql\n\n-- +downgrade\nDROP TABLE t;\n");
        Result<Revision> r = MigrationFileParser::parseText(
            text, QStringLiteral("v.sql"), MigrationFileParser::Depth::GraphOnly);
        QVERIFY2(r, qPrintable(r.error().toString()));
        QCOMPARE(r->id, QStringLiteral("aaa111"));
        QVERIFY(!r->sqlLoaded);
        QVERIFY(r->upgrade.present);
        QCOMPARE(r->upgrade.markerLine, 5);
        QVERIFY(r->upgrade.statements.isEmpty());
        // Nothing renders or validates it by mistake.
        const ErrorList refused = MigrationValidator::validate(r.value());
        QCOMPARE(refused.size(), 1);
        QCOMPARE(refused.constFirst().kind, Error::Kind::Internal);

        const Result<bool> split = MigrationFileParser::splitSql(r.value());
        QVERIFY(!split);
        QCOMPARE(split.error().toString(),
            QStringLiteral("v.sql:7:1: psql meta-command \\i is not supported in migrations; write plain SQL "
                           "statements"));
        QVERIFY(!r->sqlLoaded); // unchanged by the failure
    }

    void graphOnlyReportsAPlainlyEmptyUpgrade_data()
    {
        QTest::addColumn<QString>("upgrade");
        QTest::addColumn<bool>("atLoad"); // reported by Depth::GraphOnly itself
        QTest::newRow("nothing") << QString() << true;
        QTest::newRow("line comments (a draft)")
            << QStringLiteral("-- TODO: write it;\n\n  -- more\n") << true;
        QTest::newRow("a block comment") << QStringLiteral("/* nothing ; */\n") << true;
        QTest::newRow("semicolons and comments") << QStringLiteral(";\n/* a */ ;\n-- b\n") << true;
        QTest::newRow("an unterminated block comment: the SQL stage says so")
            << QStringLiteral("/* nothing\n") << false;
    }
    void graphOnlyReportsAPlainlyEmptyUpgrade()
    {
        QFETCH(QString, upgrade);
        QFETCH(bool, atLoad);
        const QString text = kHeader + QStringLiteral("\n-- +upgrade\n") + upgrade;
        const Result<Revision> r = MigrationFileParser::parseText(
            text, QStringLiteral("v.sql"), MigrationFileParser::Depth::GraphOnly);
        if (atLoad) {
            QVERIFY2(!r, "the draft was accepted");
            QCOMPARE(r.error().line, 5);
            QVERIFY2(r.error().message.startsWith(QLatin1String("empty upgrade section")),
                qPrintable(r.error().message));
        } else {
            QVERIFY2(r, qPrintable(r.error().toString()));
            Revision revision = r.value();
            const Result<bool> split = MigrationFileParser::splitSql(revision);
            QVERIFY(!split);
            QVERIFY2(split.error().message.contains(QLatin1String("unterminated /* comment")),
                qPrintable(split.error().message));
        }
    }

    // ------------------------------------------------------- valid files

    void basicFile()
    {
        const QString text = QStringLiteral("-- revision: 792ffb1ab1ad\n"
                                            "-- down_revision: 5a9f6c1d0e84\n"
                                            "-- message: add latest snapshot lookup index\n"
                                            "-- create_date: 2025-11-12 15:49:00\n"
                                            "\n"
                                            "-- +upgrade\n"
                                            "CREATE INDEX ix ON t (a);\n"
                                            "-- dbops: no-parse\n"
                                            "  SELECT '")
            + kE
            + QStringLiteral("'; SELECT 2;\n"
                             "\n"
                             "-- +downgrade\n"
                             "DROP INDEX ix;\n");
        const Revision r = parseOrFail(text, QStringLiteral("/repo/versions/0001.sql"));
        QCOMPARE(r.id, QStringLiteral("792ffb1ab1ad"));
        QCOMPARE(r.downRevisions, QStringList { QStringLiteral("5a9f6c1d0e84") });
        QCOMPARE(r.message, QStringLiteral("add latest snapshot lookup index"));
        QCOMPARE(r.createDate, QStringLiteral("2025-11-12 15:49:00"));
        QCOMPARE(r.filePath, QStringLiteral("/repo/versions/0001.sql"));
        QVERIFY(r.transactional);
        QCOMPARE(r.transactionalLine, 0);
        QCOMPARE(r.revisionLine, 1);
        QCOMPARE(r.downRevisionLine, 2);
        QVERIFY(r.branchLabels.isEmpty());
        QVERIFY(r.dependsOn.isEmpty());
        QVERIFY(!r.isBase());
        QVERIFY(!r.isMerge());
        QVERIFY(r.upgrade.present);
        QCOMPARE(r.upgrade.markerLine, 6);
        QCOMPARE(describe(r.upgrade.statements),
            (QStringList { QStringLiteral("7:1@151|CREATE INDEX ix ON t (a)"),
                QStringLiteral("9:3@198*|SELECT '") + kE + QLatin1Char('\''),
                QStringLiteral("9:15@210|SELECT 2") }));
        QVERIFY(r.downgrade.present);
        QCOMPARE(r.downgrade.markerLine, 11);
        QCOMPARE(describe(r.downgrade.statements), QStringList { QStringLiteral("12:1@235|DROP INDEX ix") });
        verifyFilePositions(text, r.upgrade.statements);
        verifyFilePositions(text, r.downgrade.statements);
    }

    void mergeMayBeEmpty_data()
    {
        QTest::addColumn<QString>("upgrade");
        QTest::newRow("no statements") << QString();
        QTest::newRow("comments only") << QStringLiteral("-- merge heads;\n/* nothing ; */\n;;\n");
    }
    void mergeMayBeEmpty()
    {
        QFETCH(QString, upgrade);
        const QString text
            = QStringLiteral("-- revision: m00001\n-- down_revision: aaa111 ,bbb222\n-- message: merge\n\n-- "
                             "+upgrade\n")
            + upgrade;
        const Revision r = parseOrFail(text);
        QCOMPARE(r.downRevisions, (QStringList { QStringLiteral("aaa111"), QStringLiteral("bbb222") }));
        QVERIFY(r.isMerge());
        QVERIFY(r.upgrade.present);
        QCOMPARE(r.upgrade.markerLine, 5);
        QVERIFY(r.upgrade.statements.isEmpty());
        QVERIFY(!r.downgrade.present);
        QCOMPARE(r.downgrade.markerLine, 0);
        QVERIFY(MigrationValidator::validate(r).isEmpty());
    }

    void optionalHeaders()
    {
        const QString text = QStringLiteral("-- revision: ccc333\n"
                                            "-- down_revision: NONE\n"
                                            "-- message:   spaces around: kept inside  \n"
                                            "-- transactional: False\n"
                                            "-- branch_labels: core, reporting.v2\n"
                                            "-- depends_on: ddd444,core\n"
                                            "-- +upgrade\n"
                                            "VACUUM t;\n");
        const Revision r = parseOrFail(text);
        QVERIFY(r.isBase());
        QCOMPARE(r.message, QStringLiteral("spaces around: kept inside"));
        QVERIFY(!r.transactional);
        QCOMPARE(r.transactionalLine, 4);
        QCOMPARE(r.branchLabels, (QStringList { QStringLiteral("core"), QStringLiteral("reporting.v2") }));
        QCOMPARE(r.labelsLine, 5);
        QCOMPARE(r.dependsOn, (QStringList { QStringLiteral("ddd444"), QStringLiteral("core") }));
        QCOMPARE(r.dependsOnLine, 6);
        QCOMPARE(r.upgrade.markerLine, 7);
        QCOMPARE(describe(r.upgrade.statements), QStringList { QStringLiteral("8:1@186|VACUUM t") });
        QVERIFY(!r.downgrade.present);
        verifyFilePositions(text, r.upgrade.statements);
    }

    void commentsBeforeTheFirstSection()
    {
        const QString text = kHeader
            + QStringLiteral(
                "\n/*\n * Why: reports need it; see the ticket.\n */\n-- note\n\n-- +upgrade\nSELECT 1;\n");
        const Revision r = parseOrFail(text);
        QCOMPARE(r.upgrade.markerLine, 10);
        QCOMPARE(describe(r.upgrade.statements), QStringList { QStringLiteral("11:1@127|SELECT 1") });
        verifyFilePositions(text, r.upgrade.statements);
    }

    void leadingCommentsAndSpacedMarkers()
    {
        const QString text = QStringLiteral("-- Generated by hand\n"
                                            "\n"
                                            "--revision:aaa111\n"
                                            "--  down_revision :  none\n"
                                            "-- message: m\n"
                                            "\n"
                                            "   --   +upgrade   \n"
                                            "SELECT 1;\n"
                                            "\t-- +downgrade\n"
                                            "SELECT 2;");
        const Revision r = parseOrFail(text);
        QCOMPARE(r.id, QStringLiteral("aaa111"));
        QCOMPARE(r.revisionLine, 3);
        QCOMPARE(r.downRevisionLine, 4);
        QCOMPARE(r.upgrade.markerLine, 7);
        QCOMPARE(r.downgrade.markerLine, 9);
        QCOMPARE(describe(r.upgrade.statements), QStringList { QStringLiteral("8:1@101|SELECT 1") });
        QCOMPARE(describe(r.downgrade.statements), QStringList { QStringLiteral("10:1@126|SELECT 2") });
        verifyFilePositions(text, r.upgrade.statements);
        verifyFilePositions(text, r.downgrade.statements);
    }

    void statementsCarryFilePositions()
    {
        // Multibyte text and surrogate pairs before and between the statements,
        // a BEGIN ATOMIC body and a dollar-quoted plpgsql body.
        const QString text = QStringLiteral("-- revision: aaa111\n-- down_revision: none\n-- message: caf")
            + kE + kSmile + QStringLiteral("\n\n-- +upgrade\n-- ") + kSmile
            + QStringLiteral(
                "\nCREATE FUNCTION f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\nEND;\n/* ")
            + kSmile
            + QStringLiteral(
                " */ CREATE FUNCTION g() RETURNS void LANGUAGE plpgsql AS $$\nBEGIN\n  NULL;\nEND;\n$$;\n"
                "-- +downgrade\n")
            + kE + QStringLiteral(" ;  DROP FUNCTION f();\n");
        const Revision r = parseOrFail(text);
        QCOMPARE(r.message, QStringLiteral("caf") + kE + kSmile);
        QCOMPARE(describe(r.upgrade.statements),
            (QStringList {
                QStringLiteral(
                    "7:1@81|CREATE FUNCTION f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\nEND"),
                QStringLiteral("11:10@165|CREATE FUNCTION g() RETURNS void LANGUAGE plpgsql AS $$\nBEGIN\n  "
                               "NULL;\nEND;\n$$") }));
        QCOMPARE(describe(r.downgrade.statements),
            (QStringList { QStringLiteral("17:1@258|") + kE, QStringLiteral("17:6@263|DROP FUNCTION f()") }));
        verifyFilePositions(text, r.upgrade.statements);
        verifyFilePositions(text, r.downgrade.statements);
    }

    void crlfAndByteOrderMarkFile()
    {
        const QString path = dataDir() + QStringLiteral("/migrations/crlf_bom.sql");
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QVERIFY2(
            bytes.startsWith("\xEF\xBB\xBF-- revision: b0b0b0b0b0b0\r\n"), "test file lost its BOM or CRLF");

        const Result<Revision> r = MigrationFileParser::parseFile(path);
        QVERIFY2(r, qPrintable(r.error().toString()));
        QCOMPARE(r->id, QStringLiteral("b0b0b0b0b0b0"));
        QCOMPARE(r->revisionLine, 1);
        QCOMPARE(r->downRevisions, QStringList { QStringLiteral("a0a0a0a0a0a0") });
        QCOMPARE(r->message, QStringLiteral("windows file"));
        QCOMPARE(r->upgrade.markerLine, 6);
        QCOMPARE(r->downgrade.markerLine, 12);
        QStringList upgrade;
        for (const SqlStatement& s : r->upgrade.statements)
            upgrade.append(
                QStringLiteral("%1:%2|%3").arg(QString::number(s.line), QString::number(s.column), s.text));
        QCOMPARE(upgrade,
            (QStringList { QStringLiteral("7:1|CREATE TABLE t (\r\n    id int,\r\n    name text DEFAULT 'caf")
                    + kE + QStringLiteral("'\r\n)"),
                QStringLiteral("11:3|INSERT INTO t VALUES (1, '") + kSmile + QStringLiteral("')") }));
        QCOMPARE(r->downgrade.statements.size(), 1);
        QCOMPARE(r->downgrade.statements.constFirst().text, QStringLiteral("DROP TABLE t"));
        QCOMPARE(r->downgrade.statements.constFirst().line, 13);
        // Offsets index the file's text (the BOM is its first character).
        const QString text = QString::fromUtf8(bytes);
        for (const SqlStatement& s : r->upgrade.statements + r->downgrade.statements)
            QCOMPARE(text.mid(s.offset, s.text.size()), s.text);
        QVERIFY(MigrationValidator::validate(r.value()).isEmpty());
    }

    void byteOrderMarkInText()
    {
        // Whether or not the decoder dropped it, a BOM before the first header is not SQL.
        const QString text = QChar(0xFEFF) + kHeader + QStringLiteral("-- +upgrade\nSELECT 1;\n");
        const Revision r = parseOrFail(text);
        QCOMPARE(r.id, QStringLiteral("aaa111"));
        QCOMPARE(r.revisionLine, 1);
        QCOMPARE(describe(r.upgrade.statements), QStringList { QStringLiteral("5:1@70|SELECT 1") });
        verifyFilePositions(text, r.upgrade.statements);
    }

    void fileErrors()
    {
        const Result<Revision> missing
            = MigrationFileParser::parseFile(dataDir() + QStringLiteral("/migrations/nope.sql"));
        QVERIFY(!missing);
        QCOMPARE(missing.error().kind, Error::Kind::Io);

        const QString path = dataDir() + QStringLiteral("/migrations/meta_command.sql");
        const Result<Revision> meta = MigrationFileParser::parseFile(path);
        QVERIFY(!meta);
        QCOMPARE(meta.error().toString(),
            path
                + QStringLiteral(":9:1: psql meta-command \\echo is not supported in migrations; write plain "
                                 "SQL statements"));
    }

    // A file that is not UTF-8 is refused when it is read, at the line and
    // column of its first invalid byte, by both depths (`heads` reads the
    // graph only); decoding it would send U+FFFD to the server.
    void notUtf8_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("reason");
        const QByteArray header("-- revision: aaa111\n-- down_revision: none\n");
        QTest::newRow("Latin-1 in a string literal")
            << header + "-- message: m\n\n-- +upgrade\nCOMMENT ON TABLE users IS 'caf\xe9';\n"
            << 6 << 31 << "byte 0xE9 starts a 3-byte sequence, but byte 0x27 follows";
        QTest::newRow("Latin-1 in the message header")
            << header + "-- message: caf\xe9 menu\n\n-- +upgrade\nSELECT 1;\n"
            << 3 << 16 << "byte 0xE9 starts a 3-byte sequence, but byte 0x20 follows";
        QTest::newRow("Windows-1252 quote in a comment, after a BOM and CRLF")
            << "\xEF\xBB\xBF" + header + "-- message: m\r\n\r\n-- +upgrade\r\n-- it\x92s\r\nSELECT 1;\r\n"
            << 6 << 6 << "byte 0x92 continues a sequence that never started";
        QTest::newRow("overlong '/' after an emoji")
            << header + "-- message: m\n\n-- +upgrade\nSELECT '\xF0\x9F\x98\x80\xC0\xAF';\n"
            << 6 << 11 << "byte 0xC0 starts an overlong encoding";
        QTest::newRow("surrogate (CESU-8)")
            << header + "-- message: m\n\n-- +upgrade\nSELECT '\xED\xA0\xBD';\n"
            << 6 << 9 << "bytes 0xED 0xA0 start a UTF-16 surrogate (U+D800 to U+DFFF)";
        QTest::newRow("cut short at the end of the file")
            << header + "-- message: m\n\n-- +upgrade\nSELECT 1;\n-- +downgrade\nSELECT 2;\n-- \xE2\x82" << 9
            << 4 << "byte 0xE2 starts a 3-byte sequence, but the file ends";
    }
    void notUtf8()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(QString, reason);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("0001_aaa111_x.sql"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QCOMPARE(file.write(bytes), bytes.size());
        file.close();
        const QString expected
            = QStringLiteral("%1:%2:%3: not valid UTF-8: %4 (Latin-1 or Windows-1252? save "
                             "the file as UTF-8)")
                  .arg(path)
                  .arg(line)
                  .arg(column)
                  .arg(reason);
        for (const auto depth : { MigrationFileParser::Depth::Full, MigrationFileParser::Depth::GraphOnly }) {
            const Result<Revision> r = MigrationFileParser::parseFile(path, depth);
            QVERIFY2(!r, "the file was accepted");
            QCOMPARE(r.error().toString(), expected);
            QCOMPARE(r.error().kind, Error::Kind::Input);
        }

        // The same bytes as UTF-8 (each invalid byte read as Latin-1) are fine.
        QString asLatin1 = QString::fromLatin1(bytes);
        if (asLatin1.startsWith(QStringLiteral("\u00EF\u00BB\u00BF")))
            asLatin1 = QChar(0xFEFF) + asLatin1.mid(3);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(asLatin1.toUtf8());
        file.close();
        const Result<Revision> utf8 = MigrationFileParser::parseFile(path);
        QVERIFY2(utf8, qPrintable(utf8.error().toString()));
    }

    void repositoryRefusesAFileThatIsNotUtf8()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("versions")));
        auto write = [&](const QString& name, const QByteArray& bytes) {
            QFile file(dir.path() + QStringLiteral("/versions/") + name);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(bytes);
        };
        write(QStringLiteral("0001_a.sql"),
            "-- revision: aaa111\n-- down_revision: none\n-- message: a\n\n-- +upgrade\n"
            "CREATE TABLE users (id int);\n");
        write(QStringLiteral("0002_b.sql"),
            "-- revision: bbb222\n-- down_revision: aaa111\n-- message: b\n\n-- +upgrade\n"
            "COMMENT ON TABLE users IS 'caf\xe9';\n");
        for (const bool graphOnly : { true, false }) {
            ErrorList errors;
            const Result<MigrationRepository> repository = graphOnly
                ? MigrationRepository::loadGraph(dir.path(), &errors)
                : MigrationRepository::load(dir.path(), &errors);
            QVERIFY2(!repository, "the repository was accepted");
            QCOMPARE(describe(errors),
                QStringList { QStringLiteral("6:31: not valid UTF-8: byte 0xE9 starts a 3-byte sequence, but "
                                             "byte 0x27 follows (Latin-1 or Windows-1252? save the file as "
                                             "UTF-8)") });
            QCOMPARE(QFileInfo(errors.constFirst().file).fileName(), QStringLiteral("0002_b.sql"));
        }
    }

    // ------------------------------------------------- symbolic links

    // versions/ may hold symbolic links to folders as well as to files; both
    // are followed, and what cannot be followed is an error, never skipped.
    void symbolicLinksAreFollowed()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString root = dir.filePath(QStringLiteral("repo"));
        const QString shared = dir.filePath(QStringLiteral("shared"));
        QVERIFY(QDir().mkpath(root + QStringLiteral("/versions")));
        QVERIFY(QDir().mkpath(shared + QStringLiteral("/deeper")));
        auto write = [](const QString& path, const QString& id, const QString& parent) {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(QStringLiteral("-- revision: %1\n-- down_revision: %2\n-- message: %1\n\n-- +upgrade\n"
                                      "SELECT 1;\n")
                           .arg(id, parent)
                           .toUtf8());
        };
        write(
            root + QStringLiteral("/versions/0001_a.sql"), QStringLiteral("aaa111"), QStringLiteral("none"));
        write(shared + QStringLiteral("/0002_b.sql"), QStringLiteral("bbb222"), QStringLiteral("aaa111"));
        write(shared + QStringLiteral("/deeper/0003_c.sql"), QStringLiteral("ccc333"),
            QStringLiteral("bbb222"));
        write(dir.filePath(QStringLiteral("0004_d.sql")), QStringLiteral("ddd444"), QStringLiteral("ccc333"));
        QVERIFY(QFile::link(shared, root + QStringLiteral("/versions/linked")));
        QVERIFY(QFile::link(
            dir.filePath(QStringLiteral("0004_d.sql")), root + QStringLiteral("/versions/0004.sql")));

        for (const bool graphOnly : { true, false }) {
            ErrorList errors;
            const Result<MigrationRepository> repository = graphOnly
                ? MigrationRepository::loadGraph(root, &errors)
                : MigrationRepository::load(root, &errors);
            QVERIFY2(repository, qPrintable(describe(errors).join(QLatin1Char('\n'))));
            QCOMPARE(repository->graph().size(), 4);
            QCOMPARE(repository->graph().heads(), QStringList { QStringLiteral("ddd444") });
            QCOMPARE(repository->graph().revision(QStringLiteral("ccc333")).filePath,
                root + QStringLiteral("/versions/linked/deeper/0003_c.sql"));
        }

        // A link to nothing is an error naming it, with every other problem.
        const QString dangling = root + QStringLiteral("/versions/gone");
        QVERIFY(QFile::link(dir.filePath(QStringLiteral("moved-away")), dangling));
        const QString loop = shared + QStringLiteral("/deeper/back");
        QVERIFY(QFile::link(root + QStringLiteral("/versions"), loop));
        ErrorList errors;
        const Result<MigrationRepository> broken = MigrationRepository::loadGraph(root, &errors);
        QVERIFY(!broken);
        QStringList found;
        for (const Error& e : std::as_const(errors))
            found.append(e.file + QStringLiteral(": ") + e.message);
        QCOMPARE(found,
            (QStringList { dangling + QStringLiteral(": symbolic link to nothing: it points to '")
                    + dir.filePath(QStringLiteral("moved-away")) + QStringLiteral("', which does not exist"),
                root + QStringLiteral("/versions/linked/deeper/back: the same folder as '") + root
                    + QStringLiteral("/versions' (")
                    + QFileInfo(root + QStringLiteral("/versions")).canonicalFilePath()
                    + QStringLiteral("): a symbolic link loop, or two links to one folder; remove one of the "
                                     "links") }));
        QCOMPARE(broken.error().kind, Error::Kind::Io);
    }

    void repositoryListsEveryBrokenFile()
    {
        ErrorList all;
        const Result<MigrationRepository> repo
            = MigrationRepository::load(dataDir() + QStringLiteral("/bad_repo"), &all);
        QVERIFY(!repo);
        QStringList found;
        for (const Error& e : all)
            found.append(QStringLiteral("%1:%2: %3")
                             .arg(QFileInfo(e.file).fileName(), QString::number(e.line), e.message));
        QCOMPARE(found.size(), 2);
        QVERIFY2(
            found.at(0).startsWith(QStringLiteral("0002_bbbbbbbbbbbb_dup.sql:4: duplicate header 'message'")),
            qPrintable(found.at(0)));
        QVERIFY2(
            found.at(1).startsWith(QStringLiteral("0003_cccccccccccc_outside.sql:5: SQL outside a section")),
            qPrintable(found.at(1)));
    }

    void repositoryGraphFirstSqlLater()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("versions")));
        auto write = [&](const QString& name, const QString& text) {
            QFile file(dir.path() + QStringLiteral("/versions/") + name);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(text.toUtf8());
        };
        write(QStringLiteral("0001_a.sql"),
            QStringLiteral("-- revision: aaa111\n-- down_revision: none\n-- message: a\n\n-- +upgrade\n"
                           "CREATE TABLE t (id int);\n-- +downgrade\nDROP TABLE t;\n"));
        write(QStringLiteral("0002_b.sql"),
            QStringLiteral("-- revision: bbb222\n-- down_revision: aaa111\n-- message: b\n\n-- +upgrade\n"
                           "SELECT 'oops;\n"));
        write(QStringLiteral("0003_c.sql"),
            QStringLiteral("-- revision: ccc333\n-- down_revision: bbb222\n-- message: c\n\n-- +upgrade\n"
                           "SELECT 1;\n-- +downgrade\n\\echo hi\n"));

        // The graph needs no SQL, so broken SQL does not stop it ...
        ErrorList errors;
        Result<MigrationRepository> graphOnly = MigrationRepository::loadGraph(dir.path(), &errors);
        QVERIFY2(graphOnly, qPrintable(graphOnly.error().toString()));
        QVERIFY(!graphOnly->hasSql());
        QCOMPARE(graphOnly->graph().heads(), QStringList { QStringLiteral("ccc333") });
        for (const Revision& r : graphOnly->graph().revisions())
            QVERIFY(!r.sqlLoaded);
        // ... but asking for the SQL reports every broken file at file:line,
        const Result<bool> filled = graphOnly.value().ensureSql(&errors);
        QVERIFY(!filled);
        QStringList found;
        for (const Error& e : std::as_const(errors))
            found.append(QStringLiteral("%1:%2: %3")
                             .arg(QFileInfo(e.file).fileName(), QString::number(e.line), e.message));
        QCOMPARE(found.size(), 2);
        QVERIFY2(found.at(0).startsWith(QLatin1String("0002_b.sql:6: unterminated quoted string")),
            qPrintable(found.at(0)));
        QVERIFY2(found.at(1).startsWith(QLatin1String("0003_c.sql:8: psql meta-command \\echo")),
            qPrintable(found.at(1)));
        // as load() does in one pass.
        ErrorList loadErrors;
        QVERIFY(!MigrationRepository::load(dir.path(), &loadErrors));
        QCOMPARE(loadErrors.size(), 2);
        QCOMPARE(loadErrors.at(0).toString(), errors.at(0).toString());
        QCOMPARE(loadErrors.at(1).toString(), errors.at(1).toString());

        // Fixed, ensureSql gives exactly what load() gives.
        write(QStringLiteral("0002_b.sql"),
            QStringLiteral("-- revision: bbb222\n-- down_revision: aaa111\n-- message: b\n\n-- +upgrade\n"
                           "SELECT 'fine';\n"));
        write(QStringLiteral("0003_c.sql"),
            QStringLiteral("-- revision: ccc333\n-- down_revision: bbb222\n-- message: c\n\n-- +upgrade\n"
                           "SELECT 1;\nSELECT 2;\n-- +downgrade\nSELECT 3;\n"));
        Result<MigrationRepository> later = MigrationRepository::loadGraph(dir.path());
        QVERIFY(later);
        QVERIFY(later.value().ensureSql().ok());
        QVERIFY(later->hasSql());
        const Result<MigrationRepository> atOnce = MigrationRepository::load(dir.path());
        QVERIFY(atOnce);
        QVERIFY(atOnce->hasSql());
        QCOMPARE(later->graph().size(), 3);
        for (const Revision& r : later->graph().revisions()) {
            const Revision& expected = atOnce->graph().revision(r.id);
            QVERIFY(r.sqlLoaded);
            QVERIFY(r.fileText.isEmpty());
            QCOMPARE(describe(r.upgrade.statements), describe(expected.upgrade.statements));
            QCOMPARE(describe(r.downgrade.statements), describe(expected.downgrade.statements));
        }
        QCOMPARE(later->graph().revision(QStringLiteral("ccc333")).upgrade.statements.size(), 2);
        QVERIFY(MigrationValidator::validate(later->graph().revisions()).isEmpty());
    }

    // -------------------------------------------------------- validation

    void validate_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("expected"); // "line:column: message fragment"

        QTest::newRow("valid") << QString(
            kHeader + QStringLiteral("-- +upgrade\nCREATE TABLE t (id int);\n-- +downgrade\nDROP TABLE t;\n"))
                               << QStringList();
        QTest::newRow("syntax errors at file line:column")
            << QString(kHeader + QStringLiteral("\n-- +upgrade\nCREATE TABLE t (id int);\n-- ") + kSmile
                   + QStringLiteral(" emoji\nINSERT INTO t\n  VALUES ('") + kSmile
                   + QStringLiteral("', 1) RETURNIN id;\n\n-- +downgrade\nDROP TABLE t t;\n"))
            << QStringList { QStringLiteral(
                                 "9:20: syntax error at or near \"RETURNIN\" (in upgrade section)"),
                   QStringLiteral("12:14: syntax error at or near \"t\" (in downgrade section)") };
        QTest::newRow("syntax error at a multibyte string")
            << QString(kHeader + QStringLiteral("-- +upgrade\nCREATE TABLE t (\n  id int,\n  '") + kE
                   + QStringLiteral("'"))
            << QStringList { QStringLiteral("7:3: syntax error at or near \"'") + kE
                   + QStringLiteral("'\" (in upgrade section)") };
        QTest::newRow("concurrently needs transactional false")
            << QString(kHeader
                   + QStringLiteral(
                       "\n-- +upgrade\n  CREATE INDEX CONCURRENTLY ix ON t (id);\n-- +downgrade\nDROP INDEX "
                       "CONCURRENTLY ix;\n"))
            << QStringList {
                   QStringLiteral(
                       "6:3: CREATE INDEX CONCURRENTLY cannot run inside a transaction block: declare "
                       "'-- transactional: false' in the header of revision aaa111"),
                   QStringLiteral(
                       "8:1: DROP INDEX CONCURRENTLY cannot run inside a transaction block: declare "
                       "'-- transactional: false' in the header of revision aaa111")
               };
        QTest::newRow("concurrently with transactional false") << QString(kHeader
            + QStringLiteral(
                "-- transactional: false\n\n-- +upgrade\nCREATE INDEX CONCURRENTLY ix ON t (id);\n"
                "VACUUM t;\n-- +downgrade\nDROP INDEX CONCURRENTLY ix;\n"))
                                                               << QStringList();
        QTest::newRow("vacuum in a transactional revision")
            << QString(kHeader + QStringLiteral("-- +upgrade\nVACUUM (ANALYZE) t;\n"))
            << QStringList { QStringLiteral("5:1: VACUUM cannot run inside a transaction block") };
        QTest::newRow("transactional true is the default")
            << QString(kHeader + QStringLiteral("-- transactional: true\n-- +upgrade\nCREATE DATABASE x;\n"))
            << QStringList { QStringLiteral("6:1: CREATE DATABASE cannot run inside a transaction block") };
        QTest::newRow("transaction control")
            << QString(
                   kHeader + QStringLiteral("\n-- +upgrade\nBEGIN;\nCREATE TABLE t (id int);\n  COMMIT;\n"))
            << QStringList { QStringLiteral("6:1: transaction control statement 'BEGIN' in a migration"),
                   QStringLiteral("8:3: transaction control statement 'COMMIT' in a migration") };
        QTest::newRow("transaction control in a non-transactional revision")
            << QString(kHeader
                   + QStringLiteral(
                       "-- transactional: false\n-- +upgrade\nSTART TRANSACTION;\nSAVEPOINT a;\n"))
            << QStringList { QStringLiteral(
                                 "6:1: transaction control statement 'START TRANSACTION' in a migration"),
                   QStringLiteral("7:1: transaction control statement 'SAVEPOINT a' in a migration") };
        QTest::newRow("BEGIN ATOMIC function is not transaction control") << QString(kHeader
            + QStringLiteral("-- +upgrade\nCREATE FUNCTION f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n"
                             "  SELECT CASE WHEN true THEN 1 END;\nEND;\n"))
                                                                          << QStringList();
        QTest::newRow("no-parse lets an unparsable statement through") << QString(
            kHeader + QStringLiteral("-- +upgrade\n-- dbops: no-parse\nCREATE FANCY THING 9.9;\nSELECT 1;\n"))
                                                                       << QStringList();
        QTest::newRow("no-parse covers the next statement only")
            << QString(kHeader
                   + QStringLiteral(
                       "-- +upgrade\n-- dbops: no-parse\nCREATE FANCY THING;\nCREATE FANCY OTHER;\n"))
            << QStringList { QStringLiteral("7:8: syntax error at or near \"FANCY\" (in upgrade section)") };
        QTest::newRow("without no-parse the statement is an error")
            << QString(kHeader + QStringLiteral("-- +upgrade\n-- not a directive\nCREATE FANCY THING;\n"))
            << QStringList { QStringLiteral("6:8: syntax error at or near \"FANCY\" (in upgrade section)") };
        // no-parse skips the syntax check only: the scanner's tokens still
        // tell transaction control and what cannot run in a transaction.
        QTest::newRow("no-parse keeps the transaction checks")
            << QString(kHeader
                   + QStringLiteral(
                       "-- +upgrade\n-- dbops: no-parse\nCREATE INDEX CONCURRENTLY ix ON t (a);\n"))
            << QStringList { QStringLiteral(
                   "6:1: CREATE INDEX CONCURRENTLY cannot run inside a transaction block: declare "
                   "'-- transactional: false' in the header of revision aaa111") };
        QTest::newRow("no-parse does not let transaction control through")
            << QString(kHeader
                   + QStringLiteral("-- +upgrade\n-- dbops: no-parse\nBEGIN;\nCREATE TABLE t (id int);\n"
                                    "-- dbops: no-parse\n  COMMIT;\n"))
            << QStringList { QStringLiteral("6:1: transaction control statement 'BEGIN' in a migration"),
                   QStringLiteral("9:3: transaction control statement 'COMMIT' in a migration") };
        QTest::newRow("no-parse statement for a newer server that cannot run in a transaction")
            << QString(kHeader
                   + QStringLiteral("-- +upgrade\n-- dbops: no-parse\nVACUUM (FANCY) t WITH NEW SYNTAX;\n"
                                    "-- dbops: no-parse\nCREATE DATABASE x WITH NEWER;\n"))
            << QStringList { QStringLiteral("6:1: VACUUM cannot run inside a transaction block"),
                   QStringLiteral("8:1: CREATE DATABASE cannot run inside a transaction block") };
        QTest::newRow("no-parse in a transactional: false revision") << QString(kHeader
            + QStringLiteral("-- transactional: false\n-- +upgrade\n-- dbops: no-parse\n"
                             "CREATE INDEX CONCURRENTLY ix ON t (a) WITH NEW SYNTAX;\n"))
                                                                     << QStringList();

        // standard_conforming_strings stays on: dbops reads strings the way
        // PostgreSQL's scanner does by default.
        QTest::newRow("SET standard_conforming_strings = off")
            << QString(kHeader
                   + QStringLiteral("-- +upgrade\nSET standard_conforming_strings = off;\nSELECT 1;\n"
                                    "-- +downgrade\n  set local standard_conforming_strings to false;\n"))
            << QStringList { QStringLiteral(
                                 "5:1: 'SET standard_conforming_strings = off': turning "
                                 "standard_conforming_strings off is not supported in migrations: dbops "
                                 "splits statements with PostgreSQL's scanner in its default mode "
                                 "(standard_conforming_strings on)"),
                   QStringLiteral("8:3: 'set local standard_conforming_strings to false': turning") };
        QTest::newRow("SET SESSION standard_conforming_strings in a no-parse statement")
            << QString(kHeader
                   + QStringLiteral(
                       "-- +upgrade\n-- dbops: no-parse\nSET SESSION standard_conforming_strings = 0;\n"))
            << QStringList { QStringLiteral("6:1: 'SET SESSION standard_conforming_strings = 0': turning") };
        QTest::newRow("SET standard_conforming_strings = on") << QString(kHeader
            + QStringLiteral("-- +upgrade\nSET standard_conforming_strings = on;\nRESET "
                             "standard_conforming_strings;\nSELECT E'a\\\\b';\n"))
                                                              << QStringList();
    }
    void validate()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, expected);
        const Revision r = parseOrFail(text, QStringLiteral("versions/v.sql"));
        const ErrorList errors = MigrationValidator::validate(r);
        const QStringList actual = describe(errors);
        QVERIFY2(actual.size() == expected.size(), qPrintable(actual.join(QStringLiteral("\n"))));
        for (int i = 0; i < actual.size(); ++i) {
            QVERIFY2(actual.at(i).startsWith(expected.at(i)),
                qPrintable(actual.at(i) + QStringLiteral("\n  expected: ") + expected.at(i)));
            QCOMPARE(errors.at(i).file, QStringLiteral("versions/v.sql"));
            QCOMPARE(errors.at(i).kind, Error::Kind::Input);
        }
    }

    void validateList()
    {
        const Revision a
            = parseOrFail(kHeader + QStringLiteral("-- +upgrade\nBEGIN;\n"), QStringLiteral("a.sql"));
        const Revision b = parseOrFail(
            QStringLiteral(
                "-- revision: bbb222\n-- down_revision: aaa111\n-- message: m\n-- +upgrade\nSELEC 1;\n"),
            QStringLiteral("b.sql"));
        const ErrorList errors = MigrationValidator::validate(RevisionList { a, b });
        QCOMPARE(errors.size(), 2);
        QCOMPARE(errors.at(0).toString().left(10), QStringLiteral("a.sql:5:1:"));
        QCOMPARE(errors.at(1).toString(),
            QStringLiteral("b.sql:5:1: syntax error at or near \"SELEC\" (in upgrade section)"));
    }
};

QTEST_GUILESS_MAIN(TestMigrationFile)
#include "tst_migrationfile.moc"
