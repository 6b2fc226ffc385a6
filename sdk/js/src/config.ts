// SPDX-License-Identifier: GPL-3.0-or-later
// Where the engine is and which key to use, when the caller does not say.
import { AuthenticationError, isObject } from "./errors.js";

/** The local engine's address, used when nothing else names one. */
export const DEFAULT_BASE_URL = "http://127.0.0.1:7300";

/** Where a local engine writes its API key and address on its first start. */
export const CREDENTIALS_FILE = "/var/lib/ai2in/credentials.json";

/** The environment, where the runtime has one (Node, Bun, Deno 2). */
function env(name: string): string | undefined {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  const value = proc?.env?.[name];
  return value ? value : undefined;
}

async function credentials(path: string): Promise<Record<string, unknown>> {
  try {
    const fs = await import("node:fs/promises");
    const parsed: unknown = JSON.parse(await fs.readFile(path, "utf8"));
    return isObject(parsed) ? parsed : {};
  } catch {
    // No file, no permission, no file system (a browser): nothing to learn here.
    return {};
  }
}

/**
 * The key and the engine's address: the arguments, else `AI2IN_API_KEY` /
 * `AI2IN_BASE_URL`, else the local engine's credentials file
 * (`AI2IN_CREDENTIALS` names another one), else {@link DEFAULT_BASE_URL}.
 * Throws {@link AuthenticationError} when no key is found anywhere.
 * @internal
 */
export async function resolveConfig(
  apiKey: string | undefined,
  baseUrl: string | undefined,
): Promise<{ apiKey: string; baseUrl: string }> {
  const path = env("AI2IN_CREDENTIALS") ?? CREDENTIALS_FILE;
  let creds: Record<string, unknown> | undefined;
  let url = baseUrl || env("AI2IN_BASE_URL");
  if (!url) {
    creds = await credentials(path);
    url = typeof creds.base_url === "string" && creds.base_url ? creds.base_url : DEFAULT_BASE_URL;
  }
  let key = apiKey || env("AI2IN_API_KEY");
  if (!key) {
    creds ??= await credentials(path);
    if (typeof creds.api_key === "string" && creds.api_key) key = creds.api_key;
  }
  if (!key) {
    throw new AuthenticationError(
      `No API key: pass apiKey, set AI2IN_API_KEY, or run as a user who can read ${path} ` +
        "(the local engine writes it on its first start).",
    );
  }
  return { apiKey: key, baseUrl: url.replace(/\/+$/, "") };
}
