#include "alembic/AlembicEnvReader.h"
#include "alembic/AlembicIni.h"
#include "alembic/AlembicProject.h"
#include "alembic/AlembicScriptReader.h"
#include "migrations/MigrationRepository.h"

#include <QtTest>

using namespace dbops;

namespace {

QString dataDir()
{
    return QStringLiteral(DBOPS_TEST_DATA_DIR "/alembic");
}

// "file:line: message" with the file's name only, the form the CLI prints.
QStringList describe(const ErrorList& errors)
{
    QStringList out;
    for (const Error& e : errors)
        out.append(QStringLiteral("%1:%2: %3").arg(QFileInfo(e.file).fileName()).arg(e.line).arg(e.message));
    return out;
}

QStringList strings(std::initializer_list<const char*> texts)
{
    QStringList list;
    for (const char* text : texts)
        list.append(QString::fromUtf8(text));
    return list;
}

QString join(const QStringList& list)
{
    return list.join(QLatin1Char(','));
}

bool copyTree(const QString& from, const QString& to)
{
    QDir().mkpath(to);
    const QFileInfoList entries
        = QDir(from).entryInfoList(QDir::Files | QDir::Dirs | QDir::Hidden | QDir::NoDotAndDotDot);
    for (const QFileInfo& entry : entries) {
        const QString target = to + QLatin1Char('/') + entry.fileName();
        if (entry.isDir() ? !copyTree(entry.filePath(), target) : !QFile::copy(entry.filePath(), target))
            return false;
    }
    return true;
}

bool writeFile(const QString& path, const QByteArray& text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(text) == text.size();
}

} // namespace

class TestAlembicProject : public QObject
{
    Q_OBJECT

private slots:
    void literalForms_data();
    void literalForms();
    void docstring_data();
    void docstring();
    void scriptErrors_data();
    void scriptErrors();
    void revisionFileNames_data();
    void revisionFileNames();
    void iniValues_data();
    void iniValues();
    void iniVersionLocations_data();
    void iniVersionLocations();
    void iniErrors_data();
    void iniErrors();
    void recursiveProject();
    void flatProjectIgnoresSubdirectories();
    void scriptDirectoryFindsItsIni();
    void brokenProjectReportsEveryFile();
    void envVersionTable_data();
    void envVersionTable();
    void envVersionTableMustBeAnIdentifier_data();
    void envVersionTableMustBeAnIdentifier();
    void filesThatAreNotUtf8();
    void repositoryLoadsAlembicGraph();
    void looksLikeAlembicProject();
};

// ------------------------------------------------------------------ revision scripts

void TestAlembicProject::literalForms_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("down");
    QTest::addColumn<QString>("labels");
    QTest::addColumn<QString>("depends");
    QTest::addColumn<int>("downLine");

    QTest::newRow("single quotes, None") << "revision = 'r1'\ndown_revision = None\n"
                                         << "r1"
                                         << ""
                                         << ""
                                         << "" << 2;
    QTest::newRow("double quotes") << "revision = \"r1\"\ndown_revision = \"p1\"\n"
                                   << "r1"
                                   << "p1"
                                   << ""
                                   << "" << 2;
    QTest::newRow("triple quotes") << "revision = '''r1'''\ndown_revision = \"\"\"p1\"\"\"\n"
                                   << "r1"
                                   << "p1"
                                   << ""
                                   << "" << 2;
    QTest::newRow("r and u prefixes") << "revision = r'r1'\ndown_revision = u\"p1\"\n"
                                      << "r1"
                                      << "p1"
                                      << ""
                                      << "" << 2;
    QTest::newRow("upper-case prefix") << "revision = R'r1'\ndown_revision = U'p1'\n"
                                       << "r1"
                                       << "p1"
                                       << ""
                                       << "" << 2;
    QTest::newRow("adjacent literals") << "revision = 'ab' \"cd\"\ndown_revision = ('p'\n    '1')\n"
                                       << "abcd"
                                       << "p1"
                                       << ""
                                       << "" << 2;
    QTest::newRow("escapes") << "revision = 'a\\x62c'\ndown_revision = None\n"
                             << "abc"
                             << ""
                             << ""
                             << "" << 2;
    QTest::newRow("tuple") << "revision = 'm'\ndown_revision = ('p1', 'p2')\n"
                           << "m"
                           << "p1,p2"
                           << ""
                           << "" << 2;
    QTest::newRow("bare tuple") << "revision = 'm'\ndown_revision = 'p1', 'p2'\n"
                                << "m"
                                << "p1,p2"
                                << ""
                                << "" << 2;
    QTest::newRow("list, trailing comma, comments")
        << "revision = 'm'\ndown_revision = [  # the parents\n    'p1',  # first\n    'p2',\n]\n"
        << "m"
        << "p1,p2"
        << ""
        << "" << 2;
    QTest::newRow("one-tuple") << "revision = 'r'\ndown_revision = ('p1',)\n"
                               << "r"
                               << "p1"
                               << ""
                               << "" << 2;
    QTest::newRow("parenthesised string") << "revision = ('r')\ndown_revision = ((('p1')))\n"
                                          << "r"
                                          << "p1"
                                          << ""
                                          << "" << 2;
    QTest::newRow("empty tuple is a base") << "revision = 'r'\ndown_revision = ()\n"
                                           << "r"
                                           << ""
                                           << ""
                                           << "" << 2;
    QTest::newRow("labels and depends_on as strings")
        << "revision = 'r'\ndown_revision = None\nbranch_labels = 'lab'\ndepends_on = 'other'\n"
        << "r"
        << ""
        << "lab"
        << "other" << 2;
    QTest::newRow("labels tuple, depends_on list")
        << "revision = 'r'\ndown_revision = None\nbranch_labels = ('a', 'b')\ndepends_on = ['x', 'y',]\n"
        << "r"
        << ""
        << "a,b"
        << "x,y" << 2;
    QTest::newRow("annotations (newer template)")
        << "from typing import Sequence, Union\n\nrevision: str = 'r'\n"
           "down_revision: Union[str, None] = 'p'\n"
           "branch_labels: Union[str, Sequence[str], None] = None\n"
           "depends_on: Union[str, Sequence[str], None] = ('d',)\n"
        << "r"
        << "p"
        << ""
        << "d" << 4;
    QTest::newRow("backslash continuation") << "revision = \\\n    'r'\ndown_revision = \\\n    None\n"
                                            << "r"
                                            << ""
                                            << ""
                                            << "" << 3;
    QTest::newRow("the last top-level assignment wins")
        << "revision = 'old'\ndown_revision = None\nrevision = 'new'\n"
        << "new"
        << ""
        << ""
        << "" << 2;
    QTest::newRow("assignments inside functions and strings do not count")
        << "revision = 'r'\ndown_revision = None\n\ndef upgrade():\n    revision = 'x'\n    down_revision = "
           "f(1)\n"
           "    op.execute('''\ndown_revision = 'y'\n''')\n"
        << "r"
        << ""
        << ""
        << "" << 2;
    QTest::newRow("CRLF line ends") << "revision = 'r'\r\ndown_revision = 'p'\r\n"
                                    << "r"
                                    << "p"
                                    << ""
                                    << "" << 2;
}

void TestAlembicProject::literalForms()
{
    QFETCH(QString, source);
    QFETCH(QString, id);
    QFETCH(QString, down);
    QFETCH(QString, labels);
    QFETCH(QString, depends);
    QFETCH(int, downLine);

    ErrorList errors;
    const Result<Revision> revision = AlembicScriptReader::parse(source, QStringLiteral("r.py"), &errors);
    QVERIFY2(revision.ok(), qPrintable(describe(errors).join(QLatin1Char('\n'))));
    QCOMPARE(revision->id, id);
    QCOMPARE(join(revision->downRevisions), down);
    QCOMPARE(join(revision->branchLabels), labels);
    QCOMPARE(join(revision->dependsOn), depends);
    QCOMPARE(revision->downRevisionLine, downLine);
    QCOMPARE(revision->filePath, QStringLiteral("r.py"));
    QVERIFY(revision->transactional);
    QVERIFY(!revision->upgrade.present);
}

void TestAlembicProject::docstring_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("createDate");

    const QString body = QStringLiteral("revision = 'r'\ndown_revision = None\n");
    QTest::newRow("Alembic's template")
        << QStringLiteral("\"\"\"add accounts\n\nRevision ID: r\nRevises:\nCreate Date: 2025-01-10 "
                          "09:00:00.000000\n\n\"\"\"\n")
            + body
        << "add accounts"
        << "2025-01-10 09:00:00.000000";
    QTest::newRow("single quotes, one line")
        << QStringLiteral("'''just a message'''\n") + body << "just a message"
        << "";
    QTest::newRow("leading blank lines and comments")
        << QStringLiteral("# coding: utf-8\n\n\"\"\"\n  spaced message  \nmore\n\"\"\"\n") + body
        << "spaced message"
        << "";
    QTest::newRow("raw docstring") << QStringLiteral("r\"\"\"path C:\\temp\n\nCreate Date:2024-01-01\"\"\"\n")
            + body << "path C:\\temp"
                                   << "2024-01-01";
    QTest::newRow("non-ASCII") << QStringLiteral("\"\"\"ajout de la table «comptes» é\"\"\"\n") + body
                               << QStringLiteral("ajout de la table «comptes» é") << "";
    QTest::newRow("no docstring") << body << ""
                                  << "";
    QTest::newRow("a string that is not the first statement is no docstring")
        << QStringLiteral("import os\n\"\"\"not a docstring\"\"\"\n") + body << ""
        << "";
}

void TestAlembicProject::docstring()
{
    QFETCH(QString, source);
    QFETCH(QString, message);
    QFETCH(QString, createDate);
    const Result<Revision> revision = AlembicScriptReader::parse(source, QStringLiteral("r.py"));
    QVERIFY2(revision.ok(), qPrintable(revision.error().toString()));
    QCOMPARE(revision->message, message);
    QCOMPARE(revision->createDate, createDate);
}

void TestAlembicProject::scriptErrors_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QStringList>("errors");

    QTest::newRow("function call") << "revision = 'r'\ndown_revision = get_parent()\n"
                                   << strings(
                                          { "r.py:2: cannot read down_revision statically: a function call "
                                            "(get_parent(...)); write a string literal, a tuple or list of "
                                            "them, or None" });
    QTest::newRow("dotted call") << "revision = 'r'\n\ndown_revision = os.environ.get('P')\n"
                                 << strings(
                                        { "r.py:3: cannot read down_revision statically: a function call "
                                          "(os.environ.get(...)); write a string literal, a tuple or list "
                                          "of them, or None" });
    QTest::newRow("name") << "revision = PREFIX\ndown_revision = None\n"
                          << strings({ "r.py:1: cannot read revision statically: the name 'PREFIX'; write a "
                                       "string literal, a tuple or list of them, or None" });
    QTest::newRow("f-string") << "revision = f'{x}1'\ndown_revision = None\n"
                              << strings(
                                     { "r.py:1: cannot read revision statically: an f-string; write a string "
                                       "literal, a tuple or list of them, or None" });
    QTest::newRow("bytes") << "revision = 'r'\ndown_revision = b'p'\n"
                           << strings(
                                  { "r.py:2: cannot read down_revision statically: a bytes literal; write a "
                                    "string literal, a tuple or list of them, or None" });
    QTest::newRow("concatenation with +")
        << "revision = 'r' + 'x'\ndown_revision = None\n"
        << strings({ "r.py:1: cannot read revision statically: an expression "
                     "('+' after the literal); write a string literal, a tuple "
                     "or list of them, or None" });
    QTest::newRow("a call inside a list, on its own line")
        << "revision = 'r'\ndown_revision = None\nbranch_labels = [\n    'ok',\n    label(),\n]\n"
        << strings(
               { "r.py:5: cannot read branch_labels statically: a function call (label(...)); write a string "
                 "literal, a tuple or list of them, or None" });
    QTest::newRow("a number") << "revision = 12\ndown_revision = None\n"
                              << strings({ "r.py:1: cannot read revision statically: a number (12); write a "
                                           "string literal, a tuple or list of them, or None" });
    QTest::newRow("nested tuple") << "revision = 'r'\ndown_revision = (('a', 'b'),)\n"
                                  << strings(
                                         { "r.py:2: cannot read down_revision statically: its items must be "
                                           "string literals" });
    QTest::newRow("None inside a tuple")
        << "revision = 'r'\ndown_revision = ('a', None)\n"
        << strings({ "r.py:2: cannot read down_revision statically: its items "
                     "must be string literals" });
    QTest::newRow("tuple unpacking") << "revision, down_revision = 'r', None\n"
                                     << strings(
                                            { "r.py:1: cannot read revision statically: a tuple unpacking "
                                              "assignment" });
    QTest::newRow("no revision") << "\"\"\"doc\"\"\"\ndown_revision = None\n"
                                 << strings({ "r.py:1: no top-level 'revision = \"...\"' assignment: not an "
                                              "Alembic revision script" });
    QTest::newRow("revision only annotated")
        << "revision: str\ndown_revision = None\n"
        << strings({ "r.py:1: no top-level 'revision = \"...\"' assignment: "
                     "not an Alembic revision script" });
    QTest::newRow("no down_revision")
        << "x = 1\nrevision = 'r'\n"
        << strings({ "r.py:2: no top-level down_revision assignment (Alembic needs "
                     "one; None for a base)" });
    QTest::newRow("id with '@'") << "revision = 'a@b'\ndown_revision = None\n"
                                 << strings({ "r.py:1: revision 'a@b' is not a usable revision id (empty, or "
                                              "with spaces, '@', '+', '-' or ',')" });
    QTest::newRow("two problems, in line order")
        << "revision = make()\n\n\ndown_revision = PARENT\n"
        << strings({ "r.py:1: cannot read revision statically: a function call (make(...)); write a string "
                     "literal, a tuple or list of them, or None",
               "r.py:4: cannot read down_revision statically: the name 'PARENT'; write a string literal, a "
               "tuple "
               "or list of them, or None" });
    QTest::newRow("unterminated string") << "revision = 'r'\ndown_revision = 'p\n"
                                         << strings({ "r.py:2: unterminated string literal" });
    QTest::newRow("unterminated docstring")
        << "\"\"\"doc\n\nrevision = 'r'\n"
        << strings({ "r.py:1: unterminated triple-quoted string literal" });
    // Found by fuzz/fuzz_alembic_script: each level of brackets was a level of
    // this reader's stack, so 100,000 of them crashed it.
    QTest::newRow("brackets nested 250 deep")
        << QStringLiteral("revision = 'r'\ndown_revision = %1'p'%2\n")
               .arg(QString(250, QLatin1Char('(')), QString(250, QLatin1Char(')')))
        << strings({ "r.py:2: cannot read down_revision statically: brackets nested more than 200 deep; "
                     "write a string "
                     "literal, a tuple or list of them, or None" });
    // Found by fuzz/fuzz_python_tokenizer: a \x escape cut short at the end of
    // a line took the line break as a hex digit, and every later line number was off.
    QTest::newRow("\\x cut short at a line's end")
        << "\"\"\"doc \\x4\nmore\"\"\"\nrevision = 'r'\n\ndown_revision = PARENT\n"
        << strings(
               { "r.py:5: cannot read down_revision statically: the name 'PARENT'; write a string literal, "
                 "a tuple or list of them, or None" });
}

void TestAlembicProject::scriptErrors()
{
    QFETCH(QString, source);
    QFETCH(QStringList, errors);
    ErrorList all;
    const Result<Revision> revision = AlembicScriptReader::parse(source, QStringLiteral("r.py"), &all);
    QVERIFY(!revision.ok());
    QCOMPARE(describe(all), errors);
    QCOMPARE(describe({ revision.error() }).constFirst(), errors.constFirst());
}

void TestAlembicProject::revisionFileNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("read");
    QTest::newRow("revision") << "ae1027a6acf_add_table.py" << true;
    QTest::newRow("__init__") << "__init__.py" << false;
    QTest::newRow("private") << "_helpers.py" << false;
    QTest::newRow("editor lock") << ".#ae1027a6acf.py" << false;
    QTest::newRow("hidden") << ".ae1027a6acf.py" << false;
    QTest::newRow("compiled") << "ae1027a6acf.pyc" << false;
    QTest::newRow("text") << "README.txt" << false;
}

void TestAlembicProject::revisionFileNames()
{
    QFETCH(QString, name);
    QFETCH(bool, read);
    QCOMPARE(AlembicScriptReader::isRevisionFileName(name), read);
}

// ------------------------------------------------------------------ alembic.ini

void TestAlembicProject::iniValues_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    QTest::addColumn<int>("line");

    QTest::newRow("equals") << "[alembic]\nscript_location = migr\n"
                            << "script_location"
                            << "migr" << 2;
    QTest::newRow("colon") << "[alembic]\nscript_location: migr\n"
                           << "script_location"
                           << "migr" << 2;
    QTest::newRow("keys are case-insensitive") << "[alembic]\nScript_Location = migr\n"
                                               << "script_location"
                                               << "migr" << 2;
    QTest::newRow("comments, ; and #, indented too")
        << "# top\n; also\n[alembic]\n  # indented comment\nscript_location = migr\n"
        << "script_location"
        << "migr" << 5;
    QTest::newRow("an inline # stays in the value (configparser)")
        << "[alembic]\nscript_location = migr # not a comment\n"
        << "script_location"
        << "migr # not a comment" << 2;
    QTest::newRow("continuation lines") << "[alembic]\nversion_locations = a\n    b\n\n    c\nnext = 1\n"
                                        << "version_locations"
                                        << "a\nb\n\nc" << 2;
    QTest::newRow("%(here)s") << "[alembic]\nscript_location = %(here)s/migr\n"
                              << "script_location"
                              << "/proj/migr" << 2;
    QTest::newRow("%(name)s from the section and [DEFAULT], %%")
        << "[DEFAULT]\nroot = %(here)s/x\n[alembic]\nsub = %(root)s/y\nscript_location = %(sub)s/100%%\n"
        << "script_location"
        << "/proj/x/y/100%" << 5;
    QTest::newRow("other sections' %(levelname)s are not looked at")
        << "[alembic]\nscript_location = m\n[formatter_generic]\nformat = %(levelname)-5.5s\n"
        << "script_location"
        << "m" << 2;
    QTest::newRow("value with '=' inside") << "[alembic]\nsqlalchemy.url = postgresql://u@h/db?a=b\n"
                                           << "sqlalchemy.url"
                                           << "postgresql://u@h/db?a=b" << 2;
}

void TestAlembicProject::iniValues()
{
    QFETCH(QString, text);
    QFETCH(QString, key);
    QFETCH(QString, value);
    QFETCH(int, line);
    const Result<AlembicIni> ini = AlembicIni::parse(text, QStringLiteral("/proj/alembic.ini"));
    QVERIFY2(ini.ok(), qPrintable(ini.error().toString()));
    const Result<QString> got = ini->value(QStringLiteral("alembic"), key);
    QVERIFY2(got.ok(), qPrintable(got.error().toString()));
    QCOMPARE(*got, value);
    QCOMPARE(ini->lineOf(QStringLiteral("alembic"), key), line);
}

void TestAlembicProject::iniVersionLocations_data()
{
    QTest::addColumn<QString>("settings");
    QTest::addColumn<QStringList>("locations");

    QTest::newRow("absent") << "" << QStringList {};
    QTest::newRow("legacy: spaces") << "version_locations = a  b" << strings({ "/proj/a", "/proj/b" });
    QTest::newRow("legacy: commas") << "version_locations = a,b, c"
                                    << strings({ "/proj/a", "/proj/b", "/proj/c" });
    QTest::newRow("os") << "version_path_separator = os\nversion_locations = a:/abs/b"
                        << strings({ "/proj/a", "/abs/b" });
    QTest::newRow(":") << "version_path_separator = :\nversion_locations = %(here)s/a:b"
                       << strings({ "/proj/a", "/proj/b" });
    QTest::newRow("; keeps spaces") << "version_path_separator = ;\nversion_locations = my dir;other"
                                    << strings({ "/proj/my dir", "/proj/other" });
    QTest::newRow("space keeps commas")
        << "version_path_separator = space\nversion_locations = a,b c" << strings({ "/proj/a,b", "/proj/c" });
    QTest::newRow("newline") << "version_path_separator = newline\nversion_locations =\n    my dir\n    other"
                             << strings({ "/proj/my dir", "/proj/other" });
    QTest::newRow("relative paths are cleaned") << "version_locations = ./x/../y" << strings({ "/proj/y" });
}

void TestAlembicProject::iniVersionLocations()
{
    QFETCH(QString, settings);
    QFETCH(QStringList, locations);
    const Result<AlembicIni> ini
        = AlembicIni::parse(QStringLiteral("[alembic]\nscript_location = s\n") + settings + QLatin1Char('\n'),
            QStringLiteral("/proj/alembic.ini"));
    QVERIFY2(ini.ok(), qPrintable(ini.error().toString()));
    const Result<QStringList> got = ini->versionLocations();
    QVERIFY2(got.ok(), qPrintable(got.error().toString()));
    QCOMPARE(*got, locations);
    QCOMPARE(*ini->scriptLocation(), QStringLiteral("/proj/s"));
}

void TestAlembicProject::iniErrors_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("error");

    QTest::newRow("package:dir script_location")
        << "[alembic]\n\nscript_location = myapp:migrations\n"
        << "alembic.ini:3: script_location 'myapp:migrations' names a Python package resource (package:dir), "
           "which "
           "dbops cannot read without Python; give the directory instead";
    QTest::newRow("package:dir version location")
        << "[alembic]\nscript_location = s\nversion_locations = a myapp:versions\n"
        << "alembic.ini:3: version_locations 'myapp:versions' names a Python package resource (package:dir), "
           "which "
           "dbops cannot read without Python; give the directory instead";
    QTest::newRow("bad separator")
        << "[alembic]\nscript_location = s\nversion_locations = a\n"
           "version_path_separator = |\n"
        << "alembic.ini:4: '|' is not a valid value for version_path_separator; expected "
           "'os', 'space', 'newline', ':' or ';'";
    QTest::newRow("no [alembic]") << "[other]\nx = 1\n"
                                  << "alembic.ini:1: no [alembic] section";
    QTest::newRow("no script_location") << "[alembic]\nx = 1\n"
                                        << "alembic.ini:1: no script_location in the [alembic] section";
    QTest::newRow("unknown %(name)s") << "[alembic]\n\nscript_location = %(nope)s/m\n"
                                      << "alembic.ini:3: %(nope)s names no setting in [alembic] or [DEFAULT]";
    QTest::newRow("lone %") << "[alembic]\nscript_location = 100%/m\n"
                            << "alembic.ini:2: '%' must be followed by '%' or '(name)s', found: '%/m'";
    QTest::newRow("bad recursive flag")
        << "[alembic]\nscript_location = s\nrecursive_version_locations = maybe\n"
        << "alembic.ini:3: recursive_version_locations is 'maybe'; expected true or "
           "false";
    QTest::newRow("duplicate key") << "[alembic]\nscript_location = a\nscript_location = b\n"
                                   << "alembic.ini:3: 'script_location' appears twice in section [alembic]";
    QTest::newRow("duplicate section") << "[alembic]\nscript_location = a\n[alembic]\n"
                                       << "alembic.ini:3: section [alembic] appears twice";
    QTest::newRow("setting before any section")
        << "script_location = a\n[alembic]\n"
        << "alembic.ini:1: a setting before the first [section] header";
    QTest::newRow("not key = value") << "[alembic]\nscript_location = a\njust words\n"
                                     << "alembic.ini:3: cannot read this line as 'key = value'";
    // Found by fuzz/fuzz_alembic_ini: references that multiply (30^6
    // expansions within the nesting limit; Python's configparser hangs on
    // such a file too) are refused at once.
    QString multiplying = QStringLiteral("[alembic]\nscript_location = %(k0)s\n");
    for (int level = 0; level < 6; ++level) {
        QString value;
        for (int copy = 0; copy < 30; ++copy)
            value += QStringLiteral("%(k%1)s").arg(level + 1);
        multiplying += QStringLiteral("k%1 = %2\n").arg(level).arg(value);
    }
    multiplying += QStringLiteral("k6 = x\n");
    QTest::newRow("references that multiply")
        << multiplying << "alembic.ini:2: %(name)s interpolation expands more than 10000 references";
}

void TestAlembicProject::iniErrors()
{
    QFETCH(QString, text);
    QFETCH(QString, error);
    const Result<AlembicIni> ini = AlembicIni::parse(text, QStringLiteral("/proj/alembic.ini"));
    std::optional<Error> got;
    if (!ini) {
        got = ini.error();
    } else if (Result<QString> location = ini->scriptLocation(); !location) {
        got = location.error();
    } else if (Result<QStringList> locations = ini->versionLocations(); !locations) {
        got = locations.error();
    } else if (Result<bool> recursive = ini->recursiveVersionLocations(); !recursive) {
        got = recursive.error();
    }
    QVERIFY2(got.has_value(), "no error");
    QCOMPARE(describe({ *got }).constFirst(), error);
}

// ------------------------------------------------------------------ whole projects

void TestAlembicProject::recursiveProject()
{
    // A copy, to add the __pycache__ that git would not keep.
    QTemporaryDir temp;
    QVERIFY(copyTree(dataDir() + QStringLiteral("/recursive"), temp.path()));
    QVERIFY(writeFile(
        temp.path() + QStringLiteral("/scripts/versions/__pycache__/zz.py"), "revision = broken(\n"));

    ErrorList errors;
    const Result<AlembicProject> project = AlembicProject::load(temp.path(), &errors);
    QVERIFY2(project.ok(), qPrintable(describe(errors).join(QLatin1Char('\n'))));
    QCOMPARE(project->iniPath, temp.path() + QStringLiteral("/alembic.ini"));
    QCOMPARE(project->scriptLocation, temp.path() + QStringLiteral("/scripts"));
    QCOMPARE(project->versionLocations,
        (QStringList {
            temp.path() + QStringLiteral("/scripts/versions"), temp.path() + QStringLiteral("/more") }));
    QVERIFY(project->recursiveVersionLocations);
    QCOMPARE(project->versionTable, QStringLiteral("ops.custom_versions"));

    QStringList ids;
    for (const Revision& r : project->revisions)
        ids.append(r.id);
    QCOMPARE(
        ids, (strings({ "a1", "b2", "c3", "d4" }))); // location order, then path; sub-directories included

    const Revision& b2 = project->revisions.at(1);
    QCOMPARE(b2.filePath, temp.path() + QStringLiteral("/scripts/versions/sub/b2_child.py"));
    QCOMPARE(b2.revisionLine, 5);
    QCOMPARE(b2.downRevisionLine, 6);
    QCOMPARE(b2.message, QStringLiteral("the child, in a sub-directory"));
    QCOMPARE(b2.createDate, QStringLiteral("2024-03-02 10:00:00"));
    const Revision& d4 = project->revisions.at(3);
    QCOMPARE(d4.branchLabels, strings({ "extra" }));
    QCOMPARE(d4.dependsOn, strings({ "core" }));
    QCOMPARE(d4.dependsOnLine, 5);
}

void TestAlembicProject::flatProjectIgnoresSubdirectories()
{
    // flat.ini: relative paths (from the ini's directory), legacy separator, not recursive.
    const Result<AlembicProject> project
        = AlembicProject::load(dataDir() + QStringLiteral("/recursive/flat.ini"));
    QVERIFY2(project.ok(), qPrintable(project.error().toString()));
    QVERIFY(!project->recursiveVersionLocations);
    QStringList ids;
    for (const Revision& r : project->revisions)
        ids.append(r.id);
    QCOMPARE(ids, (strings({ "a1", "d4" })));
    QCOMPARE(project->scriptLocation, QDir::cleanPath(dataDir() + QStringLiteral("/recursive/scripts")));
}

void TestAlembicProject::scriptDirectoryFindsItsIni()
{
    // Given the script directory, the ini beside it that names it supplies version_locations.
    const QString bridge = QStringLiteral(DBOPS_TEST_DATA_DIR "/../alembic/bridge_project");
    QTemporaryDir temp;
    QVERIFY(copyTree(bridge, temp.path() + QStringLiteral("/proj/scripts")));
    QVERIFY(QFile::rename(temp.path() + QStringLiteral("/proj/scripts/alembic.ini"),
        temp.path() + QStringLiteral("/proj/alembic.ini")));
    QFile ini(temp.path() + QStringLiteral("/proj/alembic.ini"));
    QVERIFY(ini.open(QIODevice::ReadWrite));
    QByteArray text = ini.readAll();
    text.replace("%(here)s", "%(here)s/scripts");
    ini.resize(0);
    ini.write(text);
    ini.close();

    const Result<AlembicProject> project
        = AlembicProject::load(temp.path() + QStringLiteral("/proj/scripts"));
    QVERIFY2(project.ok(), qPrintable(project.error().toString()));
    QCOMPARE(project->iniPath, temp.path() + QStringLiteral("/proj/alembic.ini"));
    QCOMPARE(project->revisions.size(), 9); // audit_versions/ too, from version_locations
}

void TestAlembicProject::brokenProjectReportsEveryFile()
{
    ErrorList errors;
    const Result<AlembicProject> project
        = AlembicProject::load(dataDir() + QStringLiteral("/broken"), &errors);
    QVERIFY(!project.ok());
    QCOMPARE(describe(errors),
        (strings({
            "b_call.py:5: cannot read down_revision statically: a function call (os.environ.get(...)); write "
            "a "
            "string literal, a tuple or list of them, or None",
            "c_fstring.py:5: cannot read revision statically: an f-string; write a string literal, a tuple "
            "or list "
            "of them, or None",
            "d_norevision.py:1: no top-level 'revision = \"...\"' assignment: not an Alembic revision script",
            "e_name.py:3: cannot read down_revision statically: the name 'PARENT'; write a string literal, a "
            "tuple "
            "or list of them, or None",
            "e_name.py:6: cannot read branch_labels statically: a function call (label(...)); write a string "
            "literal, a tuple or list of them, or None",
            "f_unterminated.py:3: unterminated string literal",
        })));
    QCOMPARE(errors.constFirst().file, dataDir() + QStringLiteral("/broken/versions/b_call.py"));
    QCOMPARE(errors.constLast().column, 17);

    // MigrationRepository passes them on unchanged.
    ErrorList repositoryErrors;
    const Result<MigrationRepository> repository
        = MigrationRepository::load(dataDir() + QStringLiteral("/broken"), &repositoryErrors);
    QVERIFY(!repository.ok());
    QCOMPARE(describe(repositoryErrors), describe(errors));
}

void TestAlembicProject::envVersionTable_data()
{
    QTest::addColumn<QByteArray>("env");
    QTest::addColumn<QString>("table");
    QTest::newRow("literal") << QByteArray("context.configure(connection=c, version_table='my_versions')\n")
                             << "my_versions";
    QTest::newRow("with schema") << QByteArray("context.configure(\n    version_table_schema=\"ops\",\n"
                                               "    version_table=\"v\",\n)\n")
                                 << "ops.v";
    QTest::newRow("offline and online agree")
        << QByteArray("def a():\n    context.configure(version_table='v')\n\ndef b():\n"
                      "    context.configure(version_table='v', connection=c)\n")
        << "v";
    QTest::newRow("not a literal: Alembic's default")
        << QByteArray("context.configure(version_table=NAME)\n") << "alembic_version";
    QTest::newRow("none given") << QByteArray("context.configure(connection=c)\n") << "alembic_version";
}

void TestAlembicProject::envVersionTable()
{
    QFETCH(QByteArray, env);
    QFETCH(QString, table);
    QTemporaryDir temp;
    const QString path = temp.path() + QStringLiteral("/env.py");
    QVERIFY(writeFile(path, env));
    const Result<QString> got = AlembicEnvReader::versionTable(path);
    QVERIFY2(got.ok(), qPrintable(got.error().toString()));
    QCOMPARE(*got, table);

    QVERIFY(
        writeFile(path, "context.configure(version_table='a')\n\ncontext.configure(version_table='b')\n"));
    const Result<QString> conflicting = AlembicEnvReader::versionTable(path);
    QVERIFY(!conflicting.ok());
    QCOMPARE(conflicting.error().line, 3);
}

void TestAlembicProject::envVersionTableMustBeAnIdentifier_data()
{
    // The name goes into the SQL `dbops sql` prints and the runner runs.
    QTest::addColumn<QByteArray>("env");
    QTest::addColumn<QString>("error");
    auto refused = [](int line, const char* keyword, const char* value) {
        return QStringLiteral("env.py:%1: env.py sets %2 to '%3': dbops takes only a plain lower-case name "
                              "(letters, digits and '_', not starting with a digit)")
            .arg(line)
            .arg(QLatin1String(keyword), QString::fromUtf8(value));
    };
    QTest::newRow("SQL injection") << QByteArray(
        "import os\n\ncontext.configure(\n    version_table='av; DROP TABLE users; --',\n)\n")
                                   << refused(4, "version_table", "av; DROP TABLE users; --");
    QTest::newRow("quote") << QByteArray("context.configure(version_table=\"v'x\")\n")
                           << refused(1, "version_table", "v'x");
    QTest::newRow("dotted table") << QByteArray("context.configure(version_table='ops.v')\n")
                                  << refused(1, "version_table", "ops.v");
    QTest::newRow("upper case") << QByteArray("context.configure(version_table='Versions')\n")
                                << refused(1, "version_table", "Versions");
    QTest::newRow("leading digit") << QByteArray("context.configure(version_table='1v')\n")
                                   << refused(1, "version_table", "1v");
    QTest::newRow("space") << QByteArray("context.configure(version_table='my versions')\n")
                           << refused(1, "version_table", "my versions");
    QTest::newRow("adjacent literals")
        << QByteArray("context.configure(version_table='a' '-b')\n") << refused(1, "version_table", "a-b");
    QTest::newRow("bad schema") << QByteArray(
        "context.configure(\n    version_table='v',\n    version_table_schema='x\"; --',\n)\n")
                                << refused(3, "version_table_schema", "x\"; --");
    QTest::newRow("too long together")
        << QByteArray("context.configure(version_table_schema='" + QByteArray(70, 's')
               + "',\n    version_table='" + QByteArray(70, 't') + "')\n")
        << QStringLiteral("env.py:2: env.py names the version table '%1.%2', which is too long (at most 127 "
                          "characters)")
               .arg(QString(70, QLatin1Char('s')), QString(70, QLatin1Char('t')));
}

void TestAlembicProject::envVersionTableMustBeAnIdentifier()
{
    QFETCH(QByteArray, env);
    QFETCH(QString, error);
    QTemporaryDir temp;
    const QString path = temp.path() + QStringLiteral("/env.py");
    QVERIFY(writeFile(path, env));
    const Result<QString> got = AlembicEnvReader::versionTable(path);
    QVERIFY2(!got.ok(), qPrintable(got.ok() ? *got : QString()));
    QCOMPARE(describe({ got.error() }), QStringList { error });
    QCOMPARE(got.error().file, path);
    QCOMPARE(got.error().kind, Error::Kind::Input);

    // ... and so the whole project is refused, whatever the command.
    QVERIFY(writeFile(
        temp.path() + QStringLiteral("/versions/a1_base.py"), "revision = 'a1'\ndown_revision = None\n"));
    ErrorList errors;
    QVERIFY(!MigrationRepository::loadGraph(temp.path(), &errors).ok());
    QCOMPARE(describe(errors), QStringList { error });
}

void TestAlembicProject::filesThatAreNotUtf8()
{
    // Latin-1 in a revision script's docstring (its message) and in env.py:
    // each refused at file:line:column, never read as U+FFFD.
    QTemporaryDir temp;
    QVERIFY(writeFile(temp.path() + QStringLiteral("/env.py"),
        "# configuration\ncontext.configure(version_table='v')  # caf\xe9\n"));
    QVERIFY(writeFile(temp.path() + QStringLiteral("/versions/a1_base.py"),
        "\"\"\"caf\xe9 menu\n\nRevision ID: a1\n\"\"\"\nrevision = 'a1'\ndown_revision = None\n"));
    QVERIFY(writeFile(temp.path() + QStringLiteral("/versions/b2_child.py"),
        "\"\"\"child\"\"\"\nrevision = 'b2'\ndown_revision = 'a1'\n"));
    QVERIFY(writeFile(temp.path() + QStringLiteral("/versions/c3_fine.py"),
        "\"\"\"caf\xc3\xa9, in UTF-8\"\"\"\nrevision = 'c3'\ndown_revision = 'b2'\n"));
    const QString problem = QStringLiteral(
        "not valid UTF-8: byte 0xE9 starts a 3-byte sequence, but %1 (Latin-1 or Windows-1252? save the "
        "file as UTF-8)");

    ErrorList errors;
    const Result<AlembicProject> project = AlembicProject::load(temp.path(), &errors);
    QVERIFY(!project.ok());
    QCOMPARE(describe(errors),
        (QStringList { QStringLiteral("env.py:2: ") + problem.arg(QStringLiteral("the line ends")),
            QStringLiteral("a1_base.py:1: ") + problem.arg(QStringLiteral("byte 0x20 follows")) }));
    QCOMPARE(errors.at(0).column, 44);
    QCOMPARE(errors.at(1).column, 7);
    QCOMPARE(errors.at(1).file, temp.path() + QStringLiteral("/versions/a1_base.py"));

    ErrorList scriptErrors;
    const Result<Revision> script
        = AlembicScriptReader::read(temp.path() + QStringLiteral("/versions/a1_base.py"), &scriptErrors);
    QVERIFY(!script.ok());
    QCOMPARE(describe(scriptErrors), describe({ errors.at(1) }));
    QCOMPARE(describe({ script.error() }), describe({ errors.at(1) }));
    const Result<QString> table = AlembicEnvReader::versionTable(temp.path() + QStringLiteral("/env.py"));
    QVERIFY(!table.ok());
    QCOMPARE(describe({ table.error() }), describe({ errors.at(0) }));

    // Saved as UTF-8, the same project loads, with the message intact.
    QVERIFY(writeFile(temp.path() + QStringLiteral("/env.py"),
        "# configuration\ncontext.configure(version_table='v')  # caf\xc3\xa9\n"));
    QVERIFY(writeFile(temp.path() + QStringLiteral("/versions/a1_base.py"),
        "\"\"\"caf\xc3\xa9 menu\n\nRevision ID: a1\n\"\"\"\nrevision = 'a1'\ndown_revision = None\n"));
    const Result<AlembicProject> fixed = AlembicProject::load(temp.path());
    QVERIFY2(fixed.ok(), qPrintable(fixed.error().toString()));
    QCOMPARE(fixed->versionTable, QStringLiteral("v"));
    QCOMPARE(fixed->revisions.constFirst().message, QStringLiteral("caf\u00e9 menu"));
}

void TestAlembicProject::repositoryLoadsAlembicGraph()
{
    const QString bridge = QStringLiteral(DBOPS_TEST_DATA_DIR "/../alembic/bridge_project");
    ErrorList errors;
    Result<MigrationRepository> repository = MigrationRepository::load(bridge, &errors);
    QVERIFY2(repository.ok(), qPrintable(describe(errors).join(QLatin1Char('\n'))));
    QVERIFY(repository->isAlembic());
    QCOMPARE(repository->alembicProject()->versionTable, QStringLiteral("alembic_version"));
    QCOMPARE(repository->directory(), QDir::cleanPath(bridge));
    const RevisionGraph& graph = repository->graph();
    QCOMPARE(graph.size(), 9);
    QCOMPARE(graph.heads(), (strings({ "6f0000000001", "9z0000000001" })));
    QCOMPARE(graph.bases(), (strings({ "1a0000000001", "9z0000000001" })));
    QVERIFY(graph.isMergePoint(QStringLiteral("4d0000000001")));
    QVERIFY(graph.isBranchPoint(QStringLiteral("1a0000000003")));
    QCOMPARE(graph.resolvedDependencies(QStringLiteral("5e0000000001")), strings({ "9z0000000001" }));
    QCOMPARE(*graph.resolve(QStringLiteral("reports@head")), strings({ "6f0000000001" }));
    QCOMPARE(*graph.resolve(QStringLiteral("audit")), strings({ "9z0000000001" }));
    const Revision& merge = graph.revision(QStringLiteral("4d0000000001"));
    QCOMPARE(merge.downRevisions, (strings({ "2b0000000001", "3c0000000001" })));
    QVERIFY(merge.filePath.endsWith(QLatin1String("/versions/4d0000000001_merge_reports_and_seed.py")));
    QCOMPARE(merge.downRevisionLine, 9);

    // A native repository has its SQL already.
    Result<MigrationRepository> native
        = MigrationRepository::load(QStringLiteral(DBOPS_TEST_DATA_DIR "/runner/mirror"));
    QVERIFY2(native.ok(), qPrintable(native.error().toString()));
    QVERIFY(!native->isAlembic());
    QVERIFY(native.value().ensureSql().ok());
}

void TestAlembicProject::looksLikeAlembicProject()
{
    const QString bridge = QStringLiteral(DBOPS_TEST_DATA_DIR "/../alembic/bridge_project");
    QVERIFY(AlembicProject::looksLikeAlembicProject(bridge));
    QVERIFY(AlembicProject::looksLikeAlembicProject(bridge + QStringLiteral("/alembic.ini")));
    QVERIFY(AlembicProject::looksLikeAlembicProject(dataDir() + QStringLiteral("/recursive/flat.ini")));
    QVERIFY(!AlembicProject::looksLikeAlembicProject(QStringLiteral(DBOPS_TEST_DATA_DIR "/runner/mirror")));
    QVERIFY(!AlembicProject::looksLikeAlembicProject(dataDir() + QStringLiteral("/nope")));
    const Result<AlembicProject> missing = AlembicProject::load(dataDir() + QStringLiteral("/nope"));
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error().message, QStringLiteral("Alembic project not found"));
}

QTEST_GUILESS_MAIN(TestAlembicProject)
#include "tst_alembicproject.moc"
