// SPDX-License-Identifier: GPL-3.0-or-later
// Small helpers shared by the SDK's parts.
import { InvalidArgumentError, isObject } from "./errors.js";

/** @internal Waits `ms` milliseconds, or rejects with the signal's reason when it fires first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** @internal Whole seconds for the engine from milliseconds of the API, checked against a range. */
export function secondsFromMs(name: string, ms: number, maxSeconds: number): number {
  if (typeof ms !== "number" || !Number.isFinite(ms) || ms <= 0) {
    throw new InvalidArgumentError(`${name} must be a positive number of milliseconds, not ${String(ms)}.`);
  }
  const seconds = Math.ceil(ms / 1000);
  if (seconds > maxSeconds) {
    throw new InvalidArgumentError(`${name} is at most ${maxSeconds * 1000} ms (${maxSeconds} s), not ${ms}.`);
  }
  return seconds;
}

/** @internal UTF-8 bytes of a string, or the bytes as they are. */
export function toBytes(data: string | Uint8Array | ArrayBuffer): Uint8Array {
  if (typeof data === "string") return new TextEncoder().encode(data);
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  throw new InvalidArgumentError("Expected a string, a Uint8Array or an ArrayBuffer.");
}

/** @internal The object of an engine answer, or an empty one. */
export function obj(value: unknown): Record<string, unknown> {
  return isObject(value) ? value : {};
}

/** @internal A string field, or a default. */
export function str(value: unknown, fallback = ""): string {
  return typeof value === "string" ? value : fallback;
}

/** @internal A number field, or `null`. */
export function numOrNull(value: unknown): number | null {
  return typeof value === "number" ? value : null;
}

/** @internal A string field, or `null`. */
export function strOrNull(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

/** @internal Base64 text to bytes, on any runtime. */
export function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
