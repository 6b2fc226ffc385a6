// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>

// What happened to one path while a command ran, as its net effect.
enum class TouchChange { Added, Modified, Deleted };

// Pure: the net change after `earlier` and then `later`; nullopt when the
// two cancel out (added, then deleted). Added means the path was not there
// before, Modified and Deleted that it was.
std::optional<TouchChange> foldTouch(std::optional<TouchChange> earlier, TouchChange later);
// "added", "modified", "deleted": the words of the engine's changes.
const char* touchChangeName(TouchChange change);
