// SPDX-License-Identifier: GPL-3.0-or-later
// Shell commands in a sandbox: blocking runs and background processes.
import { NotFoundError, TimeoutError } from "./errors.js";
import type { ApiClient, CallOptions } from "./http.js";
import { numOrNull, obj, secondsFromMs, sleep, str, strOrNull, toBytes } from "./util.js";

/** The longest a blocking run may take (the engine's cap): 120 s. */
export const MAX_RUN_MS = 120_000;

/** What a finished blocking run returns. A non-zero exit code is returned, not thrown. */
export interface CommandResult {
  /** The command's id (`"cmd_…"`). */
  commandId: string;
  /** Its process id inside the sandbox. */
  pid: number;
  stdout: string;
  stderr: string;
  /** 128 + S for a process ended by signal S. */
  exitCode: number;
  /** `"killed: out of memory"` when the OOM killer ended it, else `null`. */
  error: string | null;
  /** True when output was dropped (over 4 MiB per stream). */
  truncated: boolean;
}

/** What a command wrote so far, and whether it still runs (`handle.logs()`). */
export interface CommandLogs {
  stdout: string;
  stderr: string;
  /** `running`, `exited` or `killed`. */
  status: "running" | "exited" | "killed";
  /** `null` while it runs. */
  exitCode: number | null;
  error: string | null;
  truncated: boolean;
}

/** One command of the sandbox (`commands.list()`). */
export interface CommandInfo {
  commandId: string;
  cmd: string;
  pid: number;
  status: "running" | "exited" | "killed";
  exitCode: number | null;
  error: string | null;
  user: string;
  cwd: string;
  startedAt: string | null;
  endedAt: string | null;
}

/** Output callbacks: each gets the text that arrived since the previous call, in order. */
export interface OutputCallbacks {
  onStdout?: (data: string) => void;
  onStderr?: (data: string) => void;
}

/** Options of `commands.start()`. */
export interface CommandStartOptions extends CallOptions, OutputCallbacks {
  /** The working directory, relative to the user's home (default: the home). */
  cwd?: string;
  /** Variables on top of the sandbox's `envs`. */
  env?: Record<string, string>;
  /** Whom it runs as (default `sandbox`). */
  user?: string;
}

/** Options of `commands.run()`. */
export interface CommandRunOptions extends CommandStartOptions {
  /** Kill it and throw {@link TimeoutError} past this (default and maximum 120 000 ms). */
  timeoutMs?: number;
  /** `true`: start it in the background and return its handle, as `start()` does. */
  background?: boolean;
}

/** Options of `handle.wait()`. */
export interface WaitOptions extends CallOptions, OutputCallbacks {
  /** Throw {@link TimeoutError} when it still runs after this long (default: wait as long as it runs). */
  timeoutMs?: number;
  /** How often to ask, at most (default 250 ms; sooner while output arrives). */
  intervalMs?: number;
}

/** Options of `kill()`. */
export interface KillOptions extends CallOptions {
  /** The signal to send (default 15, SIGTERM; SIGKILL follows after 2 s). */
  signalNumber?: number;
}

function logsFrom(raw: unknown): CommandLogs {
  const o = obj(raw);
  return {
    stdout: str(o.stdout),
    stderr: str(o.stderr),
    status: str(o.status, "running") as CommandLogs["status"],
    exitCode: numOrNull(o.exit_code),
    error: strOrNull(o.error),
    truncated: o.truncated === true,
  };
}

function resultFrom(raw: unknown): CommandResult {
  const o = obj(raw);
  return {
    commandId: str(o.command_id),
    pid: typeof o.pid === "number" ? o.pid : 0,
    stdout: str(o.stdout),
    stderr: str(o.stderr),
    exitCode: typeof o.exit_code === "number" ? o.exit_code : -1,
    error: strOrNull(o.error),
    truncated: o.truncated === true,
  };
}

function infoFrom(raw: unknown): CommandInfo {
  const o = obj(raw);
  return {
    commandId: str(o.command_id),
    cmd: str(o.cmd),
    pid: typeof o.pid === "number" ? o.pid : 0,
    status: str(o.status, "running") as CommandInfo["status"],
    exitCode: numOrNull(o.exit_code),
    error: strOrNull(o.error),
    user: str(o.user),
    cwd: str(o.cwd),
    startedAt: strOrNull(o.started_at),
    endedAt: strOrNull(o.ended_at),
  };
}

/** A command started in the background with `commands.start()`. */
export class CommandHandle {
  private seenOut = 0;
  private seenErr = 0;

  /** @internal */
  constructor(
    private readonly client: ApiClient,
    private readonly sandboxId: string,
    /** The command's id (`"cmd_…"`). */
    readonly id: string,
    /** Its process id inside the sandbox. */
    readonly pid: number,
    /** The command line. */
    readonly cmd: string = "",
    private readonly callbacks: OutputCallbacks = {},
  ) {
    if (callbacks.onStdout || callbacks.onStderr) {
      // Stream its output for as long as it runs; wait() reports failures.
      this.wait().catch(() => undefined);
    }
  }

  private path(tail = ""): string {
    return `/v1/sandboxes/${this.sandboxId}/commands/${this.id}${tail}`;
  }

  /** Everything it wrote so far, its status and exit code (`null` while it runs). */
  async logs(opts: CallOptions = {}): Promise<CommandLogs> {
    return logsFrom(await this.client.json("GET", this.path(), { signal: opts.signal }));
  }

  /**
   * Sends a signal (SIGTERM by default) to everything the command started;
   * SIGKILL follows after 2 s.
   */
  async kill(opts: KillOptions = {}): Promise<void> {
    await this.client.json("POST", this.path("/kill"), {
      json: { signal: opts.signalNumber ?? 15 },
      signal: opts.signal,
    });
  }

  /** Writes to its stdin (`eof: true` closes stdin afterwards); resolves to the bytes written. */
  async sendStdin(data: string | Uint8Array, opts: CallOptions & { eof?: boolean } = {}): Promise<number> {
    const answer = obj(
      await this.client.json("POST", this.path("/stdin"), {
        query: opts.eof ? { eof: true } : undefined,
        body: toBytes(data),
        signal: opts.signal,
      }),
    );
    return typeof answer.written === "number" ? answer.written : 0;
  }

  /** Asks for the logs once and hands what is new to the output callbacks. */
  private async poll(extra: OutputCallbacks, signal?: AbortSignal): Promise<{ logs: CommandLogs; fresh: boolean }> {
    const logs = await this.logs({ signal });
    let fresh = false;
    if (logs.stdout.length > this.seenOut) {
      const text = logs.stdout.slice(this.seenOut);
      this.seenOut = logs.stdout.length;
      fresh = true;
      this.callbacks.onStdout?.(text);
      extra.onStdout?.(text);
    }
    if (logs.stderr.length > this.seenErr) {
      const text = logs.stderr.slice(this.seenErr);
      this.seenErr = logs.stderr.length;
      fresh = true;
      this.callbacks.onStderr?.(text);
      extra.onStderr?.(text);
    }
    return { logs, fresh };
  }

  /**
   * Resolves with the final logs once the command has ended, handing its
   * output to the callbacks as it arrives. Throws {@link TimeoutError} when
   * it still runs after `timeoutMs` (the command keeps running).
   */
  async wait(opts: WaitOptions = {}): Promise<CommandLogs> {
    const started = Date.now();
    const slowest = opts.intervalMs ?? 250;
    let interval = Math.min(20, slowest);
    for (;;) {
      const { logs, fresh } = await this.poll(opts, opts.signal);
      if (logs.status !== "running") return logs;
      if (opts.timeoutMs !== undefined && Date.now() - started >= opts.timeoutMs) {
        throw new TimeoutError(`Command ${this.id} still runs after ${opts.timeoutMs} ms.`, {
          code: "timeout",
          details: { stdout: logs.stdout, stderr: logs.stderr, command_id: this.id },
        });
      }
      interval = fresh ? Math.min(20, slowest) : Math.min(slowest, interval * 1.5);
      await sleep(interval, opts.signal);
    }
  }
}

/** Runs shell commands in the sandbox (`sbx.commands`). Commands run as `/bin/bash -c CMD`. */
export class Commands {
  /** @internal */
  constructor(
    private readonly client: ApiClient,
    private readonly sandboxId: string,
  ) {}

  private body(cmd: string, opts: CommandStartOptions): Record<string, unknown> {
    const body: Record<string, unknown> = { cmd };
    if (opts.cwd !== undefined) body.cwd = opts.cwd;
    if (opts.env && Object.keys(opts.env).length) body.env = { ...opts.env };
    if (opts.user !== undefined) body.user = opts.user;
    return body;
  }

  /**
   * Runs `cmd` to completion and resolves to `{ stdout, stderr, exitCode, … }`.
   * A non-zero exit code is returned, not thrown. Past `timeoutMs` (default
   * and maximum 120 s) the process group is killed and {@link TimeoutError}
   * is thrown with what it wrote so far. With `onStdout`/`onStderr` the
   * output is handed over as it arrives. With `background: true` it is
   * `start()`.
   */
  run(cmd: string, opts: CommandRunOptions & { background: true }): Promise<CommandHandle>;
  run(cmd: string, opts?: CommandRunOptions & { background?: false }): Promise<CommandResult>;
  run(cmd: string, opts?: CommandRunOptions): Promise<CommandResult | CommandHandle>;
  async run(cmd: string, opts: CommandRunOptions = {}): Promise<CommandResult | CommandHandle> {
    if (opts.background) return this.start(cmd, opts);
    const seconds = opts.timeoutMs === undefined ? undefined : secondsFromMs("timeoutMs", opts.timeoutMs, MAX_RUN_MS / 1000);
    if (opts.onStdout || opts.onStderr) return this.runStreaming(cmd, opts, seconds);
    const body = this.body(cmd, opts);
    if (seconds !== undefined) body.timeout = seconds;
    const answer = await this.client.json("POST", `/v1/sandboxes/${this.sandboxId}/commands`, {
      json: body,
      signal: opts.signal,
      timeoutMs: ((seconds ?? MAX_RUN_MS / 1000) + 30) * 1000,
    });
    return resultFrom(answer);
  }

  private async runStreaming(cmd: string, opts: CommandRunOptions, seconds: number | undefined): Promise<CommandResult> {
    const handle = await this.start(cmd, { ...opts, onStdout: undefined, onStderr: undefined });
    const limitMs = (seconds ?? MAX_RUN_MS / 1000) * 1000;
    let logs: CommandLogs;
    try {
      logs = await handle.wait({ ...opts, timeoutMs: limitMs });
    } catch (e) {
      // A timeout or an abort ends the command too, as a blocking run would.
      await handle.kill({ signalNumber: 9 }).catch(() => undefined);
      if (e instanceof TimeoutError) {
        throw new TimeoutError(`The command ran past its limit of ${limitMs / 1000} s and was killed.`, {
          code: "timeout",
          details: e.details,
        });
      }
      throw e;
    }
    return {
      commandId: handle.id,
      pid: handle.pid,
      stdout: logs.stdout,
      stderr: logs.stderr,
      exitCode: logs.exitCode ?? -1,
      error: logs.error,
      truncated: logs.truncated,
    };
  }

  /**
   * Starts `cmd` in the background and resolves to its {@link CommandHandle}
   * at once. With `onStdout`/`onStderr`, its output is handed over as it
   * arrives, for as long as it runs.
   */
  async start(cmd: string, opts: CommandStartOptions = {}): Promise<CommandHandle> {
    const body = this.body(cmd, opts);
    body.background = true;
    const answer = obj(
      await this.client.json("POST", `/v1/sandboxes/${this.sandboxId}/commands`, { json: body, signal: opts.signal }),
    );
    return new CommandHandle(this.client, this.sandboxId, str(answer.command_id), Number(answer.pid ?? 0), cmd, {
      onStdout: opts.onStdout,
      onStderr: opts.onStderr,
    });
  }

  /** Every command of the sandbox, running and ended. */
  async list(opts: CallOptions = {}): Promise<CommandInfo[]> {
    const answer = obj(await this.client.json("GET", `/v1/sandboxes/${this.sandboxId}/commands`, opts));
    return Array.isArray(answer.commands) ? answer.commands.map(infoFrom) : [];
  }

  /** A handle to an existing command, e.g. one found with `list()`. */
  async connect(commandId: string, opts: CallOptions & OutputCallbacks = {}): Promise<CommandHandle> {
    const found = (await this.list(opts)).find((c) => c.commandId === commandId);
    if (!found) {
      throw new NotFoundError(`No command ${commandId} in sandbox ${this.sandboxId}.`, { code: "not_found" });
    }
    return new CommandHandle(this.client, this.sandboxId, commandId, found.pid, found.cmd, opts);
  }

  /** Sends a signal to every process the command `commandId` started (see `CommandHandle.kill`). */
  async kill(commandId: string, opts: KillOptions = {}): Promise<void> {
    await this.client.json("POST", `/v1/sandboxes/${this.sandboxId}/commands/${commandId}/kill`, {
      json: { signal: opts.signalNumber ?? 15 },
      signal: opts.signal,
    });
  }
}
