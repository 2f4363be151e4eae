# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One ``mac_table_info`` task, shared by the module and its action plugin (which runs it on the controller)."""

from __future__ import annotations

from typing import Any, Dict, Mapping, Optional

from ansible_collections.camguard.network.plugins.module_utils._collect import collect_target
from ansible_collections.camguard.network.plugins.module_utils._collect.args import (
    password_from_params,
    snmp_secrets_from_params,
    target_from_module_params,
)
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers.common import GETTERS
from ansible_collections.camguard.network.plugins.module_utils._collect.transport import redact
from ansible_collections.camguard.network.plugins.module_utils._records import CamguardError


def run_task(
    params: Mapping[str, Any],
    check_mode: bool,
    diff_mode: bool,
    environ: Optional[Mapping[str, str]] = None,
) -> Dict[str, Any]:
    """Collect from one switch. Read-only, so check and diff mode change nothing. ``failed`` is set on error."""
    del check_mode, diff_mode, environ  # read-only; the password comes from the params / os.environ
    password = password_from_params(params)
    secrets = [password or "", *snmp_secrets_from_params(params)]
    name = str(params["switch"] or params["host"])
    try:
        target = target_from_module_params(name, params)
        order = [g for g in GETTERS if g in params["gather"]]
        data, seconds = collect_target(target, order)
    except (CamguardError, ValueError) as e:
        return {"failed": True, "changed": False, "msg": redact(str(e), secrets), "switch": name}
    d = data.to_dict()
    return {
        "failed": False,
        "changed": False,
        "switch": d["switch"],
        "platform": d["platform"],
        "mac_table": d["macs"],
        "arp": d["arp"],
        "neighbors": d["neighbors"],
        "ports": d["ports"],
        "own_macs": d["own_macs"],
        "skipped_rows": d["skipped_rows"],
        "warnings_detail": d["warnings"],
        "limits": d["limits"],
        "seconds": round(seconds, 3),
    }
