# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One ``port_isolation`` task: the argument spec and the run, shared by the module and its action plugin.

The action plugin (``plugins/action/port_isolation.py``) runs this in the controller's worker process,
so a play over many switches pays neither a module process nor the imports per switch; the module
(``plugins/modules/port_isolation.py``) runs the very same code when it is executed on its own.
"""

from __future__ import annotations

import getpass
import json
import os
from datetime import datetime, timezone
from typing import Any, Dict, Mapping, Optional

from ansible_collections.camguard.network.plugins.module_utils._collect import open_transport
from ansible_collections.camguard.network.plugins.module_utils._collect.args import (
    isolation_argument_spec,
    password_from_params,
    target_from_module_params,
)
from ansible_collections.camguard.network.plugins.module_utils._isolate.apply import (
    DEFAULT_CONFIG_BATCH_LINES,
    check_batch_lines,
    run_isolation,
)
from ansible_collections.camguard.network.plugins.module_utils._isolate.plan import (
    Options,
    check_change_id,
    check_name,
    check_peers,
    check_vlan,
    parse_change_window,
    targets_from_dicts,
)
from ansible_collections.camguard.network.plugins.module_utils._isolate.state import StateStore

__all__ = ["isolation_argument_spec", "run_task"]
from ansible_collections.camguard.network.plugins.module_utils._collect.transport import redact
from ansible_collections.camguard.network.plugins.module_utils._isolate.render import ISOLATION_PLATFORMS
from ansible_collections.camguard.network.plugins.module_utils._isolate.results import port_results
from ansible_collections.camguard.network.plugins.module_utils._records import CamguardError


def _user(environ: Mapping[str, str]) -> str:
    try:
        return environ.get("AWX_USER") or environ.get("TOWER_USER") or getpass.getuser()
    except Exception:
        return "unknown"


def run_task(
    params: Mapping[str, Any],
    check_mode: bool,
    diff_mode: bool,
    environ: Optional[Mapping[str, str]] = None,
) -> Dict[str, Any]:
    """Run one port_isolation task with validated ``params``.

    Returns the task result (plain JSON data, as the module would print it), with ``failed`` set
    when the task failed; no secret ever appears in it.
    """
    env = os.environ if environ is None else environ
    password = password_from_params(params)
    secrets = [password] if password else []
    switch = str(params["switch"])
    try:
        target = target_from_module_params(switch, params)
        if target.platform not in ISOLATION_PLATFORMS:
            return {
                "failed": True,
                "changed": False,
                "switch": switch,
                "msg": f"isolation is not supported on platform {target.platform}; supported: {', '.join(ISOLATION_PLATFORMS)}",
            }
        templates_dir = str(params["templates_dir"])
        if not os.path.isdir(os.path.join(templates_dir, target.platform)):
            return {
                "failed": True,
                "changed": False,
                "switch": switch,
                "msg": f"templates_dir {templates_dir} has no {target.platform}/ folder: "
                "pass the camera_isolation role's templates folder",
            }
        options = Options(
            mode=params["mode"],
            state=params["state"],
            quarantine_vlan=check_vlan(params["quarantine_vlan"], "quarantine_vlan"),
            quarantine_name=check_name(params["quarantine_vlan_name"], "quarantine_vlan_name"),
            create_quarantine_vlan=params["create_quarantine_vlan"],
            allowed_peers=check_peers(params["allowed_peers"]),
            change_id=check_change_id(params["change_id"]),
            change_window=parse_change_window(params["change_window"]),
            max_ports=params["max_ports"],
            max_macs_per_port=params["max_macs_per_port"],
            exception_pattern=params["exception_pattern"] or None,
            statuses=tuple(params["statuses"]),
            check_mode=check_mode,
            seen_elsewhere=tuple(params["seen_elsewhere"]),
            release_interfaces=tuple(params["release_interfaces"]),
        )
        batch_lines = check_batch_lines(params.get("config_batch_lines", DEFAULT_CONFIG_BATCH_LINES))
        targets = targets_from_dicts(params["ports"])
        store = StateStore(params["state_dir"], switch)
        user = _user(env)
        try:
            transport = open_transport(target)
        except CamguardError as e:
            if not check_mode and params["state"] != "planned":
                # a failed isolation attempt is recorded even when the switch never answered
                store.append_audit(
                    [
                        {
                            "time": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
                            "user": user,
                            "change_id": params["change_id"],
                            "switch": switch,
                            "action": "isolate" if params["state"] == "isolated" else "release",
                            "mode": params["mode"],
                            "result": "failed-not-connected",
                            "detail": redact(str(e), secrets),
                        }
                    ]
                )
            raise
        try:
            result = run_isolation(
                transport,
                target.platform,
                switch,
                targets,
                options,
                store,
                templates_dir,
                verify=params["verify"],
                user=user,
                quarantine_name=options.quarantine_name,
                create_vlan=params["create_quarantine_vlan"],
                lock_timeout=params["lock_timeout"],
                approved_digest=params["approved_digest"],
                root=(params["username"] == "root"),
                reconnect=lambda: open_transport(target),
                config_batch_lines=batch_lines,
            )
        finally:
            transport.close()
    except CamguardError as e:
        return {"failed": True, "changed": False, "switch": switch, "msg": redact(str(e), secrets)}
    out = result.to_dict()
    out["msg"] = redact(out["msg"], secrets)
    diff = out.pop("diff", None) or result.diff
    if diff_mode:
        out["diff"] = diff
    out["results"] = port_results(
        dict(out, failed=out.get("failed")), params["state"], check_mode, datetime.now(timezone.utc).isoformat()
    )
    out["failed"] = bool(out.get("failed"))
    # exactly the data a module would print: JSON types only
    data: Dict[str, Any] = json.loads(json.dumps(out))
    return data
