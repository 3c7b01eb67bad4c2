#pragma once

#include "common/JsonLinesFile.h"
#include "rehearse/Rehearsal.h"

#include <optional>

namespace dbops {

/// The rehearsals made on this machine: one JSON object a line in
/// $XDG_DATA_HOME/dbops/rehearsals.jsonl (0600 in a 0700 folder, like the
/// journal).  A record matches a write when it rehearsed the same database
/// (target and name), from the same revisions, the same SQL (SHA-256 of the
/// exact script), green, and not longer ago than `maxAgeDays`.
class RehearsalRecords
{
public:
    static constexpr int kDefaultMaxAgeDays = 7;

    RehearsalRecords(); ///< the user's
    explicit RehearsalRecords(const QString& filePath);
    QString filePath() const { return m_path; }

    std::optional<Error> append(const RehearsalReport& report) const;
    Result<QList<RehearsalReport>> read() const;
    /// What one rehearsal says about a reviewed write (a rehearsal just made
    /// in the console: the dialog shows it without reading the records).
    static RehearsalStatus statusOf(const RehearsalReport& rehearsal, const WriteReview& review,
        int maxAgeDays = kDefaultMaxAgeDays, const QDateTime& now = QDateTime::currentDateTime());
    /// The check for a reviewed write (WriteReview::rehearsal).
    RehearsalStatus match(const WriteReview& review, int maxAgeDays = kDefaultMaxAgeDays,
        const QDateTime& now = QDateTime::currentDateTime()) const;

private:
    JsonLinesFile file() const;
    QString m_path;
};

} // namespace dbops
