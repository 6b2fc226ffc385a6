// SPDX-License-Identifier: GPL-3.0-or-later
// The sandbox's filesystem: list, read, write, upload, download, watch, what changed, and the rest.
import "./dispose.js";
import { InvalidArgumentError, NotFoundError, TooLargeError } from "./errors.js";
import type { ApiClient, CallOptions, Query } from "./http.js";
import type { ChangeList, EntryInfo, FileChange, FileDiff, FilesystemEvent, FileVersion, WriteInfo } from "./types.js";
import { numOrNull, obj, str, strOrNull } from "./util.js";
import { openSocket, type Socket } from "./websocket.js";

/** The largest file the engine takes or gives in one request: 32 MiB. */
export const MAX_FILE_BYTES = 32 * 1024 * 1024;

/** What `files.upload()` and `files.write()` take. */
export type FileData =
  | string
  | Uint8Array
  | ArrayBuffer
  | Blob
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array>;

/** Options that name whom a file operation runs as (default `sandbox`: its permissions apply, new files are its). */
export interface FileOptions extends CallOptions {
  user?: string;
}

/** Options of `files.watch()`. */
export interface WatchOptions extends FileOptions {
  /** Also every directory below it, including ones made later (default true). */
  recursive?: boolean;
  /** Each change as it happens, through the watch's WebSocket. */
  onEvent?: (event: FilesystemEvent) => void;
}

/** Options of `files.changes()`. */
export interface ChangesOptions extends CallOptions {
  /** Only changes under this path (default `/`). */
  path?: string;
  /** At most this many changes, 1 … 100 000 (the engine's default: 10 000). */
  limit?: number;
}

/** Options of `files.diff()`. */
export interface DiffOptions extends CallOptions {
  /** Lines of context around each change, 0 … 100 (default 3). */
  context?: number;
}

/** Options of `files.patch()`. */
export interface PatchOptions extends CallOptions {
  /** Only changes under this path (default `/`). */
  path?: string;
}

/** Options of `files.changesArchive()`. */
export interface ChangesArchiveOptions extends CallOptions {
  /** Only changes under this path (default `/`). */
  path?: string;
  /** A gzipped tar (`.tar.gz`) instead of a plain one. */
  gzip?: boolean;
}

/** The last member of `files.changesArchive()`'s tar: one `A|M|D /path` line per change. */
export const CHANGES_MANIFEST = ".ai2in-changes.txt";

/** The absolute path without `.`/`..` parts (the engine keeps those of the request). */
function normalize(path: string): string {
  if (!path.startsWith("/")) return path;
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return "/" + out.join("/");
}

function entryFrom(raw: unknown): EntryInfo {
  const o = obj(raw);
  return {
    name: str(o.name),
    path: normalize(str(o.path)),
    type: str(o.type, "other") as EntryInfo["type"],
    size: typeof o.size === "number" ? o.size : 0,
    mode: typeof o.mode === "number" ? o.mode : 0,
    mtime: str(o.mtime),
    owner: str(o.owner),
    symlinkTarget: strOrNull(o.symlink_target),
  };
}

function eventFrom(raw: unknown): FilesystemEvent {
  const o = obj(raw);
  return { type: str(o.type) as FilesystemEvent["type"], path: normalize(str(o.path)), isDir: o.is_dir === true };
}

function changeFrom(raw: unknown): FileChange {
  const o = obj(raw);
  return {
    path: normalize(str(o.path)),
    change: str(o.change) as FileChange["change"],
    type: str(o.type, "other") as FileChange["type"],
    size: typeof o.size === "number" ? o.size : 0,
    mode: typeof o.mode === "number" ? o.mode : 0,
    mtime: str(o.mtime),
    symlinkTarget: strOrNull(o.symlink_target),
  };
}

function versionFrom(raw: unknown): FileVersion | null {
  if (raw === null || typeof raw !== "object") return null;
  const o = obj(raw);
  return { size: typeof o.size === "number" ? o.size : 0, sha256: str(o.sha256) };
}

function diffFrom(raw: unknown): FileDiff {
  const o = obj(raw);
  return {
    path: normalize(str(o.path)),
    change: str(o.change) as FileDiff["change"],
    type: str(o.type, "other") as FileDiff["type"],
    binary: o.binary === true,
    before: versionFrom(o.before),
    after: versionFrom(o.after),
    diff: str(o.diff),
    tooLarge: o.too_large === true,
  };
}

function tooLarge(sentence: string): TooLargeError {
  return new TooLargeError(sentence, { status: 413, code: "too_large" });
}

function overLimit(size: number): TooLargeError {
  return tooLarge(`${size} bytes is over the engine's limit of ${MAX_FILE_BYTES} bytes per file; nothing was sent.`);
}

/** A request body for file data, and why its stream stopped, when it did. */
interface Upload {
  body: Uint8Array | Blob | ReadableStream<Uint8Array>;
  /** Set when the stream was ended by its source's error or by the limit: the error to throw. */
  stopped?: unknown;
}

/**
 * The body to send. Sizes known up front (text, bytes, a Blob) are refused
 * past 32 MiB before anything is sent; a Blob is read as it goes. A stream
 * has no size up front: it goes chunked, a piece at a time, and is stopped
 * at the first piece past the limit (the engine then has no whole body and
 * writes nothing).
 */
function uploadOf(data: FileData): Upload {
  if (typeof data === "string") data = new TextEncoder().encode(data);
  if (data instanceof ArrayBuffer) data = new Uint8Array(data);
  if (data instanceof Uint8Array) {
    if (data.byteLength > MAX_FILE_BYTES) throw overLimit(data.byteLength);
    return { body: data };
  }
  if (typeof Blob !== "undefined" && data instanceof Blob) {
    if (data.size > MAX_FILE_BYTES) throw overLimit(data.size);
    return { body: data };
  }
  // Checked by what it has, not by its type: a JS caller may pass anything.
  const source: unknown = data;
  let iterable: AsyncIterable<Uint8Array | string> | undefined;
  if (typeof source === "object" && source !== null) {
    if (Symbol.asyncIterator in source) iterable = source as AsyncIterable<Uint8Array>;
    else if (typeof (source as ReadableStream<Uint8Array>).getReader === "function") {
      iterable = readerIterable(source as ReadableStream<Uint8Array>); // a stream of a runtime without async iteration
    }
  }
  if (!iterable) throw new InvalidArgumentError("File data must be a string, bytes, a Blob or a stream of bytes.");
  const upload: Upload = { body: new Uint8Array() };
  const pieces = iterable[Symbol.asyncIterator]();
  let size = 0;
  const stop = (e: unknown) => {
    upload.stopped = e;
    void pieces.return?.()?.catch(() => undefined);
    throw e;
  };
  upload.body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      let next: IteratorResult<Uint8Array | string>;
      try {
        next = await pieces.next();
      } catch (e) {
        stop(e);
        return;
      }
      if (next.done) {
        controller.close();
        return;
      }
      const piece = next.value;
      const bytes = typeof piece === "string" ? new TextEncoder().encode(piece) : piece;
      if (!(bytes instanceof Uint8Array)) stop(new InvalidArgumentError("A piece of a file stream must be bytes (a Uint8Array)."));
      size += bytes.byteLength;
      if (size > MAX_FILE_BYTES) {
        stop(tooLarge(`The stream passed the engine's limit of ${MAX_FILE_BYTES} bytes per file; nothing was written.`));
      }
      if (bytes.byteLength > 0) controller.enqueue(bytes);
    },
    async cancel() {
      await pieces.return?.();
    },
  });
  return upload;
}

async function* readerIterable(stream: ReadableStream<Uint8Array>): AsyncIterable<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/**
 * Writes a stream to a local file (Node), under a name of its own until it
 * is whole; resolves to its size. Made as Node makes a file (0666 less the umask).
 */
async function saveTo(stream: ReadableStream<Uint8Array>, to: string): Promise<number> {
  const fs = await import("node:fs/promises");
  const path = await import("node:path");
  const { randomBytes } = await import("node:crypto");
  const target = path.resolve(to);
  const partial = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString("hex")}.part`);
  const reader = stream.getReader();
  let size = 0;
  try {
    const file = await fs.open(partial, "wx", 0o666);
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        await file.write(value);
        size += value.byteLength;
      }
    } finally {
      await file.close();
    }
    await fs.rename(partial, target);
    return size;
  } catch (e) {
    reader.cancel().catch(() => undefined);
    await fs.unlink(partial).catch(() => undefined);
    throw e;
  }
}

/** Collects changes under a directory; made by `files.watch()`. */
export class Watcher {
  /** True when more than 10 000 events waited and the oldest were lost (as of the last poll). */
  dropped = false;
  private socket: Socket | undefined;

  /** @internal */
  constructor(
    private readonly client: ApiClient,
    private readonly sandboxId: string,
    /** The watch's id (`"wch_…"`). */
    readonly id: string,
    /** The absolute path watched. */
    readonly path: string,
  ) {}

  /** @internal Streams each event to `onEvent` through the watch's WebSocket. */
  async attach(onEvent: (event: FilesystemEvent) => void, signal?: AbortSignal): Promise<void> {
    this.socket = await openSocket({
      client: this.client,
      path: `/v1/sandboxes/${this.sandboxId}/watches/${this.id}/ws`,
      handlers: {
        onText: (text) => {
          let event: unknown;
          try {
            event = JSON.parse(text);
          } catch {
            return; // not an event: nothing to hand over
          }
          onEvent(eventFrom(event));
        },
      },
      signal,
    });
  }

  /** The events since the last poll. */
  async poll(opts: CallOptions = {}): Promise<FilesystemEvent[]> {
    const answer = obj(await this.client.json("GET", `/v1/sandboxes/${this.sandboxId}/watches/${this.id}/events`, opts));
    this.dropped = answer.dropped === true;
    return Array.isArray(answer.events) ? answer.events.map(eventFrom) : [];
  }

  /** Stops the watch at the end of an `await using` scope. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  /** Ends the watch and its stream. Stopping a watch that already ended (e.g. by a pause) is not an error. */
  async stop(opts: CallOptions = {}): Promise<void> {
    this.socket?.close();
    this.socket = undefined;
    try {
      await this.client.json("DELETE", `/v1/sandboxes/${this.sandboxId}/watches/${this.id}`, opts);
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
    }
  }
}

/**
 * Reads and changes files in the sandbox (`sbx.files`). Relative paths are
 * relative to `/home/sandbox`.
 */
export class Files {
  /** @internal */
  constructor(
    private readonly client: ApiClient,
    private readonly sandboxId: string,
  ) {}

  private route(tail = ""): string {
    return `/v1/sandboxes/${this.sandboxId}/files${tail}`;
  }

  private query(path: string, opts: FileOptions, more: Query = {}): Query {
    return { path, user: opts.user, ...more };
  }

  /** The entries of a directory, sorted by path; `depth` (1 … 16) also lists subdirectories. */
  async list(path = ".", opts: FileOptions & { depth?: number } = {}): Promise<EntryInfo[]> {
    const answer = obj(
      await this.client.json("GET", this.route(), { query: this.query(path, opts, { depth: opts.depth ?? 1 }), signal: opts.signal }),
    );
    return Array.isArray(answer.entries) ? answer.entries.map(entryFrom) : [];
  }

  /**
   * The file's content: text by default (UTF-8; undecodable bytes become
   * U+FFFD), or `format: "bytes" | "blob" | "stream"`.
   */
  read(path: string, opts?: FileOptions & { format?: "text" }): Promise<string>;
  read(path: string, opts: FileOptions & { format: "bytes" }): Promise<Uint8Array>;
  read(path: string, opts: FileOptions & { format: "blob" }): Promise<Blob>;
  read(path: string, opts: FileOptions & { format: "stream" }): Promise<ReadableStream<Uint8Array>>;
  async read(
    path: string,
    opts: FileOptions & { format?: "text" | "bytes" | "blob" | "stream" } = {},
  ): Promise<string | Uint8Array | Blob | ReadableStream<Uint8Array>> {
    const format = opts.format ?? "text";
    if (format === "stream") {
      return this.client.stream("GET", this.route("/content"), { query: this.query(path, opts), signal: opts.signal });
    }
    const bytes = await this.download(path, opts);
    if (format === "bytes") return bytes;
    if (format === "blob") return new Blob([bytes]);
    return new TextDecoder().decode(bytes);
  }

  /**
   * The file's content as bytes (at most 32 MiB). With `to` (Node), writes
   * it to that local path as it arrives instead, a piece at a time, and
   * resolves to its size; the file appears only whole (a failed download
   * leaves nothing behind).
   */
  download(path: string, opts?: FileOptions & { to?: undefined }): Promise<Uint8Array>;
  download(path: string, opts: FileOptions & { to: string }): Promise<number>;
  async download(path: string, opts: FileOptions & { to?: string } = {}): Promise<Uint8Array | number> {
    if (opts.to !== undefined) return saveTo(await this.read(path, { ...opts, format: "stream" }), opts.to);
    return this.client.bytes("GET", this.route("/content"), {
      query: this.query(path, opts),
      signal: opts.signal,
      timeoutMs: 300_000,
    });
  }

  /**
   * Writes a file (text as UTF-8), replacing it atomically and creating its
   * parent directories.
   */
  async write(path: string, content: FileData, opts: FileOptions = {}): Promise<WriteInfo> {
    return this.upload(path, content, opts);
  }

  /**
   * Writes bytes, a Blob or a stream to a file (at most 32 MiB). A Blob (in
   * Node, `await fs.openAsBlob(localPath)` is a file on the disk) and a
   * stream (a `ReadableStream`, a Node `Readable`, any async iterable of
   * `Uint8Array`) are read as they are sent, never whole in memory. More
   * than 32 MiB rejects with {@link TooLargeError}: before anything is sent
   * when the size is known (bytes, a Blob); for a stream once it passes the
   * limit, ending the request unfinished. Either way the sandbox's file
   * stays as it was.
   */
  async upload(path: string, data: FileData, opts: FileOptions = {}): Promise<WriteInfo> {
    const upload = uploadOf(data);
    let answer: Record<string, unknown>;
    try {
      answer = obj(
        await this.client.json("PUT", this.route("/content"), {
          query: this.query(path, opts),
          body: upload.body,
          signal: opts.signal,
          timeoutMs: 300_000,
        }),
      );
    } catch (e) {
      throw upload.stopped ?? e;
    }
    return { path: normalize(str(answer.path)), written: numOrNull(answer.written) ?? 0 };
  }

  /** Whether a file, directory or link is at `path`. */
  async exists(path: string, opts: FileOptions = {}): Promise<boolean> {
    const answer = obj(await this.client.json("GET", this.route("/exists"), { query: this.query(path, opts), signal: opts.signal }));
    return answer.exists === true;
  }

  /** One entry; a link is described as the link, not its target. */
  async getInfo(path: string, opts: FileOptions = {}): Promise<EntryInfo> {
    return entryFrom(await this.client.json("GET", this.route("/stat"), { query: this.query(path, opts), signal: opts.signal }));
  }

  /** Removes a file, a link, or a directory with everything in it. */
  async remove(path: string, opts: FileOptions = {}): Promise<void> {
    await this.client.json("DELETE", this.route(), { query: this.query(path, opts), signal: opts.signal });
  }

  /** Moves `oldPath` to `newPath` (creating its parents) and resolves to the entry at the new path. */
  async rename(oldPath: string, newPath: string, opts: FileOptions = {}): Promise<EntryInfo> {
    const body: Record<string, unknown> = { from: oldPath, to: newPath };
    if (opts.user !== undefined) body.user = opts.user;
    const answer = obj(await this.client.json("POST", this.route("/rename"), { json: body, signal: opts.signal }));
    return this.getInfo(str(answer.path, newPath), opts);
  }

  /** Makes a directory and its parents; resolves to `false` when it already existed. */
  async makeDir(path: string, opts: FileOptions = {}): Promise<boolean> {
    const body: Record<string, unknown> = { path };
    if (opts.user !== undefined) body.user = opts.user;
    const answer = obj(await this.client.json("POST", this.route("/mkdir"), { json: body, signal: opts.signal }));
    return answer.created === true;
  }

  /**
   * Starts watching a directory (by default also every directory below it)
   * and resolves to a {@link Watcher}: `poll()` what changed, or get each
   * change as it happens with `onEvent`. `stop()` ends it.
   */
  async watch(path = ".", opts: WatchOptions = {}): Promise<Watcher> {
    const body: Record<string, unknown> = { path, recursive: opts.recursive ?? true };
    if (opts.user !== undefined) body.user = opts.user;
    const answer = obj(
      await this.client.json("POST", `/v1/sandboxes/${this.sandboxId}/watches`, { json: body, signal: opts.signal }),
    );
    const watcher = new Watcher(this.client, this.sandboxId, str(answer.watch_id), str(answer.path, path));
    if (opts.onEvent) {
      try {
        await watcher.attach(opts.onEvent, opts.signal);
      } catch (e) {
        await watcher.stop().catch(() => undefined);
        throw e;
      }
    }
    return watcher;
  }

  private changesRoute(tail = ""): string {
    return `/v1/sandboxes/${this.sandboxId}/changes${tail}`;
  }

  /**
   * Every path the sandbox added, modified or deleted relative to its
   * template, sorted by path. A directory the sandbox made is listed with
   * everything in it; a template directory only when it was deleted. The
   * array's `truncated` is true when more changes than `limit` were left
   * out. A sandbox paused without its memory rejects with
   * `ConflictError` (resume it first).
   */
  async changes(opts: ChangesOptions = {}): Promise<ChangeList> {
    const answer = obj(
      await this.client.json("GET", this.changesRoute(), {
        query: { path: opts.path ?? "/", limit: opts.limit },
        signal: opts.signal,
        timeoutMs: 120_000,
      }),
    );
    const list = (Array.isArray(answer.changes) ? answer.changes.map(changeFrom) : []) as ChangeList;
    list.truncated = answer.truncated === true;
    return list;
  }

  /**
   * One changed path against the template's: sizes and SHA-256 of both
   * sides and a unified diff (empty for a binary file, a directory, or a
   * side over 4 MiB). A path that did not change rejects with
   * {@link NotFoundError}.
   */
  async diff(path: string, opts: DiffOptions = {}): Promise<FileDiff> {
    return diffFrom(
      await this.client.json("GET", this.changesRoute("/diff"), {
        query: { path, context: opts.context ?? 3 },
        signal: opts.signal,
        timeoutMs: 120_000,
      }),
    );
  }

  /**
   * Every text change under `path` (default `/`) as one unified diff, which
   * `git apply -p1` takes from `/`; binary files appear as
   * `Binary files … differ` lines. At most 32 MiB ({@link TooLargeError}
   * beyond). Bytes that are not UTF-8 become U+FFFD.
   */
  async patch(opts: PatchOptions = {}): Promise<string> {
    const bytes = await this.client.bytes("GET", this.changesRoute("/patch"), {
      query: { path: opts.path ?? "/" },
      signal: opts.signal,
      timeoutMs: 300_000,
    });
    return new TextDecoder().decode(bytes);
  }

  /**
   * The added and modified paths under `path` (default `/`) as a tar (with
   * `gzip`, a `.tar.gz`): members named relative to `/`
   * (`home/sandbox/app.js`), files with their content, directories, links
   * as links, each with its mode, time and owner as the sandbox has them. A
   * deletion cannot be a member: every change, deletions included, is a
   * line `A|M|D /path` of the last member, {@link CHANGES_MANIFEST} (in a
   * path, a backslash is written as two, a newline as `\n`). A file over
   * 32 MiB rejects with {@link TooLargeError}; a sandbox paused without its
   * memory with `ConflictError`.
   */
  async changesArchive(opts: ChangesArchiveOptions = {}): Promise<Uint8Array> {
    return this.client.bytes("GET", this.changesRoute("/archive"), {
      query: { path: opts.path ?? "/", format: opts.gzip ? "tar.gz" : "tar" },
      signal: opts.signal,
      timeoutMs: 300_000,
    });
  }
}
