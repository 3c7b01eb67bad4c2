#include "alembic/AlembicOfflineScript.h"

#include "sql/SqlParser.h"

#include <QRegularExpression>
#include <algorithm>
#include <optional>

namespace dbops {

namespace {

struct Marker
{
    int offset = 0; ///< character offset of the comment
    AlembicScriptBlock::Direction direction = AlembicScriptBlock::Direction::Upgrade;
    QString revisionId;
    QStringList parentIds;
};

// Alembic's MigrationStep.short_log: "-- Running upgrade a, b -> c", with an
// empty side for a base ("-- Running upgrade  -> a", "-- Running downgrade a -> ").
const QRegularExpression& markerPattern()
{
    static const QRegularExpression pattern(QStringLiteral(
        "^--\\s*Running (upgrade|downgrade) ([A-Za-z0-9_, ]*?)\\s*->\\s*([A-Za-z0-9_, ]*?)\\s*$"));
    return pattern;
}

const QRegularExpression& markerLikePattern()
{
    static const QRegularExpression pattern(QStringLiteral("^--\\s*Running\\s+(upgrade|downgrade)\\b"));
    return pattern;
}

QStringList idList(const QString& text)
{
    QStringList ids;
    for (const QString& part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString id = part.trimmed();
        if (!id.isEmpty())
            ids.append(id);
    }
    return ids;
}

// nullopt: not a marker-like comment; an Error: looks like a marker but does not parse.
std::optional<Result<Marker>> parseMarker(const QString& comment, int offset)
{
    const QString text = comment.trimmed();
    if (!markerLikePattern().match(text).hasMatch())
        return std::nullopt;
    const QRegularExpressionMatch match = markerPattern().match(text);
    if (!match.hasMatch())
        return Result<Marker>(Error::input(QStringLiteral("cannot read Alembic's marker '%1' (expected "
                                                          "'-- Running upgrade PARENTS -> REVISION' or "
                                                          "'-- Running downgrade REVISION -> PARENTS')")
                                               .arg(text)));
    Marker marker;
    marker.offset = offset;
    const bool upgrade = match.captured(1) == QLatin1String("upgrade");
    marker.direction
        = upgrade ? AlembicScriptBlock::Direction::Upgrade : AlembicScriptBlock::Direction::Downgrade;
    const QStringList from = idList(match.captured(2));
    const QStringList to = idList(match.captured(3));
    const QStringList& revision = upgrade ? to : from;
    if (revision.size() != 1)
        return Result<Marker>(
            Error::input(QStringLiteral("Alembic's marker '%1' names %2 revisions where one is expected")
                             .arg(text)
                             .arg(revision.size())));
    marker.revisionId = revision.constFirst();
    marker.parentIds = upgrade ? from : to;
    return Result<Marker>(marker);
}

int lineOfOffset(const QString& text, int offset, int firstLine = 1)
{
    return firstLine
        + static_cast<int>(
            std::count(text.cbegin(), text.cbegin() + std::min<int>(offset, text.size()), QLatin1Char('\n')));
}

// Every marker comment in the text, found with PostgreSQL's scanner so a
// marker-like line inside a string or a dollar-quoted body is not one.
Result<QList<Marker>> findMarkers(const QString& text, const QString& fileName)
{
    QList<Marker> markers;
    for (const SqlToken& token : SqlParser::scan(text)) {
        if (token.kind != SqlTokenKind::Comment)
            continue;
        const QString comment = text.mid(token.start, token.length);
        std::optional<Result<Marker>> marker = parseMarker(comment, token.start);
        if (!marker)
            continue;
        if (!*marker) {
            Error error = marker->error();
            error.file = fileName;
            error.line = lineOfOffset(text, token.start);
            return error;
        }
        markers.append(marker->value());
    }
    return markers;
}

bool isVersionTableStatement(const StatementTraits& traits, const QString& versionTable)
{
    if (traits.targetRelation.isEmpty())
        return false;
    const QString name = traits.targetRelation.section(QLatin1Char('.'), -1);
    return name == versionTable;
}

// The version Alembic's `UPDATE ... WHERE version_num = 'X'` or `DELETE ...
// WHERE version_num = 'X'` takes out: the statement's last string literal.
QString replacedVersion(const QString& statement, const StatementTraits& traits)
{
    if (traits.nodeType != QLatin1String("UpdateStmt") && traits.nodeType != QLatin1String("DeleteStmt"))
        return {};
    const SqlTokenList tokens = SqlParser::scan(statement);
    for (auto it = tokens.crbegin(); it != tokens.crend(); ++it) {
        if (it->kind != SqlTokenKind::String)
            continue;
        const QString literal = statement.mid(it->start, it->length);
        if (literal.size() >= 2 && literal.startsWith(QLatin1Char('\''))
            && literal.endsWith(QLatin1Char('\'')))
            return literal.mid(1, literal.size() - 2);
        return {};
    }
    return {};
}

enum class Framing
{
    None,
    Begin,
    Commit
};

Framing framingOf(const StatementTraits& traits)
{
    if (!traits.isTransactionControl)
        return Framing::None;
    if (traits.description == QLatin1String("BEGIN") || traits.description == QLatin1String("START"))
        return Framing::Begin;
    if (traits.description == QLatin1String("COMMIT") || traits.description == QLatin1String("END"))
        return Framing::Commit;
    return Framing::None; // ROLLBACK, SAVEPOINT ...: kept, so the validator names them
}

} // namespace

Result<AlembicScriptBlockList> AlembicOfflineScript::parse(
    const QString& text, const QString& fileName, const QString& versionTable)
{
    Result<SqlStatementList> statements = SqlParser::split(text, fileName, 1);
    if (!statements)
        return statements.error();
    Result<QList<Marker>> markers = findMarkers(text, fileName);
    if (!markers)
        return markers.error();

    AlembicScriptBlockList blocks;
    for (const Marker& marker : std::as_const(*markers)) {
        AlembicScriptBlock block;
        block.direction = marker.direction;
        block.revisionId = marker.revisionId;
        block.parentIds = marker.parentIds;
        block.markerLine = lineOfOffset(text, marker.offset);
        blocks.append(block);
    }

    bool sawBegin = false;
    bool inTransaction = false;
    int nextMarker = 0; // index of the first marker after the current statement
    for (const SqlStatement& statement : std::as_const(*statements)) {
        const int end = statement.offset + static_cast<int>(statement.text.size());
        while (nextMarker < markers->size() && markers->at(nextMarker).offset < statement.offset)
            ++nextMarker;
        if (nextMarker < markers->size() && markers->at(nextMarker).offset < end) {
            return Error::input(
                QStringLiteral("Alembic's marker is inside a statement: the statement before it does "
                               "not end with ';'"),
                fileName, blocks.at(nextMarker).markerLine);
        }
        const int blockIndex = nextMarker - 1;
        const StatementTraits traits = SqlParser::classify(statement.text);
        switch (framingOf(traits)) {
        case Framing::Begin:
            sawBegin = true;
            inTransaction = true;
            continue;
        case Framing::Commit:
            inTransaction = false;
            continue;
        case Framing::None:
            break;
        }
        if (isVersionTableStatement(traits, versionTable)) {
            const QString replaced = replacedVersion(statement.text, traits);
            if (blockIndex >= 0 && !replaced.isEmpty())
                blocks[blockIndex].versionsReplaced.append(replaced);
            continue;
        }
        if (blockIndex < 0) {
            return Error::input(
                QStringLiteral("SQL before the first '-- Running upgrade/downgrade' marker: only "
                               "BEGIN and Alembic's version table may come first"),
                fileName, statement.line, statement.column);
        }
        AlembicScriptBlock& block = blocks[blockIndex];
        if ((sawBegin && !inTransaction) || traits.cannotRunInTransaction)
            block.transactional = false;
        block.statements.append(statement);
    }
    return blocks;
}

QStringList AlembicOfflineScript::markerRevisions(const QString& text)
{
    QStringList ids;
    for (const SqlToken& token : SqlParser::scan(text)) {
        if (token.kind != SqlTokenKind::Comment)
            continue;
        std::optional<Result<Marker>> marker = parseMarker(text.mid(token.start, token.length), token.start);
        if (marker && *marker)
            ids.append(marker->value().revisionId);
    }
    return ids;
}

} // namespace dbops
