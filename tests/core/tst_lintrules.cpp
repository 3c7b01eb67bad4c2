// One row per lint rule: the rule fires on the unsafe statement, not on its
// safe form, not when an allow comment with a reason names it, and still
// does (with a dbops-allow error of its own) when the comment has no reason.
#include "lint/LintConfig.h"
#include "lint/LintRules.h"
#include "lint/Linter.h"

#include <QtTest>

using namespace dbops;

namespace {

// Timeouts set, so require-timeout-settings stays out of the other rows.
const QString kPrelude = QStringLiteral("SET lock_timeout = '2s';\n");

QStringList rulesOf(const QString& sql)
{
    Linter linter;
    Result<LintFindingList> findings = linter.lintSql(sql, QStringLiteral("test.sql"));
    if (!findings)
        qFatal("%s", qPrintable(findings.error().toString()));
    QStringList rules;
    for (const LintFinding& finding : findings.value())
        rules.append(finding.rule);
    return rules;
}

} // namespace

class TestLintRules : public QObject
{
    Q_OBJECT

private slots:
    void rule_data()
    {
        QTest::addColumn<QString>("rule");
        QTest::addColumn<QString>("unsafe");
        QTest::addColumn<QString>("safe");
        auto row = [](const char* rule, const char* unsafe, const char* safe) {
            QTest::newRow(rule) << QString::fromLatin1(rule) << QString::fromLatin1(unsafe)
                                << QString::fromLatin1(safe);
        };
        row("require-concurrent-index-creation", "CREATE INDEX IF NOT EXISTS ix ON t (a);",
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS ix ON t (a);");
        row("require-concurrent-index-deletion", "DROP INDEX IF EXISTS ix;",
            "DROP INDEX CONCURRENTLY IF EXISTS ix;");
        row("constraint-missing-not-valid", "BEGIN;\nALTER TABLE t ADD CONSTRAINT c CHECK (a > 0);\nCOMMIT;",
            "BEGIN;\nALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;\nCOMMIT;\nBEGIN;\nALTER TABLE t "
            "VALIDATE CONSTRAINT c;\nCOMMIT;");
        row("adding-foreign-key-constraint",
            "BEGIN;\nALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (r_id) REFERENCES r (id);\nCOMMIT;",
            "BEGIN;\nALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (r_id) REFERENCES r (id) NOT "
            "VALID;\nCOMMIT;");
        row("adding-not-nullable-field", "BEGIN;\nALTER TABLE t ALTER COLUMN a SET NOT NULL;\nCOMMIT;",
            "BEGIN;\nALTER TABLE t ADD CONSTRAINT a_nn CHECK (a IS NOT NULL) NOT "
            "VALID;\nCOMMIT;\nBEGIN;\nALTER "
            "TABLE t VALIDATE CONSTRAINT a_nn;\nCOMMIT;\nBEGIN;\nALTER TABLE t ALTER COLUMN a SET NOT "
            "NULL;\nCOMMIT;");
        row("adding-required-field", "BEGIN;\nALTER TABLE t ADD COLUMN c bigint NOT NULL;\nCOMMIT;",
            "BEGIN;\nALTER TABLE t ADD COLUMN c bigint NOT NULL DEFAULT 0;\nCOMMIT;");
        row("adding-field-with-default",
            "BEGIN;\nALTER TABLE t ADD COLUMN c uuid DEFAULT gen_random_uuid();\nCOMMIT;",
            "BEGIN;\nALTER TABLE t ADD COLUMN c timestamptz DEFAULT now();\nCOMMIT;");
        row("adding-serial-primary-key-field", "BEGIN;\nALTER TABLE t ADD PRIMARY KEY (id);\nCOMMIT;",
            "BEGIN;\nALTER TABLE t ADD CONSTRAINT t_pkey PRIMARY KEY USING INDEX ix_t_id;\nCOMMIT;");
        row("changing-column-type", "BEGIN;\nALTER TABLE t ALTER COLUMN a TYPE bigint;\nCOMMIT;",
            "BEGIN;\nALTER TABLE t ADD COLUMN a_big bigint;\nCOMMIT;");
        row("disallowed-unique-constraint", "BEGIN;\nALTER TABLE t ADD CONSTRAINT u UNIQUE (a);\nCOMMIT;",
            "BEGIN;\nALTER TABLE t ADD CONSTRAINT u UNIQUE USING INDEX ix_u;\nCOMMIT;");
        row("renaming-column", "BEGIN;\nALTER TABLE t RENAME COLUMN a TO b;\nCOMMIT;",
            "BEGIN;\nALTER TABLE t ADD COLUMN b bigint;\nCOMMIT;");
        row("renaming-table", "BEGIN;\nALTER TABLE t RENAME TO t2;\nCOMMIT;",
            "BEGIN;\nCREATE TABLE t2 (id bigint);\nALTER TABLE t2 RENAME TO t3;\nCOMMIT;");
        row("ban-drop-column", "BEGIN;\nALTER TABLE t DROP COLUMN a;\nCOMMIT;",
            "BEGIN;\nCREATE TABLE n (id bigint, a bigint);\nALTER TABLE n DROP COLUMN a;\nCOMMIT;");
        row("ban-drop-table", "BEGIN;\nDROP TABLE t;\nCOMMIT;",
            "BEGIN;\nCREATE TABLE n (id bigint);\nDROP TABLE n;\nCOMMIT;");
        row("ban-drop-not-null", "BEGIN;\nALTER TABLE t ALTER COLUMN a DROP NOT NULL;\nCOMMIT;",
            "BEGIN;\nALTER TABLE t ALTER COLUMN a DROP DEFAULT;\nCOMMIT;");
        row("ban-concurrent-index-creation-in-transaction",
            "BEGIN;\nCREATE INDEX CONCURRENTLY ix ON t (a);\nCOMMIT;",
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS ix ON t (a);");
        row("prefer-robust-stmts", "CREATE TABLE n (id bigint);",
            "CREATE TABLE IF NOT EXISTS n (id bigint);");
        row("prefer-bigint-over-int", "BEGIN;\nCREATE TABLE n (id integer);\nCOMMIT;",
            "BEGIN;\nCREATE TABLE n (id bigint);\nCOMMIT;");
        row("prefer-timestamptz", "BEGIN;\nCREATE TABLE n (at timestamp);\nCOMMIT;",
            "BEGIN;\nCREATE TABLE n (at timestamptz);\nCOMMIT;");
        row("prefer-text-field", "BEGIN;\nCREATE TABLE n (name varchar(20));\nCOMMIT;",
            "BEGIN;\nCREATE TABLE n (name text);\nCOMMIT;");
        row("identifier-too-long",
            "BEGIN;\nCREATE TABLE n (a_column_name_that_is_much_longer_than_sixty_three_bytes_in_all_of_it "
            "bigint);\n"
            "COMMIT;",
            "BEGIN;\nCREATE TABLE n (a_short_name bigint);\nCOMMIT;");
        row("transaction-nesting", "BEGIN;\nBEGIN;\nCREATE TABLE n (id bigint);\nCOMMIT;",
            "BEGIN;\nCREATE TABLE n (id bigint);\nCOMMIT;");
    }

    void rule()
    {
        QFETCH(QString, rule);
        QFETCH(QString, unsafe);
        QFETCH(QString, safe);
        QVERIFY2(LintRules::find(rule), "not a rule of ours");
        QVERIFY2(rulesOf(kPrelude + unsafe).contains(rule),
            qPrintable(rulesOf(kPrelude + unsafe).join(QLatin1Char(','))));
        QVERIFY2(!rulesOf(kPrelude + safe).contains(rule),
            qPrintable(rulesOf(kPrelude + safe).join(QLatin1Char(','))));

        // The allow comment goes right above the statement that fires.
        const QStringList lines = unsafe.split(QLatin1Char('\n'));
        int firing = 0;
        while (firing < lines.size() && lines.at(firing).startsWith(QLatin1String("BEGIN"))
            && lines.size() > 1 && rule != QLatin1String("transaction-nesting"))
            ++firing;
        if (rule == QLatin1String("transaction-nesting"))
            firing = 1;
        QStringList withReason = lines;
        withReason.insert(
            firing, QStringLiteral("-- dbops: allow %1: reviewed, the table is tiny").arg(rule));
        QVERIFY(!rulesOf(kPrelude + withReason.join(QLatin1Char('\n'))).contains(rule));
        QStringList withoutReason = lines;
        withoutReason.insert(firing, QStringLiteral("-- dbops: allow %1").arg(rule));
        const QStringList found = rulesOf(kPrelude + withoutReason.join(QLatin1Char('\n')));
        QVERIFY(found.contains(rule));
        QVERIFY(found.contains(QStringLiteral("dbops-allow")));
    }

    void everyRuleIsListed()
    {
        // rule() has one row per rule but require-timeout-settings (tested
        // below, it needs a file without a SET): keep both lists in step.
        QCOMPARE(LintRules::all().size(), 23);
    }

    void requireTimeoutSettings()
    {
        const QString alter = QStringLiteral("BEGIN;\nALTER TABLE t ADD COLUMN c bigint;\nCOMMIT;");
        QVERIFY(rulesOf(alter).contains(QStringLiteral("require-timeout-settings")));
        QVERIFY(!rulesOf(kPrelude + alter).contains(QStringLiteral("require-timeout-settings")));
        QVERIFY(!rulesOf(QStringLiteral("BEGIN;\nCREATE TABLE n (id bigint);\nCOMMIT;"))
                     .contains(QStringLiteral("require-timeout-settings")));
        // squawk's names are accepted in allow comments
        QVERIFY(!rulesOf(QStringLiteral("BEGIN;\n-- dbops: allow require-lock-timeout: set by the caller\n")
            + alter.mid(7))
                     .contains(QStringLiteral("require-timeout-settings")));
    }

    void unknownRuleInAnAllowComment()
    {
        const QStringList found = rulesOf(kPrelude
            + QStringLiteral("BEGIN;\n-- dbops: allow no-such-rule: because\nDROP TABLE t;\nCOMMIT;"));
        QVERIFY(found.contains(QStringLiteral("dbops-allow")));
        QVERIFY(found.contains(QStringLiteral("ban-drop-table")));
    }

    void findingsCarryFileLineAndColumn()
    {
        Linter linter;
        const Result<LintFindingList> findings
            = linter.lintSql(QStringLiteral("SET lock_timeout = '1s';\nBEGIN;\n  ALTER TABLE t ADD COLUMN c "
                                            "bigint,\n      ADD COLUMN d bigint NOT NULL;\nCOMMIT;\n"),
                QStringLiteral("m.sql"));
        QVERIFY(findings);
        QCOMPARE(findings->size(), 1);
        const LintFinding& f = findings->first();
        QCOMPARE(f.rule, QStringLiteral("adding-required-field"));
        QCOMPARE(f.file, QStringLiteral("m.sql"));
        QCOMPARE(f.line, 4);
        QCOMPARE(f.column, 18);
        QVERIFY(!f.suggestion.isEmpty());
    }

    void severitiesFromTheConfiguration()
    {
        Result<LintConfig> config
            = LintConfig::parse(QStringLiteral("# team rules\nban-drop-table = error\nprefer-text-field = "
                                               "off\nprefer-timestamp-tz = error\n"),
                QStringLiteral("lint.conf"));
        QVERIFY(config);
        QCOMPARE(config->severity(QStringLiteral("ban-drop-table")), LintSeverity::Error);
        QCOMPARE(config->severity(QStringLiteral("prefer-text-field")), LintSeverity::Off);
        QCOMPARE(config->severity(QStringLiteral("prefer-timestamptz")), LintSeverity::Error);
        QCOMPARE(config->severity(QStringLiteral("ban-drop-column")), LintSeverity::Warning);
        Linter linter(*config);
        const Result<LintFindingList> findings = linter.lintSql(
            kPrelude + QStringLiteral("BEGIN;\nDROP TABLE t;\nCREATE TABLE n (v varchar(3));\nCOMMIT;"),
            QStringLiteral("x.sql"));
        QVERIFY(findings);
        QCOMPARE(findings->size(), 1);
        QVERIFY(Linter::hasErrors(*findings));

        const Result<LintConfig> typo
            = LintConfig::parse(QStringLiteral("ban-drop-tabel = error\n"), QStringLiteral("lint.conf"));
        QVERIFY(!typo);
        QCOMPARE(typo.error().line, 1);
        QVERIFY(!LintConfig::parse(QStringLiteral("ban-drop-table = fatal\n"), QStringLiteral("lint.conf")));
    }
};

QTEST_GUILESS_MAIN(TestLintRules)
#include "tst_lintrules.moc"
