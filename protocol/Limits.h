// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

// Limits of the API contract, in one place so the engine, the desktop and the
// tests agree.
namespace Limits {
inline constexpr int kMaxMetadataBytes = 2048;        // serialised JSON of the metadata object
inline constexpr int kMaxEnvsBytes = 64 * 1024;
inline constexpr qint64 kMaxTimeoutSeconds = 24 * 3600;
inline constexpr int kMaxCommandSeconds = 120;        // blocking commands.run
inline constexpr qint64 kMaxFileBytes = 32 * 1024 * 1024;
inline constexpr int kDefaultCpuCount = 1;
inline constexpr int kMaxCpuCount = 64;
inline constexpr int kDefaultMemoryMb = 512;
inline constexpr int kMinMemoryMb = 64;
inline constexpr int kMaxMemoryMb = 64 * 1024;
inline constexpr int kDefaultPidsLimit = 1024;
// A sandbox's own disk (its writable layer), in MiB.
inline constexpr int kDefaultDiskMb = 10 * 1024;
inline constexpr int kMinDiskMb = 64;
inline constexpr int kMaxDiskMb = 1024 * 1024;
} // namespace Limits
