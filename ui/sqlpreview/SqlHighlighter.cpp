#include "SqlHighlighter.h"

#include "sql/SqlParser.h"

#include <QGuiApplication>
#include <QPalette>
#include <QTextDocument>

#ifdef DBOPS_HAVE_KSYNTAXHIGHLIGHTING
#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/SyntaxHighlighter>
#include <KSyntaxHighlighting/Theme>
#endif

namespace dbops::ui {

namespace {

// Highlights each block with the tokens PostgreSQL's scanner finds.  Multi-line
// tokens (block comments, dollar quotes) are found by scanning the whole
// document once per change and handing each block its slice.
class ScannerHighlighter : public QSyntaxHighlighter
{
public:
    explicit ScannerHighlighter(QTextDocument* document)
        : QSyntaxHighlighter(document)
    {
        const bool dark = QGuiApplication::palette().color(QPalette::Base).lightness() < 128;
        auto format = [](const QColor& color, bool bold = false, bool italic = false) {
            QTextCharFormat f;
            f.setForeground(color);
            if (bold)
                f.setFontWeight(QFont::Bold);
            f.setFontItalic(italic);
            return f;
        };
        m_keyword = format(dark ? QColor(0x7f, 0xb4, 0xff) : QColor(0x1f, 0x3f, 0x9f), true);
        m_string = format(dark ? QColor(0xe6, 0xc0, 0x7b) : QColor(0xa3, 0x15, 0x15));
        m_number = format(dark ? QColor(0xb5, 0xce, 0xa8) : QColor(0x09, 0x86, 0x58));
        m_comment = format(dark ? QColor(0x8a, 0x99, 0x8a) : QColor(0x6a, 0x73, 0x7d), false, true);
        m_quoted = format(dark ? QColor(0xd7, 0xa6, 0xff) : QColor(0x80, 0x2a, 0x9f));
        connect(document, &QTextDocument::contentsChange, this, [this] { m_dirty = true; });
    }

protected:
    void highlightBlock(const QString& text) override
    {
        if (m_dirty) {
            m_tokens = SqlParser::scan(document()->toPlainText());
            m_dirty = false;
        }
        const int blockStart = currentBlock().position();
        const int blockEnd = blockStart + static_cast<int>(text.size());
        // Tokens are sorted; find the first that may touch this block.
        auto it = std::lower_bound(m_tokens.cbegin(), m_tokens.cend(), blockStart,
            [](const SqlToken& t, int pos) { return t.start + t.length <= pos; });
        for (; it != m_tokens.cend() && it->start < blockEnd; ++it) {
            const QTextCharFormat* f = formatFor(it->kind);
            if (!f)
                continue;
            const int start = std::max(it->start, blockStart);
            const int end = std::min(it->start + it->length, blockEnd);
            setFormat(start - blockStart, end - start, *f);
        }
    }

private:
    const QTextCharFormat* formatFor(SqlTokenKind kind) const
    {
        switch (kind) {
        case SqlTokenKind::Keyword:
            return &m_keyword;
        case SqlTokenKind::String:
            return &m_string;
        case SqlTokenKind::Number:
            return &m_number;
        case SqlTokenKind::Comment:
            return &m_comment;
        case SqlTokenKind::QuotedIdentifier:
            return &m_quoted;
        default:
            return nullptr;
        }
    }

    SqlTokenList m_tokens;
    bool m_dirty = true;
    QTextCharFormat m_keyword, m_string, m_number, m_comment, m_quoted;
};

} // namespace

QObject* SqlHighlighting::attach(QTextDocument* document)
{
#ifdef DBOPS_HAVE_KSYNTAXHIGHLIGHTING
    static KSyntaxHighlighting::Repository repository;
    const KSyntaxHighlighting::Definition definition = repository.definitionForName(QStringLiteral("SQL (PostgreSQL)"));
    if (definition.isValid()) {
        auto* highlighter = new KSyntaxHighlighting::SyntaxHighlighter(document);
        highlighter->setDefinition(definition);
        const bool dark = QGuiApplication::palette().color(QPalette::Base).lightness() < 128;
        highlighter->setTheme(repository.defaultTheme(dark ? KSyntaxHighlighting::Repository::DarkTheme
                                                           : KSyntaxHighlighting::Repository::LightTheme));
        return highlighter;
    }
#endif
    return new ScannerHighlighter(document);
}

QString SqlHighlighting::engineName()
{
#ifdef DBOPS_HAVE_KSYNTAXHIGHLIGHTING
    return QStringLiteral("KSyntaxHighlighting");
#else
    return QStringLiteral("PostgreSQL scanner");
#endif
}

} // namespace dbops::ui
