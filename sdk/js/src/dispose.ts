// SPDX-License-Identifier: GPL-3.0-or-later
// `await using sbx = await Sandbox.create()` needs Symbol.asyncDispose, which
// Node 18 and 20 lack: define it as the registered symbol Node itself uses for
// it, before any class of the SDK names it. Imported first by those modules.
if (typeof (Symbol as { asyncDispose?: symbol }).asyncDispose !== "symbol") {
  Object.defineProperty(Symbol, "asyncDispose", { value: Symbol.for("nodejs.asyncDispose") });
}
export {};
