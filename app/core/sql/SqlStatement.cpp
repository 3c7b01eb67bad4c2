#include "sql/SqlStatement.h"

#include <algorithm>

namespace dbops {

void SqlStatement::locate(int positionInStatement, int* lineOut, int* columnOut) const
{
    // positionInStatement is 1-based, as PostgreSQL reports it.
    int line = this->line;
    int column = this->column;
    const int limit = std::min(static_cast<int>(text.size()), std::max(0, positionInStatement - 1));
    for (int i = 0; i < limit; ++i) {
        if (text.at(i) == QLatin1Char('\n')) {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    *lineOut = line;
    *columnOut = column;
}

} // namespace dbops
