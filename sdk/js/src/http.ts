// SPDX-License-Identifier: GPL-3.0-or-later
// The HTTP side of the SDK: one request to the engine, its errors made into typed errors.
import {
  EngineError,
  EngineUnreachableError,
  InvalidArgumentError,
  SandboxError,
  TimeoutError,
  errorFromAnswer,
} from "./errors.js";
import { VERSION } from "./version.js";

/** What every call of the SDK accepts. */
export interface CallOptions {
  /** Cancels the call: it rejects with the signal's reason, and nothing more is sent for it. */
  signal?: AbortSignal;
}

/** @internal */
export type Query = Record<string, string | number | boolean | null | undefined>;

/** @internal */
export interface RequestSpec extends CallOptions {
  query?: Query;
  /** A JSON body. */
  json?: unknown;
  /**
   * A raw body (file content, stdin, terminal input). A Blob goes with its
   * size as Content-Length, read as it is sent; a stream goes chunked.
   */
  body?: Uint8Array | Blob | ReadableStream<Uint8Array>;
  /** Milliseconds to wait for the whole answer; the client's default when absent, none when 0. */
  timeoutMs?: number;
}

/** An error thrown by the caller's own callback, carried through the SDK's error mapping unchanged. */
class CallerError {
  constructor(readonly error: unknown) {}
}

/**
 * One wait for the engine: the caller's signal and the SDK's own time limit
 * folded into one signal for fetch, and turned back into the right error.
 */
class Wait {
  readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timedOut = false;
  private readonly onAbort = () => this.controller.abort(this.signal?.reason);

  constructor(
    private readonly signal: AbortSignal | undefined,
    readonly timeoutMs: number,
  ) {
    signal?.throwIfAborted();
    signal?.addEventListener("abort", this.onAbort, { once: true });
    if (timeoutMs > 0) {
      this.timer = setTimeout(() => {
        this.timedOut = true;
        this.controller.abort(new Error("time limit"));
      }, timeoutMs);
    }
  }

  done(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.signal?.removeEventListener("abort", this.onAbort);
  }

  /** The error to throw for a failure of fetch or of reading its body. */
  failure(e: unknown, what: string, started: boolean, baseUrl: string): unknown {
    this.done();
    if (e instanceof CallerError) return e.error;
    if (this.signal?.aborted) return this.signal.reason;
    if (e instanceof SandboxError) return e;
    if (this.timedOut) {
      return new TimeoutError(`The engine did not answer ${what} within ${this.timeoutMs / 1000} s.`, { cause: e });
    }
    if (!started) {
      return new EngineUnreachableError(
        `Cannot reach the engine at ${baseUrl}: ${reason(e)}. Is ai2ind running, and is AI2IN_BASE_URL right?`,
        { cause: e },
      );
    }
    return new EngineError(`The connection to the engine broke during ${what}: ${reason(e)}.`, { cause: e });
  }
}

function reason(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } })?.cause;
  const code = cause?.code;
  if (code === "ECONNREFUSED") return "connection refused";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "unknown host name";
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET") return "the connection was reset";
  const text = cause?.message || (e instanceof Error ? e.message : String(e));
  return text ? text[0]!.toLowerCase() + text.slice(1) : "unknown failure";
}

/** @internal Talks to one engine with one API key; used by every other part of the SDK. */
export class ApiClient {
  readonly baseUrl: string;

  constructor(
    readonly apiKey: string,
    baseUrl: string,
    readonly requestTimeoutMs: number = 60_000,
  ) {
    let parsed: URL;
    try {
      parsed = new URL(baseUrl);
    } catch {
      throw new InvalidArgumentError(`The engine's address ${JSON.stringify(baseUrl)} is not a URL.`);
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
      throw new InvalidArgumentError(`The engine's address ${JSON.stringify(baseUrl)} is not an http:// or https:// URL.`);
    }
    this.baseUrl = baseUrl.replace(/\/+$/, "");
  }

  /** The full URL of an API path (`/v1/…`) with its query parameters. */
  url(path: string, query?: Query): string {
    let target = this.baseUrl + path;
    if (query) {
      // Percent-encoded, a space as %20: URLSearchParams would write "+", which the engine
      // reads as RFC 3986 does, a plus sign (a file "dir with space" would become "dir+with+space").
      const pairs: string[] = [];
      for (const [k, v] of Object.entries(query)) {
        if (v !== undefined && v !== null) pairs.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
      }
      if (pairs.length) target += "?" + pairs.join("&");
    }
    return target;
  }

  /** The headers every request carries. */
  headers(): Record<string, string> {
    return {
      Authorization: `Bearer ${this.apiKey}`,
      "User-Agent": `ai2in-js/${VERSION}`,
      Accept: "application/json",
    };
  }

  /**
   * Sends a request; resolves once the answer's head is in with a successful
   * status (an error status is read and thrown). `read` consumes the body;
   * its failures become the SDK's errors too.
   */
  async send<T>(method: string, path: string, spec: RequestSpec, read: (r: Response) => Promise<T>): Promise<T> {
    const wait = new Wait(spec.signal, spec.timeoutMs ?? this.requestTimeoutMs);
    const what = `${method} ${path}`;
    const headers = this.headers();
    let body: RequestSpec["body"] | string;
    if (spec.json !== undefined) {
      body = JSON.stringify(spec.json);
      headers["Content-Type"] = "application/json";
    } else if (spec.body !== undefined) {
      body = spec.body;
      headers["Content-Type"] = "application/octet-stream";
    }
    let response: Response;
    try {
      const init: RequestInit & { duplex?: "half" } = { method, headers, body, signal: wait.controller.signal, redirect: "error" };
      // Node's fetch sends a stream only when told the answer may come before the body has gone.
      if (body instanceof ReadableStream) init.duplex = "half";
      response = await fetch(this.url(path, spec.query), init);
    } catch (e) {
      throw wait.failure(e, what, false, this.baseUrl);
    }
    try {
      if (response.status >= 400) throw errorFromAnswer(response.status, await response.text());
      return await read(response);
    } catch (e) {
      throw wait.failure(e, what, true, this.baseUrl);
    } finally {
      wait.done();
    }
  }

  /** Sends a request and returns its JSON answer (`undefined` for an empty one). */
  json<T = unknown>(method: string, path: string, spec: RequestSpec = {}): Promise<T> {
    return this.send(method, path, spec, async (r) => {
      const text = await r.text();
      if (!text) return undefined as T;
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new EngineError(`The engine's answer to ${method} ${path} is not JSON (HTTP ${r.status}).`, {
          status: r.status,
        });
      }
    });
  }

  /** Sends a request and returns its raw answer. */
  bytes(method: string, path: string, spec: RequestSpec = {}): Promise<Uint8Array> {
    return this.send(method, path, spec, async (r) => new Uint8Array(await r.arrayBuffer()));
  }

  /**
   * Sends a request and hands over the answer's body as a stream (no time
   * limit on reading it); a connection that breaks while it is read errors
   * the stream with an EngineError.
   */
  stream(method: string, path: string, spec: RequestSpec = {}): Promise<ReadableStream<Uint8Array>> {
    return this.send(method, path, spec, async (r) => {
      if (!r.body) return new Blob([]).stream();
      const reader = r.body.getReader();
      return new ReadableStream<Uint8Array>({
        async pull(controller) {
          let piece: Awaited<ReturnType<typeof reader.read>>;
          try {
            piece = await reader.read();
          } catch (e) {
            controller.error(new EngineError(`The connection to the engine broke during ${method} ${path}: ${reason(e)}.`, { cause: e }));
            return;
          }
          if (piece.done) controller.close();
          else controller.enqueue(piece.value);
        },
        cancel(why) {
          return reader.cancel(why);
        },
      });
    });
  }

  /**
   * Sends a request and calls `onEvent` with each line of its NDJSON answer
   * as it arrives. An error thrown by `onEvent` ends the stream and is
   * rethrown as it is.
   */
  ndjson(
    method: string,
    path: string,
    spec: RequestSpec,
    onEvent: (event: Record<string, unknown>) => void,
  ): Promise<void> {
    return this.send(method, path, spec, async (r) => {
      if (!r.body) return;
      const decoder = new TextDecoder();
      let pending = "";
      const take = (line: string) => {
        line = line.trim();
        if (!line) return;
        let event: unknown;
        try {
          event = JSON.parse(line);
        } catch {
          throw new EngineError(`The engine sent a line that is not JSON: ${JSON.stringify(line.slice(0, 200))}`);
        }
        if (typeof event === "object" && event !== null && !Array.isArray(event)) {
          try {
            onEvent(event as Record<string, unknown>);
          } catch (e) {
            throw new CallerError(e);
          }
        }
      };
      const reader = r.body.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          pending += decoder.decode(value, { stream: true });
          let nl: number;
          while ((nl = pending.indexOf("\n")) >= 0) {
            take(pending.slice(0, nl));
            pending = pending.slice(nl + 1);
          }
        }
      } catch (e) {
        // Let go of the connection at once rather than when it is collected.
        reader.cancel().catch(() => undefined);
        throw e;
      }
      take(pending + decoder.decode());
    });
  }
}
