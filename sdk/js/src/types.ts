// SPDX-License-Identifier: GPL-3.0-or-later
/**
 * The shapes the engine answers with. A sandbox's info and its metrics are
 * the engine's JSON as `docs/api.md` gives it (snake_case, as the seed's
 * `(await sbx.getInfo()).end_at`); what the SDK builds itself — command
 * results, logs, file entries, terminal output — is camelCase.
 * @module
 */

/** A network rule: an IPv4 address, a CIDR, a host name or a `*.`-pattern of host names. */
export type NetworkRule = string;

/** A sandbox's outbound network policy, as the engine reports it. */
export interface NetworkInfo {
  allow_internet_access: boolean;
  allow_out: NetworkRule[];
  deny_out: NetworkRule[];
  /** The sandbox's IPv4 address. */
  address?: string | null;
}

/** A sandbox as the engine describes it (`getInfo()`, `Sandbox.list()`, `pause()`, …). */
export interface SandboxInfo {
  sandbox_id: string;
  template: string;
  /** `running`, `paused` or `error`. */
  status: "running" | "paused" | "error" | string;
  created_at: string;
  started_at: string | null;
  /** When the engine kills it; `null`: it lives until killed or reaped when idle. */
  end_at: string | null;
  paused_at: string | null;
  node_id: string;
  metadata: Record<string, string>;
  cpu_count: number;
  memory_mb: number;
  disk_mb: number | null;
  /** `"stop"` or `"freeze"` while paused, else `null`. */
  pause_kind: "stop" | "freeze" | null;
  ports: { port: number; url: string }[];
  preview_auth: boolean;
  preview_token: string | null;
  error_reason: string | null;
  network?: NetworkInfo;
  [field: string]: unknown;
}

/** Live usage of a sandbox (`getMetrics()`). */
export interface SandboxMetrics {
  timestamp: string;
  /** Percent of one CPU over the last interval (up to 100 × `cpu_count`). */
  cpu_percent: number;
  cpu_count: number;
  memory_bytes: number;
  memory_limit_bytes: number;
  pids: number;
  uptime_seconds: number;
  disk_bytes: number | null;
  disk_limit_bytes: number | null;
  net_in_bytes?: number;
  net_out_bytes?: number;
  net_in_packets?: number;
  net_out_packets?: number;
  [field: string]: unknown;
}

/** One file system entry (`files.list()`, `files.getInfo()`, `files.rename()`). */
export interface EntryInfo {
  name: string;
  /** The absolute path. */
  path: string;
  type: "file" | "dir" | "symlink" | "other";
  size: number;
  /** The permission bits. */
  mode: number;
  mtime: string;
  owner: string;
  symlinkTarget: string | null;
}

/** One change seen by a watch. */
export interface FilesystemEvent {
  type: "create" | "modify" | "remove";
  /** The absolute path. */
  path: string;
  isDir: boolean;
}

/** What `files.write()` / `files.upload()` answer. */
export interface WriteInfo {
  /** The absolute path written. */
  path: string;
  /** The bytes written. */
  written: number;
}

/**
 * One path the sandbox changed against its template (`files.changes()`). For
 * a deleted path, `size`, `mode` and `mtime` are the template's.
 */
export interface FileChange {
  /** The absolute path. */
  path: string;
  /** `added`: the template has no such path; `modified`: it has one that differs; `deleted`: the sandbox removed it. */
  change: "added" | "modified" | "deleted";
  type: "file" | "dir" | "symlink" | "other";
  size: number;
  /** The permission bits. */
  mode: number;
  mtime: string;
  /** Where a link points; `null` for everything else. */
  symlinkTarget: string | null;
}

/**
 * What `files.changes()` resolves to: an array of changes sorted by path,
 * with `truncated` true when more changes than the limit were left out.
 */
export interface ChangeList extends Array<FileChange> {
  truncated: boolean;
}

/** One side of a `FileDiff`: the template's file (`before`) or the sandbox's (`after`). */
export interface FileVersion {
  size: number;
  /** The SHA-256 of the content, in lowercase hex. */
  sha256: string;
}

/** One changed path against the template's (`files.diff()`). */
export interface FileDiff {
  /** The absolute path. */
  path: string;
  change: FileChange["change"];
  type: FileChange["type"];
  /** A NUL byte in the first 8 KiB of either side, or a side that is not UTF-8. */
  binary: boolean;
  /** `null` when the template has no file there (added). */
  before: FileVersion | null;
  /** `null` when the sandbox has no file there (deleted). */
  after: FileVersion | null;
  /** A unified diff; `""` for a binary file, a directory, or a side over 4 MiB (then `tooLarge`). A link's diff is of its target. */
  diff: string;
  /** A side is over 4 MiB, so `diff` is empty. */
  tooLarge: boolean;
}
