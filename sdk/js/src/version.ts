// SPDX-License-Identifier: GPL-3.0-or-later
/** The package's version; the same as the project's (a test checks both against package.json). */
export const VERSION = "0.1.0";
