# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Injection: hostile values from devices — interface descriptions, LLDP system names and port
IDs with ``;``, config keywords, ``{{ }}`` / ``{% %}`` and line breaks — survive only as data.
They never become an interface, never reach a rendered configuration line, and a plan with
them renders exactly the lines of the same plan without them.

The switches are the lab's vendor-CLI platforms (``lab/nos``, the FakeNOS fleet's code) driven
in-process through the Transport seam, so the outputs are each platform's real format.
"""

from __future__ import annotations

import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest

REPO = Path(__file__).resolve().parents[3]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from builders import classifier, finding_dict  # noqa: E402

from ansible_collections.camguard.network.plugins.module_utils._collect import collect, parse_outputs  # noqa: E402
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import PARSERS  # noqa: E402
from ansible_collections.camguard.network.plugins.module_utils._collect.transport import Transport  # noqa: E402
from ansible_collections.camguard.network.plugins.module_utils._ifname import validate_interface  # noqa: E402
from ansible_collections.camguard.network.plugins.module_utils._isolate.options import Options  # noqa: E402
from ansible_collections.camguard.network.plugins.module_utils._isolate.plan import (  # noqa: E402
    Plan,
    PortChange,
    PortConfig,
    PortTarget,
    build_plan,
    safe_ifname,
    targets_from_dicts,
)
from ansible_collections.camguard.network.plugins.module_utils._isolate.render import RenderError, render_plan  # noqa: E402
from ansible_collections.camguard.network.plugins.module_utils._locate import LocateOptions, locate  # noqa: E402
from ansible_collections.camguard.network.plugins.module_utils._platforms import get_platform  # noqa: E402
from ansible_collections.camguard.network.plugins.module_utils._records import (  # noqa: E402
    CamguardError,
    InvalidInterfaceError,
    SwitchData,
)
from lab.nos import PLATFORMS as LAB_PLATFORMS  # noqa: E402
from lab.nos import make_view, platform, port_name  # noqa: E402
from lab.nos.base import Session, Switch  # noqa: E402

TEMPLATES = str(REPO / "roles" / "camera_isolation" / "templates")
NOW = datetime(2026, 12, 2, 10, 30, tzinfo=timezone.utc)
CAM = "bc:ad:28:01:02:03"
PC = "02:00:5e:10:00:01"
HOSTILE = [
    "cam; interface GigabitEthernet1/0/9",
    "lobby\n interface GigabitEthernet1/0/9\n switchport mode trunk",
    "{{ lookup('pipe','id') }}",
    "{% raw %}x{% endraw %}{{ 7*7 }}",
    "end\nwrite erase\nreload",
    "x' ; nft flush ruleset ; '",
    "$(reboot)`id`",
]
MARKERS = ("{{", "{%", "lookup", ";", "write erase", "reload", "trunk", "GigabitEthernet1/0/9", "$(", "`", "nft flush")


class LabTransport(Transport):
    """The lab platform's CLI in-process: every command is dispatched as the fleet would."""

    def __init__(self, view: Dict[str, Any]) -> None:
        self.name = str(view["name"])
        self.sw = Switch(view)
        self.cli = platform(view["platform"])
        self.session = Session()

    def send_command(self, command: str, timeout: Optional[float] = None) -> str:
        return self.cli.dispatch(self.sw, self.session, command).output


def hostile_view(plat: str, evil: str) -> Dict[str, Any]:
    view = make_view(
        plat,
        "sw1",
        access_ports=4,
        endpoints=[
            {"mac": CAM, "port": 3, "vlan": 10, "description": evil},
            {"mac": PC, "port": 1, "vlan": 20, "description": evil},
        ],
    )
    # the camera itself announces a hostile LLDP system name and port ID
    view["lldp"].append(
        {
            "local_interface": port_name(plat, 3),
            "remote_name": evil,
            "remote_port": evil,
            "capabilities": ["station"],
            "remote_mac": CAM,
        }
    )
    view["hostname"] = "sw1"
    return view


verdict_for = classifier({"bc:ad:28": "hikvision"})


def plan_and_render(data: SwitchData, plat: str, mode: str) -> List[str]:
    findings = locate([data], verdict_for, LocateOptions(), seen_at=NOW.isoformat())
    assert [f.mac for f in findings] == [CAM]
    plan = build_plan(
        data.switch,
        data.ports,
        data.macs,
        data.neighbors,
        set(),
        {},
        targets_from_dicts([f.to_dict() for f in findings]),
        Options(mode=mode, change_id="CHG-INJ", now=NOW, allowed_peers=("10.66.10.20/32",)),
    )
    assert [c.interface for c in plan.changes] == [port_name(plat, 3)], plan.to_dict()
    return render_plan(plan, plat, TEMPLATES)


@pytest.mark.parametrize("plat", sorted(LAB_PLATFORMS))
@pytest.mark.parametrize("evil", HOSTILE, ids=[f"h{i}" for i in range(len(HOSTILE))])
def test_hostile_device_text_is_data_only(plat: str, evil: str) -> None:
    data = collect(LabTransport(hostile_view(plat, evil)), plat, "sw1")
    clean = collect(LabTransport(hostile_view(plat, "camera")), plat, "sw1")
    names = {p.name for p in data.ports}
    # no port, MAC entry or neighbour interface is made up from the hostile text
    assert names == {p.name for p in clean.ports}
    assert {(m.mac, m.interface) for m in data.macs} == {(m.mac, m.interface) for m in clean.macs}
    for rec_name in [
        *names,
        *(m.interface for m in data.macs if m.interface),
        *(n.local_interface for n in data.neighbors),
    ]:
        validate_interface(rec_name, "parsed from hostile output")
        assert safe_ifname(rec_name)
    # the hostile text survives where it belongs (a description / a neighbour's name), as data
    first_line = evil.split("\n")[0]
    assert any(first_line[:8] in n.remote_name for n in data.neighbors) or any(
        first_line[:8] in p.description for p in data.ports
    )
    for mode in ("vlan", "acl", "shutdown"):
        lines = plan_and_render(data, plat, mode)
        assert lines == plan_and_render(clean, plat, mode), "hostile text changed the rendered configuration"
        for line in lines:
            for marker in MARKERS:
                if marker == "trunk" and plat == "hp_procurve":
                    continue  # never rendered either, but 'Trk' names are ProCurve LAGs
                assert marker not in line, f"{plat}/{mode}: {marker!r} reached the configuration: {line!r}"


def test_line_breaks_inside_raw_output_stay_harmless() -> None:
    """A description that spans lines in the raw text (a device that prints it as stored). A
    line shaped exactly like a table row is indistinguishable from one, so it may become a port
    record; but every name that comes out is a safe interface name, the config-looking line is
    skipped, and the plan for the camera renders exactly as without the injected lines."""
    plat = get_platform("cisco_ios")
    evil = "cam\nGi1/0/9       injected           connected    trunk      a-full a-1000 10/100/1000BaseTX\n interface Gi1/0/9"
    t = LabTransport(hostile_view("cisco_ios", "placeholder"))
    outputs = {c: t.send_command(c) for g in PARSERS[plat.key].commands.values() for c in g}
    status = "show interfaces status"
    clean = parse_outputs(plat, "sw1", outputs)
    outputs[status] = outputs[status].replace("placeholder", evil)
    data = parse_outputs(plat, "sw1", outputs)
    for p in data.ports:
        validate_interface(p.name, "hostile status output")
    extra = {p.name for p in data.ports} - {p.name for p in clean.ports}
    # the row-shaped line may become a port; the indented config line (" interface Gi1/0/9") never
    assert extra <= {"GigabitEthernet1/0/9"}, extra
    for mode in ("vlan", "acl", "shutdown"):
        assert plan_and_render(data, "cisco_ios", mode) == plan_and_render(clean, "cisco_ios", mode)


@pytest.mark.parametrize(
    "iface",
    [
        "Gi1/0/3\ninterface Gi1/0/9",
        "Gi1/0/3\n",
        "Gi1/0/3; reload",
        "Gi1/0/3 {{ 7*7 }}",
        "{% raw %}",
        "Gi1/0/3\r\nshutdown",
        "",
        "Gi1/0/3 ",
        " Gi1/0/3",
        "../../etc/passwd",
    ],
)
def test_hostile_interface_in_a_finding_is_refused(iface: str) -> None:
    from ansible_collections.camguard.network.plugins.module_utils._records import MacEntry, PortInfo

    finding = finding_dict(CAM, "sw1", iface, 10)
    try:
        targets = targets_from_dicts([finding])
    except CamguardError:
        return  # refused at the door
    plan = build_plan(
        "sw1",
        [PortInfo(iface, "access", 10, "", True), PortInfo("Gi1/0/3", "access", 10, "", True)],
        [MacEntry(CAM, 10, iface, switch="sw1")],
        [],
        set(),
        {},
        targets,
        Options(change_id="CHG1", now=NOW),
    )
    assert not plan.changes, plan.to_dict()
    assert [r.code for r in plan.refusals] in (["unsafe_interface"], ["unknown_port"]), plan.to_dict()


@pytest.mark.parametrize(
    "plat", ["cisco_ios", "cisco_nxos", "arista_eos", "juniper_junos", "aruba_aoscx", "hp_procurve", "linux_bridge"]
)
@pytest.mark.parametrize(
    "iface", ["Gi1/0/3\ninterface Gi1/0/9", "Gi1/0/3\n", "swp3; reload", "{{ 7*7 }}", "et1 shutdown"]
)
def test_render_refuses_a_hostile_interface_that_bypassed_planning(plat: str, iface: str) -> None:
    """Defence in depth: even a hand-made plan with a hostile interface cannot render."""
    before, after = PortConfig(10, True), PortConfig(999, True)
    plan = Plan(switch="sw1", mode="vlan", state="isolated", quarantine_vlan=999, change_id="CHG1")
    plan.changes = [PortChange(iface, "isolate", "vlan", before, after, before, (CAM,), "hikvision")]
    with pytest.raises((RenderError, InvalidInterfaceError)):
        render_plan(plan, plat, TEMPLATES)


@pytest.mark.parametrize("name", ["Q; reload", "{{ x }}", "Q\nvlan 1", "Q" * 40])
def test_option_values_reaching_templates_are_validated(name: str) -> None:
    before, after = PortConfig(10, True), PortConfig(999, True)
    plan = Plan(switch="sw1", mode="vlan", state="isolated", quarantine_vlan=999, change_id="CHG1")
    plan.changes = [PortChange("Gi1/0/3", "isolate", "vlan", before, after, before, (CAM,), "hikvision")]
    with pytest.raises(CamguardError):
        render_plan(plan, "cisco_ios", TEMPLATES, quarantine_name=name)


def test_target_records_never_carry_descriptions() -> None:
    t = PortTarget(mac=CAM, interface="Gi1/0/3")
    assert "description" not in t.to_dict()
