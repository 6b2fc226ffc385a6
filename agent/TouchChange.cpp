// SPDX-License-Identifier: GPL-3.0-or-later
#include "TouchChange.h"

std::optional<TouchChange> foldTouch(std::optional<TouchChange> earlier, TouchChange later)
{
    if (!earlier)
        return later;
    switch (*earlier) {
    case TouchChange::Added:
        // It did not exist before: gone again is no change at all.
        if (later == TouchChange::Deleted)
            return std::nullopt;
        return TouchChange::Added;
    case TouchChange::Modified:
    case TouchChange::Deleted:
        // It existed before: what is there at the end decides.
        return later == TouchChange::Deleted ? TouchChange::Deleted : TouchChange::Modified;
    }
    return later;
}

const char* touchChangeName(TouchChange change)
{
    switch (change) {
    case TouchChange::Added: return "added";
    case TouchChange::Modified: return "modified";
    case TouchChange::Deleted: return "deleted";
    }
    return "modified";
}
