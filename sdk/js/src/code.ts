// SPDX-License-Identifier: GPL-3.0-or-later
// What `sbx.runCode()` returns: results, logs and errors of a cell.
import { obj } from "./util.js";

/** The representations a result may carry, in the engine's order. */
export const RESULT_FORMATS = [
  "text", "html", "markdown", "svg", "png", "jpeg", "pdf", "latex", "json", "javascript",
] as const;

/** The name of one representation of a result. */
export type ResultFormat = (typeof RESULT_FORMATS)[number];

/**
 * One rich output of a cell: the value of its last expression, or something
 * it displayed. Each format is `undefined` when the output does not have it;
 * `png`, `jpeg` and `pdf` are base64 text; `json` is the decoded value.
 */
export class Result {
  text?: string;
  html?: string;
  markdown?: string;
  svg?: string;
  png?: string;
  jpeg?: string;
  pdf?: string;
  latex?: string;
  json?: unknown;
  javascript?: string;
  /** True for the cell's own value (what `Execution.text` reports), false for `display(...)` outputs. */
  isMainResult = false;

  /** Builds a Result from the engine's `result` object. */
  static fromJson(data: unknown): Result {
    const o = obj(data);
    const result = new Result();
    for (const name of RESULT_FORMATS) {
      const value = o[name];
      if (value !== null && value !== undefined) (result as unknown as Record<string, unknown>)[name] = value;
    }
    result.isMainResult = o.is_main_result === true;
    return result;
  }

  /** The names of the formats this result has, e.g. `["text", "png"]`. */
  formats(): ResultFormat[] {
    return RESULT_FORMATS.filter((name) => this[name] !== undefined);
  }

  /** The text representation, or `""`. */
  toString(): string {
    return this.text ?? "";
  }
}

/** What a cell printed: `stdout` and `stderr` as lists of the chunks that arrived. */
export interface Logs {
  stdout: string[];
  stderr: string[];
}

/** An exception a cell raised. */
export interface ExecutionError {
  name: string;
  value: string;
  traceback: string;
}

/** The outcome of one cell. */
export class Execution {
  /** Every rich output, in order. */
  results: Result[] = [];
  /** The printed output. */
  logs: Logs = { stdout: [], stderr: [] };
  /** The exception when the cell raised, else `undefined`. */
  error?: ExecutionError;
  /** The kernel's cell counter, when the engine sent it. */
  executionCount?: number;

  /** The text of the main result (the cell's last expression), or `undefined`. */
  get text(): string | undefined {
    return this.results.find((r) => r.isMainResult)?.text;
  }
}
