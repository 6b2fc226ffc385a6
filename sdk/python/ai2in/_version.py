# SPDX-License-Identifier: GPL-3.0-or-later
"""The project's version, set here and only here: CMake reads this line for the programs."""

__version__ = "0.1.0"
