// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLatin1StringView>

// The names of an activity entry's kinds and of the fields each kind adds
// to ActivityRecord's envelope (docs/api.md, "Activity log"). The engine
// writes these keys and the app reads them; the wire names must not change.
namespace ActivityFields {

// ---- kinds ------------------------------------------------------------------
inline constexpr QLatin1StringView kKindCommand{"command"};
inline constexpr QLatin1StringView kKindCode{"code"};
inline constexpr QLatin1StringView kKindFile{"file"};
inline constexpr QLatin1StringView kKindLifecycle{"lifecycle"};
inline constexpr QLatin1StringView kKindPty{"pty"};

// ---- command ----------------------------------------------------------------
// command_id: string; cmd: string; cwd: string or null; user: string;
// background: bool; pid: number or null; status: string (kStatus…);
// started_at, ended_at: ISO 8601 string or null; exit_code: number or null;
// stdout, stderr: string (the last 64 KiB); truncated: bool;
// error: string or null ("killed: out of memory");
// touched: TouchedFiles object, or null while it runs.
inline constexpr QLatin1StringView kCommandId{"command_id"};
inline constexpr QLatin1StringView kCmd{"cmd"};
inline constexpr QLatin1StringView kCwd{"cwd"};
inline constexpr QLatin1StringView kUser{"user"};
inline constexpr QLatin1StringView kBackground{"background"};
inline constexpr QLatin1StringView kPid{"pid"};
inline constexpr QLatin1StringView kStatus{"status"};
inline constexpr QLatin1StringView kStartedAt{"started_at"};
inline constexpr QLatin1StringView kEndedAt{"ended_at"};
inline constexpr QLatin1StringView kExitCode{"exit_code"};
inline constexpr QLatin1StringView kStdout{"stdout"};
inline constexpr QLatin1StringView kStderr{"stderr"};
inline constexpr QLatin1StringView kTruncated{"truncated"};
inline constexpr QLatin1StringView kError{"error"};
inline constexpr QLatin1StringView kTouched{"touched"};

// A command's `status`: still going, or how it ended (also "killed").
inline constexpr QLatin1StringView kStatusRunning{"running"};
inline constexpr QLatin1StringView kStatusExited{"exited"};
inline constexpr QLatin1StringView kStatusTimeout{"timeout"};
inline constexpr QLatin1StringView kStatusLost{"lost"};

// ---- code -------------------------------------------------------------------
// code: string; outcome: string (kOutcome…); stdout, stderr: string;
// result: string (the main result's text); execution_count: number or null;
// error: object {name: string, value: string, traceback: string or array of
// strings} or null; started_at, ended_at: ISO 8601 string;
// touched: TouchedFiles object or null.
inline constexpr QLatin1StringView kCode{"code"};
inline constexpr QLatin1StringView kOutcome{"outcome"};
inline constexpr QLatin1StringView kResult{"result"};
inline constexpr QLatin1StringView kExecutionCount{"execution_count"};
inline constexpr QLatin1StringView kErrorName{"name"};           // in `error`
inline constexpr QLatin1StringView kErrorValue{"value"};         // in `error`
inline constexpr QLatin1StringView kErrorTraceback{"traceback"}; // in `error`

inline constexpr QLatin1StringView kOutcomeOk{"ok"};
inline constexpr QLatin1StringView kOutcomeError{"error"};

// ---- file -------------------------------------------------------------------
// op: string ("write", "remove", "rename", "mkdir"); path: string;
// to: string (rename); bytes: number (write); created: bool (mkdir).
inline constexpr QLatin1StringView kOp{"op"};
inline constexpr QLatin1StringView kPath{"path"};
inline constexpr QLatin1StringView kTo{"to"};
inline constexpr QLatin1StringView kBytes{"bytes"};
inline constexpr QLatin1StringView kCreated{"created"};

// ---- lifecycle --------------------------------------------------------------
// event: string ("created", "paused", "resumed", "error", "timeout_changed",
// "network_changed", "killed"); pause_kind: string ("stop" or "freeze",
// paused and resumed); reason: string (error, killed); end_at: ISO 8601
// string or null (timeout_changed); network: object, the sandbox's new
// network policy as its info has it (network_changed).
inline constexpr QLatin1StringView kEvent{"event"};
inline constexpr QLatin1StringView kPauseKind{"pause_kind"};
inline constexpr QLatin1StringView kReason{"reason"};
inline constexpr QLatin1StringView kEndAt{"end_at"};
inline constexpr QLatin1StringView kNetwork{"network"};

// ---- pty --------------------------------------------------------------------
// event: string ("opened" or "closed"); pty_id: string; and when opened
// cmd: string, user: string, cols: number, rows: number.
inline constexpr QLatin1StringView kPtyId{"pty_id"};
inline constexpr QLatin1StringView kCols{"cols"};
inline constexpr QLatin1StringView kRows{"rows"};

} // namespace ActivityFields
