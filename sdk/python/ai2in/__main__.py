# SPDX-License-Identifier: GPL-3.0-or-later
"""``python -m ai2in`` runs the command line."""

import sys

from .cli import main

sys.exit(main())
