// SPDX-License-Identifier: GPL-3.0-or-later
/**
 * `@ai2in/sdk`: create and use sandboxes on an ai2in engine.
 *
 * ```ts
 * import { Sandbox } from "@ai2in/sdk";
 *
 * await using sbx = await Sandbox.create();          // killed when the scope ends
 * console.log((await sbx.commands.run("uname -a")).stdout);
 * console.log((await sbx.runCode("6 * 7")).text);      // "42"
 * ```
 *
 * The key and the engine come from `apiKey` / `baseUrl`, else
 * `AI2IN_API_KEY` / `AI2IN_BASE_URL`, else the local engine's
 * `/var/lib/ai2in/credentials.json`.
 * @module
 */
export { VERSION } from "./version.js";
export {
  Sandbox,
  MAX_TIMEOUT_MS,
  type ConnectionOptions,
  type NetworkPolicy,
  type NetworkUpdate,
  type RunCodeOptions,
  type SandboxConnectOptions,
  type SandboxOptions,
  type SandboxQuery,
  type SandboxState,
} from "./sandbox.js";
export { Execution, Result, RESULT_FORMATS, type ExecutionError, type Logs, type ResultFormat } from "./code.js";
export {
  CommandHandle,
  Commands,
  MAX_RUN_MS,
  type CommandInfo,
  type CommandLogs,
  type CommandResult,
  type CommandRunOptions,
  type CommandStartOptions,
  type KillOptions,
  type OutputCallbacks,
  type WaitOptions,
} from "./commands.js";
export {
  Files,
  Watcher,
  MAX_FILE_BYTES,
  CHANGES_MANIFEST,
  type ChangesArchiveOptions,
  type ChangesOptions,
  type DiffOptions,
  type FileData,
  type FileOptions,
  type PatchOptions,
  type WatchOptions,
} from "./files.js";
export { Pty, PtyHandle, TerminalSocket, type PtyInfo, type PtyOutput, type PtyStartOptions, type PtyStreamCallbacks } from "./pty.js";
export type { CallOptions } from "./http.js";
export type { SocketClose } from "./websocket.js";
export type {
  ChangeList,
  EntryInfo,
  FileChange,
  FileDiff,
  FilesystemEvent,
  FileVersion,
  NetworkInfo,
  NetworkRule,
  SandboxInfo,
  SandboxMetrics,
  WriteInfo,
} from "./types.js";
export {
  AuthenticationError,
  ConflictError,
  EngineError,
  EngineUnreachableError,
  InvalidArgumentError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  SandboxError,
  TimeoutError,
  TooLargeError,
  type ErrorFields,
} from "./errors.js";
