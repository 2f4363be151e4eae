# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type  # noqa: UP001 - required by ansible-test sanity (metaclass-boilerplate)

DOCUMENTATION = r"""
name: audit_chain
short_description: Verify the hash chain of the isolation audit log
version_added: 0.2.0
description:
  - Reads C(audit.jsonl) in each given state directory (the C(state_dir) of
    M(camguard.network.port_isolation)) on the controller and walks its hash chain. Every record
    carries C(seq), C(prev) (the hash of the record before it) and C(hash); the first record
    anchors the log. A record changed, removed, inserted or reordered breaks the chain at that
    line.
  - Returns one report per state directory; C(ok) is false and C(breaks) names the lines where
    the chain breaks and why.
  - The chain proves the log was not edited in place. To tell a log that was cut short or
    replaced as a whole, pass a C(head) recorded elsewhere earlier (each port_isolation result
    returns C(audit_head); an AWX job log keeps it).
  - The C(audit) entry point of the C(camguard.network.camera_isolation) role runs this lookup
    and fails when the chain is broken.
author:
  - camguard.network contributors (@camguard)
options:
  _terms:
    description: State directories whose audit log to verify.
    required: true
    type: list
    elements: path
  head:
    description:
      - A head recorded earlier (C(seq) and C(hash), as in C(audit_head) of a port_isolation
        result); the log must still hold that record, unchanged.
    type: dict
"""

EXAMPLES = r"""
- name: Verify the audit log of the isolation runs
  ansible.builtin.set_fact:
    chain: "{{ query('camguard.network.audit_chain', playbook_dir ~ '/camguard-state') | first }}"

- name: Fail when it was tampered with
  ansible.builtin.assert:
    that: chain.ok
    fail_msg: "audit log broken: {{ chain.breaks | first }}"

- name: Against a head kept from an earlier run
  ansible.builtin.debug:
    msg: "{{ query('camguard.network.audit_chain', state_dir, head=last_run.audit_head) }}"
"""

RETURN = r"""
_raw:
  description: One report per state directory.
  type: list
  elements: dict
  contains:
    path:
      description: The audit log verified.
      type: str
    ok:
      description: Whether the chain is unbroken (and holds C(head), when given).
      type: bool
    records:
      description: How many lines are records.
      type: int
    chained:
      description: How many records carry chain fields.
      type: int
    unchained:
      description: Lines an older version wrote before the chain started (covered by its anchor).
      type: int
    head:
      description: C(seq) and C(hash) of the last record.
      type: dict
    breaks:
      description: Where the chain breaks, in log order.
      type: list
      elements: dict
      contains:
        line:
          description: The line number in the log (1 is the first).
          type: int
        reason:
          description: What is wrong there.
          type: str
    torn_tails:
      description: Torn tails the writers moved aside (C(file), C(line), C(intact)).
      type: list
      elements: dict
"""

import os

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase

from ansible_collections.camguard.network.plugins.module_utils._isolate.state import verify_audit_log


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        head = self.get_option("head")
        if head is not None and not (isinstance(head, dict) and "seq" in head and "hash" in head):
            raise AnsibleLookupError(f"audit_chain: head must be a dict with seq and hash, got {head!r}")
        out = []
        for term in terms:
            if not isinstance(term, str) or not term:
                raise AnsibleLookupError(f"audit_chain: a state directory path is required, got {term!r}")
            path = os.path.join(os.path.abspath(os.path.expanduser(term)), "audit.jsonl")
            try:
                out.append(verify_audit_log(path, head))
            except OSError as exc:
                raise AnsibleLookupError(f"audit_chain: cannot read {path}: {exc.strerror}") from None
        return out
