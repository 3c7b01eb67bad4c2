#include "catalog/SnapshotJsonReader.h"

#include "catalog/CatalogSnapshotBuilder.h"
#include "catalog/SnapshotJsonKeys.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#ifdef Q_OS_UNIX
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace dbops {

using namespace SnapshotJsonKeys;

namespace {

/// Reads the parts of a snapshot with one error message style: "where: what".
class JsonReader
{
public:
    explicit JsonReader(QString where)
        : m_where(std::move(where))
    { }

    QString text(const QJsonObject& object, const QString& key, bool required = true)
    {
        const QJsonValue value = object.value(key);
        if (value.isString())
            return value.toString();
        if (required || !value.isUndefined())
            fail(QStringLiteral("'%1' must be a string").arg(key));
        return {};
    }
    bool boolean(const QJsonObject& object, const QString& key)
    {
        const QJsonValue value = object.value(key);
        if (value.isBool())
            return value.toBool();
        if (!value.isUndefined())
            fail(QStringLiteral("'%1' must be true or false").arg(key));
        return false;
    }
    QJsonArray array(const QJsonObject& object, const QString& key)
    {
        const QJsonValue value = object.value(key);
        if (value.isArray())
            return value.toArray();
        if (!value.isUndefined())
            fail(QStringLiteral("'%1' must be an array").arg(key));
        return {};
    }
    QStringList strings(const QJsonObject& object, const QString& key)
    {
        QStringList result;
        const QJsonArray values = array(object, key);
        for (const QJsonValue& value : values) {
            if (!value.isString())
                fail(QStringLiteral("'%1' must hold strings").arg(key));
            result.append(value.toString());
        }
        return result;
    }
    QJsonObject objectAt(const QJsonValue& value, const QString& what)
    {
        if (!value.isObject())
            fail(QStringLiteral("every entry of '%1' must be an object").arg(what));
        return value.toObject();
    }

    void fail(const QString& message)
    {
        if (m_error.isEmpty())
            m_error = m_where + QStringLiteral(": ") + message;
    }
    bool ok() const { return m_error.isEmpty(); }
    const QString& error() const { return m_error; }

private:
    QString m_where;
    QString m_error;
};

CatalogTable tableFromJson(const QJsonObject& object, JsonReader& reader)
{
    CatalogTable table;
    table.schema = reader.text(object, kSchema);
    table.name = reader.text(object, kName);
    const QJsonArray columns = reader.array(object, kColumns);
    for (const QJsonValue& value : columns) {
        const QJsonObject c = reader.objectAt(value, kColumns);
        CatalogColumn column;
        column.name = reader.text(c, kName);
        column.type = reader.text(c, kType);
        column.nullable = reader.boolean(c, kNullable);
        column.defaultExpression = reader.text(c, kDefault, false);
        column.identity = reader.text(c, kIdentity, false);
        column.generated = reader.text(c, kGenerated, false);
        table.columns.append(column);
    }
    const QJsonArray indexes = reader.array(object, kIndexes);
    for (const QJsonValue& value : indexes) {
        const QJsonObject i = reader.objectAt(value, kIndexes);
        table.indexes.append(CatalogIndex { reader.text(i, kName), reader.text(i, kDefinition) });
    }
    const QJsonArray constraints = reader.array(object, kConstraints);
    for (const QJsonValue& value : constraints) {
        const QJsonObject k = reader.objectAt(value, kConstraints);
        table.constraints.append(
            CatalogConstraint { reader.text(k, kName), reader.text(k, kType), reader.text(k, kDefinition) });
    }
    return table;
}

CatalogSequence sequenceFromJson(const QJsonObject& object, JsonReader& reader)
{
    CatalogSequence sequence;
    sequence.schema = reader.text(object, kSchema);
    sequence.name = reader.text(object, kName);
    sequence.dataType = reader.text(object, kDataType);
    sequence.start = reader.text(object, kStart);
    sequence.increment = reader.text(object, kIncrement);
    sequence.minValue = reader.text(object, kMinValue);
    sequence.maxValue = reader.text(object, kMaxValue);
    sequence.cache = reader.text(object, kCache);
    sequence.cycle = reader.boolean(object, kCycle);
    sequence.ownerTable = reader.text(object, kOwnedByTable, false);
    sequence.ownerColumn = reader.text(object, kOwnedByColumn, false);
    return sequence;
}
/// Reads the snapshot file's JSON straight into a CatalogSnapshot, without a
/// QJsonDocument in between (for 20,000 tables the file is ~100 MB, its
/// document several times that), sharing repeated texts (StringPool).  It
/// takes the file as toJsonText writes it and gives up on anything else
/// (an unknown or repeated key, a null, a number other than the format, a
/// text that is not valid UTF-8): fromJsonText then reads the file the
/// general way, with its error messages, so a file means the same either way.
class FastSnapshotParser
{
public:
    /// With `mapped`, `text` is a read-only file mapping whose pages are
    /// given back as the parser leaves them behind (a 100 MB file need not
    /// stay resident while the catalog is read beside it).
    explicit FastSnapshotParser(const QByteArray& text, bool mapped = false)
        : m_p(text.constData())
        , m_end(text.constData() + text.size())
        , m_released(mapped ? text.constData() : nullptr)
    { }

    std::optional<CatalogSnapshot> parse()
    {
        CatalogSnapshot snapshot;
        Members members(0x1);
        const bool ok = object([&](const QByteArray& key) {
            if (isKey(key, kFormat))
                return members.see(0x1) && number(CatalogSnapshot::kFormatVersion);
            if (isKey(key, kSchemas))
                return members.see(0x2) && strings(snapshot.schemas);
            if (isKey(key, kRevisions))
                return members.see(0x4) && strings(snapshot.revisions);
            if (isKey(key, kTables))
                return members.see(0x8) && array([&] {
                    snapshot.tables.append(CatalogTable {});
                    const bool read = table(snapshot.tables.last());
                    releaseReadPages();
                    return read;
                });
            if (isKey(key, kEnums))
                return members.see(0x10) && array([&] {
                    snapshot.enums.append(CatalogEnum {});
                    return enumType(snapshot.enums.last());
                });
            if (isKey(key, kViews))
                return members.see(0x20) && array([&] {
                    snapshot.views.append(CatalogView {});
                    return view(snapshot.views.last());
                });
            if (isKey(key, kSequences))
                return members.see(0x40) && array([&] {
                    snapshot.sequences.append(CatalogSequence {});
                    return sequence(snapshot.sequences.last());
                });
            return false;
        });
        skipSpace();
        if (!ok || !members.complete() || m_p != m_end)
            return std::nullopt;
        return snapshot;
    }

private:
    /// A key as read (raw bytes) against one of SnapshotJsonKeys: the same
    /// bytes, compared without converting them (every key of the format is ASCII).
    static bool isKey(const QByteArray& key, const QString& name)
    {
        return QLatin1String(key.constData(), key.size()) == name;
    }

    /// The members a JSON object must have: every one in `required` (a bit each), none twice.
    class Members
    {
    public:
        explicit Members(unsigned required)
            : m_required(required)
        { }
        bool see(unsigned bit)
        {
            if (m_seen & bit)
                return false;
            m_seen |= bit;
            return true;
        }
        bool complete() const { return (m_seen & m_required) == m_required; }

    private:
        unsigned m_required;
        unsigned m_seen = 0;
    };

    bool table(CatalogTable& table)
    {
        Members members(0x3);
        return object([&](const QByteArray& key) {
            if (isKey(key, kSchema))
                return members.see(0x1) && string(table.schema, true);
            if (isKey(key, kName))
                return members.see(0x2) && string(table.name, false);
            if (isKey(key, kColumns)) {
                const bool read = members.see(0x4) && array([&] {
                    table.columns.append(CatalogColumn {});
                    return column(table.columns.last());
                });
#if QT_VERSION >= QT_VERSION_CHECK(6, 0, 0)
                table.columns.squeeze(); // grown one by one: 20 columns took room for 30
#endif
                return read;
            }
            if (isKey(key, kIndexes))
                return members.see(0x8) && array([&] {
                    table.indexes.append(CatalogIndex {});
                    CatalogIndex& index = table.indexes.last();
                    Members parts(0x3);
                    return object([&](const QByteArray& part) {
                        if (isKey(part, kName))
                            return parts.see(0x1) && string(index.name, false);
                        if (isKey(part, kDefinition))
                            return parts.see(0x2) && string(index.definition, false);
                        return false;
                    }) && parts.complete();
                });
            if (isKey(key, kConstraints))
                return members.see(0x10) && array([&] {
                    table.constraints.append(CatalogConstraint {});
                    CatalogConstraint& constraint = table.constraints.last();
                    Members parts(0x7);
                    return object([&](const QByteArray& part) {
                        if (isKey(part, kName))
                            return parts.see(0x1) && string(constraint.name, false);
                        if (isKey(part, kType))
                            return parts.see(0x2) && string(constraint.type, true);
                        if (isKey(part, kDefinition))
                            return parts.see(0x4) && string(constraint.definition, false);
                        return false;
                    }) && parts.complete();
                });
            return false;
        }) && members.complete();
    }

    bool column(CatalogColumn& column)
    {
        Members members(0x3);
        column.nullable = false; // as JsonReader::boolean reads a missing "nullable"
        return object([&](const QByteArray& key) {
            if (isKey(key, kName))
                return members.see(0x1) && string(column.name, true);
            if (isKey(key, kType))
                return members.see(0x2) && string(column.type, true);
            if (isKey(key, kNullable))
                return members.see(0x4) && boolean(column.nullable);
            if (isKey(key, kDefault))
                return members.see(0x8) && string(column.defaultExpression, true);
            if (isKey(key, kIdentity))
                return members.see(0x10) && string(column.identity, true);
            if (isKey(key, kGenerated))
                return members.see(0x20) && string(column.generated, true);
            return false;
        }) && members.complete();
    }

    bool enumType(CatalogEnum& e)
    {
        Members members(0x3);
        return object([&](const QByteArray& key) {
            if (isKey(key, kSchema))
                return members.see(0x1) && string(e.schema, true);
            if (isKey(key, kName))
                return members.see(0x2) && string(e.name, false);
            if (isKey(key, kLabels))
                return members.see(0x4) && strings(e.labels);
            return false;
        }) && members.complete();
    }

    bool view(CatalogView& view)
    {
        Members members(0xb);
        return object([&](const QByteArray& key) {
            if (isKey(key, kSchema))
                return members.see(0x1) && string(view.schema, true);
            if (isKey(key, kName))
                return members.see(0x2) && string(view.name, false);
            if (isKey(key, kMaterialized))
                return members.see(0x4) && boolean(view.materialized);
            if (isKey(key, kDefinition))
                return members.see(0x8) && string(view.definition, false);
            return false;
        }) && members.complete();
    }

    bool sequence(CatalogSequence& sequence)
    {
        Members members(0xff);
        return object([&](const QByteArray& key) {
            if (isKey(key, kSchema))
                return members.see(0x1) && string(sequence.schema, true);
            if (isKey(key, kName))
                return members.see(0x2) && string(sequence.name, false);
            if (isKey(key, kDataType))
                return members.see(0x4) && string(sequence.dataType, true);
            if (isKey(key, kStart))
                return members.see(0x8) && string(sequence.start, true);
            if (isKey(key, kIncrement))
                return members.see(0x10) && string(sequence.increment, true);
            if (isKey(key, kMinValue))
                return members.see(0x20) && string(sequence.minValue, true);
            if (isKey(key, kMaxValue))
                return members.see(0x40) && string(sequence.maxValue, true);
            if (isKey(key, kCache))
                return members.see(0x80) && string(sequence.cache, true);
            if (isKey(key, kCycle))
                return members.see(0x100) && boolean(sequence.cycle);
            if (isKey(key, kOwnedByTable))
                return members.see(0x200) && string(sequence.ownerTable, false);
            if (isKey(key, kOwnedByColumn))
                return members.see(0x400) && string(sequence.ownerColumn, true);
            return false;
        }) && members.complete();
    }

    /// Gives the pages read so far back (MADV_DONTNEED: a file mapping
    /// reads them again from the file should they be touched again).
    void releaseReadPages()
    {
#ifdef Q_OS_UNIX
        constexpr std::uintptr_t kStep = 4 * 1024 * 1024;
        if (!m_released)
            return;
        const std::uintptr_t page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
        const std::uintptr_t from = reinterpret_cast<std::uintptr_t>(m_released);
        const std::uintptr_t to = reinterpret_cast<std::uintptr_t>(m_p) & ~(page - 1);
        if (to < from + kStep)
            return;
        madvise(reinterpret_cast<void*>(from), to - from, MADV_DONTNEED);
        m_released = reinterpret_cast<const char*>(to);
#endif
    }

    void skipSpace()
    {
        while (m_p != m_end && (*m_p == ' ' || *m_p == '\n' || *m_p == '\r' || *m_p == '\t'))
            ++m_p;
    }
    bool consume(char c)
    {
        skipSpace();
        if (m_p == m_end || *m_p != c)
            return false;
        ++m_p;
        return true;
    }

    /// An object: `member(key)` reads each member's value.
    template<typename Member> bool object(Member member)
    {
        if (!consume('{'))
            return false;
        if (consume('}'))
            return true;
        do {
            QByteArray key;
            if (!rawKey(key) || !consume(':') || !member(key))
                return false;
        } while (consume(','));
        return consume('}');
    }

    /// An array: `element()` reads each element.
    template<typename Element> bool array(Element element)
    {
        if (!consume('['))
            return false;
        if (consume(']'))
            return true;
        do {
            if (!element())
                return false;
        } while (consume(','));
        return consume(']');
    }

    bool strings(QStringList& list)
    {
        return array([&] {
            QString text;
            if (!string(text, false))
                return false;
            list.append(text);
            return true;
        });
    }

    bool boolean(bool& value)
    {
        skipSpace();
        if (m_end - m_p >= 4 && std::memcmp(m_p, "true", 4) == 0) {
            m_p += 4;
            value = true;
            return true;
        }
        if (m_end - m_p >= 5 && std::memcmp(m_p, "false", 5) == 0) {
            m_p += 5;
            value = false;
            return true;
        }
        return false;
    }

    /// The integer `expected`, exactly as written by toJsonText.
    bool number(int expected)
    {
        skipSpace();
        const QByteArray digits = QByteArray::number(expected);
        if (m_end - m_p < digits.size() || std::memcmp(m_p, digits.constData(), digits.size()) != 0)
            return false;
        m_p += digits.size();
        return m_p == m_end
            || !(std::isdigit(static_cast<unsigned char>(*m_p)) || *m_p == '.' || *m_p == 'e' || *m_p == 'E');
    }

    /// A key: plain ASCII without escapes, as every key of the format is.
    bool rawKey(QByteArray& key)
    {
        if (!consume('"'))
            return false;
        const char* start = m_p;
        while (m_p != m_end && *m_p != '"' && *m_p != '\\')
            ++m_p;
        if (m_p == m_end || *m_p != '"')
            return false;
        key = QByteArray::fromRawData(start, static_cast<int>(m_p - start));
        ++m_p;
        return true;
    }

    /// A string value; `pooled` for texts that repeat (types, defaults, schema names).
    bool string(QString& out, bool pooled)
    {
        if (!consume('"'))
            return false;
        const char* start = m_p;
        bool plain = true;
        while (m_p != m_end && *m_p != '"') {
            const unsigned char c = static_cast<unsigned char>(*m_p);
            if (c < 0x20)
                return false; // JSON forbids a raw control character
            if (c == '\\') {
                plain = false;
                if (++m_p == m_end)
                    return false;
            }
            ++m_p;
        }
        if (m_p == m_end)
            return false;
        const int size = static_cast<int>(m_p - start);
        ++m_p;
        if (plain) {
            out = pooled ? m_pool.text(start, size) : QString::fromUtf8(start, size);
            return validUtf8(out, start, size);
        }
        return unescape(out, start, size);
    }

    /// QString::fromUtf8 replaces a byte that is not UTF-8 with U+FFFD; the
    /// general reader may differ there, so such a file takes the general way.
    static bool validUtf8(const QString& text, const char* bytes, int size)
    {
        if (!text.contains(QChar::ReplacementCharacter))
            return true;
        return QString::fromUtf8(bytes, size).toUtf8() == QByteArray::fromRawData(bytes, size)
            && QByteArray::fromRawData(bytes, size).contains("\xEF\xBF\xBD");
    }

    static int hexValue(char c)
    {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        return -1;
    }

    static bool unescape(QString& out, const char* p, int size)
    {
        const char* end = p + size;
        QByteArray utf8;
        utf8.reserve(size);
        while (p != end) {
            if (*p != '\\') {
                utf8 += *p++;
                continue;
            }
            ++p; // an escape: the scan made sure a character follows
            const char c = *p++;
            switch (c) {
            case '"':
            case '\\':
            case '/':
                utf8 += c;
                break;
            case 'b':
                utf8 += '\b';
                break;
            case 'f':
                utf8 += '\f';
                break;
            case 'n':
                utf8 += '\n';
                break;
            case 'r':
                utf8 += '\r';
                break;
            case 't':
                utf8 += '\t';
                break;
            case 'u': {
                auto unit = [&](char32_t& value) {
                    if (end - p < 4)
                        return false;
                    value = 0;
                    for (int i = 0; i < 4; ++i) {
                        const int digit = hexValue(*p++);
                        if (digit < 0)
                            return false;
                        value = value * 16 + static_cast<char32_t>(digit);
                    }
                    return true;
                };
                char32_t code = 0;
                if (!unit(code))
                    return false;
                if (QChar::isHighSurrogate(code)) {
                    char32_t low = 0;
                    if (end - p < 6 || p[0] != '\\' || p[1] != 'u')
                        return false;
                    p += 2;
                    if (!unit(low) || !QChar::isLowSurrogate(low))
                        return false;
                    code = QChar::surrogateToUcs4(static_cast<char16_t>(code), static_cast<char16_t>(low));
                } else if (QChar::isLowSurrogate(code) || code == 0) {
                    return false; // a lone surrogate or a NUL: the general reader decides
                }
                utf8 += QString::fromUcs4(&code, 1).toUtf8();
                break;
            }
            default:
                return false;
            }
        }
        out = QString::fromUtf8(utf8);
        return validUtf8(out, utf8.constData(), static_cast<int>(utf8.size()));
    }

    const char* m_p;
    const char* m_end;
    const char* m_released; // page-aligned start of what is still resident; null: not a mapping
    StringPool m_pool;
};
} // namespace

Result<CatalogSnapshot> SnapshotJsonReader::fromJson(const QJsonObject& object)
{
    JsonReader reader(QStringLiteral("schema snapshot"));
    if (object.value(kFormat).toInt(-1) != CatalogSnapshot::kFormatVersion)
        return Error::input(QStringLiteral("schema snapshot: unsupported 'format' (expected %1)")
                                .arg(CatalogSnapshot::kFormatVersion));
    CatalogSnapshot snapshot;
    snapshot.schemas = reader.strings(object, kSchemas);
    snapshot.revisions = reader.strings(object, kRevisions);
    const QJsonArray tables = reader.array(object, kTables);
    for (const QJsonValue& value : tables)
        snapshot.tables.append(tableFromJson(reader.objectAt(value, kTables), reader));
    const QJsonArray enums = reader.array(object, kEnums);
    for (const QJsonValue& value : enums) {
        const QJsonObject e = reader.objectAt(value, kEnums);
        snapshot.enums.append(
            CatalogEnum { reader.text(e, kSchema), reader.text(e, kName), reader.strings(e, kLabels) });
    }
    const QJsonArray views = reader.array(object, kViews);
    for (const QJsonValue& value : views) {
        const QJsonObject v = reader.objectAt(value, kViews);
        snapshot.views.append(CatalogView { reader.text(v, kSchema), reader.text(v, kName),
            reader.boolean(v, kMaterialized), reader.text(v, kDefinition) });
    }
    const QJsonArray sequences = reader.array(object, kSequences);
    for (const QJsonValue& value : sequences)
        snapshot.sequences.append(sequenceFromJson(reader.objectAt(value, kSequences), reader));
    if (!reader.ok())
        return Error::input(reader.error());
    snapshot.sort();
    return snapshot;
}

Result<CatalogSnapshot> SnapshotJsonReader::readFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error::io(QStringLiteral("cannot read the schema snapshot: %1").arg(file.errorString()), path);
    // Mapped, not read: the parser gives the pages back behind itself.
    const qint64 size = file.size();
    if (size > 0 && size < std::numeric_limits<int>::max()) {
        if (uchar* mapped = file.map(0, size)) {
            std::optional<CatalogSnapshot> fast = FastSnapshotParser(
                QByteArray::fromRawData(reinterpret_cast<const char*>(mapped), static_cast<int>(size)), true)
                                                      .parse();
            file.unmap(mapped);
            if (fast) {
                fast->sort();
                return std::move(*fast);
            }
        }
    }
    file.seek(0);
    return fromJsonText(file.readAll(), path);
}

Result<CatalogSnapshot> SnapshotJsonReader::fromJsonText(const QByteArray& text, const QString& path)
{
    if (std::optional<CatalogSnapshot> fast = FastSnapshotParser(text).parse()) {
        fast->sort();
        return std::move(*fast);
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return Error::input(QStringLiteral("not a schema snapshot (JSON error at offset %1: %2)")
                                .arg(parseError.offset)
                                .arg(parseError.errorString()),
            path);
    Result<CatalogSnapshot> snapshot = fromJson(document.object());
    if (!snapshot) {
        Error error = snapshot.error();
        error.file = path;
        return error;
    }
    return snapshot;
}

QStringList SnapshotJsonReader::schemasAhead(const QByteArray& text)
{
    // toJsonText writes {"format": 1, "schemas": [...], ...}: the first
    // '"schemas"' is that member, its array the first [...] after it.
    const qsizetype key = text.indexOf(QByteArrayLiteral("\"schemas\""));
    if (key < 0 || key > 256)
        return {};
    const qsizetype open = text.indexOf('[', key);
    const qsizetype close = open < 0 ? -1 : text.indexOf(']', open);
    if (close < 0)
        return {};
    const QJsonDocument array = QJsonDocument::fromJson(text.mid(open, close - open + 1));
    QStringList schemas;
    for (const QJsonValue& value : array.array()) {
        if (!value.isString())
            return {};
        schemas.append(value.toString());
    }
    return schemas;
}

} // namespace dbops
