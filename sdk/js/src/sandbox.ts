// SPDX-License-Identifier: GPL-3.0-or-later
// The Sandbox: one isolated Linux machine run by the engine.
import "./dispose.js";
import { Execution, Result, type ExecutionError } from "./code.js";
import { Commands } from "./commands.js";
import { resolveConfig } from "./config.js";
import { EngineError, InvalidArgumentError, NotFoundError, SandboxError } from "./errors.js";
import { Files } from "./files.js";
import { ApiClient, type CallOptions } from "./http.js";
import { Pty } from "./pty.js";
import type { NetworkRule, SandboxInfo, SandboxMetrics } from "./types.js";
import { obj, secondsFromMs, str } from "./util.js";

/** The longest lifetime a sandbox can be given: 24 h. */
export const MAX_TIMEOUT_MS = 86_400_000;

/** Where the engine is and which key to use; each falls back as the README says. */
export interface ConnectionOptions extends CallOptions {
  /** The team's key; default `AI2IN_API_KEY`, then the local engine's credentials file. */
  apiKey?: string;
  /** The engine; default `AI2IN_BASE_URL`, then the credentials file, then `http://127.0.0.1:7300`. */
  baseUrl?: string;
  /** How long to wait for an ordinary answer of the engine (default 60 000 ms). */
  requestTimeoutMs?: number;
}

/** Where a sandbox may connect to (see the API's Network section). */
export interface NetworkPolicy {
  /** Destinations always open (allow wins over deny). */
  allowOut?: NetworkRule[];
  /** Destinations closed (`["0.0.0.0/0"]`: everything not allowed). */
  denyOut?: NetworkRule[];
}

/** Options of `Sandbox.create()`. */
export interface SandboxOptions extends ConnectionOptions {
  /** The template to start from (default `"base"`: Debian 12 with Python). */
  template?: string;
  /** Accepted for compatibility; a self-hosted engine runs everything where it is. */
  region?: string;
  /** A hard lifetime (1 s … 24 h); without one it lives until killed or idle for 30 minutes. */
  timeoutMs?: number;
  /** String tags, at most 2 KB as JSON; `Sandbox.list()` filters on them. */
  metadata?: Record<string, string>;
  /** Environment variables every command in the sandbox sees. */
  envs?: Record<string, string>;
  /** CPUs of quota (default: the engine's, 2 unless set). */
  cpuCount?: number;
  /** Memory limit in MiB (default 512). */
  memoryMb?: number;
  /** Size of the sandbox's own disk in MiB (default: the engine's, 10 GiB unless set). */
  diskMb?: number;
  /** Previews answer only requests with the sandbox's `previewToken`. */
  previewAuth?: boolean;
  /** `false` closes every destination but those in `network.allowOut` (default true). */
  allowInternetAccess?: boolean;
  /** Outbound rules. */
  network?: NetworkPolicy;
}

/** The state a listed sandbox is in. */
export type SandboxState = "running" | "paused" | "error";

/** A filter for `Sandbox.list()`. */
export interface SandboxQuery {
  /** Only sandboxes whose metadata has every one of these pairs. */
  metadata?: Record<string, string>;
  /** Only sandboxes in one of these states. */
  state?: SandboxState | SandboxState[];
}

/** Options of `Sandbox.connect()`. */
export interface SandboxConnectOptions extends ConnectionOptions {
  /** Resume it first when it is paused (default: leave it paused). */
  autoResume?: boolean;
}

/** A change of the network policy: each field given replaces the one in force. */
export interface NetworkUpdate extends CallOptions {
  allowInternetAccess?: boolean;
  network?: NetworkPolicy;
}

/** Options of `runCode()`: callbacks called as output arrives. */
export interface RunCodeOptions extends CallOptions {
  onStdout?: (text: string) => void;
  onStderr?: (text: string) => void;
  onResult?: (result: Result) => void;
  onError?: (error: ExecutionError) => void;
  /** Interrupt a cell that runs longer (default 300 000 ms, at most 3 600 000); its error is then `TimeoutError`. */
  timeoutMs?: number;
}

function networkBody(policy: NetworkPolicy): Record<string, NetworkRule[]> {
  const body: Record<string, NetworkRule[]> = {};
  if (policy.allowOut !== undefined) body.allow_out = [...policy.allowOut];
  if (policy.denyOut !== undefined) body.deny_out = [...policy.denyOut];
  return body;
}

/**
 * A sandbox on the engine. `Sandbox.create()` makes one; `await using sbx =
 * await Sandbox.create()` kills it when the scope ends.
 *
 * ```ts
 * import { Sandbox } from "@ai2in/sdk";
 *
 * await using sbx = await Sandbox.create({ timeoutMs: 300_000 });
 * await sbx.files.write("app.py", "print('hello')");
 * console.log((await sbx.commands.run("python3 app.py")).stdout);
 * ```
 */
export class Sandbox {
  /** The sandbox id (`"sbx_…"`). */
  readonly id: string;
  /** The region asked for at creation (kept for reference). */
  readonly region: string | undefined;
  /** Shell commands and background processes. */
  readonly commands: Commands;
  /** Interactive terminals. */
  readonly pty: Pty;
  /** The filesystem. */
  readonly files: Files;
  private info: SandboxInfo;

  private constructor(
    private readonly client: ApiClient,
    info: unknown,
    region: string | undefined,
  ) {
    const o = obj(info);
    if (typeof o.sandbox_id !== "string") throw new EngineError("The engine's answer has no sandbox id.");
    this.id = o.sandbox_id;
    this.info = o as SandboxInfo;
    this.region = region;
    this.commands = new Commands(client, this.id);
    this.pty = new Pty(client, this.id);
    this.files = new Files(client, this.id);
  }

  private static async client(opts: ConnectionOptions): Promise<ApiClient> {
    const { apiKey, baseUrl } = await resolveConfig(opts.apiKey, opts.baseUrl);
    return new ApiClient(apiKey, baseUrl, opts.requestTimeoutMs ?? 60_000);
  }

  /**
   * Creates a sandbox and resolves once it runs (about a tenth of a second on
   * a local engine). `Sandbox.create("base", { … })` names the template first.
   */
  static async create(opts?: SandboxOptions): Promise<Sandbox>;
  static async create(template: string, opts?: SandboxOptions): Promise<Sandbox>;
  static async create(first?: string | SandboxOptions, second?: SandboxOptions): Promise<Sandbox> {
    const opts: SandboxOptions = typeof first === "string" ? { ...second, template: first } : { ...first };
    const body: Record<string, unknown> = { template: opts.template ?? "base" };
    if (opts.timeoutMs !== undefined) body.timeout = secondsFromMs("timeoutMs", opts.timeoutMs, MAX_TIMEOUT_MS / 1000);
    if (opts.metadata !== undefined) body.metadata = { ...opts.metadata };
    if (opts.envs !== undefined) body.envs = { ...opts.envs };
    if (opts.cpuCount !== undefined) body.cpu_count = opts.cpuCount;
    if (opts.memoryMb !== undefined) body.memory_mb = opts.memoryMb;
    if (opts.diskMb !== undefined) body.disk_mb = opts.diskMb;
    if (opts.previewAuth) body.preview_auth = true;
    if (opts.allowInternetAccess !== undefined) body.allow_internet_access = opts.allowInternetAccess;
    if (opts.network !== undefined) body.network = networkBody(opts.network);
    const client = await Sandbox.client(opts);
    const info = await client.json("POST", "/v1/sandboxes", {
      json: body,
      signal: opts.signal,
      timeoutMs: Math.max(client.requestTimeoutMs, 120_000),
    });
    return new Sandbox(client, info, opts.region);
  }

  /**
   * Reconnects to an existing sandbox by id, from any process. A paused
   * sandbox stays paused unless `autoResume` is set. Throws
   * {@link NotFoundError} for an unknown id (or another team's).
   */
  static async connect(sandboxId: string, opts: SandboxConnectOptions = {}): Promise<Sandbox> {
    const client = await Sandbox.client(opts);
    const info = await client.json("POST", `/v1/sandboxes/${encodeURIComponent(sandboxId)}/connect`, {
      json: opts.autoResume ? { auto_resume: true } : undefined,
      signal: opts.signal,
      timeoutMs: Math.max(client.requestTimeoutMs, 120_000),
    });
    return new Sandbox(client, info, undefined);
  }

  /** Every sandbox of the team, running, paused and in error, oldest first; `query` filters. */
  static async list(opts: ConnectionOptions & { query?: SandboxQuery } = {}): Promise<SandboxInfo[]> {
    const client = await Sandbox.client(opts);
    const query: Record<string, string> = {};
    const q = opts.query ?? {};
    const unknown = Object.keys(q).filter((k) => k !== "metadata" && k !== "state");
    if (unknown.length) throw new InvalidArgumentError(`Unknown query field(s): ${unknown.sort().join(", ")}.`);
    if (q.metadata && Object.keys(q.metadata).length) query.metadata = new URLSearchParams(q.metadata).toString();
    if (q.state && q.state.length) query.state = (Array.isArray(q.state) ? q.state : [q.state]).join(",");
    const answer = obj(await client.json("GET", "/v1/sandboxes", { query, signal: opts.signal }));
    return Array.isArray(answer.sandboxes) ? (answer.sandboxes as SandboxInfo[]) : [];
  }

  /** The sandbox id, the same as {@link id}. */
  get sandboxId(): string {
    return this.id;
  }

  /** The key this object uses. */
  get apiKey(): string {
    return this.client.apiKey;
  }

  /** The engine this object talks to. */
  get baseUrl(): string {
    return this.client.baseUrl;
  }

  private path(tail = ""): string {
    return `/v1/sandboxes/${this.id}${tail}`;
  }

  private async update(request: Promise<unknown>): Promise<SandboxInfo> {
    this.info = obj(await request) as SandboxInfo;
    return this.info;
  }

  /**
   * The sandbox as the engine sees it: `status` (`running`, `paused` or
   * `error`), `end_at`, `paused_at`, `node_id`, `metadata`, `ports`, …
   */
  async getInfo(opts: CallOptions = {}): Promise<SandboxInfo> {
    return this.update(this.client.json("GET", this.path(), opts));
  }

  /** Whether the sandbox exists and runs (`false` when paused or gone). */
  async isRunning(opts: CallOptions = {}): Promise<boolean> {
    try {
      return (await this.getInfo(opts)).status === "running";
    } catch (e) {
      if (e instanceof NotFoundError) return false;
      throw e;
    }
  }

  /** Kills the sandbox `timeoutMs` from now (at most 24 h); resolves to the info with the new `end_at`. */
  async setTimeout(timeoutMs: number, opts: CallOptions = {}): Promise<SandboxInfo> {
    const timeout = secondsFromMs("timeoutMs", timeoutMs, MAX_TIMEOUT_MS / 1000);
    return this.update(this.client.json("POST", this.path("/timeout"), { json: { timeout }, signal: opts.signal }));
  }

  /**
   * Pauses the sandbox: every process ends (no CPU, no memory) and the whole
   * filesystem is kept. `keepMemory: true` freezes the processes instead, so
   * they carry on after `resume()`.
   */
  async pause(opts: CallOptions & { keepMemory?: boolean } = {}): Promise<SandboxInfo> {
    return this.update(
      this.client.json("POST", this.path("/pause"), {
        json: opts.keepMemory ? { keep_memory: true } : undefined,
        signal: opts.signal,
        timeoutMs: 120_000,
      }),
    );
  }

  /** Starts a paused sandbox again on its kept filesystem. */
  async resume(opts: CallOptions = {}): Promise<SandboxInfo> {
    return this.update(this.client.json("POST", this.path("/resume"), { signal: opts.signal, timeoutMs: 120_000 }));
  }

  /**
   * Changes where the sandbox may connect to; each field given replaces the
   * one in force. Takes effect at once for new connections.
   */
  async updateNetwork(update: NetworkUpdate): Promise<SandboxInfo> {
    const body: Record<string, unknown> = {};
    if (update.allowInternetAccess !== undefined) body.allow_internet_access = update.allowInternetAccess;
    if (update.network !== undefined) body.network = networkBody(update.network);
    return this.update(
      this.client.json("POST", this.path("/network"), { json: body, signal: update.signal }),
    );
  }

  /**
   * The preview URL of a port inside the sandbox, e.g.
   * `http://3000-sbx_….localhost:7301`. For a sandbox created with
   * `previewAuth`, `withToken: true` gives the URL to open in a browser.
   */
  async getHost(port: number, opts: CallOptions & { withToken?: boolean } = {}): Promise<string> {
    if (!Number.isInteger(port)) throw new InvalidArgumentError(`The port must be a whole number, not ${String(port)}.`);
    const answer = obj(await this.client.json("GET", this.path(`/host/${port}`), { signal: opts.signal }));
    let url = str(answer.url);
    const token = opts.withToken ? this.previewToken : null;
    if (token) url += "/?" + new URLSearchParams({ ai2in_token: token }).toString();
    return url;
  }

  /** The token previews of a sandbox created with `previewAuth` require; `null` without. */
  get previewToken(): string | null {
    return typeof this.info.preview_token === "string" && this.info.preview_token ? this.info.preview_token : null;
  }

  /** Headers that let a program's requests through the previews (`{}` without `previewAuth`). */
  get previewHeaders(): Record<string, string> {
    const token = this.previewToken;
    return token ? { "X-Ai2in-Preview-Token": token } : {};
  }

  /** Live usage: `cpu_percent`, `cpu_count`, `memory_bytes`, `memory_limit_bytes`, `pids`, `uptime_seconds`, … */
  async getMetrics(opts: CallOptions = {}): Promise<SandboxMetrics> {
    return (await this.client.json("GET", this.path("/metrics"), opts)) as SandboxMetrics;
  }

  /** Destroys the sandbox and its filesystem. Use `pause()` to keep the files. */
  async kill(opts: CallOptions = {}): Promise<void> {
    await this.client.json("DELETE", this.path(), { signal: opts.signal, timeoutMs: 120_000 });
  }

  /** Kills the sandbox at the end of an `await using` scope (one already gone is fine). */
  async [Symbol.asyncDispose](): Promise<void> {
    try {
      await this.kill();
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
    }
  }

  /**
   * Runs a cell in the sandbox's stateful Python kernel. Variables persist
   * from one call to the next; the callbacks are called as output arrives.
   * An exception in the cell is returned in `Execution.error`, not thrown.
   * Aborting the call interrupts the cell too.
   */
  async runCode(code: string, opts: RunCodeOptions = {}): Promise<Execution> {
    const body: Record<string, unknown> = { code };
    let seconds = 300;
    if (opts.timeoutMs !== undefined) seconds = body.timeout = secondsFromMs("timeoutMs", opts.timeoutMs, 3600);
    const execution = new Execution();
    let ended = false;
    try {
      await this.client.ndjson(
        "POST",
        this.path("/code"),
        { json: body, signal: opts.signal, timeoutMs: (seconds + 60) * 1000 },
        (event) => {
          ended = Sandbox.codeEvent(event, execution, opts) || ended;
        },
      );
    } catch (e) {
      // Nobody waits for the cell any more (an abort, or a callback threw): stop it too.
      if (!(e instanceof SandboxError) || opts.signal?.aborted) this.interruptCode().catch(() => undefined);
      throw e;
    }
    if (!ended) throw new EngineError("The engine's answer to runCode ended before the cell did.");
    return execution;
  }

  /** Adds one event of the code stream to `execution` and calls its callback; true for the final event. */
  private static codeEvent(event: Record<string, unknown>, execution: Execution, opts: RunCodeOptions): boolean {
    switch (event.type) {
      case "stdout": {
        const text = str(event.text);
        execution.logs.stdout.push(text);
        opts.onStdout?.(text);
        return false;
      }
      case "stderr": {
        const text = str(event.text);
        execution.logs.stderr.push(text);
        opts.onStderr?.(text);
        return false;
      }
      case "result": {
        const result = Result.fromJson(event.result);
        execution.results.push(result);
        opts.onResult?.(result);
        return false;
      }
      case "error": {
        const e = obj(event.error);
        const error = { name: str(e.name), value: str(e.value), traceback: str(e.traceback) };
        execution.error = error;
        opts.onError?.(error);
        return false;
      }
      case "end":
        if (typeof event.execution_count === "number") execution.executionCount = event.execution_count;
        return true;
      default:
        return false;
    }
  }

  /** Interrupts the cell that runs now. */
  async interruptCode(opts: CallOptions = {}): Promise<void> {
    await this.client.json("POST", this.path("/code/interrupt"), opts);
  }

  /** Restarts the kernel: every variable is gone. */
  async restartCode(opts: CallOptions = {}): Promise<void> {
    await this.client.json("POST", this.path("/code/restart"), { signal: opts.signal, timeoutMs: 120_000 });
  }

  /** For logs and the REPL: the id and the engine, never the key. */
  toString(): string {
    return `Sandbox(${this.id} at ${this.baseUrl})`;
  }
}
