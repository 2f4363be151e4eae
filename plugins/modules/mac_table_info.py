#!/usr/bin/python
# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

DOCUMENTATION = r"""
module: mac_table_info
short_description: Read one switch's MAC, ARP, LLDP/CDP and port tables as normalised records
version_added: 0.1.0
description:
  - Connects to one switch over SSH (netmiko, NAPALM, or the Linux shell for C(linux_bridge)),
    runs the platform's read-only commands and returns normalised records.
  - Or reads the same records over SNMP (O(backend=snmp); O(backend=auto) uses SNMP when SNMP credentials
    are set and the CLI otherwise) from any standards-compliant switch (BRIDGE-MIB, Q-BRIDGE-MIB, IF-MIB,
    IEEE8023-LAG-MIB, LLDP-MIB, IP-MIB, and on Cisco the per-VLAN BRIDGE-MIB, CISCO-VTP-MIB and CISCO-CDP-MIB).
    O(platform=snmp) reads a switch with no CLI platform. See O(snmp). O(username) is still required
    (it is the CLI login of O(backend=auto)); SNMP does not use it.
  - MAC addresses are canonical C(aa:bb:cc:dd:ee:ff); interfaces are the platform's canonical long
    names (C(GigabitEthernet1/0/5), C(Ethernet1), C(ge-0/0/5)), so that tables join.
  - Read-only; runs from the controller (use C(connection=local) or C(delegate_to=localhost)).
author:
  - camguard.network contributors (@camguard)
attributes:
  check_mode:
    support: full
    description: The module only reads; check mode runs it unchanged.
  diff_mode:
    support: none
    description: Nothing changes, so there is no diff.
extends_documentation_fragment:
  - camguard.network.switch_connection
  - camguard.network.snmp
options:
  switch:
    description: Name of the switch, used in records and messages (defaults to O(host)).
    type: str
  host:
    description: Address of the switch.
    type: str
    required: true
  platform:
    description:
      - Platform key or alias. Supported C(cisco_ios), C(cisco_nxos), C(arista_eos), C(juniper_junos),
        C(aruba_aoscx), C(hp_procurve), C(linux_bridge), C(hp_comware), C(huawei_vrp), C(dell_os10),
        C(ruckus_fastiron), C(extreme_exos); or C(snmp) for a switch read over SNMP only (any vendor).
      - Over SNMP a CLI platform only decides how interface names are spelt (C(Gi1/0/5) becomes
        C(GigabitEthernet1/0/5) on C(cisco_ios)), so that the records join what isolation configures.
    type: str
    required: true
  backend:
    description:
      - Force a backend (V(netmiko), V(napalm), V(linux)); default is the platform's.
      - V(snmp) reads over SNMP (see O(snmp)); V(auto) reads over SNMP when SNMP credentials are set, else
        over the platform's CLI backend.
    type: str
    choices: [netmiko, napalm, linux, snmp, auto]
  gather:
    description: Which tables to read.
    type: list
    elements: str
    choices: [mac_table, arp, neighbors, ports]
    default: [mac_table, arp, neighbors, ports]
requirements:
  - netmiko >= 4.5
  - ntc-templates
  - pysnmp >= 7.1 (only for O(backend=snmp) and O(backend=auto))
notes:
  - A device that answers a command with an error fails the module with the switch and command named.
  - An unknown platform fails with the list of supported platforms.
"""

EXAMPLES = r"""
- name: Read the tables of access-01
  camguard.network.mac_table_info:
    switch: access-01
    host: 10.0.0.11
    platform: cisco_ios
    username: netops
    password_env: CAMGUARD_PASSWORD
  delegate_to: localhost
  register: tables

- name: Read an old switch over SNMPv3 (authPriv, SHA-256 + AES), secrets from the environment
  camguard.network.mac_table_info:
    switch: old-07
    host: 10.0.0.57
    platform: snmp
    backend: snmp
    username: unused  # required by the module; SNMP does not use it
    snmp:
      version: "3"
      user: camguard-ro
      auth_protocol: sha256
      auth_key_env: CAMGUARD_SNMP_AUTH_KEY
      priv_protocol: aes
      priv_key_env: CAMGUARD_SNMP_PRIV_KEY
  delegate_to: localhost
  register: old07

- name: Read a Catalyst over SNMPv2c when CAMGUARD_SNMP_COMMUNITY is set, else over SSH
  camguard.network.mac_table_info:
    switch: access-02
    host: 10.0.0.12
    platform: cisco_ios
    backend: auto
    username: netops
    password_env: CAMGUARD_PASSWORD
  delegate_to: localhost

- name: Show the MACs learned on Gi1/0/5
  ansible.builtin.debug:
    msg: "{{ tables.mac_table | selectattr('interface', 'equalto', 'GigabitEthernet1/0/5') | list }}"
"""

RETURN = r"""
switch:
  description: Name of the switch.
  returned: always
  type: str
platform:
  description: Canonical platform key.
  returned: always
  type: str
  sample: cisco_ios
mac_table:
  description: MAC address table entries.
  returned: always
  type: list
  elements: dict
  contains:
    mac:
      description: Canonical MAC.
      type: str
      sample: bc:ad:28:01:02:03
    vlan:
      description: VLAN id, or null where the platform gives none.
      type: int
    interface:
      description: Canonical interface name; empty for the switch's own entries.
      type: str
    static:
      description: Static, secure or sticky entry.
      type: bool
    kind:
      description: dynamic, static, secure or self (the switch's own MAC).
      type: str
    switch:
      description: The switch name.
      type: str
    vlan_name:
      description: VLAN name where the platform reports names.
      type: str
arp:
  description: ARP entries (ip, mac, interface, vrf).
  returned: always
  type: list
  elements: dict
neighbors:
  description: LLDP/CDP neighbours (local_interface, remote_name, remote_port, capabilities, protocol, remote_mac).
  returned: always
  type: list
  elements: dict
ports:
  description: Port facts (name, mode, access_vlan, description, enabled, lag, is_lag, trunk_vlans).
  returned: always
  type: list
  elements: dict
own_macs:
  description: The switch's own unicast MACs (used to recognise uplinks elsewhere).
  returned: always
  type: list
  elements: str
skipped_rows:
  description: Output rows that could not be parsed and were skipped.
  returned: always
  type: int
warnings_detail:
  description: Parser and optional-command warnings.
  returned: always
  type: list
  elements: str
limits:
  description:
    - What the SNMP backend could not read that a CLI would show (key V(mode) or V(neighbors) -> a sentence
      the edge-port evidence quotes); empty for the CLI backends.
  returned: always
  type: dict
seconds:
  description: Time taken to connect and collect.
  returned: always
  type: float
"""


from ansible.module_utils.basic import AnsibleModule

from ansible_collections.camguard.network.plugins.module_utils._collect.args import mac_table_info_argument_spec
from ansible_collections.camguard.network.plugins.module_utils._collect.task import run_task


def main():
    # The collection's action plugin of the same name runs this task on the controller
    # (plugins/action/mac_table_info.py); this module runs the same code when executed on its own.
    module = AnsibleModule(argument_spec=mac_table_info_argument_spec(), supports_check_mode=True)
    out = run_task(module.params, module.check_mode, module._diff)
    if out.pop("failed"):
        module.fail_json(**out)
    module.exit_json(**out)


if __name__ == "__main__":
    main()
