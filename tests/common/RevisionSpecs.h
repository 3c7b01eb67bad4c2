#pragma once

// Test graphs written as short specs, shared by the core and widget tests.

#include "migrations/MigrationFileParser.h"
#include "migrations/RevisionGraph.h"

#include <QStringList>

namespace dbops::test {

/// "id:parent1+parent2:dep1+dep2:label" -> a parsed Revision with one
/// statement a section (an empty parent list makes a base).
inline Revision makeRevision(const QString& spec)
{
    const QStringList parts = spec.split(QLatin1Char(':'));
    auto list = [](QString value) { return value.replace(QLatin1Char('+'), QLatin1Char(',')); };
    QString text
        = QStringLiteral("-- revision: %1\n-- down_revision: %2\n-- message: rev %1\n")
              .arg(parts.value(0), parts.value(1).isEmpty() ? QStringLiteral("none") : list(parts.value(1)));
    if (!parts.value(2).isEmpty())
        text += QStringLiteral("-- depends_on: %1\n").arg(list(parts.value(2)));
    if (!parts.value(3).isEmpty())
        text += QStringLiteral("-- branch_labels: %1\n").arg(parts.value(3));
    text += QStringLiteral("\n-- +upgrade\nCREATE TABLE t_%1 (id int);\n\n-- +downgrade\nDROP TABLE t_%1;\n")
                .arg(parts.value(0));
    Result<Revision> revision = MigrationFileParser::parseText(text, parts.value(0) + QStringLiteral(".sql"));
    if (!revision)
        qFatal("bad test revision: %s", qPrintable(revision.error().toString()));
    return revision.value();
}

/// A graph of makeRevision() specs; a graph error aborts the test.
inline RevisionGraph makeGraph(const QStringList& specs)
{
    RevisionList revisions;
    for (const QString& spec : specs)
        revisions.append(makeRevision(spec));
    Result<RevisionGraph> graph = RevisionGraph::build(revisions);
    if (!graph)
        qFatal("bad test graph: %s", qPrintable(graph.error().toString()));
    return graph.value();
}

} // namespace dbops::test
