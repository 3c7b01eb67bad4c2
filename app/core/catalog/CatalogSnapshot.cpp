#include "catalog/CatalogSnapshot.h"

#include "catalog/CatalogSnapshotBuilder.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <tuple>
#ifdef Q_OS_UNIX
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace dbops {

namespace {

// JSON keys, in one place: the file format is documented in docs/cli.md.
const QString kFormat = QStringLiteral("format");
const QString kSchemas = QStringLiteral("schemas");
const QString kRevisions = QStringLiteral("revisions");
const QString kTables = QStringLiteral("tables");
const QString kEnums = QStringLiteral("enums");
const QString kViews = QStringLiteral("views");
const QString kSequences = QStringLiteral("sequences");
const QString kSchema = QStringLiteral("schema");
const QString kName = QStringLiteral("name");
const QString kColumns = QStringLiteral("columns");
const QString kIndexes = QStringLiteral("indexes");
const QString kConstraints = QStringLiteral("constraints");
const QString kType = QStringLiteral("type");
const QString kNullable = QStringLiteral("nullable");
const QString kDefault = QStringLiteral("default");
const QString kIdentity = QStringLiteral("identity");
const QString kGenerated = QStringLiteral("generated");
const QString kDefinition = QStringLiteral("definition");
const QString kLabels = QStringLiteral("labels");
const QString kMaterialized = QStringLiteral("materialized");
const QString kDataType = QStringLiteral("data_type");
const QString kStart = QStringLiteral("start");
const QString kIncrement = QStringLiteral("increment");
const QString kMinValue = QStringLiteral("min_value");
const QString kMaxValue = QStringLiteral("max_value");
const QString kCache = QStringLiteral("cache");
const QString kCycle = QStringLiteral("cycle");
const QString kOwnedByTable = QStringLiteral("owned_by_table");
const QString kOwnedByColumn = QStringLiteral("owned_by_column");

// A sorted list is left alone: sorting detaches it, and a read's lists may
// share their elements with another snapshot's (CatalogReader::Options::sharedWith).
template<typename T> void sortByName(QList<T>& list)
{
    auto byName = [](const T& a, const T& b) { return a.name < b.name; };
    const QList<T>& constList = list;
    if (!std::is_sorted(constList.begin(), constList.end(), byName))
        std::sort(list.begin(), list.end(), byName);
}

template<typename T> void sortBySchemaAndName(QList<T>& list)
{
    auto bySchemaAndName
        = [](const T& a, const T& b) { return std::tie(a.schema, a.name) < std::tie(b.schema, b.name); };
    const QList<T>& constList = list;
    if (!std::is_sorted(constList.begin(), constList.end(), bySchemaAndName))
        std::sort(list.begin(), list.end(), bySchemaAndName);
}

// Optional text fields are left out when empty, so the file only says what is there.
void insertIfSet(QJsonObject& object, const QString& key, const QString& value)
{
    if (!value.isEmpty())
        object.insert(key, value);
}

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

QJsonObject columnToJson(const CatalogColumn& column)
{
    QJsonObject object { { kName, column.name }, { kType, column.type }, { kNullable, column.nullable } };
    insertIfSet(object, kDefault, column.defaultExpression);
    insertIfSet(object, kIdentity, column.identity);
    insertIfSet(object, kGenerated, column.generated);
    return object;
}

QJsonObject tableToJson(const CatalogTable& table)
{
    QJsonArray columns;
    for (const CatalogColumn& column : table.columns)
        columns.append(columnToJson(column));
    QJsonArray indexes;
    for (const CatalogIndex& index : table.indexes)
        indexes.append(QJsonObject { { kName, index.name }, { kDefinition, index.definition } });
    QJsonArray constraints;
    for (const CatalogConstraint& constraint : table.constraints)
        constraints.append(QJsonObject {
            { kName, constraint.name }, { kType, constraint.type }, { kDefinition, constraint.definition } });
    return QJsonObject { { kSchema, table.schema }, { kName, table.name }, { kColumns, columns },
        { kIndexes, indexes }, { kConstraints, constraints } };
}

QJsonObject sequenceToJson(const CatalogSequence& sequence)
{
    QJsonObject object { { kSchema, sequence.schema }, { kName, sequence.name },
        { kDataType, sequence.dataType }, { kStart, sequence.start }, { kIncrement, sequence.increment },
        { kMinValue, sequence.minValue }, { kMaxValue, sequence.maxValue }, { kCache, sequence.cache },
        { kCycle, sequence.cycle } };
    insertIfSet(object, kOwnedByTable, sequence.ownerTable);
    insertIfSet(object, kOwnedByColumn, sequence.ownerColumn);
    return object;
}

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

/// Keys a reader looks for first; the rest follow alphabetically.
int keyRank(const QString& key)
{
    static const QStringList first { kFormat, kSchemas, kRevisions, kSchema, kName, kType, kDataType,
        kNullable, kDefault };
    const int rank = static_cast<int>(first.indexOf(key));
    return rank < 0 ? static_cast<int>(first.size()) : rank;
}

QByteArray jsonString(const QString& text)
{
    // QJsonDocument does the escaping: "[\"...\"]" without the brackets.
    const QByteArray array = QJsonDocument(QJsonArray { text }).toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2);
}

/// Indented JSON like QJsonDocument's, but with "schema" and "name" before
/// the lists they own, so the committed file reads top-down; empty lists stay "[]".
void writeJson(QByteArray& out, const QJsonValue& value, int depth)
{
    const QByteArray indent((depth + 1) * 4, ' ');
    const QByteArray closing(depth * 4, ' ');
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        QStringList keys = object.keys();
        std::stable_sort(keys.begin(), keys.end(), [](const QString& a, const QString& b) {
            return std::make_pair(keyRank(a), a) < std::make_pair(keyRank(b), b);
        });
        if (keys.isEmpty()) {
            out += "{}";
            return;
        }
        out += "{\n";
        for (int i = 0; i < keys.size(); ++i) {
            out += indent + jsonString(keys.at(i)) + ": ";
            writeJson(out, object.value(keys.at(i)), depth + 1);
            out += i + 1 < keys.size() ? ",\n" : "\n";
        }
        out += closing + '}';
    } else if (value.isArray()) {
        const QJsonArray array = value.toArray();
        if (array.isEmpty()) {
            out += "[]";
            return;
        }
        out += "[\n";
        for (int i = 0; i < array.size(); ++i) {
            out += indent;
            writeJson(out, array.at(i), depth + 1);
            out += i + 1 < array.size() ? ",\n" : "\n";
        }
        out += closing + ']';
    } else if (value.isString()) {
        out += jsonString(value.toString());
    } else if (value.isBool()) {
        out += value.toBool() ? "true" : "false";
    } else if (value.isDouble()) {
        out += QByteArray::number(value.toDouble(), 'g', 17);
    } else {
        out += "null";
    }
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
            if (key == "format")
                return members.see(0x1) && number(CatalogSnapshot::kFormatVersion);
            if (key == "schemas")
                return members.see(0x2) && strings(snapshot.schemas);
            if (key == "revisions")
                return members.see(0x4) && strings(snapshot.revisions);
            if (key == "tables")
                return members.see(0x8) && array([&] {
                    snapshot.tables.append(CatalogTable {});
                    const bool read = table(snapshot.tables.last());
                    releaseReadPages();
                    return read;
                });
            if (key == "enums")
                return members.see(0x10) && array([&] {
                    snapshot.enums.append(CatalogEnum {});
                    return enumType(snapshot.enums.last());
                });
            if (key == "views")
                return members.see(0x20) && array([&] {
                    snapshot.views.append(CatalogView {});
                    return view(snapshot.views.last());
                });
            if (key == "sequences")
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
            if (key == "schema")
                return members.see(0x1) && string(table.schema, true);
            if (key == "name")
                return members.see(0x2) && string(table.name, false);
            if (key == "columns") {
                const bool read = members.see(0x4) && array([&] {
                    table.columns.append(CatalogColumn {});
                    return column(table.columns.last());
                });
#if QT_VERSION >= QT_VERSION_CHECK(6, 0, 0)
                table.columns.squeeze(); // grown one by one: 20 columns took room for 30
#endif
                return read;
            }
            if (key == "indexes")
                return members.see(0x8) && array([&] {
                    table.indexes.append(CatalogIndex {});
                    CatalogIndex& index = table.indexes.last();
                    Members parts(0x3);
                    return object([&](const QByteArray& part) {
                        if (part == "name")
                            return parts.see(0x1) && string(index.name, false);
                        if (part == "definition")
                            return parts.see(0x2) && string(index.definition, false);
                        return false;
                    }) && parts.complete();
                });
            if (key == "constraints")
                return members.see(0x10) && array([&] {
                    table.constraints.append(CatalogConstraint {});
                    CatalogConstraint& constraint = table.constraints.last();
                    Members parts(0x7);
                    return object([&](const QByteArray& part) {
                        if (part == "name")
                            return parts.see(0x1) && string(constraint.name, false);
                        if (part == "type")
                            return parts.see(0x2) && string(constraint.type, true);
                        if (part == "definition")
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
            if (key == "name")
                return members.see(0x1) && string(column.name, true);
            if (key == "type")
                return members.see(0x2) && string(column.type, true);
            if (key == "nullable")
                return members.see(0x4) && boolean(column.nullable);
            if (key == "default")
                return members.see(0x8) && string(column.defaultExpression, true);
            if (key == "identity")
                return members.see(0x10) && string(column.identity, true);
            if (key == "generated")
                return members.see(0x20) && string(column.generated, true);
            return false;
        }) && members.complete();
    }

    bool enumType(CatalogEnum& e)
    {
        Members members(0x3);
        return object([&](const QByteArray& key) {
            if (key == "schema")
                return members.see(0x1) && string(e.schema, true);
            if (key == "name")
                return members.see(0x2) && string(e.name, false);
            if (key == "labels")
                return members.see(0x4) && strings(e.labels);
            return false;
        }) && members.complete();
    }

    bool view(CatalogView& view)
    {
        Members members(0xb);
        return object([&](const QByteArray& key) {
            if (key == "schema")
                return members.see(0x1) && string(view.schema, true);
            if (key == "name")
                return members.see(0x2) && string(view.name, false);
            if (key == "materialized")
                return members.see(0x4) && boolean(view.materialized);
            if (key == "definition")
                return members.see(0x8) && string(view.definition, false);
            return false;
        }) && members.complete();
    }

    bool sequence(CatalogSequence& sequence)
    {
        Members members(0xff);
        return object([&](const QByteArray& key) {
            if (key == "schema")
                return members.see(0x1) && string(sequence.schema, true);
            if (key == "name")
                return members.see(0x2) && string(sequence.name, false);
            if (key == "data_type")
                return members.see(0x4) && string(sequence.dataType, true);
            if (key == "start")
                return members.see(0x8) && string(sequence.start, true);
            if (key == "increment")
                return members.see(0x10) && string(sequence.increment, true);
            if (key == "min_value")
                return members.see(0x20) && string(sequence.minValue, true);
            if (key == "max_value")
                return members.see(0x40) && string(sequence.maxValue, true);
            if (key == "cache")
                return members.see(0x80) && string(sequence.cache, true);
            if (key == "cycle")
                return members.see(0x100) && boolean(sequence.cycle);
            if (key == "owned_by_table")
                return members.see(0x200) && string(sequence.ownerTable, false);
            if (key == "owned_by_column")
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

QString CatalogColumn::describe() const
{
    QString text = type;
    if (!identity.isEmpty())
        text += QStringLiteral(" GENERATED %1 AS IDENTITY").arg(identity.toUpper());
    if (!generated.isEmpty())
        text += QStringLiteral(" GENERATED ALWAYS AS (%1) %2").arg(defaultExpression, generated.toUpper());
    text += nullable ? QStringLiteral(" NULL") : QStringLiteral(" NOT NULL");
    if (generated.isEmpty() && !defaultExpression.isEmpty())
        text += QStringLiteral(" DEFAULT ") + defaultExpression;
    return text;
}

bool CatalogColumn::operator==(const CatalogColumn& other) const
{
    return name == other.name && type == other.type && nullable == other.nullable
        && defaultExpression == other.defaultExpression && identity == other.identity
        && generated == other.generated;
}

const CatalogColumn* CatalogTable::column(const QString& columnName) const
{
    for (const CatalogColumn& c : columns) {
        if (c.name == columnName)
            return &c;
    }
    return nullptr;
}

QString CatalogSequence::describe() const
{
    QString text = QStringLiteral("%1 START %2 INCREMENT %3 MINVALUE %4 MAXVALUE %5 CACHE %6%7")
                       .arg(dataType, start, increment, minValue, maxValue, cache,
                           cycle ? QStringLiteral(" CYCLE") : QString());
    if (!ownerTable.isEmpty())
        text += QStringLiteral(" OWNED BY %1.%2").arg(ownerTable, ownerColumn);
    return text;
}

void CatalogSnapshot::sort()
{
    schemas.sort();
    revisions.sort();
    sortBySchemaAndName(tables);
    for (CatalogTable& table : tables) {
        sortByName(table.columns);
        sortByName(table.indexes);
        sortByName(table.constraints);
    }
    sortBySchemaAndName(enums);
    sortBySchemaAndName(views);
    sortBySchemaAndName(sequences);
}

const CatalogTable* CatalogSnapshot::table(const QString& schema, const QString& name) const
{
    for (const CatalogTable& t : tables) {
        if (t.schema == schema && t.name == name)
            return &t;
    }
    return nullptr;
}

QJsonObject CatalogSnapshot::toJson() const
{
    CatalogSnapshot sorted = *this;
    sorted.sort();
    QJsonArray tableArray;
    for (const CatalogTable& table : sorted.tables)
        tableArray.append(tableToJson(table));
    QJsonArray enumArray;
    for (const CatalogEnum& e : sorted.enums)
        enumArray.append(QJsonObject {
            { kSchema, e.schema }, { kName, e.name }, { kLabels, QJsonArray::fromStringList(e.labels) } });
    QJsonArray viewArray;
    for (const CatalogView& view : sorted.views)
        viewArray.append(QJsonObject { { kSchema, view.schema }, { kName, view.name },
            { kMaterialized, view.materialized }, { kDefinition, view.definition } });
    QJsonArray sequenceArray;
    for (const CatalogSequence& sequence : sorted.sequences)
        sequenceArray.append(sequenceToJson(sequence));
    return QJsonObject {
        { kFormat, kFormatVersion },
        { kSchemas, QJsonArray::fromStringList(sorted.schemas) },
        { kRevisions, QJsonArray::fromStringList(sorted.revisions) },
        { kTables, tableArray },
        { kEnums, enumArray },
        { kViews, viewArray },
        { kSequences, sequenceArray },
    };
}

QByteArray CatalogSnapshot::toJsonText() const
{
    // The lists are sorted and the keys in a fixed order: the text is stable.
    QByteArray out;
    writeJson(out, toJson(), 0);
    return out + '\n';
}

Result<CatalogSnapshot> CatalogSnapshot::fromJson(const QJsonObject& object)
{
    JsonReader reader(QStringLiteral("schema snapshot"));
    if (object.value(kFormat).toInt(-1) != kFormatVersion)
        return Error::input(
            QStringLiteral("schema snapshot: unsupported 'format' (expected %1)").arg(kFormatVersion));
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

Result<CatalogSnapshot> CatalogSnapshot::readFile(const QString& path)
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

Result<CatalogSnapshot> CatalogSnapshot::fromJsonText(const QByteArray& text, const QString& path)
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

QStringList CatalogSnapshot::schemasAhead(const QByteArray& text)
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
