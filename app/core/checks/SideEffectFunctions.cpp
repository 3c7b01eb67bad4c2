#include "checks/SideEffectFunctions.h"

#include "sql/SqlParser.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <algorithm>

namespace dbops {

namespace {

// One family of functions: a pattern over the unqualified name (matched
// whole, any case) and why a check must not call any of them.  The READ ONLY
// transaction already refuses what writes tables; these are what it lets
// through, or what lasts beyond its ROLLBACK.
struct Family
{
    const char* names;
    const char* reason;
};

const Family kFamilies[] = {
    // A signal to another backend is not a write: READ ONLY lets it through.
    { "pg_terminate_backend|pg_cancel_backend", "it ends or cancels another session's work" },
    // Server-wide actions that no transaction owns and no ROLLBACK undoes.
    { "pg_reload_conf|pg_rotate_logfile(?:_old)?|pg_switch_wal|pg_switch_xlog|pg_promote"
      "|pg_create_restore_point|pg_(?:wal|xlog)_replay_(?:pause|resume)|pg_log_backend_memory_contexts"
      "|pg_backup_start|pg_backup_stop|pg_start_backup|pg_stop_backup",
        "it acts on the whole server (configuration, WAL, log files, backups), outside any transaction" },
    // Statistics resets are not transactional either.
    { "pg_stat_reset\\w*|pg_stat_statements_reset", "it resets the server's statistics for good" },
    // A setting changed mid-run could lift the checks' own statement timeout.
    { "set_config", "it changes a setting of the session, such as the checks' statement timeout" },
    // Session-level advisory locks outlive the ROLLBACK; any of them blocks
    // other sessions (dbops's own migration lock is an advisory lock).
    { "pg_\\w*advisory\\w*",
        "advisory locks block other sessions, and session-level ones outlive the transaction" },
    // dblink's connection is its own, neither read-only nor rolled back.
    { "dblink\\w*", "it opens a connection of its own, which is not read-only" },
    // lo_import/lo_export read and write files on the server; the rest
    // create, change or delete large objects.
    { "lo_\\w+|loread|lowrite", "large-object functions read and write server files and large objects" },
    // NOTIFY's function form: a check has nothing to announce.
    { "pg_notify", "it sends a notification to listening sessions" },
    // Replication slots and origins are not transactional: a slot created
    // by a check survives the ROLLBACK and holds WAL until the disk fills.
    { "pg_(?:create_(?:physical|logical)|drop|copy_(?:physical|logical))_replication_slot"
      "|pg_replication_slot_advance|pg_logical_slot_get_(?:binary_)?changes|pg_logical_emit_message"
      "|pg_replication_origin_(?:create|drop|advance|session_setup|session_reset|xact_setup|xact_reset)",
        "replication slots and origins change outside the transaction" },
    // Sequences are not transactional, and assigning a transaction id is a write.
    { "nextval|setval|txid_current|pg_current_xact_id",
        "it moves a sequence or assigns a transaction id, which no ROLLBACK undoes" },
    // They run SQL given as text, which the parse tree cannot see into.
    { "query_to_xml\\w*|cursor_to_xml\\w*|ts_stat",
        "it runs SQL given as a string, which cannot be checked" },
    // adminpack writes, renames and deletes files on the server.
    { "pg_file_(?:write|rename|unlink|sync)", "it writes, renames or deletes files on the server" },
};

struct CompiledFamily
{
    QRegularExpression pattern;
    QString reason;
};

const QList<CompiledFamily>& families()
{
    static const QList<CompiledFamily> compiled = [] {
        QList<CompiledFamily> list;
        for (const Family& family : kFamilies)
            list.append(CompiledFamily {
                QRegularExpression(QStringLiteral("^(?:%1)$").arg(QLatin1String(family.names)),
                    QRegularExpression::CaseInsensitiveOption),
                QLatin1String(family.reason) });
        return list;
    }();
    return compiled;
}

// A String node's text: {"String":{"sval":"x"}} (libpg_query for PostgreSQL
// 15 and later), {"String":{"str":"x"}} (earlier ones).
QString stringNode(const QJsonValue& node)
{
    const QJsonObject string = node.toObject().value(QLatin1String("String")).toObject();
    return string.contains(QLatin1String("sval")) ? string.value(QLatin1String("sval")).toString()
                                                  : string.value(QLatin1String("str")).toString();
}

// Collects every FuncCall ({"funcname":[String..],"location":BYTES}) under `node`.
void collectCalls(const QJsonValue& node, QList<std::pair<QStringList, int>>* calls)
{
    if (node.isArray()) {
        const QJsonArray array = node.toArray();
        for (const QJsonValue& item : array)
            collectCalls(item, calls);
        return;
    }
    if (!node.isObject())
        return;
    const QJsonObject object = node.toObject();
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        if (it.key() == QLatin1String("FuncCall") && it.value().isObject()) {
            const QJsonObject call = it.value().toObject();
            QStringList name;
            const QJsonArray parts = call.value(QLatin1String("funcname")).toArray();
            for (const QJsonValue& part : parts)
                name.append(stringNode(part));
            calls->append({ name, call.value(QLatin1String("location")).toInt(-1) });
        }
        collectCalls(it.value(), calls);
    }
}

} // namespace

std::optional<QString> SideEffectFunctions::reasonFor(const QString& functionName)
{
    for (const CompiledFamily& family : families()) {
        if (family.pattern.match(functionName).hasMatch())
            return family.reason;
    }
    return std::nullopt;
}

Result<QList<SideEffectFunctions::Call>> SideEffectFunctions::find(const QString& sql)
{
    const QByteArray tree = SqlParser::parseTreeJson(sql);
    if (tree.isEmpty())
        return Error::input(QStringLiteral("the statement does not parse"));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(tree, &parseError);
    if (document.isNull())
        return Error::input(
            QStringLiteral("its parse tree cannot be read (%1)").arg(parseError.errorString()));

    QList<std::pair<QStringList, int>> calls;
    collectCalls(document.object().value(QLatin1String("stmts")), &calls);
    const QByteArray utf8 = sql.toUtf8();
    QList<Call> found;
    for (const auto& [name, location] : std::as_const(calls)) {
        if (name.isEmpty())
            continue;
        const std::optional<QString> reason = reasonFor(name.constLast());
        if (!reason)
            continue;
        // libpg_query's locations are UTF-8 byte offsets.
        const int offset = location < 0 ? 0 : static_cast<int>(QString::fromUtf8(utf8.left(location)).size());
        found.append(Call { name.join(QLatin1Char('.')), *reason, offset });
    }
    std::stable_sort(
        found.begin(), found.end(), [](const Call& a, const Call& b) { return a.offset < b.offset; });
    return found;
}

std::optional<Error> SideEffectFunctions::refuse(
    const SqlStatement& statement, const QString& what, const QString& path)
{
    const Result<QList<Call>> calls = find(statement.text);
    if (!calls)
        return Error::input(
            QStringLiteral("cannot tell which functions %1 calls: %2").arg(what, calls.error().message), path,
            statement.line, statement.column);
    if (calls->isEmpty())
        return std::nullopt;
    const Call& call = calls->constFirst();
    int line = 0;
    int column = 0;
    statement.locate(call.offset + 1, &line, &column);
    return Error::input(
        QStringLiteral("%1 must not call %2(): %3").arg(what, call.name, call.reason), path, line, column);
}

} // namespace dbops
