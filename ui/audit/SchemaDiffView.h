#pragma once

#include "catalog/ObjectDefinition.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSplitter;
class QStackedWidget;

namespace dbops::ui {

/// One object of the audit side by side: on the left its definition as the
/// migrations expect it, on the right as the database has it, lined up by a
/// line diff (LineDiff) with the differing lines marked in the audit's status
/// colours, blended into the palette's base so they read on dark palettes
/// too: a line only the migrations have is MISSING red, one only the
/// database has is EXTRA blue, a line that changed is DIFFERS amber.  Under
/// them, the SQL that would make the database as expected (CorrectiveSql),
/// with Copy.  It only displays values; the audit panel builds them.
class SchemaDiffView : public QWidget
{
    Q_OBJECT
public:
    /// How a shown line compares with the other side.
    enum class LineChange
    {
        Same,
        Changed, ///< stands in for a different line on the other side
        OnlyHere, ///< the other side has nothing there
        Filler ///< an empty line across from the other side's OnlyHere line
    };

    explicit SchemaDiffView(QWidget* parent = nullptr);
    ~SchemaDiffView() override;

    /// Shows `definition` and `correctiveSql` (empty: nothing to correct);
    /// `subtitle` names what is selected ("column email DIFFERS").
    void setObject(const ObjectDefinition& definition, const QString& subtitle, const QString& correctiveSql);
    /// Scrolls both sides to the first line that starts (indentation aside)
    /// with one of `prefixes`, so a selected column is in view in a wide
    /// table; returns that line, -1 when none does.
    int revealLine(const QStringList& prefixes);
    /// Back to the placeholder.
    void clear();
    bool hasObject() const;

    QString placeholderText() const;
    QString title() const;
    /// The texts as shown, filler lines included.
    QString expectedText() const;
    QString actualText() const;
    QString correctiveSql() const { return m_sql; }
    /// How line `line` (0-based, as shown) of a side compares.
    LineChange lineChange(ObjectDefinition::Side side, int line) const;
    int lineCount(ObjectDefinition::Side side) const;

    QPlainTextEdit* expectedEdit() const { return m_expected; }
    QPlainTextEdit* actualEdit() const { return m_actual; }
    QPlainTextEdit* sqlEdit() const { return m_sqlEdit; }
    QPushButton* copyButton() const { return m_copy; }

    /// A marked line's background: the status colour blended into `base`.
    /// A side that is all one mark has it as its whole background.
    static QColor markColor(LineChange change, ObjectDefinition::Side side, const QColor& base);

protected:
    void changeEvent(QEvent* event) override;

private:
    void showSides(const QString& expected, const QString& actual);
    void applyMarks(QPlainTextEdit* edit, const QVector<LineChange>& changes, ObjectDefinition::Side side);
    void copySql();

    QStackedWidget* m_pages = nullptr;
    QLabel* m_placeholder = nullptr;
    QLabel* m_title = nullptr;
    QLabel* m_expectedHeading = nullptr;
    QLabel* m_actualHeading = nullptr;
    QPlainTextEdit* m_expected = nullptr;
    QPlainTextEdit* m_actual = nullptr;
    QPlainTextEdit* m_sqlEdit = nullptr;
    QLabel* m_sqlHeading = nullptr;
    QPushButton* m_copy = nullptr;
    QSplitter* m_split = nullptr;
    QString m_sql;
    QVector<LineChange> m_expectedChanges;
    QVector<LineChange> m_actualChanges;
    QString m_expectedText; ///< the definitions shown, to mark them again on a palette change
    QString m_actualText;
    bool m_repainting = false; ///< setting the editors' palettes sends the view palette changes too
};

} // namespace dbops::ui
