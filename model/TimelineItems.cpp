// SPDX-License-Identifier: GPL-3.0-or-later
#include "TimelineItems.h"

namespace {

qint64 msOf(const QDateTime &t)
{
    return t.isValid() ? t.toMSecsSinceEpoch() : 0;
}

bool isEvent(const ActivityEntry &e, const char *name)
{
    return e.event == QLatin1String(name);
}

TimelineItems::Status commandStatus(const ActivityEntry &e)
{
    if (e.isRunning())
        return TimelineItems::Status::Running;
    if (e.status != QLatin1String("exited") || !e.commandError.isEmpty())
        return TimelineItems::Status::Failed; // killed, timeout, lost, out of memory
    if (!e.exitCode)
        return TimelineItems::Status::Neutral;
    return *e.exitCode == 0 ? TimelineItems::Status::Ok : TimelineItems::Status::Failed;
}

TimelineItems::Status lifecycleStatus(const ActivityEntry &e)
{
    if (isEvent(e, "error") || isEvent(e, "killed"))
        return TimelineItems::Status::Failed;
    if (isEvent(e, "created") || isEvent(e, "resumed"))
        return TimelineItems::Status::Ok;
    return TimelineItems::Status::Neutral;
}

// A stopped sandbox (paused with `stop`, errored, killed) has no processes
// left, so its terminals ended there even though no `closed` says so.
bool endsTerminals(const ActivityEntry &e)
{
    if (e.kind != ActivityEntry::Kind::Lifecycle)
        return false;
    return isEvent(e, "error") || isEvent(e, "killed") || (isEvent(e, "paused") && e.detail != QLatin1String("freeze"));
}

bool byStart(const TimelineItems::Item &a, const TimelineItems::Item &b)
{
    return a.startMs != b.startMs ? a.startMs < b.startMs : a.seq < b.seq;
}

} // namespace

std::optional<TimelineItems::Item> TimelineItems::itemOf(const ActivityEntry &e)
{
    Item item;
    item.seq = e.seq;
    item.label = e.summary();
    const qint64 time = msOf(e.time);
    switch (e.kind) {
    case ActivityEntry::Kind::Command: {
        item.lane = Lane::Commands;
        item.startMs = e.startedAt.isValid() ? msOf(e.startedAt) : time;
        if (item.startMs == 0)
            return std::nullopt;
        item.status = commandStatus(e);
        item.statusText = e.statusText();
        if (item.status == Status::Running)
            item.endMs = kOpen;
        else
            item.endMs = std::max(item.startMs, e.endedAt.isValid() ? msOf(e.endedAt) : item.startMs);
        return item;
    }
    case ActivityEntry::Kind::Code:
        // Recorded when the cell ends: the entry's time is its end.
        item.lane = Lane::Code;
        item.endMs = e.endedAt.isValid() ? msOf(e.endedAt) : time;
        item.startMs = e.startedAt.isValid() ? std::min(msOf(e.startedAt), item.endMs) : item.endMs;
        if (item.startMs == 0)
            return std::nullopt;
        item.status = e.status == QLatin1String("ok")      ? Status::Ok
                      : e.status == QLatin1String("error") ? Status::Failed
                                                           : Status::Neutral;
        item.statusText = e.statusText();
        return item;
    case ActivityEntry::Kind::File:
    case ActivityEntry::Kind::Lifecycle:
        if (time == 0)
            return std::nullopt;
        item.lane = e.kind == ActivityEntry::Kind::File ? Lane::Files : Lane::Lifecycle;
        item.startMs = item.endMs = time;
        item.status = e.kind == ActivityEntry::Kind::File ? Status::Neutral : lifecycleStatus(e);
        return item;
    case ActivityEntry::Kind::Pty:
        if (!isEvent(e, "opened") || time == 0)
            return std::nullopt;
        item.lane = Lane::Terminals;
        item.startMs = time;
        item.endMs = kOpen;
        item.status = Status::Running;
        item.label = e.cmd;
        return item;
    }
    return std::nullopt;
}

bool TimelineItems::apply(QList<ActivityEntry>::const_iterator begin, QList<ActivityEntry>::const_iterator end)
{
    bool changed = false;
    for (auto entry = begin; entry != end; ++entry) {
        const ActivityEntry &e = *entry;
        if (e.kind == ActivityEntry::Kind::Pty && isEvent(e, "closed")) {
            const auto open = m_openTerminals.constFind(e.detail);
            if (open == m_openTerminals.cend() || !e.time.isValid())
                continue;
            if (Item *t = findMutable(*open))
                changed |= setEnd(*t, msOf(e.time));
            m_openTerminals.erase(open);
            continue;
        }
        std::optional<Item> item = itemOf(e);
        if (item) {
            Item *old = findMutable(item->seq);
            // A terminal's end comes from other entries; its own says nothing.
            if (old && old->lane == Lane::Terminals && item->lane == Lane::Terminals) {
                item->endMs = old->endMs;
                item->status = old->status;
            }
            if (!old) {
                if (item->lane == Lane::Terminals)
                    m_openTerminals.insert(e.detail, item->seq);
                add(std::move(*item));
                changed = true;
            } else if (*old != *item) {
                LaneData &lane = m_lanes[int(old->lane)];
                if (item->lane != old->lane || item->startMs != old->startMs) {
                    // Rare (the engine does not move starts): placed anew.
                    old->seq = -1; // dropped at the next lay-out
                    m_startOfSeq.remove(item->seq);
                    m_laneOfSeq.remove(item->seq);
                    --lane.count;
                    --m_count;
                    lane.dirty = true;
                    add(std::move(*item));
                } else {
                    const qint64 end = item->endMs;
                    item->endMs = old->endMs;
                    *old = std::move(*item);
                    setEnd(*old, end);
                }
                changed = true;
            }
        }
        if (endsTerminals(e)) {
            const qint64 at = msOf(e.time);
            for (auto it = m_openTerminals.begin(); it != m_openTerminals.end();) {
                Item *t = findMutable(it.value());
                if (t && t->startMs <= at) {
                    changed |= setEnd(*t, at);
                    it = m_openTerminals.erase(it);
                } else {
                    ++it;
                }
            }
        }
    }
    for (LaneData &lane : m_lanes) {
        if (lane.dirty)
            layOut(lane);
    }
    if (changed)
        updateBounds();
    return changed;
}

bool TimelineItems::setEnd(Item &item, qint64 endMs)
{
    if (item.endMs == endMs)
        return false;
    const bool grows = endMs == kOpen || (!item.isOpen() && endMs > item.endMs);
    item.endMs = endMs == kOpen ? kOpen : std::max(endMs, item.startMs);
    if (item.lane == Lane::Terminals)
        item.status = item.isOpen() ? Status::Running : Status::Neutral;
    // A shorter item still fits its row; a longer one may reach the next.
    if (grows)
        m_lanes[int(item.lane)].dirty = true;
    return true;
}

void TimelineItems::add(Item item)
{
    LaneData &lane = m_lanes[int(item.lane)];
    m_startOfSeq.insert(item.seq, item.startMs);
    m_laneOfSeq.insert(item.seq, item.lane);
    ++lane.count;
    ++m_count;
    if (lane.count > kMaxPerLane)
        lane.dirty = true;
    if (lane.dirty || item.startMs < lane.latestStart) {
        // Out of order (a blocking command is logged when it ends, after
        // commands that started later): the lane is laid out again.
        lane.dirty = true;
        if (lane.rows.empty())
            lane.rows.emplace_back();
        lane.rows.front().push_back(std::move(item));
        return;
    }
    lane.latestStart = item.startMs;
    for (std::vector<Item> &row : lane.rows) {
        const Item &last = row.back();
        if (!last.isOpen() && last.endMs <= item.startMs) {
            row.push_back(std::move(item));
            return;
        }
    }
    lane.rows.emplace_back();
    lane.rows.back().push_back(std::move(item));
}

void TimelineItems::layOut(LaneData &lane)
{
    std::vector<Item> all;
    all.reserve(size_t(lane.count));
    for (std::vector<Item> &row : lane.rows) {
        for (Item &i : row) {
            if (i.seq >= 0)
                all.push_back(std::move(i));
        }
    }
    std::sort(all.begin(), all.end(), byStart);
    if (all.size() > size_t(kMaxPerLane)) {
        const size_t excess = all.size() - size_t(kMaxPerLane);
        for (size_t k = 0; k < excess; ++k) {
            m_startOfSeq.remove(all[k].seq);
            m_laneOfSeq.remove(all[k].seq);
        }
        all.erase(all.begin(), all.begin() + qsizetype(excess));
        m_count -= int(excess);
        for (auto it = m_openTerminals.begin(); it != m_openTerminals.end();)
            it = m_laneOfSeq.contains(it.value()) ? std::next(it) : m_openTerminals.erase(it);
    }
    lane.count = int(all.size());
    lane.rows.clear();
    // First fit: each item goes into the topmost row free at its start.
    std::vector<qint64> rowEnds;
    for (Item &i : all) {
        size_t r = 0;
        while (r < rowEnds.size() && rowEnds[r] > i.startMs)
            ++r;
        if (r == rowEnds.size()) {
            rowEnds.push_back(0);
            lane.rows.emplace_back();
        }
        rowEnds[r] = i.endMs; // kOpen keeps the row taken
        lane.rows[r].push_back(std::move(i));
    }
    lane.latestStart = std::numeric_limits<qint64>::min();
    for (const std::vector<Item> &row : lane.rows)
        lane.latestStart = std::max(lane.latestStart, row.back().startMs);
    lane.dirty = false;
}

void TimelineItems::updateBounds()
{
    m_firstMs = 0;
    m_lastMs = 0;
    bool any = false;
    for (const LaneData &lane : m_lanes) {
        for (const std::vector<Item> &row : lane.rows) {
            if (row.empty())
                continue;
            const Item &last = row.back();
            const qint64 known = last.isOpen() ? last.startMs : last.endMs;
            m_firstMs = any ? std::min(m_firstMs, row.front().startMs) : row.front().startMs;
            m_lastMs = any ? std::max(m_lastMs, known) : known;
            any = true;
        }
    }
}

void TimelineItems::clear()
{
    for (LaneData &lane : m_lanes)
        lane = LaneData{};
    m_startOfSeq.clear();
    m_laneOfSeq.clear();
    m_openTerminals.clear();
    m_count = 0;
    m_firstMs = 0;
    m_lastMs = 0;
}

bool TimelineItems::hasOpen() const
{
    for (const LaneData &lane : m_lanes) {
        for (const std::vector<Item> &row : lane.rows) {
            if (!row.empty() && row.back().isOpen())
                return true;
        }
    }
    return false;
}

TimelineItems::Item *TimelineItems::findMutable(qint64 seq)
{
    const auto laneIt = m_laneOfSeq.constFind(seq);
    if (laneIt == m_laneOfSeq.cend())
        return nullptr;
    LaneData &lane = m_lanes[int(*laneIt)];
    const qint64 start = m_startOfSeq.value(seq);
    for (std::vector<Item> &row : lane.rows) {
        if (lane.dirty) {
            // Rows are out of order until the lay-out at the end of apply().
            for (Item &i : row) {
                if (i.seq == seq)
                    return &i;
            }
            continue;
        }
        auto it = std::lower_bound(row.begin(), row.end(), start,
                                   [](const Item &i, qint64 s) { return i.startMs < s; });
        for (; it != row.end() && it->startMs == start; ++it) {
            if (it->seq == seq)
                return &*it;
        }
    }
    return nullptr;
}

const TimelineItems::Item *TimelineItems::find(qint64 seq) const
{
    return const_cast<TimelineItems *>(this)->findMutable(seq);
}

int TimelineItems::rowOf(qint64 seq) const
{
    const Item *item = find(seq);
    if (!item)
        return -1;
    const auto &rows = m_lanes[int(item->lane)].rows;
    for (size_t r = 0; r < rows.size(); ++r) {
        if (!rows[r].empty() && item >= rows[r].data() && item < rows[r].data() + rows[r].size())
            return int(r);
    }
    return -1;
}

const TimelineItems::Item *TimelineItems::itemNear(Lane lane, int row, qint64 ms, qint64 toleranceMs, qint64 nowMs) const
{
    const Item *best = nullptr;
    qint64 bestDistance = 0;
    forEachIn(lane, row, ms - toleranceMs, ms + toleranceMs, nowMs, [&](const Item &i) {
        const qint64 end = i.endAt(nowMs);
        const qint64 distance = ms < i.startMs ? i.startMs - ms : ms > end ? ms - end : 0;
        if (!best || distance < bestDistance) {
            best = &i;
            bestDistance = distance;
        }
    });
    return best;
}
