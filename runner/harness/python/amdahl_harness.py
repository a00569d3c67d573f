"""Entry script the runner starts: `python -X faulthandler runner/harness/python/amdahl_harness.py` (see protocol/harness.ts).

It only puts runner/harness/python on sys.path and calls the package's main. Spawned pool workers import this file again
as __mp_main__, so everything but the path set-up stays under the __main__ guard.
"""
from __future__ import annotations

import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

if __name__ == "__main__":
    # The package directory amdahl_harness/ takes precedence over this file of the same name on import.
    from amdahl_harness.main import main

    main()
