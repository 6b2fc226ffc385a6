// SPDX-License-Identifier: GPL-3.0-or-later
// Interactive terminals (PTYs) in a sandbox.
import { EngineError, NotFoundError } from "./errors.js";
import type { ApiClient, CallOptions } from "./http.js";
import { fromBase64, numOrNull, obj, str, strOrNull, toBytes } from "./util.js";
import { openSocket, type Socket, type SocketClose } from "./websocket.js";

/** What `handle.read()` drains. */
export interface PtyOutput {
  /** The bytes the terminal wrote since the last read. */
  data: Uint8Array;
  /** The same as UTF-8 text (a character split between two reads is kept for the next). */
  text: string;
  /** Whether its program still runs. */
  alive: boolean;
  /** Its exit code once it ended, else `null`. */
  exitCode: number | null;
  /** True when output was lost because nobody read it in time (over 1 MiB). */
  dropped: boolean;
}

/** One terminal of the sandbox (`pty.list()`). */
export interface PtyInfo {
  ptyId: string;
  pid: number;
  cols: number;
  rows: number;
  alive: boolean;
  exitCode: number | null;
  cmd: string;
  user: string;
  startedAt: string | null;
}

/** Live output callbacks of a terminal, fed by its WebSocket. */
export interface PtyStreamCallbacks {
  /** Each piece of output as it arrives, in order, nothing lost. */
  onData?: (data: Uint8Array) => void;
  /** Its program ended with this exit code. */
  onExit?: (exitCode: number) => void;
}

/** Options of `pty.start()`. */
export interface PtyStartOptions extends CallOptions, PtyStreamCallbacks {
  /** Columns (1 … 1000, default 80). */
  cols?: number;
  /** Rows (1 … 1000, default 24). */
  rows?: number;
  cwd?: string;
  env?: Record<string, string>;
  user?: string;
  /** The program (default: the user's login shell). */
  cmd?: string;
}

/** A terminal's WebSocket (`handle.websocket()`): output to the callbacks, input and resizes back. */
export class TerminalSocket {
  /** @internal */
  constructor(
    private readonly socket: Socket,
    /** The output offset the stream started at (the next byte it delivers). */
    readonly offset: number,
  ) {}

  /** Types into the terminal. */
  send(data: string | Uint8Array): void {
    this.socket.send(toBytes(data));
  }

  /** Changes the terminal's size. */
  resize(cols: number, rows: number): void {
    this.socket.send(JSON.stringify({ type: "resize", cols, rows }));
  }

  /** Closes the stream (the terminal keeps running). */
  close(): void {
    this.socket.close(1000);
  }

  /** Resolves when the stream has closed: after the program's exit, a `close()`, or a broken connection. */
  get closed(): Promise<SocketClose> {
    return this.socket.closed;
  }
}

/** A terminal started with `pty.start()`: type with `send()`, drain output with `read()`. */
export class PtyHandle {
  private readonly decoder = new TextDecoder();
  private stream: TerminalSocket | undefined;

  /** @internal */
  constructor(
    private readonly client: ApiClient,
    private readonly sandboxId: string,
    /** The terminal's id (`"pty_…"`). */
    readonly id: string,
    /** The process id of its program. */
    readonly pid: number,
  ) {}

  private path(tail = ""): string {
    return `/v1/sandboxes/${this.sandboxId}/pty/${this.id}${tail}`;
  }

  /** Types `data` into the terminal (`"\n"` or `"\r"` presses Enter); resolves to the bytes written. */
  async send(data: string | Uint8Array, opts: CallOptions = {}): Promise<number> {
    const answer = obj(await this.client.json("POST", this.path("/input"), { body: toBytes(data), signal: opts.signal }));
    return typeof answer.written === "number" ? answer.written : 0;
  }

  /** Drains what the terminal wrote since the last read; does not wait for output. */
  async read(opts: CallOptions = {}): Promise<PtyOutput> {
    const answer = obj(await this.client.json("GET", this.path("/output"), opts));
    const data = fromBase64(str(answer.data));
    return {
      data,
      text: this.decoder.decode(data, { stream: true }),
      alive: answer.alive === true,
      exitCode: numOrNull(answer.exit_code),
      dropped: answer.dropped === true,
    };
  }

  /** Changes the terminal's size (its program gets SIGWINCH). */
  async resize(size: { cols: number; rows: number }, opts: CallOptions = {}): Promise<void> {
    await this.client.json("POST", this.path("/resize"), { json: { cols: size.cols, rows: size.rows }, signal: opts.signal });
  }

  /** Ends the terminal: SIGHUP to its process group, SIGKILL after 2 s. */
  async kill(opts: CallOptions = {}): Promise<void> {
    await this.client.json("DELETE", this.path(), opts);
    this.disconnect();
  }

  /**
   * Opens the terminal's WebSocket: output goes to `onData` as it arrives,
   * `offset` starts from that byte of the output (to reconnect without a gap).
   */
  async websocket(opts: CallOptions & PtyStreamCallbacks & { offset?: number } = {}): Promise<TerminalSocket> {
    let attached: (offset: number) => void = () => undefined;
    const attachedAt = new Promise<number>((r) => (attached = r));
    const socket = await openSocket({
      client: this.client,
      path: this.path("/ws"),
      query: opts.offset !== undefined ? { from: opts.offset } : undefined,
      handlers: {
        onBinary: (data) => opts.onData?.(data),
        onText: (text) => {
          let message: Record<string, unknown>;
          try {
            message = obj(JSON.parse(text));
          } catch {
            return;
          }
          if (message.type === "attached") attached(typeof message.offset === "number" ? message.offset : 0);
          else if (message.type === "exit") opts.onExit?.(typeof message.exit_code === "number" ? message.exit_code : -1);
        },
      },
      signal: opts.signal,
    });
    const offset = await Promise.race([
      attachedAt,
      socket.closed.then((c) => {
        // The engine refuses after the upgrade, with its sentence as the close reason.
        throw new EngineError(c.reason || `The terminal's stream closed before it attached (close code ${c.code}).`, {
          details: { close_code: c.code },
        });
      }),
    ]);
    return new TerminalSocket(socket, offset);
  }

  /** @internal Starts the stream behind `onData`/`onExit`. */
  async attach(callbacks: PtyStreamCallbacks, offset: number | undefined, signal?: AbortSignal): Promise<void> {
    this.stream = await this.websocket({ ...callbacks, offset, signal });
  }

  /** Stops the `onData` stream, if there is one (the terminal keeps running). */
  disconnect(): void {
    this.stream?.close();
    this.stream = undefined;
  }
}

function ptyInfoFrom(raw: unknown): PtyInfo {
  const o = obj(raw);
  return {
    ptyId: str(o.pty_id),
    pid: typeof o.pid === "number" ? o.pid : 0,
    cols: typeof o.cols === "number" ? o.cols : 0,
    rows: typeof o.rows === "number" ? o.rows : 0,
    alive: o.alive === true,
    exitCode: numOrNull(o.exit_code),
    cmd: str(o.cmd),
    user: str(o.user),
    startedAt: strOrNull(o.started_at),
  };
}

/** Starts and lists terminals in the sandbox (`sbx.pty`). */
export class Pty {
  /** @internal */
  constructor(
    private readonly client: ApiClient,
    private readonly sandboxId: string,
  ) {}

  /**
   * Starts a terminal of `cols` × `rows` running `cmd` (default: the user's
   * login shell). With `onData`, its output streams to the callback from
   * its first byte until it ends or `handle.disconnect()`.
   */
  async start(opts: PtyStartOptions = {}): Promise<PtyHandle> {
    const body: Record<string, unknown> = { cols: opts.cols ?? 80, rows: opts.rows ?? 24 };
    if (opts.cwd !== undefined) body.cwd = opts.cwd;
    if (opts.env && Object.keys(opts.env).length) body.env = { ...opts.env };
    if (opts.user !== undefined) body.user = opts.user;
    if (opts.cmd !== undefined) body.cmd = opts.cmd;
    const answer = obj(await this.client.json("POST", `/v1/sandboxes/${this.sandboxId}/pty`, { json: body, signal: opts.signal }));
    const handle = new PtyHandle(this.client, this.sandboxId, str(answer.pty_id), Number(answer.pid ?? 0));
    if (opts.onData || opts.onExit) await handle.attach(opts, 0, opts.signal);
    return handle;
  }

  /** Every terminal of the sandbox. */
  async list(opts: CallOptions = {}): Promise<PtyInfo[]> {
    const answer = obj(await this.client.json("GET", `/v1/sandboxes/${this.sandboxId}/pty`, opts));
    return Array.isArray(answer.ptys) ? answer.ptys.map(ptyInfoFrom) : [];
  }

  /** A handle to an existing terminal; with `onData`, its output from now on streams to the callback. */
  async connect(ptyId: string, opts: CallOptions & PtyStreamCallbacks = {}): Promise<PtyHandle> {
    const found = (await this.list(opts)).find((p) => p.ptyId === ptyId);
    if (!found) throw new NotFoundError(`No terminal ${ptyId} in sandbox ${this.sandboxId}.`, { code: "not_found" });
    const handle = new PtyHandle(this.client, this.sandboxId, ptyId, found.pid);
    if (opts.onData || opts.onExit) await handle.attach(opts, undefined, opts.signal);
    return handle;
  }
}
