#pragma once

#include <QString>

namespace dbops {

class DatabaseConnection;

/// How fast a server reads a table, in bytes per second: what the estimate
/// of a rewrite or scan divides by.  Measured once per server (host and port)
/// with a bounded, read-only sequential read of a real table (EXPLAIN
/// ANALYZE of at most kSampleBytes), then cached in this process and in
/// ~/.cache/dbops/throughput.json (0600).  An estimate: the cache, the disk
/// and the load of the moment decide the real time.
class ScanThroughput
{
public:
    static constexpr qint64 kMinimumSampleBytes = 4 * 1024 * 1024; ///< smaller tables measure noise
    static constexpr qint64 kSampleBytes = 64 * 1024 * 1024;

    /// The cached figure for the connection's server, else a measurement on
    /// `relation` (a regclass name) when its table is large enough.  0 when
    /// neither is possible.  `cached` tells which.
    static double forServer(DatabaseConnection& connection, const QString& relation, qint64 tableBytes,
        qint64 rows, int blockSize, bool* cached);
    /// Only the cached figure, 0 when there is none.
    static double cachedFor(DatabaseConnection& connection);
    static QString cacheFilePath();
};

} // namespace dbops
