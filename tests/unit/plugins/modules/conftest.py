# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a module's ``main()`` in-process with module arguments and return its result as a dict.

The module really runs: ``AnsibleModule`` validates the arguments, ``exit_json``/``fail_json``
serialise the result and exit, and the fixture parses what was printed. Arguments are passed
with ansible-core's own ``patch_module_args`` (2.19+), or the classic ``_ANSIBLE_ARGS`` patch on
older cores.

    def test_x(run_module):
        result = run_module(compliance_report.main, {"dest": "/tmp/x"}, check_mode=True)
        assert result["failed"] is False and result["changed"] is True
"""

from __future__ import annotations

import contextlib
import json
from typing import Any, Callable, Dict, Iterator, Optional
from unittest import mock

import pytest
from ansible.module_utils import basic

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core < 2.19

    @contextlib.contextmanager
    def patch_module_args(args: Optional[Dict[str, Any]] = None) -> Iterator[None]:
        payload = json.dumps({"ANSIBLE_MODULE_ARGS": args or {}}).encode()
        with mock.patch.object(basic, "_ANSIBLE_ARGS", payload):
            yield


RunModule = Callable[..., Dict[str, Any]]


@pytest.fixture
def run_module(capsys: pytest.CaptureFixture[str]) -> RunModule:
    """``run_module(main, args, check_mode=False, diff=False)`` -> the module's result dict.

    The dict always has ``failed`` (bool) and ``rc`` (the exit code); ``fail_json`` results keep
    their ``msg``.
    """

    def _run(
        main: Callable[[], None], args: Dict[str, Any], check_mode: bool = False, diff: bool = False
    ) -> Dict[str, Any]:
        module_args = dict(args)
        if check_mode:
            module_args["_ansible_check_mode"] = True
        if diff:
            module_args["_ansible_diff"] = True
        capsys.readouterr()
        rc: Any = 0
        with patch_module_args(module_args):
            try:
                main()
            except SystemExit as e:
                rc = e.code
            else:
                raise AssertionError("the module returned without calling exit_json or fail_json")
        out = capsys.readouterr().out
        try:
            result: Dict[str, Any] = json.loads(out)
        except ValueError as e:
            raise AssertionError(f"the module printed no JSON result: {out!r}") from e
        result.setdefault("failed", False)
        result["rc"] = rc
        return result

    return _run
