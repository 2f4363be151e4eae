# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""meta/argument_specs.yml is the role's contract: it matches defaults/main.yml key for key; and
every isolation default is defined once (``_isolate.options.DEFAULTS``), which the module's
argument spec, its documentation, ``Options`` and the role's defaults all agree with."""

from __future__ import annotations

import ast
import dataclasses
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict

import pytest
import yaml

from ansible_collections.camguard.network.plugins.module_utils._collect.args import connection_argument_spec
from ansible_collections.camguard.network.plugins.module_utils._isolate.options import (
    DEFAULTS,
    Options,
    isolation_argument_spec,
)

ROLE = Path(__file__).resolve().parents[2] / "roles" / "camera_isolation"
DEFAULTS_ROLE = yaml.safe_load((ROLE / "defaults" / "main.yml").read_text())
NOW = datetime(2026, 12, 2, 10, 30, tzinfo=timezone.utc)
SPECS = yaml.safe_load((ROLE / "meta" / "argument_specs.yml").read_text())["argument_specs"]
TYPES = {"str": str, "int": int, "bool": bool, "list": list, "path": str, "float": (int, float)}


def test_entry_points() -> None:
    assert set(SPECS) == {"main", "release", "audit"}
    for ep in ("main", "release", "audit"):
        assert (ROLE / "tasks" / f"{ep}.yml").is_file()


@pytest.mark.parametrize("entry", ["main", "release", "audit"])
def test_specs_match_defaults_key_for_key(entry: str) -> None:
    opts = SPECS[entry]["options"]
    assert set(opts) == set(DEFAULTS_ROLE), (
        f"{entry}: only in specs {set(opts) - set(DEFAULTS_ROLE)}, only in defaults {set(DEFAULTS_ROLE) - set(opts)}"
    )
    for key, spec in opts.items():
        assert key.startswith("camera_isolation_")
        assert spec.get("description"), f"{key} needs a description"
        assert spec["default"] == DEFAULTS_ROLE[key], f"{key}: default differs between specs and defaults/main.yml"
        assert isinstance(DEFAULTS_ROLE[key], TYPES[spec["type"]]), f"{key}: default is not a {spec['type']}"
        if "choices" in spec:
            assert DEFAULTS_ROLE[key] in spec["choices"]


def test_templates_for_every_tier1_platform_mode_action() -> None:
    platforms = {"cisco_ios", "cisco_nxos", "arista_eos", "juniper_junos", "aruba_aoscx", "hp_procurve", "linux_bridge"}
    found = {p.name for p in (ROLE / "templates").iterdir() if p.is_dir()}
    assert found == platforms
    for p in platforms:
        names = {f.name for f in (ROLE / "templates" / p).iterdir()}
        assert names == {f"{m}_{a}.j2" for m in ("vlan", "acl", "shutdown") for a in ("isolate", "release")}


# ---------------------------------------------------------------- one definition of each isolation default
#
# _isolate.options.DEFAULTS is the one definition; the module's argument spec and Options take
# their defaults from it. What Ansible reads as YAML (the module's DOCUMENTATION, the role's
# defaults/main.yml and meta/argument_specs.yml) must say the same, option by option.

REPO = ROLE.parents[1]
RUN_MODULE = yaml.safe_load((ROLE / "tasks" / "run_module.yml").read_text())[0]["camguard.network.port_isolation"]
ROLE_VAR = re.compile(r"^\{\{ (camera_isolation_\w+)(?P<omit> \| default\(omit, true\))? \}\}$")
# role variables the role uses itself and does not pass to the module
ROLE_ONLY = {"camera_isolation_approve", "camera_isolation_audit_fail_on_gap"}


def _documentation(path: Path) -> Dict[str, Any]:
    """The ``DOCUMENTATION`` YAML of a module or doc fragment file, read without importing it."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "DOCUMENTATION" for t in node.targets):
            doc: Dict[str, Any] = yaml.safe_load(ast.literal_eval(node.value))
            return doc
    raise AssertionError(f"{path}: no DOCUMENTATION")


def _module_docs() -> Dict[str, Dict[str, Any]]:
    doc = _documentation(REPO / "plugins" / "modules" / "port_isolation.py")
    assert doc["extends_documentation_fragment"] == ["camguard.network.switch_connection"]
    options = dict(_documentation(REPO / "plugins" / "doc_fragments" / "switch_connection.py")["options"])
    options.update(doc["options"])
    return options


def _same(a: Any, b: Any) -> bool:
    """Equal as Ansible means it: 60 and 60.0 are one default, a tuple and a list of the same items too."""
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return list(a) == list(b)
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return bool(a == b)


def test_module_spec_defaults_are_the_defaults() -> None:
    spec = isolation_argument_spec()
    for name, default in DEFAULTS.items():
        assert name in spec, f"DEFAULTS names {name!r}, which is not a port_isolation option"
        assert _same(spec[name].get("default"), default), f"{name}: argument spec default differs from DEFAULTS"
        if isinstance(default, tuple):
            assert isinstance(spec[name]["default"], list), f"{name}: Ansible wants a list default"
    connection = connection_argument_spec()
    for name, entry in spec.items():
        if "default" in entry and name not in connection:
            assert name in DEFAULTS, f"{name}: its default is not defined in _isolate.options.DEFAULTS"


def test_module_documentation_matches_the_argument_spec() -> None:
    spec, docs = isolation_argument_spec(), _module_docs()
    assert set(docs) == set(spec), f"only documented {set(docs) - set(spec)}, only in the spec {set(spec) - set(docs)}"
    for name, entry in spec.items():
        doc = docs[name]
        assert doc["type"] == entry["type"], f"{name}: documented type {doc['type']}, spec {entry['type']}"
        assert _same(doc.get("default"), entry.get("default")), (
            f"{name}: documented default {doc.get('default')!r}, spec {entry.get('default')!r}"
        )
        assert doc.get("choices") == entry.get("choices"), f"{name}: choices differ"
        assert bool(doc.get("required")) == bool(entry.get("required")), f"{name}: required differs"
        assert doc.get("elements") == entry.get("elements"), f"{name}: elements differ"


def test_options_defaults_are_the_module_defaults() -> None:
    params = {k: v.get("default") for k, v in isolation_argument_spec().items()}
    made = Options.from_params(params, check_mode=False)
    assert dataclasses.replace(made, now=NOW) == Options(now=NOW)


def test_role_defaults_are_the_module_defaults() -> None:
    docs = _module_docs()
    passed = set()
    for option, value in RUN_MODULE.items():
        m = ROLE_VAR.match(str(value))
        if m is None:
            continue
        var = m.group(1)
        passed.add(var)
        assert var in DEFAULTS_ROLE, f"run_module.yml passes {var}, which has no role default"
        role_default, doc = DEFAULTS_ROLE[var], docs[option]
        if doc.get("required"):
            continue  # the module has no default; the role supplies its own (state_dir)
        if m.group("omit") and role_default in ("", None):
            assert doc.get("default") is None, f"{var}: the role omits the option, so the module default applies"
            continue
        assert _same(role_default, doc.get("default")), (
            f"{var}: role default {role_default!r}, module option {option} default {doc.get('default')!r}"
        )
        role_spec = SPECS["main"]["options"][var]
        assert role_spec["type"] == doc["type"], f"{var}: role type {role_spec['type']}, module type {doc['type']}"
        assert role_spec.get("choices", doc.get("choices")) == doc.get("choices"), f"{var}: choices differ"
    assert set(DEFAULTS_ROLE) - passed == ROLE_ONLY, "a role variable is neither passed to the module nor role-only"
    tasks = "".join(p.read_text() for p in (ROLE / "tasks").glob("*.yml"))
    for var in ROLE_ONLY:
        assert var in tasks, f"{var} is not used by the role"


def test_every_entry_point_runs_the_validate_step_first() -> None:
    for ep in ("main", "release", "audit"):
        first = yaml.safe_load((ROLE / "tasks" / f"{ep}.yml").read_text())[0]
        assert first["ansible.builtin.include_tasks"] == "validate.yml", ep
    assert (ROLE / "tasks" / "validate.yml").is_file()
