#pragma once

#include <QSyntaxHighlighter>

class QPalette;
class QTextDocument;

namespace dbops::ui {

/// Highlights PostgreSQL in a QTextDocument: KSyntaxHighlighting's
/// "SQL (PostgreSQL)" definition where the flavor has it, else the built-in
/// highlighter fed by PostgreSQL's own scanner (SqlParser::scan).
class SqlHighlighting
{
public:
    /// Attaches a highlighter to `document` with colours for the application
    /// palette; the returned object is owned by `document`.
    static QObject* attach(QTextDocument* document);
    /// As above, with colours for `palette` (light or dark), so a widget whose
    /// palette differs from the application's gets a readable theme.
    static QObject* attach(QTextDocument* document, const QPalette& palette);
    /// "KSyntaxHighlighting" or "PostgreSQL scanner", for the About box and tests.
    static QString engineName();
    /// True when `palette` has a dark base colour: the themes switch on it.
    static bool isDark(const QPalette& palette);
    /// How many times the built-in highlighter has scanned a whole document
    /// since start-up; tests use it to check that scanning happens once per
    /// content change, not once per block.
    static int scanCount();
};

} // namespace dbops::ui
