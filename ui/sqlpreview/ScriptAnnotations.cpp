#include "ScriptAnnotations.h"

#include "render/RenderedScript.h"
#include "sql/SqlParser.h"

#include <algorithm>

namespace dbops::ui {

namespace {

// StatementTraits says "strong lock"; the tooltip names it, because a SHARE
// lock (writes wait) and an ACCESS EXCLUSIVE lock (reads wait too) call for
// different care.
QString lockToolTip(const StatementTraits& traits, const QString& description, QString* lockName)
{
    const QString& type = traits.nodeType;
    if (type == QLatin1String("IndexStmt")) {
        *lockName = QStringLiteral("SHARE");
        return ScriptAnnotations::tr("%1: takes a SHARE lock (writes wait while the index builds)")
            .arg(description);
    }
    if (type == QLatin1String("CreateTrigStmt")) {
        *lockName = QStringLiteral("SHARE ROW EXCLUSIVE");
        return ScriptAnnotations::tr("%1: takes a SHARE ROW EXCLUSIVE lock (writes wait)").arg(description);
    }
    if (type == QLatin1String("LockStmt")) {
        *lockName = QStringLiteral("LOCK TABLE");
        return ScriptAnnotations::tr("%1: takes an explicit table lock").arg(description);
    }
    *lockName = QStringLiteral("ACCESS EXCLUSIVE");
    return ScriptAnnotations::tr("%1: takes an ACCESS EXCLUSIVE lock").arg(description);
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
    for (int index = 0; index < script.items.size(); ++index) {
        const ScriptItem& item = script.items.at(index);
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
            if (traits.parsed && (traits.cannotRunInTransaction || traits.takesStrongLock)) {
                StatementMarker marker;
                marker.itemIndex = index;
                marker.firstBlock = block;
                marker.lastBlock = block + sqlBreaks;
                marker.description = traits.description.isEmpty() ? tr("Statement") : traits.description;
                marker.cannotRunInTransaction = traits.cannotRunInTransaction;
                marker.takesStrongLock = traits.takesStrongLock;
                QStringList lines;
                if (traits.cannotRunInTransaction)
                    lines.append(tr("%1: runs outside a transaction").arg(marker.description));
                if (traits.takesStrongLock)
                    lines.append(lockToolTip(traits, marker.description, &marker.lockName));
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
