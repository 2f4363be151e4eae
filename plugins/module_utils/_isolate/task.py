# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One ``port_isolation`` task, shared by the module and its action plugin (the argument spec is ``options``).

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
    password_from_params,
    target_from_module_params,
)
from ansible_collections.camguard.network.plugins.module_utils._collect.transport import redact
from ansible_collections.camguard.network.plugins.module_utils._isolate.apply import run_isolation
from ansible_collections.camguard.network.plugins.module_utils._isolate.options import (
    DEFAULT_CONFIG_BATCH_LINES,
    Options,
)
from ansible_collections.camguard.network.plugins.module_utils._isolate.plan import targets_from_dicts
from ansible_collections.camguard.network.plugins.module_utils._isolate.results import port_results
from ansible_collections.camguard.network.plugins.module_utils._isolate.session import check_batch_lines
from ansible_collections.camguard.network.plugins.module_utils._isolate.state import StateStore
from ansible_collections.camguard.network.plugins.module_utils._platforms import isolation_platforms
from ansible_collections.camguard.network.plugins.module_utils._records import CamguardError

__all__ = ["run_task"]

ISOLATION_PLATFORMS = isolation_platforms()


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
        options = Options.from_params(params, check_mode)
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
