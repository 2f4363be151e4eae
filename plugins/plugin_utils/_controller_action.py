# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a camguard module's task on the controller, in the worker process of the host.

The collection's modules only ever reach a switch over their own SSH session from the controller
(the role delegates them to localhost), so shipping them to a new interpreter as an AnsiballZ
payload buys nothing and costs most of a second of CPU per switch: the interpreter, unpacking and
compiling the module_utils, importing netmiko and paramiko. The action plugins of the same names
run the module's code (``run_task``) here instead. Their imports happen once, in the controller's
main process, when the strategy loads the plugin's class; every forked worker inherits them.
"""

from __future__ import annotations

import os
from typing import Any, Callable, Dict, Mapping, Optional, Set

from ansible.module_utils.common.parameters import remove_values
from ansible.plugins.action import ActionBase

from ansible_collections.camguard.network.plugins.module_utils._collect.transport import redact

TaskFn = Callable[[Mapping[str, Any], bool, bool, Optional[Mapping[str, str]]], Dict[str, Any]]


class ControllerTaskAction(ActionBase):  # type: ignore[misc]
    """Validate the task's options against the module's spec and run ``task`` in this process."""

    TRANSFERS_FILES = False
    _requires_connection = False

    # set by the subclass (plugins/action/<module>.py)
    module_name = ""
    argument_spec: Callable[[], Dict[str, Dict[str, Any]]]
    task: TaskFn

    def _task_environment(self) -> Dict[str, str]:
        """The task's ``environment:`` keyword, templated (play and block values first, the task's last)."""
        merged: Dict[str, str] = {}
        environments = self._task.environment
        if environments is None:
            return merged
        if not isinstance(environments, list):
            environments = [environments]
        for environment in environments:
            if not environment:
                continue
            value = self._templar.template(environment)
            if not isinstance(value, dict):
                raise TypeError(f"environment must be a dictionary, received {type(value).__name__}")
            merged.update((str(k), str(v)) for k, v in value.items())
        return merged

    def run(self, tmp: Any = None, task_vars: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        result: Dict[str, Any] = super().run(tmp, task_vars)
        # A module sees the task's environment: the connection options' fallbacks (CAMGUARD_PASSWORD,
        # ...) and password_env read it. The worker is a process of its own per host and task; the
        # previous environment is restored all the same.
        saved = dict(os.environ)
        secrets: Set[str] = set()
        try:
            os.environ.update(self._task_environment())
            _validation, args = self.validate_argument_spec(argument_spec=type(self).argument_spec())
            for key in ("password",):
                if args.get(key):
                    secrets.add(str(args[key]))
            if args.get("password_env") and os.environ.get(str(args["password_env"])):
                secrets.add(os.environ[str(args["password_env"])])
            out = type(self).task(args, bool(self._task.check_mode), bool(self._task.diff), dict(os.environ))
        except Exception as exc:
            # argument errors name the option; anything else is reported without a traceback, which
            # could carry the arguments
            result.update(failed=True, changed=False, msg=f"{self.module_name}: {redact(str(exc), sorted(secrets))}")
            return result
        finally:
            os.environ.clear()
            os.environ.update(saved)
        # as AnsibleModule.exit_json does: no secret anywhere in the result
        result.update(remove_values(out, secrets) if secrets else out)
        return result
