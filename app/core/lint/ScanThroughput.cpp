#include "lint/ScanThroughput.h"

#include "common/PrivateFiles.h"
#include "connection/DatabaseConnection.h"

#include <QDateTime>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QSaveFile>
#include <QStandardPaths>

namespace dbops {

namespace {

/// The measurement must never hold a review up for long.
constexpr int kMeasureTimeoutMs = 5000;

QMutex& cacheMutex()
{
    static QMutex mutex;
    return mutex;
}

QHash<QString, double>& memoryCache()
{
    static QHash<QString, double> cache;
    return cache;
}

/// One server: where the connection goes, not which database on it.
QString serverKey(const DatabaseConnection& connection)
{
    const ConnectionSettings& settings = connection.settings();
    QString host = settings.value(QStringLiteral("hostaddr"));
    if (host.isEmpty())
        host = settings.value(QStringLiteral("host"));
    if (host.isEmpty())
        host = QStringLiteral("localhost");
    const QString port = settings.value(QStringLiteral("port"));
    return host + QLatin1Char(':') + (port.isEmpty() ? QStringLiteral("5432") : port);
}

QJsonObject readCacheFile()
{
    QFile file(ScanThroughput::cacheFilePath());
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

void writeCacheFile(const QString& key, double bytesPerSecond)
{
    const QString path = ScanThroughput::cacheFilePath();
    if (PrivateFiles::ensureFileIn(path, PrivateFiles::Folder::Own))
        return; // a cache that cannot be written only costs a measurement next time
    QJsonObject all = readCacheFile();
    all.insert(key,
        QJsonObject { { QStringLiteral("bytes_per_second"), bytesPerSecond },
            { QStringLiteral("measured_at"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate) } });
    QFile file(path);
    if (file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        file.write(QJsonDocument(all).toJson(QJsonDocument::Indented));
}

double measure(
    DatabaseConnection& connection, const QString& relation, qint64 tableBytes, qint64 rows, int blockSize)
{
    // Read at most kSampleBytes of the table: LIMIT a number of rows that
    // many bytes hold, as the statistics say.
    qint64 limit = 1000000;
    if (rows > 0 && tableBytes > 0)
        limit
            = std::max<qint64>(1000, rows * std::min(tableBytes, ScanThroughput::kSampleBytes) / tableBytes);
    connection.exec(QStringLiteral("SET statement_timeout = %1").arg(kMeasureTimeoutMs));
    Result<QVariant> plan
        = connection.scalar(QStringLiteral("EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, FORMAT JSON) "
                                           "SELECT count(*) FROM (SELECT 1 FROM %1 LIMIT %2) AS sample")
                                .arg(relation)
                                .arg(limit));
    connection.exec(QStringLiteral("RESET statement_timeout"));
    if (!plan)
        return 0;
    const QJsonObject top = QJsonDocument::fromJson(plan->toString().toUtf8()).array().first().toObject();
    const QJsonObject root = top.value(QLatin1String("Plan")).toObject();
    const double blocks = root.value(QLatin1String("Shared Hit Blocks")).toDouble()
        + root.value(QLatin1String("Shared Read Blocks")).toDouble();
    const double milliseconds = top.value(QLatin1String("Execution Time")).toDouble();
    if (blocks <= 0 || milliseconds <= 0)
        return 0;
    return blocks * blockSize / (milliseconds / 1000.0);
}

} // namespace

QString ScanThroughput::cacheFilePath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation)
        + QStringLiteral("/dbops/throughput.json");
}

double ScanThroughput::cachedFor(DatabaseConnection& connection)
{
    const QString key = serverKey(connection);
    QMutexLocker lock(&cacheMutex());
    auto it = memoryCache().constFind(key);
    if (it != memoryCache().constEnd())
        return *it;
    const double stored
        = readCacheFile().value(key).toObject().value(QLatin1String("bytes_per_second")).toDouble();
    if (stored > 0)
        memoryCache().insert(key, stored);
    return stored > 0 ? stored : 0;
}

double ScanThroughput::forServer(DatabaseConnection& connection, const QString& relation, qint64 tableBytes,
    qint64 rows, int blockSize, bool* cached)
{
    if (cached)
        *cached = false;
    if (const double known = cachedFor(connection); known > 0) {
        if (cached)
            *cached = true;
        return known;
    }
    if (tableBytes < kMinimumSampleBytes)
        return 0;
    const double measured = measure(connection, relation, tableBytes, rows, blockSize);
    if (measured <= 0)
        return 0;
    const QString key = serverKey(connection);
    QMutexLocker lock(&cacheMutex());
    memoryCache().insert(key, measured);
    writeCacheFile(key, measured);
    return measured;
}

} // namespace dbops
