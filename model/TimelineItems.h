// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ActivityEntry.h"

#include <QHash>
#include <QList>
#include <QString>

#include <algorithm>
#include <array>
#include <limits>
#include <optional>
#include <vector>

// A sandbox's activity log laid out on one time axis, for the Timeline tab.
// Each entry becomes at most one item in one lane: lifecycle events and file
// operations are points, commands and code cells spans from `started_at` to
// `ended_at`, terminals spans from their `opened` to their `closed` entry.
// A lane is cut into rows so that items of one row never overlap: running
// commands that overlap stack, one row each. Within a row the items are
// sorted by start, and since they do not overlap, by end as well — so the
// items in a time range are found by two binary searches, whatever the
// number of items, which is what lets the view paint only what it shows.
//
// Pure data (no widget, no signal); `apply` takes new and updated entries
// as ActivityModel gives them and changes only what they change.
class TimelineItems
{
public:
    enum class Lane { Lifecycle, Commands, Code, Files, Terminals };
    static constexpr int kLaneCount = 5;
    // How an item is coloured: neither good nor bad, a success, a failure
    // (non-zero exit, killed, timeout, lost, a cell's error, a sandbox's
    // error or kill), still going on.
    enum class Status { Neutral, Ok, Failed, Running };

    // The end of an item that is still going on (a running command, an open
    // terminal): it reaches to "now", which the caller says.
    static constexpr qint64 kOpen = std::numeric_limits<qint64>::max();
    // More items than this in one lane drop the oldest.
    static constexpr int kMaxPerLane = 50000;

    struct Item
    {
        qint64 startMs = 0; // unix milliseconds, the engine's clock
        qint64 endMs = 0;   // kOpen while it goes on; startMs for a point
        Lane lane = Lane::Commands;
        Status status = Status::Neutral;
        qint64 seq = 0;     // the activity entry (a terminal's: its `opened`)
        QString label;      // the command, the cell's code, "write /x (3 B)", the event, the terminal's program
        QString statusText; // as the command log says it: "exit 0", "killed", "ok", "error: NameError"; "" for others

        bool isOpen() const { return endMs == kOpen; }
        qint64 endAt(qint64 nowMs) const { return isOpen() ? std::max(nowMs, startMs) : endMs; }
        bool operator==(const Item &o) const = default;
    };

    // Pure: the item one entry makes, or none (a terminal's `closed`, an
    // entry without a time, an event this version does not draw).
    static std::optional<Item> itemOf(const ActivityEntry &e);

    // New entries add items, entries seen before (same seq) update theirs
    // in place; a terminal's `closed` ends its terminal, and a pause, an
    // error or a kill of the sandbox ends every terminal open before it.
    // Returns whether anything changed.
    bool apply(const QList<ActivityEntry> &entries) { return apply(entries.cbegin(), entries.cend()); }
    bool apply(QList<ActivityEntry>::const_iterator begin, QList<ActivityEntry>::const_iterator end);
    void clear();

    bool isEmpty() const { return m_count == 0; }
    int size() const { return m_count; }
    int rowCount(Lane lane) const { return int(m_lanes[int(lane)].rows.size()); }
    int count(Lane lane) const { return m_lanes[int(lane)].count; }
    // The earliest start and the latest known time (a start or an end that
    // is not open); 0 when empty.
    qint64 firstMs() const { return m_firstMs; }
    qint64 lastMs() const { return m_lastMs; }
    // Whether any item is still going on.
    bool hasOpen() const;

    const Item *find(qint64 seq) const;
    // Where the item of `seq` is drawn; -1 when there is none.
    int rowOf(qint64 seq) const;

    // Calls f(const Item &) for every item of the row that overlaps
    // [fromMs, toMs], in start order; open items reach to nowMs.
    template <typename F>
    void forEachIn(Lane lane, int row, qint64 fromMs, qint64 toMs, qint64 nowMs, F &&f) const
    {
        const auto &rows = m_lanes[int(lane)].rows;
        if (row < 0 || row >= int(rows.size()))
            return;
        const std::vector<Item> &items = rows[size_t(row)];
        auto first = std::partition_point(items.begin(), items.end(),
                                          [&](const Item &i) { return i.endAt(nowMs) < fromMs; });
        auto last = std::partition_point(first, items.end(), [&](const Item &i) { return i.startMs <= toMs; });
        for (auto it = first; it != last; ++it)
            f(*it);
    }
    // The item of the row nearest to `ms` within `toleranceMs` (one it
    // covers first), or nullptr.
    const Item *itemNear(Lane lane, int row, qint64 ms, qint64 toleranceMs, qint64 nowMs) const;

private:
    struct LaneData
    {
        std::vector<std::vector<Item>> rows;
        qint64 latestStart = std::numeric_limits<qint64>::min();
        int count = 0;
        bool dirty = false; // rows must be laid out again
    };
    Item *findMutable(qint64 seq);
    void add(Item item);
    // Sets an item's end; a later end than before may overlap its row's next.
    bool setEnd(Item &item, qint64 endMs);
    void layOut(LaneData &lane);
    void updateBounds();

    std::array<LaneData, kLaneCount> m_lanes;
    QHash<qint64, qint64> m_startOfSeq; // finds an item by binary search in its rows
    QHash<qint64, Lane> m_laneOfSeq;
    QHash<QString, qint64> m_openTerminals; // pty_id → the seq of its `opened`
    int m_count = 0;
    qint64 m_firstMs = 0;
    qint64 m_lastMs = 0;
};
