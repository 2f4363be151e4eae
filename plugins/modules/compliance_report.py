#!/usr/bin/python
# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type  # noqa: UP001 - required by ansible-test sanity (metaclass-boilerplate)

DOCUMENTATION = r"""
---
module: compliance_report
short_description: Write the camguard compliance report as JSON, CSV, HTML and JUnit XML
version_added: 0.1.0
description:
  - Joins the findings of the C(camguard.network.mac_table) inventory plugin with the per-port
    results of M(camguard.network.port_isolation) and the list of switches that could not be
    polled, and writes the compliance report into O(dest).
  - C(camguard-report.json) for machines, C(camguard-report.csv) for auditors,
    C(camguard-report.html) (one self-contained page with summary cards, bar charts by vendor,
    status and switch, the device table and the legal bases; no JavaScript, no external
    resources) and C(camguard-report.junit.xml) (one test case per restricted device).
  - A restricted device is C(isolated) when its port's result says so, C(waived) when it is not
    isolated but carries a waiver that has not expired, and C(open) otherwise. The report is
    compliant when no device is C(open), no restricted device has an expired waiver and every
    switch was polled.
  - Files are written atomically (temporary file, then rename) and only when their content
    differs from the file already there, ignoring the generated-at timestamp; a second run
    with the same input therefore reports C(changed=false) and leaves the files untouched.
  - Every value read from a device is untrusted. The HTML page escapes all of it, the CSV
    prefixes cells that a spreadsheet would evaluate as a formula (starting with C(=), C(+),
    C(-), C(@), tab or carriage return) with a single quote, and the XML is built with an XML
    library. Control characters are replaced with U+FFFD.
  - Returns the summary and, under RV(stats), a dictionary ready for
    M(ansible.builtin.set_stats) (AWX / Automation Platform job artifacts).
author:
  - camguard.network contributors (@camguard)
options:
  findings:
    description:
      - Findings as produced by C(Finding.to_dict()); the inventory plugin sets them on every
        switch host as C(camguard_findings). Gather them from all switch hosts.
      - "Keys: C(mac), C(ip), C(switch), C(interface), C(vlan), C(location_confidence)
        (V(edge), V(ambiguous) or V(uplink-only)), C(evidence) (list of strings), C(seen_on),
        C(first_seen), C(last_seen) and C(verdict): C(mac), C(status), C(vendor_key),
        C(vendor_name), C(basis) (legal-basis keys), C(matched_prefix), C(prefix_bits),
        C(source), C(registry_org), C(waiver) (null or C(owner), C(reason), C(ticket),
        C(expires), C(mac), C(switch), C(interface), C(expired)), C(default_action),
        C(restricted)."
      - Only findings whose C(verdict.status) is restricted (V(named), V(affiliate),
        V(review), V(other_prc_cctv)) become report rows; all are counted in
        RV(summary.findings). The same MAC on the same switch port given twice is one device.
    type: list
    elements: dict
    default: []
  results:
    description:
      - Per-port isolation results of M(camguard.network.port_isolation).
      - "Keys: C(switch), C(interface) and C(action) (V(isolated), V(released), V(refused),
        V(failed), V(planned) or V(unchanged)) are required; C(mac), C(mode) (V(vlan),
        V(acl), V(shutdown)), C(reason), C(change_id), C(time), C(state) (the requested state,
        for example V(isolated) or V(released)) and C(isolated) (boolean) are optional."
      - A result belongs to a finding with the same C(switch) and C(interface) and either the
        same C(mac) or no C(mac); when several match, one with the MAC wins over one without,
        and the last one in the list wins among equals.
      - The device counts as isolated when C(isolated) is true, or C(action) is V(isolated),
        or C(action) is V(unchanged) and C(state) is not V(released). An explicit C(isolated)
        key always decides.
    type: list
    elements: dict
    default: []
  unreachable:
    description:
      - Switches that could not be polled, as C(switch) and C(error) (a plain switch name
        is accepted too). Any entry makes the report non-compliant.
    type: list
    elements: raw
    default: []
  legal_bases:
    description:
      - Legal bases for the HTML legend, as C(key) to C(title), C(citation) and C(url) (or
        key to a plain title).
      - Defaults to the legal bases of the policy shipped with the collection; entries given
        here replace shipped entries with the same key.
    type: dict
  dest:
    description:
      - Directory for the report files; created (with parents) when missing.
    type: path
    required: true
  formats:
    description:
      - Which files to write.
    type: list
    elements: str
    choices: [json, csv, html, junit]
    default: [json, csv, html, junit]
  title:
    description:
      - Title of the report (HTML heading, JSON C(title), JUnit C(testsuites) name).
    type: str
    default: camguard compliance report
  policy_version:
    description:
      - Version of the vendor policy the findings were classified with, shown in the header.
    type: str
  registry_date:
    description:
      - Date of the vendor registry data the findings were classified with, shown in the header.
    type: str
  generated_at:
    description:
      - Timestamp written into the reports. Defaults to the current UTC time.
      - It never makes a run changed on its own; a file that is unchanged apart from the
        timestamp keeps its old timestamp.
    type: str
  today:
    description:
      - ISO date against which waiver expiry dates are checked (a waiver expiring on this day
        still protects). Defaults to the current UTC date. Waivers flagged C(expired) by the
        classifier are always expired.
    type: str
  fail_on_noncompliance:
    description:
      - Fail (after writing the reports) when the report is not compliant.
    type: bool
    default: false
attributes:
  check_mode:
    support: full
    description: Computes the report and whether each file would change; writes nothing.
  diff_mode:
    support: none
    description: The reports are generated files; the summary says what changed.
  platform:
    support: full
    platforms: posix
    description: Runs on the controller (or any POSIX host) and writes local files.
notes:
  - Call M(ansible.builtin.set_stats) with RV(stats) and C(aggregate=false), once per run (for
    example with C(run_once=true) or on C(localhost)), because with aggregation the counts of
    several calls are added up.
  - The CSV header is, in order, C(mac), C(ip), C(vendor), C(vendor_key), C(status),
    C(legal_basis), C(switch), C(interface), C(vlan), C(location_confidence), C(evidence),
    C(action), C(mode), C(action_reason), C(change_id), C(action_time), C(waiver_owner),
    C(waiver_ticket), C(waiver_expires), C(waiver_expired), C(waiver_reason), C(outcome),
    C(outcome_reason), C(first_seen), C(last_seen). Lists are joined with C(; ).
  - "JUnit XML: one C(testsuite) per switch, one C(testcase) per restricted device, passed when
    isolated or waived, a C(failure) saying why otherwise. Unreachable switches form a last
    suite C(camguard.unreachable) with one C(error) per switch. So C(tests) = restricted
    devices + unreachable switches, C(failures) = open devices, C(errors) = unreachable
    switches."
seealso:
  - module: camguard.network.port_isolation
  - module: ansible.builtin.set_stats
"""

EXAMPLES = r"""
- name: Write the compliance report from every switch's findings and the isolation results
  camguard.network.compliance_report:
    findings: "{{ groups['camguard_switches'] | map('extract', hostvars, 'camguard_findings')
                  | select('defined') | flatten }}"
    # per-port results registered from camguard.network.port_isolation on each switch
    results: "{{ groups['camguard_switches'] | map('extract', hostvars, 'isolation_results')
                 | select('defined') | flatten }}"
    # unreachable switch hosts carry their error in camguard_error
    unreachable: "{{ dict(groups['camguard_unreachable'] | default([])
                     | zip(groups['camguard_unreachable'] | default([]) | map('extract', hostvars, 'camguard_error')))
                     | dict2items(key_name='switch', value_name='error') }}"
    dest: "{{ playbook_dir }}/reports"
    policy_version: "2026.11.30"
    registry_date: "2026-10-24"
  delegate_to: localhost
  run_once: true
  register: camguard_report

- name: Publish the figures to AWX / Automation Platform
  ansible.builtin.set_stats:
    data: "{{ camguard_report.stats }}"
    aggregate: false
  run_once: true

- name: Only the JUnit file for the CI job, failing the job when not compliant
  camguard.network.compliance_report:
    findings: "{{ all_findings }}"
    results: "{{ all_results }}"
    dest: /var/lib/camguard/ci
    formats: [junit]
    fail_on_noncompliance: true
  delegate_to: localhost
  run_once: true
"""

RETURN = r"""
dest:
  description: The report directory.
  returned: always
  type: str
  sample: /srv/camguard/reports
files:
  description: The report files, one per requested format, and whether each was (or in check mode would be) written.
  returned: always
  type: list
  elements: dict
  contains:
    format:
      description: V(json), V(csv), V(html) or V(junit).
      type: str
    path:
      description: Full path of the file.
      type: str
    changed:
      description: True when the file was (or would be) written.
      type: bool
  sample:
    - {format: html, path: /srv/camguard/reports/camguard-report.html, changed: true}
summary:
  description: Counts over the restricted devices and the compliance verdict.
  returned: always
  type: dict
  contains:
    findings:
      description: Number of findings given (restricted or not).
      type: int
    restricted:
      description: Number of restricted devices (report rows, JUnit test cases).
      type: int
    isolated:
      description: Restricted devices whose port is isolated.
      type: int
    waived:
      description: Restricted devices not isolated but covered by a waiver that has not expired.
      type: int
    open:
      description: Restricted devices neither isolated nor waived.
      type: int
    expired_waivers:
      description: Restricted devices carrying an expired waiver.
      type: int
    unreachable_switches:
      description: Switches that could not be polled.
      type: int
    unmatched_results:
      description: Isolation results that matched no restricted finding (listed in the JSON report).
      type: int
    by_vendor:
      description: Restricted devices per vendor display name.
      type: dict
    by_status:
      description: Restricted devices per verdict status.
      type: dict
    by_switch:
      description: Restricted devices per switch.
      type: dict
    by_confidence:
      description: Restricted devices per location confidence.
      type: dict
    by_action:
      description: Restricted devices per isolation action (V(none) when the port has no result).
      type: dict
    by_outcome:
      description: Restricted devices per outcome (V(isolated), V(waived), V(open)).
      type: dict
    compliant:
      description: No open device, no expired waiver, no unreachable switch.
      type: bool
    noncompliance:
      description: Why the report is not compliant (empty when it is).
      type: list
      elements: str
  sample:
    findings: 3
    restricted: 3
    isolated: 2
    waived: 1
    open: 0
    expired_waivers: 0
    unreachable_switches: 0
    unmatched_results: 0
    by_vendor: {"Hangzhou Hikvision Digital Technology Co.,Ltd.": 2, "Zhejiang Dahua Technology Co., Ltd.": 1}
    by_status: {named: 3}
    by_switch: {lab-sw1: 2, lab-sw2: 1}
    by_confidence: {edge: 3}
    by_action: {isolated: 2, none: 1}
    by_outcome: {isolated: 2, waived: 1, open: 0}
    compliant: true
    noncompliance: []
open_devices:
  description:
    - The restricted devices that are neither isolated nor waived, one line each (MAC, switch,
      port, vendor), for a failure message that says which devices and where.
  returned: always
  type: list
  elements: str
  sample: ["c0:56:e3:11:22:33 on access-01 Gi1/0/5 (Hangzhou Hikvision Digital Technology Co.,Ltd.)"]
stats:
  description: Data for M(ansible.builtin.set_stats) (use C(aggregate=false)).
  returned: always
  type: dict
  sample:
    camguard_compliant: true
    camguard_restricted: 3
    camguard_isolated: 2
    camguard_waived: 1
    camguard_open: 0
    camguard_expired_waivers: 0
    camguard_unreachable_switches: 0
    camguard_by_vendor: {"Hangzhou Hikvision Digital Technology Co.,Ltd.": 2, "Zhejiang Dahua Technology Co., Ltd.": 1}
    camguard_by_switch: {lab-sw1: 2, lab-sw2: 1}
    camguard_report_files: [/srv/camguard/reports/camguard-report.html]
generated_at:
  description: The timestamp used for files written by this run.
  returned: always
  type: str
  sample: "2026-11-30T12:00:00Z"
"""

import os
from datetime import date, datetime, timezone

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_native

from ansible_collections.camguard.network.plugins.module_utils._records import CamguardError
from ansible_collections.camguard.network.plugins.module_utils._report.formats import (
    FORMATS,
    plan_files,
    write_atomic,
)
from ansible_collections.camguard.network.plugins.module_utils._report.model import (
    DEFAULT_TITLE,
    build_report,
    set_stats_data,
    shipped_legal_bases,
)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            findings=dict(type="list", elements="dict", default=[]),
            results=dict(type="list", elements="dict", default=[]),
            unreachable=dict(type="list", elements="raw", default=[]),
            legal_bases=dict(type="dict"),
            dest=dict(type="path", required=True),
            formats=dict(type="list", elements="str", choices=list(FORMATS), default=list(FORMATS)),
            title=dict(type="str", default=DEFAULT_TITLE),
            policy_version=dict(type="str"),
            registry_date=dict(type="str"),
            generated_at=dict(type="str"),
            today=dict(type="str"),
            fail_on_noncompliance=dict(type="bool", default=False),
        ),
        supports_check_mode=True,
    )
    p = module.params
    dest = p["dest"]
    now = datetime.now(timezone.utc)
    generated_at = p["generated_at"] or now.strftime("%Y-%m-%dT%H:%M:%SZ")
    try:
        today = date.fromisoformat(p["today"]) if p["today"] else now.date()
    except ValueError:
        module.fail_json(msg=f"today: {p['today']!r} is not an ISO date (YYYY-MM-DD)")

    if os.path.exists(dest) and not os.path.isdir(dest):
        module.fail_json(msg=f"dest: {dest} exists and is not a directory")
    try:
        report = build_report(
            p["findings"],
            p["results"],
            p["unreachable"],
            legal_bases=p["legal_bases"],
            title=p["title"],
            policy_version=p["policy_version"],
            registry_date=p["registry_date"],
            default_legal_bases=shipped_legal_bases(),
            today=today,
        )
        plans = plan_files(report, dest, p["formats"], generated_at)
    except CamguardError as e:
        module.fail_json(msg=to_native(e))

    changed = any(plan.changed for plan in plans)
    if changed and not module.check_mode:
        try:
            os.makedirs(dest, exist_ok=True)
            for plan in plans:
                if plan.changed:
                    write_atomic(plan.path, plan.content)
        except OSError as e:
            module.fail_json(msg=f"cannot write the report into {dest}: {to_native(e)}")

    paths = [plan.path for plan in plans]
    result = dict(
        changed=changed,
        dest=dest,
        files=[dict(format=plan.fmt, path=plan.path, changed=plan.changed) for plan in plans],
        summary=report.summary,
        stats=set_stats_data(report, paths),
        generated_at=generated_at,
        open_devices=[
            f"{d.mac} on {d.switch} {d.interface or '?'} ({d.vendor})" for d in report.devices if d.outcome == "open"
        ],
    )
    if p["fail_on_noncompliance"] and not report.summary["compliant"]:
        module.fail_json(msg="not compliant: " + "; ".join(report.summary["noncompliance"]), **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
