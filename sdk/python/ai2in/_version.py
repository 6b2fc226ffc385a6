# SPDX-License-Identifier: GPL-3.0-or-later
"""The SDK's version: the project's version, as set in the root CMakeLists.txt."""

__version__ = "0.1.0"
