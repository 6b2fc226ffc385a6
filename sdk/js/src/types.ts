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
