# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``mac_table`` inventory plugin polling over several processes (``poll_processes``), through
``ansible-inventory``, over real SSH to a FakeNOS fleet of all six vendor-CLI platforms.

The inventory built with 3 poll processes is the inventory built in one process: the same hosts,
groups and variables (apart from timings); every switch's camera is found on its edge port; the
password appears nowhere. A switch that cannot be reached is reported the same way in both.

Run: .venv/bin/python -m pytest -q tests/integration/test_inventory_poll_processes.py
"""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, Iterator, Tuple

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

pytest.importorskip("netmiko")
pytest.importorskip("fakenos")

from faultserver import ansible_env, dead_port  # noqa: E402
from inventory_listing import plain as _plain  # noqa: E402
from test_fakenos_fleet import CAM, ENDPOINTS  # noqa: E402

from lab.fakenos_fleet import FleetHandle, start_fleet, stop_fleet  # noqa: E402
from lab.nos import PLATFORMS, make_view, port_name  # noqa: E402

pytestmark = pytest.mark.fakenos
PER_PLATFORM = 3
PASSWORD_ENV = "CG_POLL_PW"
# volatile per run: how long each switch took, when the data was seen
VOLATILE = {"seconds", "poll_seconds", "build_seconds", "first_seen", "last_seen"}


def _cam(k: int) -> str:
    return CAM[:-2] + f"{0x10 + k:02x}"


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tuple[FleetHandle, str, Dict[str, str]]]:
    d = tmp_path_factory.mktemp("pollproc")
    password = "Cg-" + secrets.token_urlsafe(16)
    platforms = {}
    for plat in PLATFORMS:
        for k in range(PER_PLATFORM):
            name = f"pp-{plat.replace('_', '-')}-{k}"
            platforms[name] = plat
            endpoints = [dict(e, mac=_cam(len(platforms)) if e["mac"] == CAM else e["mac"]) for e in ENDPOINTS]
            view = make_view(plat, name, port=0, password=password, access_ports=8, endpoints=endpoints, seed=k)
            (d / f"{name}.json").write_text(json.dumps(view), encoding="utf-8")
    handle = start_fleet(str(d), timeout=120)
    try:
        yield handle, password, platforms
    finally:
        stop_fleet(handle)


def _config(tmp: Path, handle: FleetHandle, platforms: Dict[str, str], processes: int, extra: Any = ()) -> Path:
    switches = [
        {"name": n, "host": "127.0.0.1", "port": handle.ports[n], "platform": platforms[n]} for n in sorted(platforms)
    ]
    switches += list(extra)
    doc = {
        "plugin": "camguard.network.mac_table",
        "username": "camguard",
        "password_env": PASSWORD_ENV,
        "host_key_checking": False,  # FakeNOS host keys are random per start: lab only
        "concurrency": 6,
        "poll_processes": processes,
        "connect_timeout": 20,
        "command_timeout": 60,
        "use_registry": False,
        "switches": switches,
    }
    path = tmp / f"p{processes}-{secrets.token_hex(3)}.mac_table.yml"
    path.write_text("---\n" + yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


def _listing(tmp: Path, cfg: Path, password: str) -> Tuple[Dict[str, Any], str]:
    proc = subprocess.run(
        [str(REPO / ".venv" / "bin" / "ansible-inventory"), "-i", str(cfg), "--list"],
        capture_output=True,
        text=True,
        env=ansible_env(tmp, **{PASSWORD_ENV: password}),
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert password not in proc.stdout + proc.stderr
    listing: Dict[str, Any] = json.loads(proc.stdout)
    return listing, proc.stderr


def _stable(listing: Dict[str, Any]) -> Dict[str, Any]:
    def scrub(v: Any) -> Any:
        if isinstance(v, dict):
            return {k: scrub(x) for k, x in v.items() if k not in VOLATILE}
        if isinstance(v, list):
            return [scrub(x) for x in v]
        return v

    return scrub(listing)  # type: ignore[no-any-return]


def test_three_processes_build_the_inventory_one_process_builds(
    tmp_path: Path, fleet: Tuple[FleetHandle, str, Dict[str, str]]
) -> None:
    handle, password, platforms = fleet
    one, _err1 = _listing(tmp_path, _config(tmp_path, handle, platforms, 1), password)
    three, _err3 = _listing(tmp_path, _config(tmp_path, handle, platforms, 3), password)
    assert _stable(three) == _stable(one)
    switches = set(three["camguard_switches"]["hosts"])
    assert switches == set(platforms)
    assert not three.get("camguard_unreachable", {}).get("hosts")
    hv = _plain(three["_meta"]["hostvars"])
    found = {
        (v.get("camguard_switch"), v.get("camguard_interface"))
        for v in hv.values()
        if str(v.get("camguard_mac", "")).startswith(CAM[:-2])
    }
    want = {(n, port_name(p, 3)) for n, p in platforms.items()}
    assert found == want, "a switch's camera was not found on its edge port"


def test_an_unreachable_switch_is_reported_alike(
    tmp_path: Path, fleet: Tuple[FleetHandle, str, Dict[str, str]]
) -> None:
    handle, password, platforms = fleet
    dead = [{"name": "pp-dead", "host": "127.0.0.1", "port": dead_port(), "platform": "cisco_ios"}]
    one, err1 = _listing(tmp_path, _config(tmp_path, handle, platforms, 1, dead), password)
    two, err2 = _listing(tmp_path, _config(tmp_path, handle, platforms, 2, dead), password)
    assert one["camguard_unreachable"]["hosts"] == two["camguard_unreachable"]["hosts"] == ["pp-dead"]
    assert _stable(one) == _stable(two)
    assert "pp-dead" in err1 and "pp-dead" in err2
