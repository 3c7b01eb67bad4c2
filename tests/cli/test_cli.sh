#!/usr/bin/env bash
# CLI tests for `dbops` (no database).
#
#   tests/cli/test_cli.sh DBOPS_BINARY [SOURCE_DIR]
#
# Runs the commands on the bundled migrations (SOURCE_DIR/migrations) and on
# the fixture repositories in SOURCE_DIR/tests/data/cli/, and checks output,
# exit codes and the file:line of every error.  Prints one line per check and
# ends with "N passed, M failed"; exits non-zero when any check failed.
set -euo pipefail

[ $# -ge 1 ] || { echo "usage: $0 DBOPS_BINARY [SOURCE_DIR]" >&2; exit 2; }
DBOPS=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$(cd "${2:-$SCRIPT_DIR/../..}" && pwd)
# shellcheck source=tests/lib/check.sh
source "$SRC/tests/lib/check.sh"
MIG="$SRC/migrations"
DATA="$SRC/tests/data/cli"
PROD_REV=19c513d3bf90
HEAD_REV=792ffb1ab1ad
NEW_TABLES=(equity_changes position_realized_events batch_run_tracking spread_factor_definitions
            position_volatility ai_insights ai_insight_templates)
NEW_COLUMNS=(beta_calculated_90d beta_provider_1y realized_volatility_21d hhi target_price_return_eoy)

[ -x "$DBOPS" ] || { echo "FATAL: $DBOPS is not executable" >&2; exit 2; }
[ -d "$MIG/versions" ] || { echo "FATAL: no migrations in $MIG" >&2; exit 2; }
isolated_workdir cli-test


# ------------------------------------------------------------------ helpers

# run [VAR=VALUE...] ARGS...: runs dbops; sets RC, OUT, ERR (OUT/ERR also in files).
run() {
  local env=()
  while [[ $# -gt 0 && "$1" == *=* && "$1" != -* ]]; do env+=("$1"); shift; done
  set +e
  env "${env[@]}" "$DBOPS" "$@" >"$WORK/out" 2>"$WORK/err"
  RC=$?
  set -e
  OUT=$(cat "$WORK/out")
  ERR=$(cat "$WORK/err")
}

result_is() { eq "$RC:$OUT" "$1" || { echo "    stderr: $(head -c 600 "$WORK/err")"; return 1; }; } # "EXIT:STDOUT"
only_comments() { # only_comments FILE: every line is blank or starts with "--"
  local badlines; badlines=$(grep -nvE '^(--.*)?$' "$1" || true)
  [ -z "$badlines" ] || { echo "    lines that are neither blank nor comments:"; cat -v <<<"$badlines" | sed 's/^/      /'; return 1; }
}

# ------------------------------------------------------------------ version, help, usage
run --version
check "--version: exit 0" rc_is 0
check "--version: prints 'dbops X.Y.Z'" matches "$OUT" '^dbops [0-9]+\.[0-9]+\.[0-9]+$'
run -V
check "-V: same as --version" result_is "0:$("$DBOPS" --version)"

run --help
check "--help: exit 0" rc_is 0
check "--help: prints usage" matches "$OUT" '^Usage: dbops '
for c in check heads history new show sql; do
  check "--help: lists command '$c'" matches "$OUT" "^  $c +[A-Z]"
done

for c in history heads show check new sql; do
  run "$c" --help
  check "$c --help: exit 0" rc_is 0
  check "$c --help: usage names 'dbops $c'" matches "$OUT" "^Usage: dbops $c "
  check "$c --help: nothing on stderr" empty "$ERR"
done

run frobnicate
check "unknown command: exit 2" rc_is 2
check "unknown command: stderr names it" has "$ERR" "unknown command 'frobnicate'"
check "unknown command: nothing on stdout" empty "$OUT"
run
check "no command: exit 2" rc_is 2
run --no-such-option heads
check "unknown global option: exit 2" rc_is 2
check "unknown global option: stderr names it" has "$ERR" "--no-such-option"
run --migrations "$MIG" heads --no-such-flag
check "unknown command option: exit 2" rc_is 2
check "unknown command option: stderr names it" has "$ERR" "no-such-flag"
run --migrations "$MIG" sql sideways
check "sql with a bad direction: exit 2" rc_is 2

# ------------------------------------------------------------------ heads, history, show, check
run --migrations "$MIG" heads
check "heads: exit 0" rc_is 0
check "heads: prints exactly '$HEAD_REV (head)'" eq "$OUT" "$HEAD_REV (head)"

run heads --migrations "$MIG"
check "heads --migrations after the command: same output" result_is "0:$HEAD_REV (head)"

run --migrations "$MIG" history
HISTORY=$OUT
check "history: exit 0" rc_is 0
check "history: 33 lines" eq "$(wc -l <"$WORK/out")" 33
check "history: first line is the head" \
  eq "$(head -n 1 <<<"$HISTORY")" "5a9f6c1d0e84 -> $HEAD_REV (head), add latest snapshot lookup index"
check "history: last line starts with '<base> ->'" matches "$(tail -n 1 <<<"$HISTORY")" '^<base> -> '
check "history: last line is the base revision" eq "$(tail -n 1 <<<"$HISTORY")" "<base> -> a3f1c9e07b52, create users"
check "history: production revision listed once" eq "$(count_lines "$HISTORY" " -> $PROD_REV, ")" 1
check "history: every line is 'PARENT -> REV..., message'" \
  eq "$(count_lines "$HISTORY" '^(<base>|[0-9a-f]{12}) -> [0-9a-f]{12}( \(head\))?, .+$')" 33

run --migrations "$MIG" history --json
check "history --json: exit 0" rc_is 0
check "history --json: parses, 33 revisions" json_ok "$OUT" 'len(d["revisions"]) == 33'
check "history --json: newest first, base last" \
  json_ok "$OUT" 'd["revisions"][0]["revision"] == "'$HEAD_REV'" and d["revisions"][-1]["revision"] == "a3f1c9e07b52"'
check "history --json: same order as text history" \
  json_ok "$OUT" '[r["revision"] for r in d["revisions"]] == "'"$(sed -E 's/^.* -> ([0-9a-f]{12}).*$/\1/' <<<"$HISTORY" | tr '\n' ' ')"'".split()'

run --migrations "$MIG" history --verbose
check "history --verbose: exit 0, 33 'Rev:' entries" eq "$RC:$(count_lines "$OUT" '^Rev: ')" "0:33"

run --migrations "$MIG" heads --json
check "heads --json: exit 0" rc_is 0
check "heads --json: parses, one head $HEAD_REV" \
  json_ok "$OUT" 'len(d["heads"]) == 1 and d["heads"][0]["revision"] == "'$HEAD_REV'" and d["heads"][0]["is_head"]'

run --migrations "$MIG" show 19c5
check "show 19c5 (unique prefix): exit 0" rc_is 0
check "show 19c5: shows revision $PROD_REV" has "$OUT" "Rev: $PROD_REV"
check "show 19c5: shows its parent and message" eq "$(grep -E '^(Parent:|    )' <<<"$OUT" | tr -s ' ')" \
  "Parent: 4c9f1b8e7d26
 seed factor definitions"
run --migrations "$MIG" show 19c5 --json
check "show 19c5 --json: parses, the production revision" \
  json_ok "$OUT" 'len(d["revisions"]) == 1 and d["revisions"][0]["revision"] == "'$PROD_REV'" and d["revisions"][0]["down_revisions"] == ["4c9f1b8e7d26"]'
run --migrations "$MIG" show head
check "show head: the head revision" eq "$RC:$(head -n 1 <<<"$OUT")" "0:Rev: $HEAD_REV (head)"
run --migrations "$MIG" show
check "show without a revision: exit 2" rc_is 2

run --migrations "$MIG" check
check "check on the team migrations: exit 0" rc_is 0
check "check: reports 33 revisions and 1 head" matches "$OUT" '^OK: 33 revisions, [0-9]+ statements, 1 head\(s\)$'
run --migrations "$MIG" check --json
check "check --json: exit 0, ok, 33 revisions, no problems" \
  json_ok "$OUT" 'd["ok"] is True and d["revisions"] == 33 and d["problems"] == []'

# ------------------------------------------------------------------ sql upgrade
run --migrations "$MIG" sql upgrade --from "$PROD_REV" --to head
UP=$OUT
cp "$WORK/out" "$WORK/up.sql"
check "sql upgrade --from $PROD_REV --to head: exit 0" rc_is 0
check "sql upgrade: nothing on stderr" empty "$ERR"
check "sql upgrade: exactly 23 '-- Running upgrade' lines" eq "$(count_lines "$UP" '^-- Running upgrade ')" 23
check "sql upgrade: first step starts at $PROD_REV" \
  matches "$(grep -m1 -- '^-- Running upgrade' <<<"$UP")" "^-- Running upgrade $PROD_REV -> [0-9a-f]{12}$"
check "sql upgrade: last step ends at $HEAD_REV" \
  eq "$(grep -- '^-- Running upgrade' <<<"$UP" | tail -n 1)" "-- Running upgrade 5a9f6c1d0e84 -> $HEAD_REV"
check "sql upgrade: starts with 'BEGIN;'" eq "$(head -n 1 <<<"$UP")" "BEGIN;"
check "sql upgrade: ends with 'COMMIT;'" eq "$(grep -v '^$' <<<"$UP" | tail -n 1)" "COMMIT;"
check "sql upgrade: one transaction (1 BEGIN, 1 COMMIT)" \
  eq "$(count_lines "$UP" '^BEGIN;$')/$(count_lines "$UP" '^COMMIT;$')" "1/1"
for t in "${NEW_TABLES[@]}"; do
  check "sql upgrade: CREATE TABLE $t" matches "$UP" "^CREATE TABLE $t \("
done
for c in "${NEW_COLUMNS[@]}"; do
  check "sql upgrade: ADD COLUMN $c" matches "$UP" "ADD COLUMN $c "
done
check "sql upgrade: 23 version updates" eq "$(count_lines "$UP" '^UPDATE alembic_version SET version_num=')" 23
check "sql upgrade: last version update sets '$HEAD_REV'" \
  eq "$(grep '^UPDATE alembic_version' <<<"$UP" | tail -n 1)" \
  "UPDATE alembic_version SET version_num='$HEAD_REV' WHERE alembic_version.version_num = '5a9f6c1d0e84';"
check "sql upgrade: from $PROD_REV does not create the version table" lacks "$UP" "CREATE TABLE alembic_version"
check "sql upgrade: no INSERT into the version table" lacks "$UP" "INSERT INTO alembic_version"

run --migrations "$MIG" sql upgrade "$PROD_REV:head"
check "sql upgrade $PROD_REV:head: exit 0" rc_is 0
check "sql upgrade $PROD_REV:head: identical to --from/--to" cmp -s "$WORK/out" "$WORK/up.sql"
run --migrations "$MIG" sql upgrade "$PROD_REV:$HEAD_REV"
check "sql upgrade $PROD_REV:$HEAD_REV: identical too" cmp -s "$WORK/out" "$WORK/up.sql"
run --migrations "$MIG" sql upgrade "$PROD_REV:head" --to head
check "sql upgrade FROM:TO together with --to: exit 2" rc_is 2

run --migrations "$MIG" sql upgrade --from "$PROD_REV" --to head --transaction per-revision
PER=$OUT
check "sql upgrade --transaction per-revision: exit 0" rc_is 0
check "per-revision: 23 '-- Running upgrade' lines" eq "$(count_lines "$PER" '^-- Running upgrade ')" 23
check "per-revision: 23 BEGIN and 23 COMMIT" \
  eq "$(count_lines "$PER" '^BEGIN;$')/$(count_lines "$PER" '^COMMIT;$')" "23/23"
EXPECTED_PAIRS=$(for _ in $(seq 23); do printf 'BEGIN;\nCOMMIT;\n'; done)
check "per-revision: BEGIN/COMMIT alternate in pairs" eq "$(grep -E '^(BEGIN|COMMIT);$' <<<"$PER")" "$EXPECTED_PAIRS"
check "per-revision: each step is inside its own BEGIN ... COMMIT" \
  eq "$(grep -E '^(BEGIN;|COMMIT;|-- Running upgrade)' <<<"$PER" | sed -E 's/^-- Running.*/R/; s/;$//' | tr '\n' ' ')" \
     "$(for _ in $(seq 23); do printf 'BEGIN R COMMIT '; done)"
check "per-revision: same statements as one transaction" \
  eq "$(grep -Ev '^((BEGIN|COMMIT);|SET .*)?$' <<<"$PER")" "$(grep -Ev '^((BEGIN|COMMIT);|SET .*)?$' <<<"$UP")"
run --migrations "$MIG" sql upgrade --transaction sometimes
check "--transaction with a bad mode: exit 2" rc_is 2
check "--transaction with a bad mode: stderr names it" has "$ERR" "sometimes"

run --migrations "$MIG" sql upgrade
FULL=$OUT
check "sql upgrade (from base): exit 0" rc_is 0
check "sql upgrade from base: starts with 'BEGIN;'" eq "$(head -n 1 <<<"$FULL")" "BEGIN;"
check "sql upgrade from base: exact CREATE TABLE alembic_version line" \
  eq "$(grep '^CREATE TABLE alembic_version' <<<"$FULL")" \
  "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));"
check "sql upgrade from base: version table created before the first revision" \
  eq "$(grep -E '^(CREATE TABLE|-- Running)' <<<"$FULL" | head -n 2 | cut -c1-28)" \
  "CREATE TABLE alembic_version
-- Running upgrade  -> a3f1c"
check "sql upgrade from base: 33 steps" eq "$(count_lines "$FULL" '^-- Running upgrade ')" 33
check "sql upgrade from base: inserts the base revision" \
  eq "$(grep '^INSERT INTO alembic_version' <<<"$FULL")" "INSERT INTO alembic_version (version_num) VALUES ('a3f1c9e07b52') RETURNING alembic_version.version_num;"
check "sql upgrade from base: ends with 'COMMIT;'" eq "$(grep -v '^$' <<<"$FULL" | tail -n 1)" "COMMIT;"
check "sql upgrade from base: the second half equals --from $PROD_REV" \
  eq "$(sed -n "/^-- Running upgrade $PROD_REV ->/,\$p" <<<"$FULL")" "$(sed -n "/^-- Running upgrade $PROD_REV ->/,\$p" <<<"$UP")"

run --migrations "$MIG" sql upgrade --from "$PROD_REV" --to head --plan-json
check "sql --plan-json: exit 0, parses, 23 upgrade steps ending at head" \
  json_ok "$OUT" 'd["direction"] == "upgrade" and len(d["steps"]) == 23 and d["start_heads"] == ["'$PROD_REV'"] and d["end_heads"] == ["'$HEAD_REV'"]'

# ------------------------------------------------------------------ sql downgrade
run --migrations "$MIG" sql downgrade --from head --to "$PROD_REV"
DOWN=$OUT
check "sql downgrade --from head --to $PROD_REV: exit 0" rc_is 0
check "sql downgrade: 23 '-- Running downgrade' lines" eq "$(count_lines "$DOWN" '^-- Running downgrade ')" 23
check "sql downgrade: last version update sets '$PROD_REV'" \
  eq "$(grep '^UPDATE alembic_version' <<<"$DOWN" | tail -n 1)" \
  "UPDATE alembic_version SET version_num='$PROD_REV' WHERE alembic_version.version_num = '0b7e3d9a2c45';"
for t in "${NEW_TABLES[@]}"; do
  check "sql downgrade: DROP TABLE $t" matches "$DOWN" "^DROP TABLE $t;"
done
run --migrations "$MIG" sql downgrade --from head --to base
check "sql downgrade to base: exit 0, 33 steps" eq "$RC:$(count_lines "$OUT" '^-- Running downgrade ')" "0:33"
check "sql downgrade to base: drops the version table last, then commits" \
  eq "$(grep -v '^$' <<<"$OUT" | tail -n 2)" "DROP TABLE alembic_version;
COMMIT;"
run --migrations "$MIG" sql downgrade --from head
check "sql downgrade without --to: exit 2" rc_is 2

# ------------------------------------------------------------------ unknown and ambiguous revisions
run --migrations "$MIG" sql upgrade --to zzzzzz
check "sql upgrade --to zzzzzz: exit 2" rc_is 2
check "sql upgrade --to zzzzzz: stderr names 'zzzzzz'" has "$ERR" "'zzzzzz'"
check "sql upgrade --to zzzzzz: no SQL on stdout" empty "$OUT"
run --migrations "$MIG" sql upgrade --from zzzzzz
check "sql upgrade --from zzzzzz: exit 2, names it" eq "$RC:$(grep -c zzzzzz <<<"$ERR")" "2:1"
run --migrations "$MIG" show zzzzzz
check "show zzzzzz: exit 2, names it" eq "$RC:$(grep -c "'zzzzzz'" <<<"$ERR")" "2:1"

AMB="$DATA/ambiguous_prefix"
run --migrations "$AMB" heads
check "ambiguous_prefix fixture loads (heads: exit 0)" result_is "0:abcd12340002 (head)"
run --migrations "$AMB" show abcd1234
check "show with an ambiguous prefix: exit 2" rc_is 2
check "ambiguous prefix: stderr lists abcd12340001" has "$ERR" "abcd12340001"
check "ambiguous prefix: stderr lists abcd12340002" has "$ERR" "abcd12340002"
check "ambiguous prefix: stderr says ambiguous" has "$ERR" "ambiguous"
run --migrations "$AMB" sql upgrade --to abcd
check "sql upgrade --to an ambiguous prefix: exit 2, lists both" \
  eq "$RC:$(grep -c 'abcd12340001.*abcd12340002' <<<"$ERR")" "2:1"
check "sql upgrade --to an ambiguous prefix: no SQL on stdout" empty "$OUT"
run --migrations "$AMB" show abcd12340001
check "a full id that is also a prefix of nothing else resolves" eq "$RC:$(head -n 1 <<<"$OUT")" "0:Rev: abcd12340001"

# ------------------------------------------------------------------ malformed repositories: file:line
# expect_error FIXTURE FILE LINE[:COLUMN] COMMAND...: exit 2 and stderr starts an error
# with "<fixture>/versions/FILE:LINE:" (the path as given to --migrations).
expect_error() {
  local fixture=$1 file=$2 where=$3; shift 3
  local path="$DATA/$fixture/versions/$file"
  [ -f "$path" ] || { echo "    fixture file $path is missing"; return 1; }
  run --migrations "$DATA/$fixture" "$@"
  rc_is 2 || return 1
  has "$ERR" "dbops: error: $path:$where: " || return 1
  # only the broken file is blamed, never the valid base revision next to it
  lacks "$ERR" "0001_1a2b3c4d5e6f_create_widgets.sql" || return 1
  empty "$OUT"
}
# fixture | file | line | what
MALFORMED=(
  "missing_header|0002_2b3c4d5e6f70_no_message.sql|1|missing header '-- message"
  "duplicate_key|0002_2b3c4d5e6f70_duplicate_message.sql|4|duplicate header 'message'"
  "unknown_key|0002_2b3c4d5e6f70_unknown_key.sql|5|unknown header 'author'"
  "empty_upgrade|0002_2b3c4d5e6f70_empty_upgrade.sql|6|empty upgrade section"
  # The file has 4 lines and no section markers: the error is on its last line
  # (line 4), never on a line past the end of the file.
  "no_sections|0002_2b3c4d5e6f70_no_sections.sql|4|both sections are missing"
  "bad_revision_id|0002_bad_revision_id.sql|1|bad revision id '2b3c-4d5e6f7'"
  "missing_parent|0002_2b3c4d5e6f70_missing_parent.sql|2|down_revision 0f0f0f0f0f0f"
  # cycle: 2b3c4d5e6f70 <-> 3c4d5e6f7081; down_revision is on line 3 of the first file
  "cycle|0002_2b3c4d5e6f70_cycle_a.sql|3|revision cycle"
)
for entry in "${MALFORMED[@]}"; do
  IFS='|' read -r fixture file line what <<<"$entry"
  for cmd in heads check "sql upgrade"; do
    # shellcheck disable=SC2086
    check "$fixture: '$cmd' exits 2 with $file:$line:" expect_error "$fixture" "$file" "$line" $cmd
    check "$fixture: '$cmd' explains: $what" has "$ERR" "$what"
  done
done

# Statement problems only the parser finds: the file loads, `check` and `sql` refuse it.
run --migrations "$DATA/syntax_error" heads
check "syntax_error: the file itself loads (heads: exit 0)" result_is "0:2b3c4d5e6f70 (head)"
for cmd in check "sql upgrade"; do
  # shellcheck disable=SC2086
  check "syntax_error: '$cmd' exits 2 at 0002_…_syntax_error.sql:9:24 (the doubled comma)" \
    expect_error syntax_error 0002_2b3c4d5e6f70_syntax_error.sql 9:24 $cmd
  check "syntax_error: '$cmd' explains: syntax error" has "$ERR" 'syntax error at or near ","'
  # shellcheck disable=SC2086
  check "concurrently: '$cmd' exits 2 at 0002_…_concurrent_index.sql:8:1" \
    expect_error concurrently 0002_2b3c4d5e6f70_concurrent_index.sql 8:1 $cmd
  check "concurrently: '$cmd' asks for '-- transactional: false'" has "$ERR" "transactional: false"
done
# With '-- transactional: false' the same statement is fine, and runs outside a transaction block.
NT="$DATA/nontransactional"
run --migrations "$NT" check
check "nontransactional: check passes" matches "$RC:$OUT" '^0:OK: 3 revisions, 6 statements, 1 head\(s\)$'
# in_transaction TEXT LINE: "in" or "out" of a BEGIN ... COMMIT block at the first line equal to LINE
in_transaction() { awk -v l="$2" '/^BEGIN;$/ { t = 1 } /^COMMIT;$/ { t = 0 } $0 == l { print (t ? "in" : "out"); exit }' <<<"$1"; }
for mode in all per-revision; do
  run --migrations "$NT" sql upgrade --transaction "$mode"
  check "nontransactional [$mode]: sql upgrade exit 0" rc_is 0
  check "nontransactional [$mode]: CREATE INDEX CONCURRENTLY outside any transaction block" \
    eq "$(in_transaction "$OUT" "CREATE INDEX CONCURRENTLY ix_widgets_name ON widgets (name);")" out
  check "nontransactional [$mode]: its version update too" \
    eq "$(in_transaction "$OUT" "UPDATE alembic_version SET version_num='2b3c4d5e6f70' WHERE alembic_version.version_num = '1a2b3c4d5e6f';")" out
  check "nontransactional [$mode]: the revisions around it inside transactions" \
    eq "$(in_transaction "$OUT" "CREATE TABLE widgets (")/$(in_transaction "$OUT" "ALTER TABLE widgets ADD COLUMN color text;")" in/in
done
run --migrations "$NT" sql downgrade --to base
check "nontransactional: sql downgrade runs DROP INDEX CONCURRENTLY outside a transaction block" \
  eq "$RC:$(in_transaction "$OUT" "DROP INDEX CONCURRENTLY ix_widgets_name;")" "0:out"

# Problems the SQL splitter finds (an unterminated quote, a psql meta-command):
# the graph needs no SQL, so heads / history / show work; every command that
# needs the SQL reports each of them at file:line.
SPLIT="$WORK/split-errors"
cp -r "$DATA/valid" "$SPLIT"
printf '\\echo adding color\n' >>"$SPLIT/versions/0002_2b3c4d5e6f70_add_widget_color.sql"
sed -i 's/^\(-- +upgrade\)$/\1\nSELECT '"'"'unterminated;/' "$SPLIT"/versions/0003_*.sql
run --migrations "$SPLIT" heads
check "split errors: heads needs no SQL (exit 0)" result_is "0:3c4d5e6f7081 (head)"
run --migrations "$SPLIT" history
check "split errors: history needs no SQL (exit 0, 3 lines)" eq "$RC:$(wc -l <"$WORK/out")" "0:3"
run --migrations "$SPLIT" show 2b3c
check "split errors: show needs no SQL (exit 0)" rc_is 0
for cmd in check "sql upgrade" "sql upgrade --plan-json"; do
  # shellcheck disable=SC2086
  run --migrations "$SPLIT" $cmd
  check "split errors: '$cmd' exits 2 with nothing on stdout" eq "$RC:$OUT" "2:"
  check "split errors: '$cmd' names the meta-command at 0002_…:11:1" \
    has "$ERR" "$SPLIT/versions/0002_2b3c4d5e6f70_add_widget_color.sql:11:1: psql meta-command \\echo"
  check "split errors: '$cmd' names the unterminated quote at 0003_…:7" \
    matches "$ERR" "$SPLIT/versions/0003_[0-9a-f]{12}_[a-z_]+\.sql:7:[0-9]+: unterminated quoted string"
done
run --migrations "$SPLIT" check --json
check "split errors: check --json lists both problems" \
  json_ok "$OUT" 'd["ok"] is False and [p["line"] for p in d["problems"]] == [11, 7]'

run --migrations "$DATA/syntax_error" check --json
check "check --json on a broken repository: exit 2" rc_is 2
check "check --json on a broken repository: problem with file, line and column" \
  json_ok "$OUT" 'd["ok"] is False and len(d["problems"]) == 1 and d["problems"][0]["file"].endswith("/syntax_error/versions/0002_2b3c4d5e6f70_syntax_error.sql") and (d["problems"][0]["line"], d["problems"][0]["column"]) == (9, 24)'
run --migrations "$DATA/cycle" check --json
check "check --json on a cycle: exit 2, problem at line 3 of cycle_a" \
  eq "$RC:$(python3 -c 'import json,sys; p=json.load(sys.stdin)["problems"][0]; print(p["file"].rsplit("/",1)[-1], p["line"])' <<<"$OUT" 2>&1)" \
     "2:0002_2b3c4d5e6f70_cycle_a.sql 3"
run --migrations "$WORK/does-not-exist" heads
check "missing repository: exit 2, names the directory" eq "$RC:$(grep -c "$WORK/does-not-exist" <<<"$ERR")" "2:1"

# ------------------------------------------------------------------ files that are not UTF-8
# Latin-1 bytes are refused when a file is read, by every command, at
# file:line:column of the first one; never decoded to U+FFFD and sent on.
not_utf8() { ! /usr/bin/python3 -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8")' "$1" 2>/dev/null; }
# fixture | file | line:column | why
NOT_UTF8=(
  "not_utf8|0002_2b3c4d5e6f70_latin1_comment.sql|7:33|byte 0xE9 starts a 3-byte sequence, but byte 0x27 follows"
  "not_utf8_message|0002_2b3c4d5e6f70_latin1_message.sql|3:32|byte 0xE9 starts a 3-byte sequence, but the line ends"
)
for entry in "${NOT_UTF8[@]}"; do
  IFS='|' read -r fixture file where what <<<"$entry"
  check "$fixture: the fixture holds Latin-1, not UTF-8" not_utf8 "$DATA/$fixture/versions/$file"
  for cmd in heads check "sql upgrade" "upgrade --sql"; do
    # shellcheck disable=SC2086
    check "$fixture: '$cmd' exits 2 at $file:$where" expect_error "$fixture" "$file" "$where" $cmd
    check "$fixture: '$cmd' explains: not valid UTF-8: $what" has "$ERR" "not valid UTF-8: $what"
  done
done

# ------------------------------------------------------------------ symbolic links in versions/
# A folder of revisions linked into versions/ is read like a real one, as a
# linked file is; a link to nothing, or back to a folder already read, is an
# error naming the link, never skipped.
LINKED="$WORK/linked"
mkdir -p "$LINKED/repo/versions" "$LINKED/shared/later" "$LINKED/files"
cp "$DATA"/valid/versions/0001_*.sql "$LINKED/repo/versions/"
cp "$DATA"/valid/versions/0002_*.sql "$LINKED/shared/later/"
cp "$DATA"/valid/versions/0003_*.sql "$LINKED/files/"
ln -s ../../shared "$LINKED/repo/versions/shared"
ln -s "$(ls "$LINKED"/files/0003_*.sql)" "$LINKED/repo/versions/0003.sql"
run --migrations "$LINKED/repo" heads
check "symlinked folder: its revision is in the graph (heads: 3c4d5e6f7081)" result_is "0:3c4d5e6f7081 (head)"
run --migrations "$LINKED/repo" history
check "symlinked folder: history lists all 3 revisions" \
  eq "$RC:$(sed -E 's/^.* -> ([0-9a-f]{12}).*$/\1/' <<<"$OUT" | sort | tr '\n' ' ')" \
     "0:1a2b3c4d5e6f 2b3c4d5e6f70 3c4d5e6f7081 "
run --migrations "$LINKED/repo" check
check "symlinked folder: check passes with 3 revisions" \
  matches "$RC:$OUT" '^0:OK: 3 revisions, [0-9]+ statements, 1 head\(s\)$'
run --migrations "$LINKED/repo" show 2b3c --json
check "symlinked folder: the revision's file is the path through the link" \
  json_ok "$OUT" 'd["revisions"][0]["file"] == "'"$LINKED/repo/versions/shared/later/"'0002_2b3c4d5e6f70_add_widget_color.sql"'
ln -s ../../moved-away "$LINKED/repo/versions/gone"
run --migrations "$LINKED/repo" heads
check "link to nothing: exit 2, names the link" \
  eq "$RC:$(grep -c "^dbops: error: $LINKED/repo/versions/gone: symbolic link to nothing: it points to '../../moved-away', which does not exist$" <<<"$ERR")" "2:1"
rm "$LINKED/repo/versions/gone"
ln -s ../repo/versions "$LINKED/shared/back"
run --migrations "$LINKED/repo" heads
check "link loop: exit 2, names the link back" \
  eq "$RC:$(grep -c "^dbops: error: $LINKED/repo/versions/shared/back: the same folder as '$LINKED/repo/versions' (.*): a symbolic link loop" <<<"$ERR")" "2:1"
rm "$LINKED/shared/back"

# ------------------------------------------------------------------ an Alembic env.py's version table
# It goes into the SQL dbops prints, so it must be a plain identifier: refused
# at env.py:line before anything is rendered.
ALEMBIC_COPY="$WORK/alembic-injection"
cp -r "$SRC/tests/alembic/bridge_project" "$ALEMBIC_COPY"
sed -i 's/^\(        dialect_name="postgresql",\)$/\1\n        version_table="av; DROP TABLE users; --",/' "$ALEMBIC_COPY/env.py"
ENV_LINE=$(grep -n 'version_table="av; DROP' "$ALEMBIC_COPY/env.py" | cut -d: -f1)
check "env.py injection: the fixture sets version_table" matches "${ENV_LINE:-none}" '^[0-9]+$'
for cmd in heads "sql upgrade --to heads"; do
  # shellcheck disable=SC2086
  run --alembic "$ALEMBIC_COPY" $cmd
  check "env.py injection: '$cmd' exits 2 with nothing on stdout" eq "$RC:$OUT" "2:"
  check "env.py injection: '$cmd' names env.py:$ENV_LINE" \
    has "$ERR" "dbops: error: $ALEMBIC_COPY/env.py:$ENV_LINE: env.py sets version_table to 'av; DROP TABLE users; --': "
done

# ------------------------------------------------------------------ DBOPS_MIGRATIONS
run DBOPS_MIGRATIONS="$DATA/valid" heads
check "DBOPS_MIGRATIONS selects the repository (heads)" result_is "0:3c4d5e6f7081 (head)"
run DBOPS_MIGRATIONS="$DATA/valid" history
check "DBOPS_MIGRATIONS: history of the fixture (3 lines)" eq "$RC:$(wc -l <"$WORK/out")" "0:3"
run DBOPS_MIGRATIONS="$DATA/valid" sql upgrade
check "DBOPS_MIGRATIONS: sql upgrade of the fixture (3 steps)" eq "$RC:$(count_lines "$OUT" '^-- Running upgrade ')" "0:3"
run DBOPS_MIGRATIONS="$DATA/valid" --migrations "$MIG" heads
check "--migrations overrides DBOPS_MIGRATIONS" result_is "0:$HEAD_REV (head)"
run DBOPS_MIGRATIONS="$DATA/cycle" heads
check "DBOPS_MIGRATIONS with a broken repository: exit 2, names its file" \
  eq "$RC:$(grep -c "$DATA/cycle/versions/0002_2b3c4d5e6f70_cycle_a.sql:3:" <<<"$ERR")" "2:1"
run --migrations "$DATA/valid/versions" heads
check "--migrations may name the versions/ folder itself" result_is "0:3c4d5e6f7081 (head)"

# ------------------------------------------------------------------ new
REPO="$WORK/new-repo"
cp -r "$DATA/valid" "$REPO"
run --migrations "$REPO" new
check "new without -m: exit 2" rc_is 2
check "new without -m: no file written" eq "$(ls "$REPO/versions" | wc -l)" 3
run --migrations "$REPO" new -m "add gizmo index"
check "new -m: exit 0" rc_is 0
NEW_FILES=$(find "$REPO/versions" -name '*.sql' ! -name '000[123]_*' -printf '%f\n')
check "new -m: exactly one new file" eq "$(grep -c . <<<"$NEW_FILES")" 1
NEW_FILE="$REPO/versions/$NEW_FILES"
if [ ! -f "$NEW_FILE" ]; then NEW_FILE="$WORK/no-new-file"; : >"$NEW_FILE"; fi # keep going when `new` wrote nothing
hdr() { sed -n "s/^-- $1: //p" "$NEW_FILE"; }
NEW_ID=$(hdr revision)
check "new: revision header is 12 lowercase hex digits" matches "$NEW_ID" '^[0-9a-f]{12}$'
check "new: down_revision is the previous head 3c4d5e6f7081" eq "$(hdr down_revision)" "3c4d5e6f7081"
check "new: message header" eq "$(hdr message)" "add gizmo index"
check "new: create_date header" matches "$(hdr create_date)" '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$'
check "new: file name is 0004_<id>_add_gizmo_index.sql" eq "$NEW_FILES" "0004_${NEW_ID}_add_gizmo_index.sql"
check "new: stdout reports the new id" matches "$OUT" "^Created $NEW_ID: "
check "new: has '-- +upgrade' and '-- +downgrade' markers" \
  eq "$(grep -cxE -- '-- \+(upgrade|downgrade)' "$NEW_FILE")" 2
check "new: file is valid UTF-8" python3 -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8")' "$NEW_FILE"
check "new: every line is blank or an SQL comment (placeholders, no garbage)" \
  only_comments "$NEW_FILE"
# A fresh template is a draft: its upgrade section holds only a placeholder
# comment, so the repository refuses to load (naming the file and the
# '-- +upgrade' line) until the author writes statements; a half-written
# revision can never be planned or run.
run --migrations "$REPO" heads
check "new: the draft is reported as an empty upgrade section at file:6" \
  matches "$RC:$ERR" "^2:.*$(basename "$NEW_FILE"):6: empty upgrade section"
run --migrations "$REPO" sql upgrade
check "new: no SQL is printed for a repository with a draft" eq "$RC:$OUT" "2:"
write_new_file() { # write_new_file UPGRADE_BODY DOWNGRADE_BODY
  { grep -E '^-- (revision|down_revision|message|create_date): ' "$NEW_FILE"
    printf '\n-- +upgrade\n%s\n\n-- +downgrade\n%s\n' "$1" "$2"; } >"$WORK/new-file.sql"
  mv "$WORK/new-file.sql" "$NEW_FILE"
}

# Once the new revision has statements, it is a regular revision.
write_new_file "CREATE INDEX ix_gadgets_widget ON gadgets (widget_id);" "DROP INDEX ix_gadgets_widget;"
run --migrations "$REPO" heads
check "new + statements filled in: heads shows the new id" result_is "0:$NEW_ID (head)"
run --migrations "$REPO" check
check "new + statements filled in: check passes with 4 revisions" matches "$RC:$OUT" '^0:OK: 4 revisions, 8 statements, 1 head\(s\)$'
run --migrations "$REPO" new -m "second one" --head 2b3c
check "new --head 2b3c (prefix): exit 0" rc_is 0
SECOND=$(find "$REPO/versions" -name '*_second_one.sql' -printf '%f\n')
check "new --head 2b3c: down_revision is 2b3c4d5e6f70" \
  eq "$( [ -n "$SECOND" ] && sed -n 's/^-- down_revision: //p' "$REPO/versions/$SECOND")" "2b3c4d5e6f70"

finish
