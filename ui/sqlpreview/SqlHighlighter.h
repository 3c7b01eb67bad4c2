#pragma once

#include <QSyntaxHighlighter>

#include <memory>

class QTextDocument;

namespace dbops::ui {

/// Highlights PostgreSQL in a QTextDocument: KSyntaxHighlighting's
/// "SQL (PostgreSQL)" definition where the flavor has it, else the built-in
/// highlighter fed by PostgreSQL's own scanner (SqlParser::scan).
class SqlHighlighting
{
public:
    /// Attaches a highlighter to `document`; the returned object owns it.
    static QObject* attach(QTextDocument* document);
    /// "KSyntaxHighlighting" or "PostgreSQL scanner", for the About box and tests.
    static QString engineName();
};

} // namespace dbops::ui
