#pragma once

#include "common/Result.h"
#include "sql/ScanTokenDecoder.h"
#include "sql/SqlStatement.h"
#include "sql/Utf8OffsetMap.h"

#include <vector>

namespace dbops {

/// Splits SQL text into statements on PostgreSQL's scanner tokens, the way
/// psql does (SqlParser::split is the front).
class StatementSplitter
{
public:
    StatementSplitter(const QString& sql, const QString& fileName, int firstLine);

    Result<SqlStatementList> split() const;

private:
    /// The statements of the first `count` tokens.
    SqlStatementList statements(const std::vector<ScanToken>& tokens, size_t count) const;
    void addStatement(
        const std::vector<ScanToken>& tokens, size_t first, size_t last, SqlStatementList& statements) const;
    /// An input error at the file line and column of a character offset.
    Error errorAt(const QString& message, int charOffset) const;
    void locate(int charOffset, int* line, int* column) const;
    static bool isNoParseDirective(const QByteArray& comment);

    QString m_sql;
    QString m_fileName;
    int m_firstLine;
    Utf8OffsetMap m_utf8;
    std::vector<int> m_lineStarts;
};

} // namespace dbops
