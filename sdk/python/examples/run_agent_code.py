# SPDX-License-Identifier: GPL-3.0-or-later
"""Run model-written Python in a sandbox and collect its text, printed output and charts.

    python3 run_agent_code.py            # uses AI2IN_API_KEY / AI2IN_BASE_URL or the local engine

An agent loop would send the model's code to run_code() and give the
execution's text, logs and error back to the model as the tool's answer.
"""

import base64
import sys

from ai2in import Sandbox

CELLS = [
    "import math\nradius = 3\nmath.pi * radius ** 2",
    "for i in range(3):\n    print('step', i)",
    "import matplotlib.pyplot as plt\nplt.plot([1, 2, 3], [2, 4, 1])\nplt.title('made in a sandbox')\nplt.show()",
    "1 / 0",
]


def main() -> int:
    with Sandbox(timeout=600, metadata={"example": "run_agent_code"}) as sbx:
        print(f"sandbox {sbx.id}")
        for n, code in enumerate(CELLS, 1):
            execution = sbx.run_code(code, on_stdout=lambda text: print(text, end=""))
            if execution.error:
                print(f"[{n}] {execution.error['name']}: {execution.error['value']}")
                continue
            for result in execution.results:
                if result.png:
                    path = f"chart-{n}.png"
                    with open(path, "wb") as f:
                        f.write(base64.b64decode(result.png))
                    print(f"[{n}] chart saved to {path}")
            if execution.text is not None:
                print(f"[{n}] = {execution.text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
