// SPDX-License-Identifier: GPL-3.0-or-later
// WebSockets for terminals and watches: the runtime's own WebSocket where it
// has one (Node 22+, Deno, Bun, browsers), else a small RFC 6455 client on
// node:http (Node 18 and 20), so the package needs no dependency.
import { EngineError, EngineUnreachableError, errorFromAnswer } from "./errors.js";
import type { ApiClient, Query } from "./http.js";

/** @internal What a socket hands to its user. */
export interface SocketHandlers {
  onText?: (text: string) => void;
  onBinary?: (data: Uint8Array) => void;
}

/** How a stream ended: the close code (1005 when none came, 1006 when the connection broke). */
export interface SocketClose {
  code: number;
  reason: string;
}

/** @internal An open WebSocket to the engine. */
export interface Socket {
  send(data: string | Uint8Array): void;
  close(code?: number): void;
  readonly closed: Promise<SocketClose>;
}

/** @internal Where a socket goes and who hears from it. */
export interface SocketRequest {
  client: ApiClient;
  /** The API path (`/v1/…/ws`). */
  path: string;
  query?: Query;
  handlers: SocketHandlers;
  signal?: AbortSignal;
}

/** @internal Opens a WebSocket to an API path of the engine with the client's key. */
export function openSocket(request: SocketRequest): Promise<Socket> {
  request.signal?.throwIfAborted();
  const native = (globalThis as { WebSocket?: typeof WebSocket }).WebSocket;
  if (typeof native === "function") return openNative(native, request);
  return openOnNodeHttp(request);
}

function openNative(Native: typeof WebSocket, { client, path, query, handlers, signal }: SocketRequest): Promise<Socket> {
  // A standard WebSocket cannot set headers: the engine takes the key as ?access_token=.
  const url = client.url(path, { ...query, access_token: client.apiKey }).replace(/^http/, "ws");
  return new Promise((resolve, reject) => {
    const ws = new Native(url);
    ws.binaryType = "arraybuffer";
    let opened = false;
    let settle: (c: SocketClose) => void = () => undefined;
    const closed = new Promise<SocketClose>((r) => (settle = r));
    const onAbort = () => {
      ws.close();
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    ws.addEventListener("open", () => {
      opened = true;
      signal?.removeEventListener("abort", onAbort);
      resolve({
        send: (data) => ws.send(data),
        close: (code = 1000) => ws.close(code),
        closed,
      });
    });
    ws.addEventListener("message", (ev: MessageEvent) => {
      if (typeof ev.data === "string") handlers.onText?.(ev.data);
      else handlers.onBinary?.(new Uint8Array(ev.data as ArrayBuffer));
    });
    ws.addEventListener("close", (ev: { code: number; reason: string }) => {
      settle({ code: ev.code, reason: ev.reason });
      if (!opened) {
        signal?.removeEventListener("abort", onAbort);
        reject(new EngineError(`The engine refused the WebSocket for ${path} (close code ${ev.code}).`));
      }
    });
  });
}

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

async function openOnNodeHttp({ client, path, query, handlers, signal }: SocketRequest): Promise<Socket> {
  const url = new URL(client.url(path, query));
  const http = url.protocol === "https:" ? await import("node:https") : await import("node:http");
  const crypto = await import("node:crypto");
  const key = crypto.randomBytes(16).toString("base64");
  return new Promise<Socket>((resolve, reject) => {
    const req = http.request(url, {
      headers: {
        ...client.headers(),
        Connection: "Upgrade",
        Upgrade: "websocket",
        "Sec-WebSocket-Key": key,
        "Sec-WebSocket-Version": "13",
      },
    });
    const onAbort = () => {
      req.destroy();
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    req.on("upgrade", (res, socket, head) => {
      signal?.removeEventListener("abort", onAbort);
      const expected = crypto.createHash("sha1").update(key + GUID).digest("base64");
      if (res.headers["sec-websocket-accept"] !== expected) {
        socket.destroy();
        reject(new EngineError(`The engine's WebSocket answer for ${path} has a wrong Sec-WebSocket-Accept.`));
        return;
      }
      resolve(new NodeSocket(socket, head, handlers, (n) => crypto.randomBytes(n)));
    });
    req.on("response", (res) => {
      signal?.removeEventListener("abort", onAbort);
      const parts: Buffer[] = [];
      res.on("data", (c: Buffer) => parts.push(c));
      res.on("end", () => reject(errorFromAnswer(res.statusCode ?? 0, Buffer.concat(parts).toString("utf8"))));
      res.on("error", (e) => reject(new EngineError(`The WebSocket request for ${path} broke: ${e.message}.`)));
    });
    req.on("error", (e: Error & { code?: string }) => {
      signal?.removeEventListener("abort", onAbort);
      reject(
        new EngineUnreachableError(
          `Cannot open the WebSocket ${path} at ${client.baseUrl}: ${e.code === "ECONNREFUSED" ? "connection refused" : e.message}.`,
          { cause: e },
        ),
      );
    });
    req.end();
  });
}

const OP_CONT = 0x0, OP_TEXT = 0x1, OP_BINARY = 0x2, OP_CLOSE = 0x8, OP_PING = 0x9, OP_PONG = 0xa;

/** RFC 6455 framing over a socket node:http handed over after the upgrade. */
class NodeSocket implements Socket {
  readonly closed: Promise<SocketClose>;
  private settle: (c: SocketClose) => void = () => undefined;
  private buffer: Buffer;
  private fragments: Buffer[] = [];
  private fragmentOp = 0;
  private closeSent = false;
  private closeSeen: SocketClose | undefined;

  constructor(
    private readonly socket: import("node:net").Socket | import("node:stream").Duplex,
    head: Buffer,
    private readonly handlers: SocketHandlers,
    private readonly random: (n: number) => Buffer,
  ) {
    this.buffer = head;
    this.closed = new Promise((r) => (this.settle = r));
    if ("setNoDelay" in socket) socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => {
      this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
      this.parse();
    });
    socket.on("close", () => this.settle(this.closeSeen ?? { code: 1006, reason: "" }));
    socket.on("error", () => undefined); // "close" follows and reports it
    if (head.length) queueMicrotask(() => this.parse());
  }

  send(data: string | Uint8Array): void {
    if (this.closeSent) return;
    const payload = typeof data === "string" ? Buffer.from(data, "utf8") : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    this.frame(typeof data === "string" ? OP_TEXT : OP_BINARY, payload);
  }

  close(code = 1000): void {
    if (this.closeSent) return;
    const payload = Buffer.alloc(2);
    payload.writeUInt16BE(code);
    this.frame(OP_CLOSE, payload);
    this.closeSent = true;
    // The engine answers with its close frame; do not wait for ever.
    setTimeout(() => this.socket.destroy(), 2000).unref?.();
  }

  private frame(op: number, payload: Buffer): void {
    const len = payload.length;
    const head = Buffer.alloc(len < 126 ? 6 : len < 65536 ? 8 : 14);
    head[0] = 0x80 | op;
    let at = 2;
    if (len < 126) {
      head[1] = 0x80 | len;
    } else if (len < 65536) {
      head[1] = 0x80 | 126;
      head.writeUInt16BE(len, 2);
      at = 4;
    } else {
      head[1] = 0x80 | 127;
      head.writeBigUInt64BE(BigInt(len), 2);
      at = 10;
    }
    const mask = this.random(4);
    mask.copy(head, at);
    const masked = Buffer.allocUnsafe(len);
    for (let i = 0; i < len; i++) masked[i] = payload[i]! ^ mask[i & 3]!;
    this.socket.write(Buffer.concat([head, masked]));
  }

  private parse(): void {
    for (;;) {
      const b = this.buffer;
      if (b.length < 2) return;
      const fin = (b[0]! & 0x80) !== 0;
      const op = b[0]! & 0x0f;
      const masked = (b[1]! & 0x80) !== 0;
      let len = b[1]! & 0x7f;
      let at = 2;
      if (len === 126) {
        if (b.length < 4) return;
        len = b.readUInt16BE(2);
        at = 4;
      } else if (len === 127) {
        if (b.length < 10) return;
        len = Number(b.readBigUInt64BE(2));
        at = 10;
      }
      const maskAt = at;
      if (masked) at += 4;
      if (b.length < at + len) return;
      let payload = b.subarray(at, at + len);
      if (masked) {
        const copy = Buffer.from(payload);
        for (let i = 0; i < len; i++) copy[i] = copy[i]! ^ b[maskAt + (i & 3)]!;
        payload = copy;
      }
      this.buffer = b.subarray(at + len);
      this.handle(fin, op, payload);
    }
  }

  private handle(fin: boolean, op: number, payload: Buffer): void {
    if (op === OP_CLOSE) {
      const code = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
      this.closeSeen = { code, reason: payload.subarray(2).toString("utf8") };
      if (!this.closeSent) {
        this.frame(OP_CLOSE, payload.subarray(0, 2));
        this.closeSent = true;
      }
      this.socket.end();
      return;
    }
    if (op === OP_PING) {
      if (!this.closeSent) this.frame(OP_PONG, payload);
      return;
    }
    if (op === OP_PONG) return;
    if (op !== OP_CONT) {
      this.fragmentOp = op;
      this.fragments = [];
    }
    this.fragments.push(Buffer.from(payload));
    if (!fin) return;
    const message = this.fragments.length === 1 ? this.fragments[0]! : Buffer.concat(this.fragments);
    this.fragments = [];
    try {
      if (this.fragmentOp === OP_TEXT) this.handlers.onText?.(message.toString("utf8"));
      else this.handlers.onBinary?.(new Uint8Array(message.buffer, message.byteOffset, message.byteLength));
    } catch (e) {
      // A throwing callback is the caller's error, reported as an event
      // listener's would be; the frames after it are still delivered.
      queueMicrotask(() => {
        throw e;
      });
    }
  }
}
