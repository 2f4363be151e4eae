# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""meta/argument_specs.yml is the role's contract: it matches defaults/main.yml key for key."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROLE = Path(__file__).resolve().parents[2] / "roles" / "camera_isolation"
DEFAULTS = yaml.safe_load((ROLE / "defaults" / "main.yml").read_text())
SPECS = yaml.safe_load((ROLE / "meta" / "argument_specs.yml").read_text())["argument_specs"]
TYPES = {"str": str, "int": int, "bool": bool, "list": list, "path": str, "float": (int, float)}


def test_entry_points() -> None:
    assert set(SPECS) == {"main", "release", "audit"}
    for ep in ("main", "release", "audit"):
        assert (ROLE / "tasks" / f"{ep}.yml").is_file()


@pytest.mark.parametrize("entry", ["main", "release", "audit"])
def test_specs_match_defaults_key_for_key(entry: str) -> None:
    opts = SPECS[entry]["options"]
    assert set(opts) == set(DEFAULTS), (
        f"{entry}: only in specs {set(opts) - set(DEFAULTS)}, only in defaults {set(DEFAULTS) - set(opts)}"
    )
    for key, spec in opts.items():
        assert key.startswith("camera_isolation_")
        assert spec.get("description"), f"{key} needs a description"
        assert spec["default"] == DEFAULTS[key], f"{key}: default differs between specs and defaults/main.yml"
        assert isinstance(DEFAULTS[key], TYPES[spec["type"]]), f"{key}: default is not a {spec['type']}"
        if "choices" in spec:
            assert DEFAULTS[key] in spec["choices"]


def test_templates_for_every_tier1_platform_mode_action() -> None:
    platforms = {"cisco_ios", "cisco_nxos", "arista_eos", "juniper_junos", "aruba_aoscx", "hp_procurve", "linux_bridge"}
    found = {p.name for p in (ROLE / "templates").iterdir() if p.is_dir()}
    assert found == platforms
    for p in platforms:
        names = {f.name for f in (ROLE / "templates" / p).iterdir()}
        assert names == {f"{m}_{a}.j2" for m in ("vlan", "acl", "shutdown") for a in ("isolate", "release")}
