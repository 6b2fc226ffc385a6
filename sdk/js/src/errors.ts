// SPDX-License-Identifier: GPL-3.0-or-later
/**
 * Errors the SDK throws. Every failure is a {@link SandboxError}; the subclass
 * says what kind it was. Errors from the engine carry its HTTP status, its
 * error code (`not_found`, `conflict`, …) and its human sentence, which is
 * also the error's message.
 *
 * ```
 * SandboxError
 * ├── AuthenticationError     401: no key, a malformed, unknown or revoked key
 * ├── PermissionDeniedError   403: the sandbox user may not touch that file
 * ├── NotFoundError           404: unknown sandbox, command, file, terminal …
 * ├── ConflictError           409: wrong state (paused, already paused, …)
 * ├── InvalidArgumentError    400: a bad field, path or value
 * │   └── TooLargeError       413: metadata over 2 KB, a file over 32 MB
 * ├── RateLimitError          429: the team runs its maximum of sandboxes
 * ├── TimeoutError            504, or no answer in time
 * ├── EngineError             500/503/507 and answers the SDK cannot read
 * └── EngineUnreachableError  no connection to the engine
 * ```
 *
 * A call whose `AbortSignal` fires rejects with the signal's reason (an
 * `AbortError` unless the caller gave another), as `fetch` does.
 * @module
 */

/** What an error from the engine carries besides its sentence. */
export interface ErrorFields {
  /** The HTTP status of the engine's answer. */
  status?: number;
  /** The engine's error code (`"not_found"`, …). */
  code?: string;
  /** Any other fields of the engine's error object. */
  details?: Record<string, unknown>;
  /** The underlying failure (a network error), when there was one. */
  cause?: unknown;
}

/** Base class of every error the SDK throws. */
export class SandboxError extends Error {
  /** The HTTP status of the engine's answer, or `undefined`. */
  readonly status: number | undefined;
  /** The engine's error code (`"not_found"`, …), or `undefined`. */
  readonly code: string | undefined;
  /** Any other fields of the engine's error object. */
  readonly details: Record<string, unknown>;

  constructor(message: string, fields: ErrorFields = {}) {
    super(message, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.name = new.target.name;
    this.status = fields.status;
    this.code = fields.code;
    this.details = { ...(fields.details ?? {}) };
  }
}

/** The engine refused the API key, or no key could be found. */
export class AuthenticationError extends SandboxError {}
/** The sandbox user may not do that to that file. */
export class PermissionDeniedError extends SandboxError {}
/** The sandbox, command, file, terminal or watch does not exist (for this key). */
export class NotFoundError extends SandboxError {}
/** The sandbox is not in a state that allows the request, or the target exists. */
export class ConflictError extends SandboxError {}
/** The request had a missing, unknown, mistyped or out-of-range value. */
export class InvalidArgumentError extends SandboxError {}
/** Metadata over 2 KB, a file over 32 MiB, a body over its endpoint's limit. */
export class TooLargeError extends InvalidArgumentError {}
/** The team already runs the engine's maximum number of sandboxes, or is over its budget. */
export class RateLimitError extends SandboxError {}
/** The engine failed (500), the sandbox's agent did not answer (503), or the answer made no sense. */
export class EngineError extends SandboxError {}
/** No connection to the engine: it is not running, or the address is wrong. */
export class EngineUnreachableError extends SandboxError {}

/**
 * A blocking command ran past its limit, or the engine did not answer in time.
 * For a command that timed out, `stdout`, `stderr` and `commandId` hold what
 * it wrote before it was killed (empty when unknown).
 */
export class TimeoutError extends SandboxError {
  /** What the timed-out command wrote to stdout. */
  get stdout(): string {
    return typeof this.details.stdout === "string" ? this.details.stdout : "";
  }
  /** What the timed-out command wrote to stderr. */
  get stderr(): string {
    return typeof this.details.stderr === "string" ? this.details.stderr : "";
  }
  /** The id of the timed-out command, when the engine named it. */
  get commandId(): string | undefined {
    return typeof this.details.command_id === "string" ? this.details.command_id : undefined;
  }
}

type ErrorClass = new (message: string, fields?: ErrorFields) => SandboxError;

const BY_CODE: Record<string, ErrorClass> = {
  invalid_json: InvalidArgumentError,
  bad_request: InvalidArgumentError,
  unauthorized: AuthenticationError,
  permission_denied: PermissionDeniedError,
  not_found: NotFoundError,
  conflict: ConflictError,
  too_large: TooLargeError,
  quota_exceeded: RateLimitError,
  internal: EngineError,
  unavailable: EngineError,
  insufficient_storage: EngineError,
  timeout: TimeoutError,
};

const BY_STATUS: Record<number, ErrorClass> = {
  400: InvalidArgumentError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  413: TooLargeError,
  429: RateLimitError,
  504: TimeoutError,
};

/**
 * The error for an engine answer with an error status: the class follows the
 * engine's error code, else the status; the message is the engine's sentence,
 * else one naming the status.
 */
export function errorFromAnswer(status: number, body: string): SandboxError {
  let code: string | undefined;
  let message = "";
  let details: Record<string, unknown> = {};
  let parsed: unknown;
  try {
    parsed = body ? JSON.parse(body) : undefined;
  } catch {
    parsed = undefined;
  }
  const err = isObject(parsed) && isObject(parsed.error) ? parsed.error : undefined;
  if (err) {
    if (typeof err.code === "string") code = err.code;
    if (typeof err.message === "string") message = err.message;
    details = Object.fromEntries(Object.entries(err).filter(([k]) => k !== "code" && k !== "message"));
  }
  const cls =
    (code !== undefined ? BY_CODE[code] : undefined) ??
    BY_STATUS[status] ??
    (status >= 500 ? EngineError : SandboxError);
  if (!message) message = `The engine answered HTTP ${status}` + (code ? ` (${code}).` : ".");
  return new cls(message, { status, code, details });
}

/** @internal */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
