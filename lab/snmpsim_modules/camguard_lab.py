# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""snmpsim variation module ``camguard_lab``: every lab switch's data file is one record
(``1|:camguard_lab|<switch>;<vlan context>;<v3|any>``) that serves the whole OID tree from the
switch's live state (``lab/snmp_agent.py``). snmpsim executes this file with the globals
``path``, ``alias``, ``args`` and ``moduleContext``; its option is the lab state directory
(``--variation-module-options=camguard_lab:<state>``).
"""

import os
import sys

_REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(path))))  # type: ignore[name-defined]  # noqa: F821
for _p in (_REPO, os.path.join(_REPO, "lab")):
    if _p not in sys.path:
        sys.path.insert(0, _p)

import snmp_agent as _agent  # noqa: E402


def init(**context):  # type: ignore[no-untyped-def]
    moduleContext["live"] = _agent.Live(context["options"])  # type: ignore[name-defined]  # noqa: F821


def variate(oid, tag, value, **context):  # type: ignore[no-untyped-def]
    return moduleContext["live"].variate(oid, tag, value, context)  # type: ignore[name-defined]  # noqa: F821


def shutdown(**context):  # type: ignore[no-untyped-def]
    return None
