#!/usr/bin/python
# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type  # noqa: UP001 - ansible-test sanity wants it

# The option defaults below are defined once, in plugins/module_utils/_isolate/options.py (DEFAULTS);
# tests/unit/test_role_argspec.py checks this text, the argument spec and the role against them.
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
  - After applying it reads the state back and verifies every port and the content of the port ACL; on any
    failure it rolls back to the saved state (re-rendered, or the platform's native rollback), removes what the
    session created (the quarantine VLAN, the ACL), checks the whole running configuration against the copy
    taken before the change and reports what happened.
  - "Crash consistency: the run's intent (plan, lines, the saved prior state before and after) is written to
    O(state_dir) and flushed to disk before the first line is sent, and closed once the outcome is recorded.
    A run that finds the intent of a run that never recorded its outcome (killed, or the controller died)
    first repairs it: it completes the change when every port reads back as planned, otherwise it rolls back
    what took effect, and says so in RV(recovered), the message and the audit log. In check mode it only reports it."
  - The ACL of V(acl) mode is changed in place when O(allowed_peers) change (never deleted while ports are bound
    to it), and its entries are verified on every run; a run that finds it empty or different repairs it, and
    its ports do not count as isolated until then.
  - "Every run has its own session: EOS configure sessions and Junos commit comments carry the run's ID; EOS
    sessions an earlier run left pending are aborted first (noted in RV(notes)); Junos changes are made with
    C(configure exclusive), so a killed run leaves no candidate configuration behind."
  - "Change records under O(state_dir): pre-change running config, a plan file per run, an append-only,
    hash-chained JSON-lines audit log (verify it with the P(camguard.network.audit_chain#lookup) lookup) and the
    per-port prior state that V(released) restores."
  - The task runs on the controller, through the collection's action plugin of the same name, in the worker
    process of the host (the module's code, without a module process per switch); the module's own connection
    to the switch is its SSH session, so the host's Ansible connection is never used.
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
  config_batch_lines:
    description:
      - How many configuration lines are typed into the session before the switch's answers are read.
        Each batch (at most this many lines and at most 1 KiB) is written in one go, then read until the
        switch has printed one prompt per line. The whole output is checked for errors as with single lines; a
        line rejected anywhere in a batch fails the session, and the change is rolled back.
      - V(1) types one line at a time and waits for its echo and the next prompt before the next line
        (netmiko's C(send_config_set)); each line then costs a full round trip.
      - Applies to the CLI sessions of C(cisco_ios), C(cisco_nxos), C(aruba_aoscx), C(hp_procurve), the
        C(arista_eos) configure session and the C(juniper_junos) candidate. C(linux_bridge) always runs one
        command at a time (each exit status is checked); O(backend=napalm) loads the whole configuration at once.
      - The read timeout of a batch is O(command_timeout) without a new prompt.
    type: int
    default: 16
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
run_id:
  description: This run's ID (in the session name, the commit comments, the intent and the audit records).
  returned: always
  type: str
recovered:
  description:
    - An earlier run that never recorded its outcome, and what this run did about it.
    - "C(action) is V(completed) (every port read back as planned; made permanent and recorded),
      V(rolled-back) (what took effect was taken back to the saved state), V(closed) (its outcome was on record
      already), V(failed) (the repair failed; the run changed nothing else) or V(pending) (check mode or
      O(state=planned), left for the next applying run). Also C(run_id), C(change_id), C(started), C(user), C(msg)."
  returned: when such a run was found
  type: dict
notes:
  description: What this run did or found besides its plan (a repaired run, aborted sessions, a torn audit log tail moved aside).
  returned: always
  type: list
  elements: str
acl_problems:
  description: How the port ACL on the switch differed from what camguard defined (its ports were not counted as isolated).
  returned: always
  type: list
  elements: str
audit_head:
  description:
    - C(seq) and C(hash) of the last record of the audit log after this run. Keep it (an AWX job log does) to
      prove later, with the P(camguard.network.audit_chain#lookup) lookup, that the log was not cut short or replaced.
  returned: always
  type: dict
"""

import traceback

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.camguard.network.plugins.module_utils._isolate.options import isolation_argument_spec

try:
    from ansible_collections.camguard.network.plugins.module_utils._isolate.task import run_task

    HAS_DEPS = True
    DEPS_ERROR = None
except ImportError:
    HAS_DEPS = False
    DEPS_ERROR = traceback.format_exc()


def main():
    # The collection's action plugin of the same name runs this task on the controller
    # (plugins/action/port_isolation.py); this module runs the same code when executed on its own.
    module = AnsibleModule(argument_spec=isolation_argument_spec(), supports_check_mode=True)
    if not HAS_DEPS:
        module.fail_json(msg="camguard.network module_utils could not be imported", exception=DEPS_ERROR)
    out = run_task(module.params, check_mode=module.check_mode, diff_mode=module._diff)
    if out.pop("failed"):
        module.fail_json(**out)
    module.exit_json(**out)


if __name__ == "__main__":
    main()
