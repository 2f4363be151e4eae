#!/usr/bin/python
# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type  # noqa: UP001 - required by ansible-test sanity (metaclass-boilerplate)

DOCUMENTATION = r"""
---
module: vendor_data
short_description: Rebuild the restricted-vendor prefix list from the IEEE registry and show what changed
version_added: 1.0.0
description:
  - Reads the IEEE registry, either CSV exports (MA-L, MA-M, MA-S and IAB; C(CID) rows are skipped because
    every address in a CID is locally administered) given as local files, or the registry package installed
    on the target (C(pymanuf)). Nothing is downloaded.
  - Matches every registry organisation against the org-name patterns of the shipped policy and rebuilds the
    restricted prefix list (all vendors, all profiles), in the format of the collection's C(policy/prefixes.csv).
  - Compares it with the shipped prefix list (or O(baseline)) and returns the prefixes added, removed and changed
    per vendor in RV(changes).
  - With O(dest), writes the rebuilt list there (atomically, only when the content differs). Feed it to
    C(tools/build_policy.py) in a checkout of the collection to ship it, or review it and copy what you need into
    the C(extra_prefixes) of your policy overrides.
author:
  - camguard.network contributors (@camguard)
options:
  sources:
    description:
      - IEEE registry CSV exports (header C(Registry,Assignment,Organization Name,Organization Address)), for example
        C(oui.csv), C(mam.csv), C(oui36.csv) and C(iab.csv) from standards.ieee.org.
      - When empty, the registry of the installed C(pymanuf) package is used.
    type: list
    elements: path
    default: []
  baseline:
    description:
      - A prefix list in C(prefixes.csv) format to compare with, instead of the list shipped with the collection.
    type: path
  dest:
    description:
      - Where to write the rebuilt prefix list (C(prefixes.csv) format). Not written in check mode.
      - Without it, the module only reports.
    type: path
  include_prefixes:
    description:
      - Return the whole rebuilt list in RV(prefixes).
    type: bool
    default: false
attributes:
  check_mode:
    support: full
    description: Reports what would be written to O(dest) without writing it.
  diff_mode:
    support: full
    description: Shows the rebuilt list against the current O(dest) file, or against the baseline without O(dest).
  platform:
    description: Runs where the registry files are, usually the controller.
    support: full
    platforms: posix
requirements:
  - pymanuf (only when O(sources) is empty)
notes:
  - The shipped list was built from the union of several registry copies; organisation spellings can differ
    between copies, which shows as C(changed) entries with the new spelling.
seealso:
  - name: IEEE registration authority
    description: Public listings of MA-L, MA-M, MA-S and IAB assignments.
    link: https://standards.ieee.org/products-programs/regauth/
"""

EXAMPLES = r"""
- name: Compare the shipped list with fresh IEEE exports
  camguard.network.vendor_data:
    sources:
      - /srv/ieee/oui.csv
      - /srv/ieee/mam.csv
      - /srv/ieee/oui36.csv
      - /srv/ieee/iab.csv
  register: vendor_data

- name: Show prefixes the shipped list lacks
  ansible.builtin.debug:
    msg: "{{ vendor_data.changes | dict2items | map(attribute='value.added') | flatten }}"

- name: Write the rebuilt list from the installed registry package
  camguard.network.vendor_data:
    dest: "{{ playbook_dir }}/prefixes.csv"
  check_mode: true
  diff: true
"""

RETURN = r"""
registry_source:
  description: Where the registry data came from.
  returned: always
  type: str
  sample: pymanuf 2026.10.1
policy_version:
  description: Version of the policy whose org patterns were used.
  returned: always
  type: str
  sample: "2026.11.30"
prefix_count:
  description: Number of prefixes in the rebuilt list.
  returned: always
  type: int
  sample: 2766
vendors:
  description: Number of rebuilt prefixes per vendor key.
  returned: always
  type: dict
  sample: {"hikvision": 105, "dahua": 40}
changes:
  description:
    - Per vendor key, the prefixes C(added) to, C(removed) from and C(changed) (status or organisation spelling)
      in the rebuilt list compared with the baseline. Each entry has C(prefix), C(bits), C(org), C(status),
      C(registry); C(changed) entries also have C(before).
  returned: always
  type: dict
  sample: {"hikvision": {"added": [{"prefix": "bc:ad:29", "bits": 24, "org": "Hangzhou Hikvision Digital Technology Co.,Ltd.",
           "status": "named", "registry": "MA-L"}], "removed": [], "changed": []}}
added:
  description: Total number of added prefixes.
  returned: always
  type: int
removed:
  description: Total number of removed prefixes.
  returned: always
  type: int
changed_prefixes:
  description: Total number of prefixes whose status or organisation changed.
  returned: always
  type: int
dest:
  description: The file written (or that would be written in check mode).
  returned: when O(dest) is set
  type: str
prefixes:
  description: The rebuilt list, one entry per prefix.
  returned: when O(include_prefixes=true)
  type: list
  elements: dict
"""

import os

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_native

from ansible_collections.camguard.network.plugins.module_utils._classify.policy import (
    read_prefixes_csv,
    rules_to_csv,
    shipped_policy,
    sort_rules,
)
from ansible_collections.camguard.network.plugins.module_utils._classify.registry import (
    HAS_PYMANUF,
    Registry,
    rebuild_report,
)
from ansible_collections.camguard.network.plugins.module_utils._files import atomic_write
from ansible_collections.camguard.network.plugins.module_utils._records import CamguardError


def run(module):
    p = module.params
    policy = shipped_policy()
    if p["sources"]:
        registry = Registry.from_ieee_csv(p["sources"])
    else:
        if not HAS_PYMANUF:
            module.fail_json(msg="vendor_data: no sources given and the Python package pymanuf is not installed")
        registry = Registry.from_pymanuf()
    baseline = read_prefixes_csv(p["baseline"], policy) if p["baseline"] else list(policy.prefixes)
    report = rebuild_report(policy, registry, baseline)
    result = {
        "changed": False,
        "registry_source": registry.source,
        "policy_version": policy.policy_version,
        "prefix_count": len(report["rules"]),
        "vendors": report["counts"],
        "changes": report["changes"],
        "added": report["added"],
        "removed": report["removed"],
        "changed_prefixes": report["changed"],
    }
    if p["include_prefixes"]:
        result["prefixes"] = [
            {
                "prefix": r.text,
                "bits": r.bits,
                "org": r.org,
                "vendor_key": r.vendor_key,
                "status": r.status,
                "registry": r.registry,
            }
            for r in report["rules"]
        ]
    new_text = report["csv"]
    if p["dest"]:
        dest = p["dest"]
        result["dest"] = dest
        try:
            with open(dest, encoding="utf-8") as f:
                before = f.read()
        except FileNotFoundError:
            before = ""
        except (OSError, UnicodeDecodeError) as e:
            module.fail_json(msg=f"vendor_data: cannot read dest {dest}: {to_native(e)}")
        result["changed"] = before != new_text
        if module._diff:
            result["diff"] = {"before": before, "after": new_text, "before_header": dest, "after_header": dest}
        if result["changed"] and not module.check_mode:
            directory = os.path.dirname(os.path.abspath(dest))
            if not os.path.isdir(directory):
                module.fail_json(msg=f"vendor_data: directory of dest {dest} does not exist")
            try:
                # an existing file keeps its mode, as module.atomic_move kept it
                mode = os.stat(dest).st_mode & 0o7777 if os.path.exists(dest) else 0o644
                atomic_write(dest, new_text, mode)
            except OSError as e:
                module.fail_json(msg=f"vendor_data: cannot write dest {dest}: {to_native(e)}")
    elif module._diff:
        result["diff"] = {
            "before": rules_to_csv(sort_rules(baseline)),
            "after": new_text,
            "before_header": p["baseline"] or "shipped prefix list",
            "after_header": registry.source,
        }
    return result


def main():
    module = AnsibleModule(
        argument_spec=dict(
            sources=dict(type="list", elements="path", default=[]),
            baseline=dict(type="path"),
            dest=dict(type="path"),
            include_prefixes=dict(type="bool", default=False),
        ),
        supports_check_mode=True,
    )
    try:
        result = run(module)
    except CamguardError as e:
        module.fail_json(msg=f"vendor_data: {to_native(e)}")
    module.exit_json(**result)


if __name__ == "__main__":
    main()
