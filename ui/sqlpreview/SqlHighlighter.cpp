#include "SqlHighlighter.h"

#include "sql/SqlParser.h"

#include <QAtomicInt>
#include <QGuiApplication>
#include <QPalette>
#include <QTextDocument>
#include <algorithm>

#ifdef DBOPS_HAVE_KSYNTAXHIGHLIGHTING
#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/SyntaxHighlighter>
#include <KSyntaxHighlighting/Theme>
#endif

namespace dbops::ui {

namespace {

QAtomicInt wholeDocumentScans;

// Highlights each block with the tokens PostgreSQL's scanner finds.  Multi-line
// tokens (block comments, dollar quotes) need the whole text, so the document
// is scanned once per content change and each block gets its slice of the
// token list by binary search: highlighting n blocks costs one scan plus
// O(n log t), never a scan per block.
class ScannerHighlighter : public QSyntaxHighlighter
{
public:
    ScannerHighlighter(QTextDocument* document, const QPalette& palette)
        // The QObject constructor does not install the highlighter yet, so the
        // contentsChange connection below comes first: QSyntaxHighlighter
        // re-highlights from its own contentsChange slot, and the token cache
        // must already be marked stale by then.
        : QSyntaxHighlighter(static_cast<QObject*>(document))
    {
        const bool dark = SqlHighlighting::isDark(palette);
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
        connect(document, &QTextDocument::contentsChange, this, [this] { m_mayBeStale = true; });
        setDocument(document);
    }

protected:
    void highlightBlock(const QString& text) override
    {
        refreshTokens();
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
    // contentsChange also fires when QSyntaxHighlighter itself stores formats
    // (after a full rehighlight), so a change notice only means "maybe": the
    // text is compared once, and scanned again only when it really differs.
    void refreshTokens()
    {
        if (!m_mayBeStale)
            return;
        m_mayBeStale = false;
        QString text = document()->toPlainText();
        if (m_scanned && text == m_text)
            return;
        if (text.isEmpty()) {
            m_tokens.clear(); // a document being cleared before new text arrives
        } else {
            m_tokens = SqlParser::scan(text);
            wholeDocumentScans.fetchAndAddRelaxed(1);
        }
        m_text = std::move(text);
        m_scanned = true;
    }

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
    QString m_text; ///< what m_tokens were scanned from
    bool m_scanned = false;
    bool m_mayBeStale = true;
    QTextCharFormat m_keyword, m_string, m_number, m_comment, m_quoted;
};

} // namespace

QObject* SqlHighlighting::attach(QTextDocument* document)
{
    return attach(document, QGuiApplication::palette());
}

QObject* SqlHighlighting::attach(QTextDocument* document, const QPalette& palette)
{
#ifdef DBOPS_HAVE_KSYNTAXHIGHLIGHTING
    static KSyntaxHighlighting::Repository repository;
    const KSyntaxHighlighting::Definition definition
        = repository.definitionForName(QStringLiteral("SQL (PostgreSQL)"));
    if (definition.isValid()) {
        auto* highlighter = new KSyntaxHighlighting::SyntaxHighlighter(document);
        highlighter->setDefinition(definition);
        highlighter->setTheme(
            repository.defaultTheme(isDark(palette) ? KSyntaxHighlighting::Repository::DarkTheme
                                                    : KSyntaxHighlighting::Repository::LightTheme));
        return highlighter;
    }
#endif
    return new ScannerHighlighter(document, palette);
}

QString SqlHighlighting::engineName()
{
#ifdef DBOPS_HAVE_KSYNTAXHIGHLIGHTING
    return QStringLiteral("KSyntaxHighlighting");
#else
    return QStringLiteral("PostgreSQL scanner");
#endif
}

bool SqlHighlighting::isDark(const QPalette& palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

int SqlHighlighting::scanCount()
{
    return wholeDocumentScans.loadRelaxed();
}

} // namespace dbops::ui
