#include "ScriptAnnotations.h"

#include "lint/LockModel.h"
#include "render/RenderedScript.h"
#include "sql/SqlParser.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <algorithm>

namespace dbops::ui {

namespace {

// The lock model names the lock and the table, because a SHARE lock (writes
// wait) and an ACCESS EXCLUSIVE lock (reads wait too) call for different care.
QString lockToolTip(const RelationEffect& effect, const QString& description)
{
    QString text = blocksReads(effect.lock)
        ? ScriptAnnotations::tr("%1: takes an %2 lock on %3 (reads and writes wait)")
        : ScriptAnnotations::tr("%1: takes a %2 lock on %3 (writes wait)");
    text = text.arg(description, lockModeName(effect.lock), effect.relation);
    if (effect.rewrites)
        text += ScriptAnnotations::tr(", and rewrites it");
    else if (effect.scans)
        text += ScriptAnnotations::tr(", and reads every row");
    return text;
}

QJsonObject statementTree(const QString& sql)
{
    return QJsonDocument::fromJson(SqlParser::parseTreeJson(sql))
        .object()
        .value(QLatin1String("stmts"))
        .toArray()
        .first()
        .toObject()
        .value(QLatin1String("stmt"))
        .toObject();
}

} // namespace

int ScriptAnnotations::countBlockBreaks(const QString& text)
{
    int breaks = 0;
    const QChar* data = text.constData();
    const qsizetype n = text.size();
    for (qsizetype i = 0; i < n; ++i) {
        const char16_t c = data[i].unicode();
        if (c == u'\n' || c == 0x2029) {
            ++breaks;
        } else if (c == u'\r') {
            ++breaks;
            if (i + 1 < n && data[i + 1] == QLatin1Char('\n'))
                ++i; // "\r\n" is one break
        }
    }
    return breaks;
}

ScriptAnnotations ScriptAnnotations::compute(const RenderedScript& script)
{
    ScriptAnnotations out;
    out.m_itemBlocks.reserve(script.items.size());
    int block = 0;
    // A table created earlier in the same transaction is exempt: nobody
    // else sees it yet, so no lock on it blocks anyone.
    LockModel locks;
    for (int index = 0; index < script.items.size(); ++index) {
        const ScriptItem& item = script.items.at(index);
        if (item.kind == ScriptItem::Kind::Begin)
            locks.beginTransaction();
        else if (item.kind == ScriptItem::Kind::Commit)
            locks.endTransaction();
        out.m_itemBlocks.append(block);
        // rendered() is the sql plus "\n\n" after a comment, ";\n\n" after a statement.
        const int sqlBreaks = countBlockBreaks(item.sql);
        if (item.kind == ScriptItem::Kind::Comment && item.sql.startsWith(QLatin1String("Running "))) {
            OutlineEntry entry;
            entry.stepIndex = item.stepIndex;
            entry.revision = item.revision;
            entry.title = item.sql.section(QLatin1Char('\n'), 0, 0);
            entry.blockNumber = block;
            out.m_outline.append(entry);
        } else if (item.kind == ScriptItem::Kind::Statement) {
            const StatementTraits traits = SqlParser::classify(item.sql);
            const bool autocommit = !locks.inTransaction();
            if (autocommit)
                locks.beginTransaction();
            const QJsonObject tree = traits.parsed ? statementTree(item.sql) : QJsonObject();
            const StatementEffects effects = locks.effects(tree);
            locks.apply(tree);
            if (autocommit)
                locks.endTransaction();
            // A lock on an existing relation first; else one on a relation new in this transaction.
            const RelationEffect* locked = effects.strongestEffect();
            if (!locked || locked->lock == LockMode::None) {
                locked = nullptr;
                for (const RelationEffect& effect : effects.relations) {
                    if (!locked || effect.lock > locked->lock)
                        locked = &effect;
                }
            }
            if (locked && locked->lock != LockMode::None) {
                out.m_locks.insert(
                    index, { lockModeName(locked->lock), locked->relation, locked->createdInTransaction });
            }
            const RelationEffect* strongest = effects.takesStrongLock() ? effects.strongestEffect() : nullptr;
            if (traits.parsed && (traits.cannotRunInTransaction || strongest)) {
                StatementMarker marker;
                marker.itemIndex = index;
                marker.firstBlock = block;
                marker.lastBlock = block + sqlBreaks;
                marker.description = traits.description.isEmpty() ? tr("Statement") : traits.description;
                marker.cannotRunInTransaction = traits.cannotRunInTransaction;
                marker.takesStrongLock = strongest != nullptr;
                QStringList lines;
                if (traits.cannotRunInTransaction)
                    lines.append(tr("%1: runs outside a transaction").arg(marker.description));
                if (strongest) {
                    marker.lockName = lockModeName(strongest->lock);
                    lines.append(lockToolTip(*strongest, marker.description));
                }
                marker.toolTip = lines.join(QLatin1Char('\n'));
                out.m_markers.append(marker);
            }
        }
        block += sqlBreaks + 2;
    }
    out.m_blockCount = block + 1; // the text ends with a line break: an empty last line
    return out;
}

const StatementMarker* ScriptAnnotations::markerAt(int block) const
{
    auto it = std::upper_bound(m_markers.cbegin(), m_markers.cend(), block,
        [](int b, const StatementMarker& m) { return b < m.firstBlock; });
    if (it == m_markers.cbegin())
        return nullptr;
    --it;
    return it->containsBlock(block) ? &*it : nullptr;
}

const OutlineEntry* ScriptAnnotations::entryForStep(int stepIndex) const
{
    for (const OutlineEntry& entry : m_outline) {
        if (entry.stepIndex == stepIndex)
            return &entry;
    }
    return nullptr;
}

} // namespace dbops::ui
