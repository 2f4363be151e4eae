# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared helpers of the unit tests, importable from any unit test by their plain module name:

* ``builders``: ``verdict(...)``, ``finding(...)``, ``finding_dict(...)``, ``classifier(...)``;
* ``record_contract``: ``check_record(record, platform)``, the data contract of ``_records``.

pytest puts this folder on ``sys.path`` when it loads this conftest (rootdir-less "prepend"
import mode); it is added explicitly too, so that any import mode finds them.
"""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)
