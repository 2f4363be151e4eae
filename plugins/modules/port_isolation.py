#!/usr/bin/python
# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type  # noqa: UP001 - ansible-test sanity wants it

DOCUMENTATION = r"""
module: port_isolation
short_description: Isolate (or release) the switch ports of restricted devices, under change control
version_added: 0.1.0
description:
  - One switch per task. Reads the switch's current ports, MAC table and LLDP/CDP neighbours first,
    computes the exact change per port, and applies all ports in one configuration session / one commit.
  - "Modes: V(vlan) moves the access port to the quarantine VLAN; V(acl) applies a port ACL allowing only
    DHCP, ARP and O(allowed_peers) (the NVR/VMS); V(shutdown) disables the port. V(released) restores
    exactly the configuration saved before isolation."
  - "Guardrails refuse, with the reason, and change nothing: trunk, LAG or LLDP/CDP network-neighbour ports,
    more MACs than O(max_macs_per_port), a description matching O(exception_pattern), an active waiver,
    a location that is not an edge port, more ports than O(max_ports), no O(change_id) outside check mode,
    outside O(change_window)."
  - Device output (interface names, descriptions) never reaches the configuration unvalidated; every
    rendered line is checked against the platform's line grammar.
  - After applying it reads the state back and verifies every port; on any failure it rolls back to the saved
    state (re-rendered, or the platform's native rollback) and reports what happened.
  - "Change records under O(state_dir): pre-change running config, a plan file per run, an append-only JSON-lines
    audit log and the per-port prior state that V(released) restores."
author:
  - camguard.network contributors (@camguard)
attributes:
  check_mode:
    support: full
    description: Reads the switch, computes and returns the plan and the exact configuration; sends nothing and writes no file.
  diff_mode:
    support: full
    description: Shows, per switch, each port's configuration before and after and the configuration lines of the session.
extends_documentation_fragment:
  - camguard.network.switch_connection
options:
  switch:
    description: Inventory name of the switch (used in state file names, records and messages).
    type: str
    required: true
  host:
    description: Address of the switch.
    type: str
    required: true
  platform:
    description:
      - Platform key or alias. Isolation supports C(cisco_ios), C(cisco_nxos), C(arista_eos), C(juniper_junos),
        C(aruba_aoscx), C(hp_procurve) and C(linux_bridge).
    type: str
    required: true
  backend:
    description:
      - Force a backend. V(napalm) applies with C(load_merge_candidate), C(compare_config) and C(commit_config)
        (with C(revert_in) on EOS, Junos and IOS); V(netmiko) uses the platform's CLI session; V(linux) runs
        C(ip)/C(nft) commands on Linux-bridge switches.
    type: str
    choices: [netmiko, napalm, linux]
  ports:
    description:
      - The restricted devices found on this switch. Each item is a finding as produced by the C(mac_table)
        inventory plugin (C(camguard_findings)) or a mapping with the keys C(mac), C(interface) and optionally
        C(vlan), C(vendor_key), C(status), C(waiver) (mapping with C(expires), C(owner), C(ticket)),
        C(location_confidence).
    type: list
    elements: dict
    default: []
  state:
    description:
      - V(isolated) applies the plan; V(planned) only computes it and writes the plan file for an approval step;
        V(released) restores the saved prior state of every isolated port (or of O(release_interfaces)).
    type: str
    choices: [isolated, released, planned]
    default: isolated
  mode:
    description: Isolation mode.
    type: str
    choices: [vlan, acl, shutdown]
    default: vlan
  quarantine_vlan:
    description: Quarantine VLAN ID for V(vlan) mode.
    type: int
    default: 999
  quarantine_vlan_name:
    description: Name given to the quarantine VLAN when it is created.
    type: str
    default: CAMGUARD-QUARANTINE
  create_quarantine_vlan:
    description: Create the quarantine VLAN if it is missing (idempotent on every platform).
    type: bool
    default: true
  allowed_peers:
    description: IPv4 addresses or networks (NVR/VMS) the device may still reach in V(acl) mode; DHCP and ARP are always allowed.
    type: list
    elements: str
    default: []
  change_id:
    description: Change ID recorded in the plan and audit log; required outside check mode when something would change.
    type: str
  change_window:
    description:
      - "When changes are allowed: C([Days ]HH:MM-HH:MM[ Time/Zone]), e.g. C(Sat,Sun 01:00-05:00 Europe/London)
        or C(22:00-04:00) (over midnight belongs to the start day). Empty means always."
    type: str
  max_ports:
    description: Refuse the whole run when more ports than this would change on the switch.
    type: int
    default: 10
  max_macs_per_port:
    description: Refuse a port that has more MAC addresses than this (a hub or unmanaged switch below).
    type: int
    default: 1
  exception_pattern:
    description: Python regular expression; a port whose description matches it is never isolated. Empty disables.
    type: str
    default: '(?i)(camguard[-_ ]?exempt|no[-_ ]?isolat)'
  statuses:
    description: Verdict statuses to isolate; findings with any other status are reported as not targeted.
    type: list
    elements: str
    default: [named, affiliate, other_prc_cctv]
  seen_elsewhere:
    description: MACs of previously isolated devices now seen on other switches (their old port here is released).
    type: list
    elements: str
    default: []
  release_interfaces:
    description: With O(state=released), only these ports (default all isolated ports of the switch).
    type: list
    elements: str
    default: []
  approved_digest:
    description: Digest of an approved plan (RV(plan_digest) of a V(planned) run); the apply is refused if the plan differs.
    type: str
  state_dir:
    description: Directory of the change records (prior state, plans, audit log, pre-change configs).
    type: path
    required: true
  verify:
    description: Read the state back after applying and roll back when it differs.
    type: bool
    default: true
  templates_dir:
    description:
      - Directory with the per-platform templates (C(<platform>/<mode>_<isolate|release>.j2)). The
        C(camera_isolation) role passes its own C(templates) folder.
    type: path
    required: true
  lock_timeout:
    description: Seconds to wait for another run on the same switch to finish before refusing.
    type: float
    default: 60
requirements:
  - netmiko >= 4.5
  - ntc-templates
  - jinja2
  - napalm (only for O(backend=napalm))
notes:
  - "Runs on the controller (C(connection: local) or C(delegate_to: localhost))."
  - On C(linux_bridge) the commands run through C(sudo -n) unless the login user is root, and the change is not
    persisted across a reboot of the switch.
  - On C(hp_procurve) entering the VLAN context creates the VLAN, whatever O(create_quarantine_vlan) says.
  - Refusals of single ports are reported in RV(refused) and do not fail the task; refusals of the whole run
    (O(max_ports), O(change_id), O(change_window), a lock timeout, a changed plan) fail it.
"""

EXAMPLES = r"""
- name: Plan the isolation of the cameras found on access-01 (nothing sent)
  camguard.network.port_isolation:
    switch: access-01
    host: 10.0.0.11
    platform: cisco_ios
    username: netops
    password_env: CAMGUARD_PASSWORD
    ports: "{{ camguard_findings }}"
    mode: acl
    allowed_peers: [10.20.0.10]
    state: planned
    change_id: CHG0042
    state_dir: /var/lib/camguard
    templates_dir: "{{ role_path }}/templates"
  delegate_to: localhost
  register: plan

- name: Apply the approved plan
  camguard.network.port_isolation:
    switch: access-01
    host: 10.0.0.11
    platform: cisco_ios
    username: netops
    password_env: CAMGUARD_PASSWORD
    ports: "{{ camguard_findings }}"
    mode: acl
    allowed_peers: [10.20.0.10]
    change_id: CHG0042
    change_window: "Sat,Sun 01:00-05:00 Europe/London"
    approved_digest: "{{ plan.plan_digest }}"
    state_dir: /var/lib/camguard
    templates_dir: "{{ role_path }}/templates"
  delegate_to: localhost

- name: Release everything isolated on access-01
  camguard.network.port_isolation:
    switch: access-01
    host: 10.0.0.11
    platform: cisco_ios
    username: netops
    password_env: CAMGUARD_PASSWORD
    state: released
    change_id: CHG0043
    state_dir: /var/lib/camguard
    templates_dir: "{{ role_path }}/templates"
  delegate_to: localhost
"""

RETURN = r"""
changed:
  description: Whether configuration was (or in check mode would be) sent.
  returned: always
  type: bool
plan:
  description: The plan of this switch (changes with before/after/prior per port, refusals, notes).
  returned: always
  type: dict
plan_digest:
  description: Digest of the plan's changes, to pass as O(approved_digest) after approval.
  returned: always
  type: str
refused:
  description: Refusals (port guardrails and whole-run guardrails), each with C(code), C(reason), C(interface), C(mac).
  returned: always
  type: list
  elements: dict
config:
  description: The configuration lines of the session, in order.
  returned: always
  type: list
  elements: str
applied:
  description: Whether configuration was sent to the switch.
  returned: always
  type: bool
verified:
  description: Whether the read-back matched the plan (null when nothing was applied or O(verify=false)).
  returned: always
  type: bool
rolled_back:
  description: Whether a rollback was sent after a failure.
  returned: always
  type: bool
rollback_verified:
  description: Whether the read-back after the rollback matched the state before the change.
  returned: always
  type: bool
results:
  description:
    - One outcome per port, in the form M(camguard.network.compliance_report) reads as O(camguard.network.compliance_report#module:results).
    - C(action) is V(isolated) or V(released) (applied and verified), V(failed), V(planned) (check mode or
      O(state=planned)), V(refused) (a guardrail) or V(unchanged) (already in the requested state).
  returned: always
  type: list
  elements: dict
  sample:
    - {switch: access-01, interface: GigabitEthernet1/0/5, mac: "bc:ad:28:01:02:03", mode: vlan, action: isolated,
       state: isolated, isolated: true, reason: "", change_id: CHG0042, time: "2026-11-30T10:00:00+00:00"}
audit_records:
  description: The audit records appended by this run.
  returned: always
  type: list
  elements: dict
running_config_file:
  description: Where the pre-change running configuration was saved.
  returned: when changes were applied
  type: str
plan_file:
  description: Where the plan was written.
  returned: when state=planned or changes were applied
  type: str
diff:
  description: Per-switch before/after of the changed ports and the configuration lines.
  returned: with --diff
  type: dict
"""

import getpass
import os
import traceback
from datetime import datetime, timezone

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.camguard.network.plugins.module_utils._module_args import (
    connection_argument_spec,
    password_from_params,
    target_from_module_params,
)

try:
    from ansible_collections.camguard.network.plugins.module_utils._apply import run_isolation
    from ansible_collections.camguard.network.plugins.module_utils._changelog import StateStore
    from ansible_collections.camguard.network.plugins.module_utils._collect import open_transport
    from ansible_collections.camguard.network.plugins.module_utils._isolation import (
        Options,
        check_change_id,
        check_name,
        check_peers,
        check_vlan,
        parse_change_window,
        targets_from_dicts,
    )
    from ansible_collections.camguard.network.plugins.module_utils._records import CamguardError
    from ansible_collections.camguard.network.plugins.module_utils._render import TIER1
    from ansible_collections.camguard.network.plugins.module_utils._results import port_results

    HAS_DEPS = True
    DEPS_ERROR = None
except ImportError:
    HAS_DEPS = False
    DEPS_ERROR = traceback.format_exc()


def _redact(text, secrets):
    for s in secrets:
        if s:
            text = text.replace(s, "********")
    return text


def main():
    module = AnsibleModule(
        argument_spec=dict(
            switch=dict(type="str", required=True),
            host=dict(type="str", required=True),
            **connection_argument_spec(),
            platform=dict(type="str", required=True),
            backend=dict(type="str", choices=["netmiko", "napalm", "linux"]),
            ports=dict(type="list", elements="dict", default=[]),
            state=dict(type="str", choices=["isolated", "released", "planned"], default="isolated"),
            mode=dict(type="str", choices=["vlan", "acl", "shutdown"], default="vlan"),
            quarantine_vlan=dict(type="int", default=999),
            quarantine_vlan_name=dict(type="str", default="CAMGUARD-QUARANTINE"),
            create_quarantine_vlan=dict(type="bool", default=True),
            allowed_peers=dict(type="list", elements="str", default=[]),
            change_id=dict(type="str"),
            change_window=dict(type="str"),
            max_ports=dict(type="int", default=10),
            max_macs_per_port=dict(type="int", default=1),
            exception_pattern=dict(type="str", default="(?i)(camguard[-_ ]?exempt|no[-_ ]?isolat)"),
            statuses=dict(type="list", elements="str", default=["named", "affiliate", "other_prc_cctv"]),
            seen_elsewhere=dict(type="list", elements="str", default=[]),
            release_interfaces=dict(type="list", elements="str", default=[]),
            approved_digest=dict(type="str"),
            state_dir=dict(type="path", required=True),
            verify=dict(type="bool", default=True),
            templates_dir=dict(type="path", required=True),
            lock_timeout=dict(type="float", default=60),
        ),
        supports_check_mode=True,
    )
    if not HAS_DEPS:
        module.fail_json(msg="camguard.network module_utils could not be imported", exception=DEPS_ERROR)
    p = module.params
    password = password_from_params(p)
    secrets = [password] if password else []
    switch = p["switch"]
    try:
        target = target_from_module_params(switch, p)
        if target.platform not in TIER1:
            module.fail_json(
                msg="isolation is not supported on platform %s; supported: %s" % (target.platform, ", ".join(TIER1)),
                switch=switch,
            )
        templates_dir = p["templates_dir"]
        if not os.path.isdir(os.path.join(templates_dir, target.platform)):
            module.fail_json(
                msg="templates_dir %s has no %s/ folder: pass the camera_isolation role's templates folder"
                % (templates_dir, target.platform),
                switch=switch,
            )
        options = Options(
            mode=p["mode"],
            state=p["state"],
            quarantine_vlan=check_vlan(p["quarantine_vlan"], "quarantine_vlan"),
            quarantine_name=check_name(p["quarantine_vlan_name"], "quarantine_vlan_name"),
            create_quarantine_vlan=p["create_quarantine_vlan"],
            allowed_peers=check_peers(p["allowed_peers"]),
            change_id=check_change_id(p["change_id"]),
            change_window=parse_change_window(p["change_window"]),
            max_ports=p["max_ports"],
            max_macs_per_port=p["max_macs_per_port"],
            exception_pattern=p["exception_pattern"] or None,
            statuses=tuple(p["statuses"]),
            check_mode=module.check_mode,
            seen_elsewhere=tuple(p["seen_elsewhere"]),
            release_interfaces=tuple(p["release_interfaces"]),
        )
        targets = targets_from_dicts(p["ports"])
        store = StateStore(p["state_dir"], switch)
        try:
            user = os.environ.get("AWX_USER") or os.environ.get("TOWER_USER") or getpass.getuser()
        except Exception:
            user = "unknown"
        try:
            transport = open_transport(target)
        except CamguardError as e:
            if not module.check_mode and p["state"] != "planned":
                # a failed isolation attempt is recorded even when the switch never answered
                store.append_audit(
                    [
                        {
                            "time": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
                            "user": user,
                            "change_id": p["change_id"],
                            "switch": switch,
                            "action": "isolate" if p["state"] == "isolated" else "release",
                            "mode": p["mode"],
                            "result": "failed-not-connected",
                            "detail": _redact(str(e), secrets),
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
                verify=p["verify"],
                user=user,
                quarantine_name=options.quarantine_name,
                create_vlan=p["create_quarantine_vlan"],
                lock_timeout=p["lock_timeout"],
                approved_digest=p["approved_digest"],
                root=(p["username"] == "root"),
                reconnect=lambda: open_transport(target),
            )
        finally:
            transport.close()
    except CamguardError as e:
        module.fail_json(msg=_redact(str(e), secrets), switch=switch)
    out = result.to_dict()
    out["msg"] = _redact(out["msg"], secrets)
    diff = out.pop("diff", None) or result.diff
    if module._diff:
        out["diff"] = diff
    out["results"] = port_results(
        dict(out, failed=out.get("failed")), p["state"], module.check_mode, datetime.now(timezone.utc).isoformat()
    )
    failed = out.pop("failed")
    if failed:
        module.fail_json(**out)
    module.exit_json(**out)


if __name__ == "__main__":
    main()
