#include "sql/SqlParser.h"

#include <QtTest>

using namespace dbops;

namespace {

// "line:column@offset|text", with '*' after the offset for a no-parse statement.
QString describe(const SqlStatement& s)
{
    return QStringLiteral("%1:%2@%3%4|%5")
        .arg(QString::number(s.line), QString::number(s.column), QString::number(s.offset),
            s.noParse ? QStringLiteral("*") : QString(), s.text);
}

QStringList describe(const SqlStatementList& statements)
{
    QStringList out;
    for (const SqlStatement& s : statements)
        out.append(describe(s));
    return out;
}

QString kindName(SqlTokenKind kind)
{
    switch (kind) {
    case SqlTokenKind::Keyword:
        return QStringLiteral("kw");
    case SqlTokenKind::Identifier:
        return QStringLiteral("id");
    case SqlTokenKind::QuotedIdentifier:
        return QStringLiteral("qid");
    case SqlTokenKind::String:
        return QStringLiteral("str");
    case SqlTokenKind::Number:
        return QStringLiteral("num");
    case SqlTokenKind::Comment:
        return QStringLiteral("cmt");
    case SqlTokenKind::Operator:
        return QStringLiteral("op");
    case SqlTokenKind::Punctuation:
        return QStringLiteral("punct");
    case SqlTokenKind::Parameter:
        return QStringLiteral("param");
    case SqlTokenKind::Other:
        return QStringLiteral("other");
    }
    return QStringLiteral("?");
}

// "kind:start+length" for each token.
QStringList describe(const SqlTokenList& tokens)
{
    QStringList out;
    for (const SqlToken& t : tokens)
        out.append(QStringLiteral("%1:%2+%3")
                       .arg(kindName(t.kind), QString::number(t.start), QString::number(t.length)));
    return out;
}

const QString kE = QStringLiteral("\u00e9"); // é: 2 UTF-8 bytes, 1 QChar
const QString kSmile = QStringLiteral("\U0001F600"); // 😀: 4 UTF-8 bytes, 2 QChars (a surrogate pair)

void addSplitRow(const char* name, const QString& sql, int firstLine, const QStringList& expected)
{
    QTest::newRow(name) << sql << firstLine << expected << 0 << 0 << QString();
}

void addSplitError(
    const char* name, const QString& sql, int firstLine, int line, int column, const QString& fragment)
{
    QTest::newRow(name) << sql << firstLine << QStringList() << line << column << fragment;
}

} // namespace

class TestSqlParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // ---------------------------------------------------------------- split

    void split_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<int>("firstLine");
        QTest::addColumn<QStringList>("expected"); // describe() of each statement
        QTest::addColumn<int>("errorLine"); // 0: no error expected
        QTest::addColumn<int>("errorColumn");
        QTest::addColumn<QString>("errorFragment");

        addSplitRow("simple", QStringLiteral("SELECT 1;\nSELECT 2;\n"), 1,
            { QStringLiteral("1:1@0|SELECT 1"), QStringLiteral("2:1@10|SELECT 2") });
        addSplitRow("no trailing semicolon", QStringLiteral("SELECT 1;\nSELECT 2"), 1,
            { QStringLiteral("1:1@0|SELECT 1"), QStringLiteral("2:1@10|SELECT 2") });
        addSplitRow("trailing comment, no semicolon", QStringLiteral("SELECT 1 -- done; really"), 1,
            { QStringLiteral("1:1@0|SELECT 1") });
        addSplitRow("comment before the semicolon", QStringLiteral("SELECT 1 /* x */ ;"), 1,
            { QStringLiteral("1:1@0|SELECT 1") });
        addSplitRow("empty statements", QStringLiteral(";;SELECT 1;;\n;  ;SELECT 2;;"), 1,
            { QStringLiteral("1:3@2|SELECT 1"), QStringLiteral("2:5@17|SELECT 2") });
        addSplitRow("only semicolons", QStringLiteral(";\n;;\n"), 1, {});
        addSplitRow("empty text", QString(), 1, {});
        addSplitRow("only comments and whitespace",
            QStringLiteral("  -- nothing here;\n/* nor ; here */\n\n"), 1, {});
        addSplitRow("leading whitespace and comments",
            QStringLiteral("\n\n   -- first\n\t/* c */  SELECT 1;"), 1,
            { QStringLiteral("4:11@24|SELECT 1") });

        // Quoting.
        addSplitRow("dollar quote", QStringLiteral("SELECT $$a;b$$;\nSELECT 2;"), 1,
            { QStringLiteral("1:1@0|SELECT $$a;b$$"), QStringLiteral("2:1@16|SELECT 2") });
        addSplitRow("tagged dollar quote with nested $$",
            QStringLiteral("DO $body$\nBEGIN\n  PERFORM $$x;y$$;\nEND;\n$body$;\nSELECT 2;"), 1,
            { QStringLiteral("1:1@0|DO $body$\nBEGIN\n  PERFORM $$x;y$$;\nEND;\n$body$"),
                QStringLiteral("6:1@48|SELECT 2") });
        addSplitRow("dollar quote tag is not a parameter",
            QStringLiteral("SELECT $a$ $1; $b$ $a$, $1;SELECT 2"), 1,
            { QStringLiteral("1:1@0|SELECT $a$ $1; $b$ $a$, $1"), QStringLiteral("1:28@27|SELECT 2") });
        addSplitRow("E string with escaped quote", QStringLiteral("SELECT E'it\\'s; a \\\\; b';\nSELECT 2;"),
            1, { QStringLiteral("1:1@0|SELECT E'it\\'s; a \\\\; b'"), QStringLiteral("2:1@26|SELECT 2") });
        addSplitRow("E string ending in an escaped backslash",
            QStringLiteral("SELECT E'a\\\\', 'b;c';\nSELECT 2;"), 1,
            { QStringLiteral("1:1@0|SELECT E'a\\\\', 'b;c'"), QStringLiteral("2:1@22|SELECT 2") });
        addSplitRow("standard strings: '' escape, backslash is plain",
            QStringLiteral("SELECT 'it''s;';\nSELECT 'a\\';\nSELECT 3;"), 1,
            { QStringLiteral("1:1@0|SELECT 'it''s;'"), QStringLiteral("2:1@17|SELECT 'a\\'"),
                QStringLiteral("3:1@30|SELECT 3") });
        addSplitRow("string continued over a newline", QStringLiteral("SELECT 'a;'\n'b;';SELECT 2"), 1,
            { QStringLiteral("1:1@0|SELECT 'a;'\n'b;'"), QStringLiteral("2:6@17|SELECT 2") });
        addSplitRow("quoted identifier with ; and \"\"",
            QStringLiteral("CREATE TABLE \"we;ird\"\"name\" (id int);\nSELECT 2;"), 1,
            { QStringLiteral("1:1@0|CREATE TABLE \"we;ird\"\"name\" (id int)"),
                QStringLiteral("2:1@38|SELECT 2") });
        addSplitRow("unicode escapes", QStringLiteral("SELECT U&'d\\0061;t', U&\"a;b\";\nSELECT U&'x'"), 1,
            { QStringLiteral("1:1@0|SELECT U&'d\\0061;t', U&\"a;b\""),
                QStringLiteral("2:1@30|SELECT U&'x'") });

        // Comments.
        addSplitRow("nested block comments",
            QStringLiteral("/* outer /* inner; */ still; */ SELECT 1; /* x; */ SELECT 2;"), 1,
            { QStringLiteral("1:33@32|SELECT 1"), QStringLiteral("1:52@51|SELECT 2") });
        addSplitRow("line comments with semicolons",
            QStringLiteral("SELECT 1 -- not; the end\n, 2;\n-- SELECT 3;\nSELECT 4;"), 1,
            { QStringLiteral("1:1@0|SELECT 1 -- not; the end\n, 2"), QStringLiteral("4:1@43|SELECT 4") });
        addSplitRow("comment-only piece between statements",
            QStringLiteral("SELECT 1;\n-- just a note;\n;\nSELECT 2;"), 1,
            { QStringLiteral("1:1@0|SELECT 1"), QStringLiteral("4:1@28|SELECT 2") });

        // BEGIN ATOMIC bodies.
        addSplitRow("BEGIN ATOMIC body kept whole",
            QStringLiteral("CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql\n"
                           "BEGIN ATOMIC\n"
                           "  SELECT a + 1;\n"
                           "  SELECT CASE WHEN a > 0 THEN 1 ELSE 2 END;\n"
                           "END;\n"
                           "SELECT 2;"),
            1,
            { QStringLiteral(
                  "1:1@0|CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT a + 1;\n"
                  "  SELECT CASE WHEN a > 0 THEN 1 ELSE 2 END;\nEND"),
                QStringLiteral("6:1@128|SELECT 2") });
        addSplitRow("BEGIN ATOMIC with nested CASE and no trailing semicolon",
            QStringLiteral("SELECT 0;\nCREATE PROCEDURE p() LANGUAGE sql BEGIN /* c */ ATOMIC "
                           "INSERT INTO t VALUES (CASE WHEN true THEN CASE WHEN false THEN 1 END END); "
                           "UPDATE t SET a = 1; END"),
            3,
            { QStringLiteral("3:1@0|SELECT 0"),
                QStringLiteral("4:1@10|CREATE PROCEDURE p() LANGUAGE sql BEGIN /* c */ ATOMIC "
                               "INSERT INTO t VALUES (CASE WHEN true THEN CASE WHEN false THEN 1 END END); "
                               "UPDATE t SET a = 1; END") });
        addSplitRow("two BEGIN ATOMIC functions",
            QStringLiteral(
                "CREATE FUNCTION a() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END;"
                "CREATE FUNCTION b() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 2; SELECT 3; END;"),
            1,
            { QStringLiteral("1:1@0|CREATE FUNCTION a() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END"),
                QStringLiteral("1:73@72|CREATE FUNCTION b() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 2; "
                               "SELECT 3; END") });
        addSplitRow("plpgsql body is not atomic",
            QStringLiteral("CREATE FUNCTION g() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                           "BEGIN\n"
                           "  NEW.x := 1;\n"
                           "  RETURN NEW;\n"
                           "END;\n"
                           "$$;\n"
                           "CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW EXECUTE FUNCTION g();"),
            1,
            { QStringLiteral(
                  "1:1@0|CREATE FUNCTION g() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  NEW.x := 1;\n"
                  "  RETURN NEW;\nEND;\n$$"),
                QStringLiteral(
                    "7:1@102|CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW EXECUTE FUNCTION g()") });
        addSplitRow("transaction BEGIN ... END is not atomic",
            QStringLiteral("BEGIN;\nSELECT 1;\nEND;\nSELECT 2;"), 1,
            { QStringLiteral("1:1@0|BEGIN"), QStringLiteral("2:1@7|SELECT 1"), QStringLiteral("3:1@17|END"),
                QStringLiteral("4:1@22|SELECT 2") });
        addSplitRow("statements without keywords are kept", QStringLiteral("SELEC 1;\nfoo;\n-- c\nbar baz"),
            1,
            { QStringLiteral("1:1@0|SELEC 1"), QStringLiteral("2:1@9|foo"),
                QStringLiteral("4:1@19|bar baz") });
        addSplitRow("rule actions in parentheses",
            QStringLiteral("CREATE RULE r AS ON INSERT TO t DO INSTEAD (INSERT INTO a VALUES (1); INSERT "
                           "INTO b VALUES (2));\n"
                           "SELECT 2;"),
            1,
            { QStringLiteral(
                  "1:1@0|CREATE RULE r AS ON INSERT TO t DO INSTEAD (INSERT INTO a VALUES (1); INSERT INTO b "
                  "VALUES (2))"),
                QStringLiteral("2:1@97|SELECT 2") });
        addSplitRow("stray closing parenthesis", QStringLiteral("SELECT 1);\nSELECT (2);"), 1,
            { QStringLiteral("1:1@0|SELECT 1)"), QStringLiteral("2:1@11|SELECT (2)") });
        addSplitRow("CASE outside an atomic body",
            QStringLiteral("SELECT CASE WHEN true THEN 1 END;\nSELECT 2;"), 1,
            { QStringLiteral("1:1@0|SELECT CASE WHEN true THEN 1 END"), QStringLiteral("2:1@34|SELECT 2") });

        // Line endings, non-ASCII text and positions.
        addSplitRow("CRLF", QStringLiteral("SELECT 1;\r\nSELECT\r\n  2;\r\n\r\n"), 1,
            { QStringLiteral("1:1@0|SELECT 1"), QStringLiteral("2:1@11|SELECT\r\n  2") });
        addSplitRow("multibyte and surrogate pairs before statements",
            QStringLiteral("-- caf") + kE + QLatin1Char(' ') + kSmile + QStringLiteral("\nSELECT '") + kE
                + QStringLiteral("';\n/* ") + kSmile + QStringLiteral(" */ SELECT 2;"),
            1,
            { QStringLiteral("2:1@11|SELECT '") + kE + QLatin1Char('\''),
                QStringLiteral("3:10@32|SELECT 2") });
        addSplitRow("surrogate pairs inside statements",
            kSmile + QStringLiteral(";SELECT '") + kSmile + kSmile + QStringLiteral("' AS \"") + kSmile
                + QStringLiteral("\";SELECT 3"),
            1,
            { QStringLiteral("1:1@0|") + kSmile,
                QStringLiteral("1:4@3|SELECT '") + kSmile + kSmile + QStringLiteral("' AS \"") + kSmile
                    + QLatin1Char('"'),
                QStringLiteral("1:26@25|SELECT 3") });
        addSplitRow("firstLine offset", QStringLiteral("\n\nSELECT 1;\n  SELECT 2;"), 10,
            { QStringLiteral("12:1@2|SELECT 1"), QStringLiteral("13:3@14|SELECT 2") });

        // -- dbops: no-parse
        addSplitRow("no-parse applies to the next statement only",
            QStringLiteral("-- dbops: no-parse\nSELEC broken;\nSELECT 2;\n--DBOPS:no-parse   \nSELECT 3;"), 1,
            { QStringLiteral("2:1@19*|SELEC broken"), QStringLiteral("3:1@33|SELECT 2"),
                QStringLiteral("5:1@63*|SELECT 3") });
        addSplitRow("no-parse after a statement on the same line",
            QStringLiteral("SELECT 1; -- dbops: no-parse\nSELECT 2;"), 1,
            { QStringLiteral("1:1@0|SELECT 1"), QStringLiteral("2:1@29*|SELECT 2") });
        addSplitRow("no-parse inside a statement does not count",
            QStringLiteral("SELECT 1 -- dbops: no-parse\n;\nSELECT 2;"), 1,
            { QStringLiteral("1:1@0|SELECT 1"), QStringLiteral("3:1@30|SELECT 2") });
        addSplitRow("no-parse with extra words is a plain comment",
            QStringLiteral("-- dbops: no-parse please\nSELECT 1;"), 1, { QStringLiteral("2:1@26|SELECT 1") });
        addSplitRow("no-parse in a block comment is a plain comment",
            QStringLiteral("/* dbops: no-parse */ SELECT 1;"), 1, { QStringLiteral("1:23@22|SELECT 1") });
        addSplitRow("no-parse before a BEGIN ATOMIC function",
            QStringLiteral("-- dbops: no-parse\nCREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC "
                           "SELECT 1; END;\n"
                           "SELECT 2;"),
            1,
            { QStringLiteral(
                  "2:1@19*|CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END"),
                QStringLiteral("3:1@92|SELECT 2") });

        // psql meta-commands.
        addSplitError("meta-command \\i", QStringLiteral("SELECT 1;\n\\i other.sql\nSELECT 2;"), 5, 6, 1,
            QStringLiteral("psql meta-command \\i is not supported"));
        addSplitError("meta-command \\set on the first line",
            QStringLiteral("\\set ON_ERROR_STOP on\nSELECT 1;"), 1, 1, 1,
            QStringLiteral("meta-command \\set is"));
        addSplitError("indented meta-command with CRLF",
            QStringLiteral("SELECT 1;\r\n  \\connect other\r\nSELECT 2;"), 1, 2, 3,
            QStringLiteral("meta-command \\connect is"));
        addSplitError("meta-command at the end of a CRLF line",
            QStringLiteral("SELECT 1;\r\n\\connect\r\nSELECT 2;"), 1, 2, 1,
            QStringLiteral("meta-command \\connect is"));
        addSplitError("meta-command after a statement", QStringLiteral("SELECT 1;\nSELECT 2 \\gset\n"), 1, 2,
            10, QStringLiteral("meta-command \\gset is"));
        addSplitError("meta-command after multibyte text",
            kSmile + QStringLiteral(" ;\n-- ") + kE + QStringLiteral("\n\\i x"), 1, 3, 1,
            QStringLiteral("meta-command \\i is"));
        addSplitError("meta-command before an unterminated string",
            QStringLiteral("SELECT 1;\n\\set x 1\nSELECT 'open;\n"), 1, 2, 1,
            QStringLiteral("meta-command \\set is"));
        addSplitRow("backslash at line start inside a string",
            QStringLiteral("SELECT 'a\n\\i not a command';\nSELECT E'\n\\\\set';"), 1,
            { QStringLiteral("1:1@0|SELECT 'a\n\\i not a command'"),
                QStringLiteral("3:1@29|SELECT E'\n\\\\set'") });
        addSplitRow("backslash at line start inside a dollar quote",
            QStringLiteral("SELECT $f$\n\\set x\n  \\i y $f$;"), 1,
            { QStringLiteral("1:1@0|SELECT $f$\n\\set x\n  \\i y $f$") });
        addSplitRow("backslash at line start inside comments",
            QStringLiteral("/*\n\\i x\n*/ SELECT 1; -- \\set y\n"), 1, { QStringLiteral("3:4@11|SELECT 1") });
        addSplitRow("backslash at line start inside a quoted identifier",
            QStringLiteral("SELECT 1 AS \"\n\\x\";"), 1, { QStringLiteral("1:1@0|SELECT 1 AS \"\n\\x\"") });

        // Scanner errors.
        addSplitError("unterminated string", QStringLiteral("SELECT 1;\nSELECT 'abc;\n"), 3, 4, 8,
            QStringLiteral("unterminated quoted string"));
        addSplitError("unterminated E string", QStringLiteral("SELECT E'abc\\';"), 1, 1, 8,
            QStringLiteral("unterminated quoted string"));
        addSplitError("unterminated dollar quote", QStringLiteral("SELECT 1;\n\nDO $x$ BEGIN $$ END $$;"), 1,
            3, 4, QStringLiteral("unterminated dollar-quoted string"));
        addSplitError("unterminated nested comment", QStringLiteral("SELECT 1;\n/* a /* b */\nSELECT 2;"), 1,
            2, 1, QStringLiteral("unterminated /* comment"));
        addSplitError("unterminated quoted identifier", QStringLiteral("SELECT \"abc;"), 1, 1, 8,
            QStringLiteral("unterminated quoted identifier"));
        addSplitError("unterminated comment after multibyte text",
            QStringLiteral("SELECT '") + kSmile + kE + QStringLiteral("', /* unterminated"), 1, 1, 15,
            QStringLiteral("unterminated /* comment"));
        addSplitError("unterminated string after multibyte lines",
            kSmile + kSmile + QStringLiteral(";\n") + kE + kE + kE + QStringLiteral(" 'x"), 7, 8, 5,
            QStringLiteral("unterminated quoted string"));
        addSplitError("NUL character",
            QStringLiteral("SELECT 1;\nSELECT 2") + QChar(0) + QStringLiteral(";\nDROP TABLE t;"), 1, 2, 9,
            QStringLiteral("NUL"));

        // After SET standard_conforming_strings = off the text means something
        // else to the server: the error names that SET, not what follows.
        addSplitError("backslash string after standard_conforming_strings off",
            QStringLiteral("SET standard_conforming_strings = off;\nINSERT INTO t VALUES ('x\\'y\\'z');"), 3,
            3, 1,
            QStringLiteral(
                "'SET standard_conforming_strings = off': turning standard_conforming_strings off"));
        addSplitError("unterminated string after SET LOCAL ... TO false",
            QStringLiteral("SELECT 1;\n  set local standard_conforming_strings to false;\nSELECT 'it\\'s';"),
            1, 2, 3, QStringLiteral("write E'...' strings"));
        addSplitError("meta-command after standard_conforming_strings on",
            QStringLiteral("SET standard_conforming_strings = on;\n\\i x.sql"), 1, 2, 1,
            QStringLiteral("psql meta-command \\i"));
        addSplitError("a SET after the error is no cause",
            QStringLiteral("\\i x.sql\nSET standard_conforming_strings = off;"), 1, 1, 1,
            QStringLiteral("psql meta-command"));
        addSplitRow("standard_conforming_strings off alone splits (the validator refuses it)",
            QStringLiteral("SET standard_conforming_strings = off;\nSELECT 'a\\b';"), 1,
            { QStringLiteral("1:1@0|SET standard_conforming_strings = off"),
                QStringLiteral("2:1@39|SELECT 'a\\b'") });
    }
    void split()
    {
        QFETCH(QString, sql);
        QFETCH(int, firstLine);
        QFETCH(QStringList, expected);
        QFETCH(int, errorLine);
        QFETCH(int, errorColumn);
        QFETCH(QString, errorFragment);

        const Result<SqlStatementList> result = SqlParser::split(sql, QStringLiteral("m.sql"), firstLine);
        if (errorLine) {
            QVERIFY2(!result,
                qPrintable(result ? describe(result.value()).join(QStringLiteral(" / ")) : QString()));
            QCOMPARE(result.error().file, QStringLiteral("m.sql"));
            QVERIFY2(result.error().message.contains(errorFragment), qPrintable(result.error().message));
            QCOMPARE(result.error().line, errorLine);
            QCOMPARE(result.error().column, errorColumn);
            return;
        }
        QVERIFY2(result, qPrintable(result.error().toString()));
        const QStringList actual = describe(result.value());
        if (actual != expected)
            qWarning().noquote() << "actual statements:" << actual;
        QCOMPARE(actual, expected);
        // Every statement is exactly the source text at its offset.
        for (const SqlStatement& s : result.value())
            QCOMPARE(sql.mid(s.offset, s.text.size()), s.text);
    }

    void scannerErrorMessages_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QString>("message");
        QTest::newRow("short tail kept") << QStringLiteral("SELECT 'ab")
                                         << QStringLiteral("unterminated quoted string at or near \"'ab\"");
        QTest::newRow("rest of the file cut at the line end")
            << QString(QStringLiteral("SELECT 'abc;\n") + QStringLiteral("SELECT 1;\n").repeated(100))
            << QStringLiteral("unterminated quoted string at or near \"'abc;...\"");
        QTest::newRow("long line cut at 40 characters")
            << QString(QStringLiteral("SELECT $$") + QString(60, QLatin1Char('x')))
            << QString(QStringLiteral("unterminated dollar-quoted string at or near \"$$")
                   + QString(38, QLatin1Char('x')) + QStringLiteral("...\""));
        QTest::newRow("no surrogate pair cut in half")
            << QString(QStringLiteral("SELECT /*") + QString(38, QLatin1Char('x')) + kSmile + kSmile)
            << QString(QStringLiteral("unterminated /* comment at or near \"/*")
                   + QString(38, QLatin1Char('x')) + QStringLiteral("...\""));
    }
    void scannerErrorMessages()
    {
        QFETCH(QString, sql);
        QFETCH(QString, message);
        const Result<SqlStatementList> result = SqlParser::split(sql);
        QVERIFY(!result);
        QCOMPARE(result.error().message, message);
        const std::optional<SqlSyntaxError> error = SqlParser::checkSyntax(sql);
        QVERIFY(error.has_value());
        QCOMPARE(error->message, message);
    }

    // ------------------------------------------------------------ locate

    void locate_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("position"); // 1-based
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        // The statement starts at 7:5 in its file.
        QTest::newRow("first character") << QStringLiteral("SELECT\n  1") << 1 << 7 << 5;
        QTest::newRow("same line") << QStringLiteral("SELECT\n  1") << 6 << 7 << 10;
        QTest::newRow("the newline itself") << QStringLiteral("SELECT\n  1") << 7 << 7 << 11;
        QTest::newRow("second line resets the column") << QStringLiteral("SELECT\n  1") << 10 << 8 << 3;
        QTest::newRow("CRLF") << QStringLiteral("SELECT\r\n  1") << 11 << 8 << 3;
        QTest::newRow("past the end is clamped") << QStringLiteral("SELECT\n  1") << 99 << 8 << 4;
        QTest::newRow("zero is the start") << QStringLiteral("SELECT\n  1") << 0 << 7 << 5;
    }
    void locate()
    {
        QFETCH(QString, text);
        QFETCH(int, position);
        QFETCH(int, line);
        QFETCH(int, column);
        SqlStatement s;
        s.text = text;
        s.line = 7;
        s.column = 5;
        int l = 0;
        int c = 0;
        s.locate(position, &l, &c);
        QCOMPARE(l, line);
        QCOMPARE(c, column);
    }

    // ------------------------------------------------------- checkSyntax

    void checkSyntax_data()
    {
        QTest::addColumn<QString>("statement");
        QTest::addColumn<int>("offset"); // -1: valid
        QTest::addColumn<QString>("message");

        QTest::newRow("select") << QStringLiteral("SELECT 1") << -1 << QString();
        QTest::newRow("create table")
            << QStringLiteral("CREATE TABLE t (id int PRIMARY KEY, name text NOT NULL)") << -1 << QString();
        QTest::newRow("atomic function") << QStringLiteral(
            "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT a; SELECT CASE WHEN a > 0 "
            "THEN 1 END; END") << -1 << QString();
        QTest::newRow("rule with several actions") << QStringLiteral(
            "CREATE RULE r AS ON INSERT TO t DO INSTEAD (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2))")
                                                   << -1 << QString();
        QTest::newRow("plpgsql function")
            << QStringLiteral("CREATE FUNCTION g() RETURNS void LANGUAGE plpgsql AS $$ BEGIN NULL; END $$")
            << -1 << QString();
        QTest::newRow("multibyte literal") << QString(
            QStringLiteral("SELECT '") + kSmile + QStringLiteral("' AS \"") + kE + QStringLiteral("\""))
                                           << -1 << QString();
        QTest::newRow("misspelt keyword")
            << QStringLiteral("SELEC 1") << 0 << QStringLiteral("syntax error at or near \"SELEC\"");
        QTest::newRow("after a multibyte literal")
            << QString(QStringLiteral("SELECT '") + kE + QStringLiteral("' FROMM t")) << 17
            << QStringLiteral("syntax error at or near \"t\"");
        QTest::newRow("after a surrogate pair")
            << QString(QStringLiteral("SELECT '") + kSmile + QStringLiteral("' FROM WHERE")) << 17
            << QStringLiteral("syntax error at or near \"WHERE\"");
        QTest::newRow("after a quoted multibyte identifier")
            << QString(QStringLiteral("SELECT * FROM \"tbl") + kE + QStringLiteral("\" WHEER x = 1")) << 27
            << QStringLiteral("syntax error at or near \"x\"");
        QTest::newRow("end of input")
            << QStringLiteral("SELECT 1 FROM") << 13 << QStringLiteral("syntax error at end of input");
        QTest::newRow("identifier of multibyte characters")
            << QString(kSmile + kSmile + kE + QStringLiteral(" 1")) << 0
            << QString(
                   QStringLiteral("syntax error at or near \"") + kSmile + kSmile + kE + QLatin1Char('"'));
        QTest::newRow("end of input after a surrogate pair")
            << QString(QStringLiteral("SELECT '") + kSmile + QStringLiteral("' ||")) << 14
            << QStringLiteral("syntax error at end of input");
        QTest::newRow("trailing comma") << QStringLiteral("CREATE TABLE t (\n  id int,\n  name text,\n)")
                                        << 40 << QStringLiteral("syntax error at or near \")\"");
        QTest::newRow("unterminated string")
            << QString(QStringLiteral("SELECT '") + kSmile + QStringLiteral("', 'abc")) << 13
            << QStringLiteral("unterminated quoted string");
    }
    void checkSyntax()
    {
        QFETCH(QString, statement);
        QFETCH(int, offset);
        QFETCH(QString, message);
        const std::optional<SqlSyntaxError> error = SqlParser::checkSyntax(statement);
        if (offset < 0) {
            QVERIFY2(!error, qPrintable(error ? error->message : QString()));
            return;
        }
        QVERIFY(error.has_value());
        QVERIFY2(error->message.contains(message), qPrintable(error->message));
        QCOMPARE(error->offset, offset);
    }

    // Syntax errors of split statements map back to file line:column.
    void syntaxErrorLocation_data()
    {
        QTest::addColumn<QString>("section");
        QTest::addColumn<int>("firstLine");
        QTest::addColumn<int>("statementIndex");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("message");

        QTest::newRow("second statement, first line") << QStringLiteral("SELECT 1;\n  SELECT 2 FROMM t;") << 4
                                                      << 1 << 5 << 18 << QStringLiteral("\"t\"");
        QTest::newRow("error on a later line after emoji")
            << QString(QStringLiteral("-- ") + kSmile + QStringLiteral(" comment\nSELECT 1,\n  '") + kSmile
                   + kSmile + QStringLiteral("' AS smile,\n  2 3;"))
            << 7 << 0 << 10 << 5 << QStringLiteral("\"3\"");
        QTest::newRow("emoji on the error line")
            << QString(QStringLiteral("SELECT\n  '") + kSmile + kSmile + QStringLiteral("' x y;")) << 1 << 0
            << 2 << 12 << QStringLiteral("\"y\"");
        QTest::newRow("CRLF lines") << QStringLiteral("\r\nCREATE TABLE t (\r\n  id int,\r\n);") << 20 << 0
                                    << 23 << 1 << QStringLiteral("\")\"");
        QTest::newRow("end of input")
            << QString(QStringLiteral("SELECT 1;\nINSERT INTO t VALUES (\n  '") + kE + QStringLiteral("'"))
            << 1 << 1 << 3 << 6 << QStringLiteral("end of input");
    }
    void syntaxErrorLocation()
    {
        QFETCH(QString, section);
        QFETCH(int, firstLine);
        QFETCH(int, statementIndex);
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(QString, message);
        const Result<SqlStatementList> statements
            = SqlParser::split(section, QStringLiteral("f.sql"), firstLine);
        QVERIFY2(statements, qPrintable(statements.error().toString()));
        QVERIFY(statementIndex < statements->size());
        const SqlStatement& s = statements->at(statementIndex);
        const std::optional<SqlSyntaxError> error = SqlParser::checkSyntax(s.text);
        QVERIFY(error.has_value());
        QVERIFY2(error->message.contains(message), qPrintable(error->message));
        int l = 0;
        int c = 0;
        s.locate(error->offset + 1, &l, &c);
        QCOMPARE(QStringLiteral("%1:%2").arg(l).arg(c), QStringLiteral("%1:%2").arg(line).arg(column));
    }

    // ---------------------------------------------------------- classify

    void classify_data()
    {
        QTest::addColumn<QString>("statement");
        QTest::addColumn<bool>("parsed");
        QTest::addColumn<QString>("nodeType");
        QTest::addColumn<QString>("description");
        QTest::addColumn<bool>("noTransaction");
        QTest::addColumn<bool>("transactionControl");
        QTest::addColumn<bool>("strongLock");

        auto row = [](const char* name, const char* sql, const char* nodeType, const char* description,
                       bool noTx, bool txControl, bool strongLock) {
            QTest::newRow(name) << QString::fromUtf8(sql) << true << QString::fromUtf8(nodeType)
                                << QString::fromUtf8(description) << noTx << txControl << strongLock;
        };
        // Cannot run inside a transaction block.
        row("create index concurrently", "CREATE INDEX CONCURRENTLY ix ON t (a)", "IndexStmt",
            "CREATE INDEX CONCURRENTLY", true, false, false);
        row("create unique index concurrently", "create unique index concurrently if not exists ix on t (a)",
            "IndexStmt", "CREATE UNIQUE INDEX CONCURRENTLY", true, false, false);
        row("drop index concurrently", "DROP INDEX CONCURRENTLY IF EXISTS ix", "DropStmt",
            "DROP INDEX CONCURRENTLY", true, false, false);
        row("reindex concurrently", "REINDEX INDEX CONCURRENTLY ix", "ReindexStmt", "REINDEX CONCURRENTLY",
            true, false, false);
        row("reindex (concurrently)", "REINDEX (CONCURRENTLY) TABLE t", "ReindexStmt", "REINDEX CONCURRENTLY",
            true, false, false);
        row("reindex database", "REINDEX DATABASE app", "ReindexStmt", "REINDEX DATABASE", true, false,
            false);
        row("reindex system", "REINDEX SYSTEM app", "ReindexStmt", "REINDEX SYSTEM", true, false, false);
        row("vacuum", "VACUUM t", "VacuumStmt", "VACUUM", true, false, false);
        row("vacuum analyze", "VACUUM (ANALYZE, VERBOSE) t", "VacuumStmt", "VACUUM", true, false, false);
        row("vacuum full", "VACUUM FULL", "VacuumStmt", "VACUUM", true, false, false);
        row("create database", "CREATE DATABASE app2 TEMPLATE template0", "CreatedbStmt", "CREATE DATABASE",
            true, false, false);
        row("drop database", "DROP DATABASE IF EXISTS app2", "DropdbStmt", "DROP DATABASE", true, false,
            false);
        row("create tablespace", "CREATE TABLESPACE ts LOCATION '/srv/ts'", "CreateTableSpaceStmt",
            "CREATE TABLESPACE", true, false, false);
        row("drop tablespace", "DROP TABLESPACE ts", "DropTableSpaceStmt", "DROP TABLESPACE", true, false,
            false);
        row("alter system", "ALTER SYSTEM SET work_mem = '64MB'", "AlterSystemStmt", "ALTER SYSTEM", true,
            false, false);
        row("alter database set tablespace", "ALTER DATABASE app SET TABLESPACE ts", "AlterDatabaseStmt",
            "ALTER DATABASE ... SET TABLESPACE", true, false, false);
        row("detach partition concurrently", "ALTER TABLE p DETACH PARTITION p2024 CONCURRENTLY",
            "AlterTableStmt", "ALTER TABLE ... DETACH PARTITION CONCURRENTLY", true, false, false);
        row("cluster everything", "CLUSTER", "ClusterStmt", "CLUSTER", true, false, false);
        row("discard all", "DISCARD ALL", "DiscardStmt", "DISCARD", true, false, false);
        row("create subscription", "CREATE SUBSCRIPTION s CONNECTION 'dbname=x' PUBLICATION p",
            "CreateSubscriptionStmt", "CREATE SUBSCRIPTION", true, false, false);
        row("alter subscription refresh", "ALTER SUBSCRIPTION s REFRESH PUBLICATION", "AlterSubscriptionStmt",
            "ALTER SUBSCRIPTION ... REFRESH PUBLICATION", true, false, false);
        row("alter subscription add publication", "ALTER SUBSCRIPTION s ADD PUBLICATION p",
            "AlterSubscriptionStmt", "ALTER SUBSCRIPTION ... ADD PUBLICATION", true, false, false);
        row("alter subscription set publication, refresh on",
            "ALTER SUBSCRIPTION s SET PUBLICATION p WITH (refresh)", "AlterSubscriptionStmt",
            "ALTER SUBSCRIPTION ... SET PUBLICATION", true, false, false);

        // Transaction control.
        row("begin", "BEGIN", "TransactionStmt", "BEGIN", false, true, false);
        row("begin isolation level", "BEGIN ISOLATION LEVEL SERIALIZABLE", "TransactionStmt", "BEGIN", false,
            true, false);
        row("start transaction", "START TRANSACTION READ WRITE", "TransactionStmt", "START", false, true,
            false);
        row("commit", "COMMIT", "TransactionStmt", "COMMIT", false, true, false);
        row("commit and chain", "COMMIT AND CHAIN", "TransactionStmt", "COMMIT", false, true, false);
        row("end", "END", "TransactionStmt", "END", false, true, false);
        row("rollback", "ROLLBACK", "TransactionStmt", "ROLLBACK", false, true, false);
        row("abort", "abort", "TransactionStmt", "ABORT", false, true, false);
        row("savepoint", "SAVEPOINT s1", "TransactionStmt", "SAVEPOINT", false, true, false);
        row("release savepoint", "RELEASE SAVEPOINT s1", "TransactionStmt", "RELEASE", false, true, false);
        row("rollback to savepoint", "ROLLBACK TO SAVEPOINT s1", "TransactionStmt", "ROLLBACK", false, true,
            false);

        // Ordinary statements.
        row("create table", "CREATE TABLE t (id int)", "CreateStmt", "CREATE TABLE", false, false, false);
        row("create index", "CREATE INDEX ix ON t (a)", "IndexStmt", "CREATE INDEX", false, false, true);
        row("create unique index", "CREATE UNIQUE INDEX ix ON t (a)", "IndexStmt", "CREATE UNIQUE INDEX",
            false, false, true);
        row("insert", "INSERT INTO t VALUES (1)", "InsertStmt", "INSERT", false, false, false);
        row("update", "UPDATE t SET a = 1", "UpdateStmt", "UPDATE", false, false, false);
        row("create view", "CREATE VIEW v AS SELECT 1", "ViewStmt", "CREATE VIEW", false, false, false);
        row("analyze alone", "ANALYZE t", "VacuumStmt", "ANALYZE", false, false, false);
        row("analyze verbose", "ANALYZE VERBOSE", "VacuumStmt", "ANALYZE", false, false, false);
        row("alter subscription, refresh = false",
            "ALTER SUBSCRIPTION s SET PUBLICATION p WITH (refresh = false)", "AlterSubscriptionStmt",
            "ALTER SUBSCRIPTION", false, false, false);
        row("alter subscription, refresh off",
            "ALTER SUBSCRIPTION s DROP PUBLICATION p WITH (copy_data = true, refresh = off)",
            "AlterSubscriptionStmt", "ALTER SUBSCRIPTION", false, false, false);
        row("alter subscription enable", "ALTER SUBSCRIPTION s ENABLE", "AlterSubscriptionStmt",
            "ALTER SUBSCRIPTION", false, false, false);
        row("alter database set parameter", "ALTER DATABASE app SET work_mem = '1MB'", "AlterDatabaseSetStmt",
            "ALTER DATABASE", false, false, false);
        row("atomic function", "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END",
            "CreateFunctionStmt", "CREATE FUNCTION", false, false, false);
        row("do block with commit inside", "DO $$BEGIN COMMIT; END$$", "DoStmt", "DO", false, false, false);
        row("set transaction", "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE", "VariableSetStmt", "SET",
            false, false, false);
        row("create type", "CREATE TYPE mood AS ENUM ('sad', 'ok')", "CreateEnumStmt", "CREATE TYPE", false,
            false, false);
        row("alter type add value", "ALTER TYPE mood ADD VALUE 'happy'", "AlterEnumStmt", "ALTER TYPE", false,
            false, false);

        // Strong locks.
        row("alter table add column", "ALTER TABLE t ADD COLUMN c int", "AlterTableStmt", "ALTER TABLE",
            false, false, true);
        row("alter table detach partition", "ALTER TABLE p DETACH PARTITION p2024", "AlterTableStmt",
            "ALTER TABLE", false, false, true);
        row("drop table", "DROP TABLE t", "DropStmt", "DROP TABLE", false, false, true);
        row("drop index", "DROP INDEX ix", "DropStmt", "DROP INDEX", false, false, true);
        row("truncate", "TRUNCATE t", "TruncateStmt", "TRUNCATE", false, false, true);
        row("rename", "ALTER TABLE t RENAME TO u", "RenameStmt", "ALTER TABLE", false, false, true);
        row("lock", "LOCK TABLE t IN ACCESS EXCLUSIVE MODE", "LockStmt", "LOCK", false, false, true);
        row("reindex table", "REINDEX TABLE t", "ReindexStmt", "REINDEX", false, false, true);
        row("cluster one table", "CLUSTER t USING ix", "ClusterStmt", "CLUSTER", false, false, true);
        row("create trigger", "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()",
            "CreateTrigStmt", "CREATE TRIGGER", false, false, true);

        // Not parsed: nothing flagged, the description from the words.
        QTest::newRow("unparsable") << QStringLiteral("CREATE INDEX CONCURRENTLY ON") << false << QString()
                                    << QStringLiteral("CREATE INDEX") << false << false << false;
        QTest::newRow("empty") << QString() << false << QString() << QString() << false << false << false;
    }
    void classify()
    {
        QFETCH(QString, statement);
        QFETCH(bool, parsed);
        QFETCH(QString, nodeType);
        QFETCH(QString, description);
        QFETCH(bool, noTransaction);
        QFETCH(bool, transactionControl);
        QFETCH(bool, strongLock);
        const StatementTraits traits = SqlParser::classify(statement);
        QCOMPARE(traits.parsed, parsed);
        QCOMPARE(traits.nodeType, nodeType);
        QCOMPARE(traits.description, description);
        QCOMPARE(traits.cannotRunInTransaction, noTransaction);
        QCOMPARE(traits.isTransactionControl, transactionControl);
        QCOMPARE(traits.takesStrongLock, strongLock);
    }

    // classify names the table a statement creates or writes (the Alembic
    // bridge recognises version-table lines by it); analyze skips that parse.
    void targetRelation_data()
    {
        QTest::addColumn<QString>("statement");
        QTest::addColumn<QString>("relation");
        QTest::newRow("create table")
            << QStringLiteral("CREATE TABLE alembic_version (version_num varchar(32) NOT NULL)")
            << QStringLiteral("alembic_version");
        QTest::newRow("insert, schema-qualified") << QStringLiteral(
            "INSERT INTO ops.alembic_version (version_num) VALUES ('a1') RETURNING version_num")
                                                  << QStringLiteral("ops.alembic_version");
        QTest::newRow("update") << QStringLiteral(
            "UPDATE alembic_version SET version_num='b2' WHERE version_num = 'a1'")
                                << QStringLiteral("alembic_version");
        QTest::newRow("delete") << QStringLiteral("DELETE FROM alembic_version WHERE version_num = 'a1'")
                                << QStringLiteral("alembic_version");
        QTest::newRow("drop table") << QStringLiteral("DROP TABLE public.alembic_version")
                                    << QStringLiteral("public.alembic_version");
        QTest::newRow("select: none") << QStringLiteral("SELECT * FROM alembic_version") << QString();
        QTest::newRow("create index: none")
            << QStringLiteral("CREATE INDEX ix ON alembic_version (version_num)") << QString();
    }
    void targetRelation()
    {
        QFETCH(QString, statement);
        QFETCH(QString, relation);
        QCOMPARE(SqlParser::classify(statement).targetRelation, relation);
    }

    // analyze: one parse gives what checkSyntax and classify give separately.
    void analyze_data() { classify_data(); }
    void analyze()
    {
        QFETCH(QString, statement);
        const SqlParser::Analysis analysis = SqlParser::analyze(statement);
        const std::optional<SqlSyntaxError> syntax = SqlParser::checkSyntax(statement);
        QCOMPARE(analysis.syntaxError.has_value(), syntax.has_value());
        if (syntax) {
            QCOMPARE(analysis.syntaxError->message, syntax->message);
            QCOMPARE(analysis.syntaxError->offset, syntax->offset);
        }
        const StatementTraits traits = SqlParser::classify(statement);
        QCOMPARE(analysis.traits.parsed, traits.parsed);
        QCOMPARE(analysis.traits.nodeType, traits.nodeType);
        QCOMPARE(analysis.traits.description, traits.description);
        QCOMPARE(analysis.traits.cannotRunInTransaction, traits.cannotRunInTransaction);
        QCOMPARE(analysis.traits.isTransactionControl, traits.isTransactionControl);
        QCOMPARE(analysis.traits.takesStrongLock, traits.takesStrongLock);
    }
    void analyzeReportsTheSyntaxErrorPlace()
    {
        const SqlParser::Analysis analysis = SqlParser::analyze(QStringLiteral("SELECT 'ä' FROM WHERE"));
        QVERIFY(analysis.syntaxError);
        QCOMPARE(analysis.syntaxError->offset, 16); // "WHERE", in characters
        QVERIFY(!analysis.traits.parsed);
        QCOMPARE(analysis.traits.description, QStringLiteral("SELECT"));
    }

    // classifyTokens (a no-parse statement's class, from the scanner alone)
    // agrees with the parse tree on every statement the parser reads.
    void classifyTokens_data() { classify_data(); }
    void classifyTokens()
    {
        QFETCH(QString, statement);
        QFETCH(bool, parsed);
        QFETCH(QString, description);
        QFETCH(bool, noTransaction);
        QFETCH(bool, transactionControl);
        if (!parsed)
            return; // "CREATE INDEX CONCURRENTLY ON": the parser rejects it, the tokens say CONCURRENTLY
        const StatementTraits traits = SqlParser::classifyTokens(statement);
        QVERIFY(!traits.parsed);
        QVERIFY(traits.nodeType.isEmpty());
        QCOMPARE(traits.cannotRunInTransaction, noTransaction);
        QCOMPARE(traits.isTransactionControl, transactionControl);
        if (noTransaction || transactionControl)
            QCOMPARE(traits.description, description);
    }

    // ... and on statements written for a newer server, which it is for.
    void classifyTokensBeyondTheParser_data()
    {
        QTest::addColumn<QString>("statement");
        QTest::addColumn<bool>("noTransaction");
        QTest::addColumn<bool>("transactionControl");
        QTest::addColumn<QString>("description");
        auto row = [](const char* name, const char* sql, bool noTx, bool txControl, const char* description) {
            QTest::newRow(name) << QString::fromUtf8(sql) << noTx << txControl
                                << QString::fromUtf8(description);
        };
        row("begin, newer options", "BEGIN TRANSACTION WITH FANCY", false, true, "BEGIN");
        row("commit prepared", "COMMIT PREPARED 'x'", false, true, "COMMIT");
        row("prepare transaction", "PREPARE TRANSACTION 'x'", false, true, "PREPARE");
        row("start transaction", "start transaction fancy", false, true, "START");
        row("prepare a statement", "PREPARE q AS SELECT 1", false, false, "PREPARE");
        row("create index concurrently, newer clause",
            "CREATE INDEX CONCURRENTLY ix ON t (a) WITH SOMETHING NEW", true, false,
            "CREATE INDEX CONCURRENTLY");
        row("comments between the keywords", "CREATE /* c */ UNIQUE -- x\nINDEX CONCURRENTLY ix ON t (a) NEW",
            true, false, "CREATE UNIQUE INDEX CONCURRENTLY");
        row("a quoted identifier is no keyword", "CREATE INDEX \"concurrently\" ON t (a) NEW", false, false,
            "CREATE INDEX");
        row("drop index concurrently", "DROP INDEX CONCURRENTLY ix FANCY", true, false,
            "DROP INDEX CONCURRENTLY");
        row("reindex concurrently", "REINDEX TABLE CONCURRENTLY t FANCY", true, false,
            "REINDEX CONCURRENTLY");
        row("reindex (options) database", "REINDEX (FANCY) DATABASE app NEW", true, false,
            "REINDEX DATABASE");
        row("reindex table", "REINDEX TABLE t FANCY", false, false, "REINDEX");
        row("vacuum", "VACUUM t FANCY", true, false, "VACUUM");
        row("analyze", "ANALYZE t FANCY", false, false, "ANALYZE");
        row("create database", "CREATE DATABASE app2 WITH FANCY", true, false, "CREATE DATABASE");
        row("drop tablespace", "DROP TABLESPACE ts FANCY", true, false, "DROP TABLESPACE");
        row("create subscription", "CREATE SUBSCRIPTION s FANCY", true, false, "CREATE SUBSCRIPTION");
        row("alter system", "ALTER SYSTEM SET x TO FANCY NEW", true, false, "ALTER SYSTEM");
        row("cluster verbose", "CLUSTER VERBOSE", true, false, "CLUSTER");
        row("cluster (options)", "CLUSTER (VERBOSE)", true, false, "CLUSTER");
        row("cluster a table", "CLUSTER t FANCY", false, false, "CLUSTER");
        row("discard all", "DISCARD ALL", true, false, "DISCARD");
        row("discard plans", "DISCARD PLANS", false, false, "DISCARD");
        row("alter database with tablespace", "ALTER DATABASE app WITH TABLESPACE ts", true, false,
            "ALTER DATABASE ... SET TABLESPACE");
        row("alter database set a parameter", "ALTER DATABASE app SET work_mem = '1MB'", false, false,
            "ALTER DATABASE");
        row("detach partition concurrently", "ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY FANCY", true,
            false, "ALTER TABLE ... DETACH PARTITION CONCURRENTLY");
        row("detach partition finalize", "ALTER TABLE p DETACH PARTITION p1 FINALIZE", false, false,
            "ALTER TABLE");
        row("a subscription named refresh", "ALTER SUBSCRIPTION refresh REFRESH PUBLICATION", true, false,
            "ALTER SUBSCRIPTION ... REFRESH PUBLICATION");
        row("drop publication", "alter subscription s drop publication p", true, false,
            "ALTER SUBSCRIPTION ... DROP PUBLICATION");
        row("set publication, refresh = false",
            "ALTER SUBSCRIPTION s SET PUBLICATION p WITH (refresh = false, fancy)", false, false,
            "ALTER SUBSCRIPTION");
        row("add publication, refresh = 0", "ALTER SUBSCRIPTION s ADD PUBLICATION p WITH (refresh = 0)",
            false, false, "ALTER SUBSCRIPTION");
        row("add publication, refresh", "ALTER SUBSCRIPTION s ADD PUBLICATION p WITH (fancy, refresh)", true,
            false, "ALTER SUBSCRIPTION ... ADD PUBLICATION");
        row("keywords in a string", "SELECT 'BEGIN; VACUUM'", false, false, "SELECT");
        row("commit in a do block", "DO $$BEGIN COMMIT; END$$", false, false, "DO");
        row("begin atomic body", "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END",
            false, false, "CREATE FUNCTION");
        row("empty", "", false, false, "");
    }
    void classifyTokensBeyondTheParser()
    {
        QFETCH(QString, statement);
        QFETCH(bool, noTransaction);
        QFETCH(bool, transactionControl);
        QFETCH(QString, description);
        const StatementTraits traits = SqlParser::classifyTokens(statement);
        QCOMPARE(traits.cannotRunInTransaction, noTransaction);
        QCOMPARE(traits.isTransactionControl, transactionControl);
        QCOMPARE(traits.description, description);
    }

    // SET standard_conforming_strings to anything but on, from the parse tree
    // and from the tokens alike.
    void standardConformingStrings_data()
    {
        QTest::addColumn<QString>("statement");
        QTest::addColumn<bool>("turnsOff");
        auto row = [](const char* sql, bool turnsOff) {
            QTest::newRow(sql) << QString::fromUtf8(sql) << turnsOff;
        };
        row("SET standard_conforming_strings = off", true);
        row("SET standard_conforming_strings TO 'off'", true);
        row("set local standard_conforming_strings = false", true);
        row("SET SESSION standard_conforming_strings TO 0", true);
        row("SET \"Standard_Conforming_Strings\" = no", true);
        row("SET standard_conforming_strings = maybe", true);
        row("SET standard_conforming_strings = on, off", true);
        row("SET standard_conforming_strings = on", false);
        row("SET standard_conforming_strings = 'ON'", false);
        row("SET standard_conforming_strings TO true", false);
        row("SET LOCAL standard_conforming_strings = 1", false);
        row("SET standard_conforming_strings = yes", false);
        row("SET standard_conforming_strings TO DEFAULT", false);
        row("RESET standard_conforming_strings", false);
        row("SET escape_string_warning = off", false);
        row("SET search_path = standard_conforming_strings", false);
        row("SELECT set_config('standard_conforming_strings', 'off', false)", false);
        row("ALTER DATABASE app SET standard_conforming_strings = off", false);
    }
    void standardConformingStrings()
    {
        QFETCH(QString, statement);
        QFETCH(bool, turnsOff);
        QCOMPARE(SqlParser::classify(statement).turnsOffStandardConformingStrings, turnsOff);
        QCOMPARE(SqlParser::analyze(statement).traits.turnsOffStandardConformingStrings, turnsOff);
        QCOMPARE(SqlParser::classifyTokens(statement).turnsOffStandardConformingStrings, turnsOff);
    }

    // -------------------------------------------------------------- scan

    void scan_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QStringList>("expected");

        QTest::newRow("empty") << QString() << QStringList();
        QTest::newRow("kinds") << QStringLiteral("SELECT a, 'x' FROM \"T\" -- c\n/* d */ 42 1.5 $1")
                               << QStringList { QStringLiteral("kw:0+6"), QStringLiteral("id:7+1"),
                                      QStringLiteral("punct:8+1"), QStringLiteral("str:10+3"),
                                      QStringLiteral("kw:14+4"), QStringLiteral("qid:19+3"),
                                      QStringLiteral("cmt:23+4"), QStringLiteral("cmt:28+7"),
                                      QStringLiteral("num:36+2"), QStringLiteral("num:39+3"),
                                      QStringLiteral("param:43+2") };
        QTest::newRow("operators and punctuation")
            << QStringLiteral("a::int <> (b[1]).c;")
            << QStringList { QStringLiteral("id:0+1"), QStringLiteral("op:1+2"), QStringLiteral("kw:3+3"),
                   QStringLiteral("op:7+2"), QStringLiteral("punct:10+1"), QStringLiteral("id:11+1"),
                   QStringLiteral("punct:12+1"), QStringLiteral("num:13+1"), QStringLiteral("punct:14+1"),
                   QStringLiteral("punct:15+1"), QStringLiteral("punct:16+1"), QStringLiteral("id:17+1"),
                   QStringLiteral("punct:18+1") };
        QTest::newRow("string kinds")
            << QStringLiteral("E'a\\'b' B'101' X'1F' $t$ $$ $t$ 'a'\n'b'")
            << QStringList { QStringLiteral("str:0+7"), QStringLiteral("str:8+6"), QStringLiteral("str:15+5"),
                   QStringLiteral("str:21+10"), QStringLiteral("str:32+7") };
        QTest::newRow("unicode escapes")
            << QStringLiteral("SELECT U&'d\\0061t', U&\"a b\" x")
            << QStringList { QStringLiteral("kw:0+6"), QStringLiteral("str:7+11"),
                   QStringLiteral("punct:18+1"), QStringLiteral("qid:20+7"), QStringLiteral("id:28+1") };
        QTest::newRow("nested comment") << QStringLiteral(
            "/* a /* b */ c */1") << QStringList { QStringLiteral("cmt:0+17"), QStringLiteral("num:17+1") };
        QTest::newRow("multibyte offsets")
            << QString(QStringLiteral("SELECT '") + kE + kSmile + QStringLiteral("' AS x, \"") + kSmile
                   + QStringLiteral("\" -- ") + kSmile + QStringLiteral("\n1"))
            << QStringList { QStringLiteral("kw:0+6"), QStringLiteral("str:7+5"), QStringLiteral("kw:13+2"),
                   QStringLiteral("id:16+1"), QStringLiteral("punct:17+1"), QStringLiteral("qid:19+4"),
                   QStringLiteral("cmt:24+5"), QStringLiteral("num:30+1") };
        QTest::newRow("unterminated string tail")
            << QString(QStringLiteral("SELECT '") + kSmile + QStringLiteral("' || 'abc"))
            << QStringList { QStringLiteral("kw:0+6"), QStringLiteral("str:7+4"), QStringLiteral("op:12+2"),
                   QStringLiteral("str:15+4") };
        QTest::newRow("unterminated E string tail") << QStringLiteral(
            "SELECT E'ab\\'") << QStringList { QStringLiteral("kw:0+6"), QStringLiteral("str:7+6") };
        QTest::newRow("unterminated comment tail")
            << QString(kE + QStringLiteral(" 1 /* open /* */"))
            << QStringList { QStringLiteral("id:0+1"), QStringLiteral("num:2+1"),
                   QStringLiteral("cmt:4+13") };
        QTest::newRow("unterminated dollar quote tail")
            << QString(QStringLiteral("SELECT ") + kSmile + QStringLiteral(", $x$ abc $$"))
            << QStringList { QStringLiteral("kw:0+6"), QStringLiteral("id:7+2"), QStringLiteral("punct:9+1"),
                   QStringLiteral("str:11+10") };
        QTest::newRow("unterminated quoted identifier tail") << QStringLiteral(
            "SELECT \"ab") << QStringList { QStringLiteral("kw:0+6"), QStringLiteral("qid:7+3") };
        QTest::newRow("unterminated unicode string tail") << QStringLiteral(
            "SELECT U&'ab") << QStringList { QStringLiteral("kw:0+6"), QStringLiteral("str:7+5") };
        QTest::newRow("unterminated at the very end") << QStringLiteral(
            "SELECT '") << QStringList { QStringLiteral("kw:0+6"), QStringLiteral("str:7+1") };
    }
    void scan()
    {
        QFETCH(QString, sql);
        QFETCH(QStringList, expected);
        QCOMPARE(describe(SqlParser::scan(sql)), expected);
    }

    void scanStaysInBounds_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::newRow("lone high surrogate")
            << QString(QStringLiteral("SELECT ") + QChar(0xD800) + QStringLiteral(" 'abc"));
        QTest::newRow("lone low surrogate") << QString(QChar(0xDC00) + QStringLiteral("'x' \"y"));
        QTest::newRow("swapped surrogates")
            << QString(QStringLiteral("'") + QChar(0xDE00) + QChar(0xD83D) + QStringLiteral("' 1"));
        QTest::newRow("NUL inside") << QString(
            QStringLiteral("SELECT 'a") + QChar(0) + QStringLiteral("b' 1"));
        QTest::newRow("only an emoji") << kSmile;
        QTest::newRow("unterminated after emoji") << QString(kSmile + kSmile + QStringLiteral("$$"));
        QTest::newRow("backslashes") << QStringLiteral("\\i x\n\\\\ \\");
        QTest::newRow("zero-length identifier") << QStringLiteral("SELECT \"\" FROM t");
    }
    void scanStaysInBounds()
    {
        QFETCH(QString, sql);
        const SqlTokenList tokens = SqlParser::scan(sql);
        int previousEnd = 0;
        for (const SqlToken& t : tokens) {
            QVERIFY2(t.start >= previousEnd, qPrintable(describe(tokens).join(QLatin1Char(' '))));
            QVERIFY2(t.length > 0, qPrintable(describe(tokens).join(QLatin1Char(' '))));
            QVERIFY2(t.start + t.length <= sql.size(), qPrintable(describe(tokens).join(QLatin1Char(' '))));
            previousEnd = t.start + t.length;
        }
        // and the other entry points survive it too
        (void)SqlParser::split(sql);
        (void)SqlParser::checkSyntax(sql);
        (void)SqlParser::classify(sql);
    }
};

QTEST_GUILESS_MAIN(TestSqlParser)
#include "tst_sqlparser.moc"
