#include "lint/ScriptLint.h"

#include "lint/Linter.h"
#include "migrations/RevisionGraph.h"
#include "render/RenderedScript.h"

#include <QHash>
#include <QVector>
#include <algorithm>

namespace dbops {

namespace {

// Lines as the SQL splitter numbers them: one per "\n".
int lineBreaks(const QString& text)
{
    return static_cast<int>(text.count(QLatin1Char('\n')));
}

// The statement items of one file, by their first line, to place a finding.
struct FileStatements
{
    struct Span
    {
        int firstLine = 0;
        int lastLine = 0;
        int itemIndex = -1;
    };
    QVector<Span> spans; ///< sorted by firstLine
};

bool graphKnowsEveryStatement(const RenderedScript& script, const RevisionGraph& graph)
{
    bool any = false;
    for (const ScriptItem& item : script.items) {
        if (item.kind != ScriptItem::Kind::Statement)
            continue;
        if (!graph.contains(item.revision) || item.filePath.isEmpty())
            return false;
        any = true;
    }
    return any;
}

ScriptFinding placed(const LintFinding& finding, const ScriptItem& item, int itemIndex, int firstLine)
{
    ScriptFinding out;
    out.finding = finding;
    out.itemIndex = itemIndex;
    out.lineInItem = std::max(0, finding.line - firstLine);
    // The item's text starts at its first token: on that line the script's
    // column 0 is the file's column item.column.
    const int firstColumn = out.lineInItem == 0 ? std::max(1, item.column) : 1;
    out.columnInLine = std::max(0, finding.column - firstColumn);
    return out;
}

// With the graph: lint as `dbops lint` does, keep what lands on the script's statements.
ScriptFindingList fromRevisions(
    const RenderedScript& script, const RevisionGraph& graph, const LintConfig& config)
{
    QHash<QString, FileStatements> byFile;
    for (int index = 0; index < script.items.size(); ++index) {
        const ScriptItem& item = script.items.at(index);
        if (item.kind != ScriptItem::Kind::Statement)
            continue;
        const int first = std::max(1, item.line);
        byFile[item.filePath].spans.append({ first, first + lineBreaks(item.sql), index });
    }
    for (FileStatements& file : byFile) {
        std::sort(file.spans.begin(), file.spans.end(),
            [](const FileStatements::Span& a, const FileStatements::Span& b) {
                return a.firstLine < b.firstLine;
            });
    }

    ScriptFindingList out;
    const LintFindingList findings = Linter::lintRepository(graph, config);
    for (const LintFinding& finding : findings) {
        const auto file = byFile.constFind(finding.file);
        if (file == byFile.constEnd())
            continue;
        const QVector<FileStatements::Span>& spans = file->spans;
        // The last statement starting at or before the line, if the line is in it.
        auto it = std::upper_bound(spans.cbegin(), spans.cend(), finding.line,
            [](int line, const FileStatements::Span& span) { return line < span.firstLine; });
        if (it != spans.cbegin() && (it - 1)->lastLine >= finding.line) {
            --it;
        } else if (finding.rule == QLatin1String("dbops-allow") && it != spans.cend()) {
            // A broken allow comment sits above its statement: show it there.
            LintFinding onStatement = finding;
            onStatement.line = it->firstLine;
            onStatement.column = script.items.at(it->itemIndex).column;
            out.append(placed(onStatement, script.items.at(it->itemIndex), it->itemIndex, it->firstLine));
            continue;
        } else {
            continue; // a statement this script does not run (the other direction, another range)
        }
        out.append(placed(finding, script.items.at(it->itemIndex), it->itemIndex, it->firstLine));
    }
    return out;
}

// Without the graph: the script's text is plain SQL that runs as written.
ScriptFindingList fromText(const RenderedScript& script, const LintConfig& config)
{
    QVector<int> itemLines; // 1-based first line of each item in the text
    itemLines.reserve(script.items.size());
    int line = 1;
    for (const ScriptItem& item : script.items) {
        itemLines.append(line);
        line += lineBreaks(item.rendered());
    }
    ScriptFindingList out;
    Linter linter(config);
    const Result<LintFindingList> findings = linter.lintSql(script.text(), QStringLiteral("preview.sql"));
    if (!findings)
        return out;
    for (const LintFinding& finding : *findings) {
        auto it = std::upper_bound(itemLines.cbegin(), itemLines.cend(), finding.line);
        if (it == itemLines.cbegin())
            continue;
        const int index = static_cast<int>(it - itemLines.cbegin()) - 1;
        const ScriptItem& item = script.items.at(index);
        if (item.kind != ScriptItem::Kind::Statement)
            continue; // BEGIN, SET, the version table: dbops' own, not the migration's
        ScriptFinding placedFinding;
        placedFinding.finding = finding;
        placedFinding.itemIndex = index;
        placedFinding.lineInItem = finding.line - itemLines.at(index);
        placedFinding.columnInLine = std::max(0, finding.column - 1);
        out.append(placedFinding);
    }
    return out;
}

} // namespace

ScriptFindingList ScriptLint::lint(
    const RenderedScript& script, const RevisionGraph* graph, const LintConfig& config)
{
    ScriptFindingList out = graph && graphKnowsEveryStatement(script, *graph)
        ? fromRevisions(script, *graph, config)
        : fromText(script, config);
    std::stable_sort(out.begin(), out.end(), [](const ScriptFinding& a, const ScriptFinding& b) {
        return a.itemIndex != b.itemIndex ? a.itemIndex < b.itemIndex : a.lineInItem < b.lineInItem;
    });
    return out;
}

} // namespace dbops
