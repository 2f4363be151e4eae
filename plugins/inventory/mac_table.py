# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

DOCUMENTATION = r"""
name: mac_table
short_description: Restricted-vendor devices found through switch MAC address tables
version_added: 0.1.0
description:
  - Polls managed switches over SSH (netmiko or NAPALM), or over SNMP (v2c or v3, any standards-compliant
    switch, with O(switches[].backend=snmp), or V(auto) for SNMP when SNMP credentials are set) for their MAC
    address, ARP, LLDP/CDP and port tables, classifies every learned MAC against the shipped restricted-vendor policy
    (Hikvision, Dahua, Huawei, ZTE, Hytera and their affiliates), and places each restricted device
    on its edge port with the evidence that decided it.
  - Switches become hosts in C(camguard_switches) carrying C(camguard_findings); restricted devices
    become hosts in C(camguard_restricted), C(camguard_vendor_<key>), C(camguard_status_<status>),
    C(camguard_switch_<name>), C(camguard_vlan_<id>), C(camguard_ambiguous) and C(camguard_waived).
  - Restricted-device hosts get C(ansible_connection=camguard.network.inert), a connection that
    refuses every task, so a play aimed at C(all) by mistake can never reach a device. Target
    C(camguard_switches) in plays.
  - Switches come from O(switches) or from hosts already in the inventory (O(inventory_switches)),
    e.g. a NetBox source listed before this one. Their credentials are read from environment
    variables, key files or the existing hosts' variables and are never written to host variables.
    Which one wins is one table for this plugin, the modules and the role ("Which credential
    wins" in the collection's C(README.md)) - this file's settings for the switch first, then the host's
    C(ansible_user), C(ansible_password) and C(ansible_ssh_private_key_file), then this file's plugin-wide
    options, then E(CAMGUARD_USERNAME), E(CAMGUARD_PASSWORD) and E(CAMGUARD_PRIVATE_KEY_FILE), then AWX's
    Network credential (E(ANSIBLE_NET_USERNAME), E(ANSIBLE_NET_PASSWORD), E(ANSIBLE_NET_SSH_KEYFILE)).
    The choice is stored as C(camguard_username), C(camguard_password_env) and C(camguard_private_key_file),
    which the role reads first.
  - A switch with nothing to log in with (no password and no key file, e.g. O(password_env) names a variable
    that is not set) is not tried; it becomes a host in C(camguard_unreachable) whose error names the variable.
  - Polling is concurrent (O(concurrency)); a switch that fails becomes a warning and a host in
    C(camguard_unreachable) with its error. With O(strict_polling=true) the source fails as well.
  - Set E(ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED=true) so that C(ansible-inventory) and AWX fail
    when this source fails (otherwise C(ansible-inventory) exits 0 after a plugin error).
  - "String options (the switch list, credentials options, file names) may be Jinja2 templates, rendered once
    when the inventory is built, with lookups but without host variables, as other inventory plugins do for
    their credentials, e.g. a switch's C(host) that is an C(ansible.builtin.env) lookup (see the examples). O(compose), O(groups) and
    O(keyed_groups) are expressions as in every constructed plugin; O(device_name_format) is a Python format
    string and refuses Jinja2."
  - Relative paths in the file (O(policy_file), O(waiver_file), O(private_key_file), O(known_hosts_file) and
    the per-switch ones) are relative to the folder of this file, not to the current directory.
  - "Host variables of a switch (in C(camguard_switches)): C(camguard_platform), C(camguard_backend),
    C(camguard_username) (when the login name comes from this file or the host), C(camguard_password_env)
    (the variable's name, never its value), C(camguard_private_key_file) and C(camguard_known_hosts_file)
    (paths given in this file), C(camguard_host_key_checking), C(camguard_findings) (the restricted devices found
    on it, one mapping per device as C(camguard.network.port_isolation) takes them), C(camguard_poll) (counts,
    warnings, seconds, C(from_cache)), C(camguard_error) (only in C(camguard_unreachable)); for switches of
    O(switches) also C(ansible_host), C(ansible_port) and C(ansible_connection=local)."
  - "Host variables of a restricted device (in C(camguard_restricted)): C(camguard_mac), C(camguard_ip),
    C(camguard_vendor) (the vendor key, e.g. V(hikvision)), C(camguard_vendor_name), C(camguard_status)
    (V(named), V(affiliate), V(review), V(other_prc_cctv)), C(camguard_legal_basis) (list of keys),
    C(camguard_matched_prefix), C(camguard_switch), C(camguard_interface), C(camguard_vlan),
    C(camguard_confidence) (V(edge) or why not), C(camguard_evidence) (list of sentences),
    C(camguard_waiver) (mapping or null), C(camguard_default_action), and
    C(ansible_connection=camguard.network.inert). These are the variables O(compose), O(groups) and
    O(keyed_groups) can use."
  - "Group variable of C(camguard_switches): C(camguard_summary) (counts by vendor, status and confidence,
    polled and unreachable switches, timings, policy version and registry date)."
  - Device text (interface names, evidence, errors) is marked unsafe, so that Ansible never templates it; other
    strings only when they hold C({) or C(}). C(ansible-inventory --list) therefore prints plain JSON, which AWX
    imports as it is, with C(__ansible_unsafe) markers only on device text.
  - With O(cache=true) the cache entry keeps the polled switch data (never credentials) in a compact,
    versioned form; a later run builds the inventory from it without connecting to any switch. An entry
    written by another version of the collection, a damaged one or one for another switch list is
    ignored (the reason is shown at C(-vvv)), the switches are polled and the entry is replaced.
  - The configuration file name must end in C(mac_table.yml) or C(mac_table.yaml).
author:
  - camguard.network contributors (@camguard)
extends_documentation_fragment:
  - constructed
  - inventory_cache
  - camguard.network.snmp
requirements:
  - netmiko >= 4.5
  - ntc-templates
  - napalm (only for O(switches[].backend=napalm))
  - pysnmp >= 7.1 (only for O(switches[].backend=snmp) and V(auto))
  - pymanuf (vendor names for unrestricted devices and drift detection)
options:
  plugin:
    description: Marks this file as a C(camguard.network.mac_table) configuration.
    required: true
    type: str
    choices: [camguard.network.mac_table]
  switches:
    description: Switches to poll.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: Inventory host name of the switch.
        type: str
        required: true
      host:
        description: Address to connect to (defaults to O(switches[].name)).
        type: str
      port:
        description: SSH port.
        type: int
        default: 22
      platform:
        description: Platform key (V(cisco_ios), V(cisco_nxos), V(arista_eos), V(juniper_junos), V(aruba_aoscx),
          V(hp_procurve), V(linux_bridge), V(hp_comware), V(huawei_vrp), V(dell_os10), V(ruckus_fastiron),
          V(extreme_exos)) or an alias such as C(ios) or C(eos); or V(snmp) for a switch read over SNMP only
          (any vendor; no isolation).
        type: str
        required: true
      backend:
        description:
          - Force a backend (V(netmiko), V(napalm), V(linux)); default is the platform's.
          - V(snmp) discovers over SNMP (O(snmp)); V(auto) discovers over SNMP when SNMP credentials are set and
            over the CLI otherwise. Both leave C(camguard_backend) at the platform's CLI backend, so that
            isolation still changes the switch over SSH.
        type: str
      snmp:
        description: This switch's SNMP settings, over O(snmp) (same keys).
        type: dict
      username:
        description: Login name (overrides O(username)).
        type: str
      username_env:
        description: Environment variable holding the login name.
        type: str
      password_env:
        description: Name of the environment variable holding the password (the value is never stored).
        type: str
      private_key_file:
        description: SSH private key file.
        type: path
      known_hosts_file:
        description: known_hosts file to verify the switch's host key against.
        type: path
      host_key_checking:
        description: Verify the switch's SSH host key.
        type: bool
      groups:
        description: Extra groups to put this switch in.
        type: list
        elements: str
        default: []
  inventory_switches:
    description:
      - Also poll hosts already in the inventory (from sources listed before this one).
      - Hosts are selected by group membership; their C(ansible_host), C(ansible_port) and the platform
        variable (O(inventory_switches.platform_var)) are used, as are C(ansible_user), C(ansible_password)
        and C(ansible_ssh_private_key_file) when set (they are read, never copied into new variables).
    type: dict
    default: {}
    suboptions:
      groups:
        description: Groups whose hosts are switches to poll.
        type: list
        elements: str
        default: []
      platform_var:
        description: Host variable naming the platform.
        type: str
        default: ansible_network_os
  username:
    description: Default login name.
    type: str
    env:
      - name: CAMGUARD_USERNAME
  username_env:
    description:
      - Name of an environment variable holding the default login name (used when O(username) is not set in
        this file; it wins over E(CAMGUARD_USERNAME)).
    type: str
  password_env:
    description:
      - Default name of the environment variable holding the password.
      - A host of O(inventory_switches) with its own C(ansible_password) uses that instead. Otherwise a name
        other than V(CAMGUARD_PASSWORD) is the override, and when that variable is unset no other password is
        used (and without a key file the switch is not tried).
    type: str
    default: CAMGUARD_PASSWORD
  private_key_file:
    description: Default SSH private key file.
    type: path
    env:
      - name: CAMGUARD_PRIVATE_KEY_FILE
  known_hosts_file:
    description: Default known_hosts file (default is the user's C(~/.ssh/known_hosts)).
    type: path
    env:
      - name: CAMGUARD_KNOWN_HOSTS_FILE
  host_key_checking:
    description:
      - Verify switches' SSH host keys against known_hosts. On by default; turning it off exposes the
        credentials to a man-in-the-middle and is only meant for labs.
    type: bool
    default: true
    env:
      - name: CAMGUARD_HOST_KEY_CHECKING
  concurrency:
    description: How many switches are polled at once.
    type: int
    default: 20
  poll_processes:
    description:
      - How many processes share the polling. One Python process runs its SSH sessions' CPU work (packet
        decryption, read loops, parsing) on one core at a time; past a few hundred switches the poll is held
        to that core. With more than one, the switches are dealt out to that many forked processes, each
        polling its share with its share of O(concurrency) threads (the total stays O(concurrency)).
      - V(0) chooses one per usable CPU, at most one per 25 switches and per 4 threads of O(concurrency);
        V(1) polls in this process only.
      - A process that dies costs only the switches it had not reported yet; each becomes unreachable,
        naming the process's exit status.
    type: int
    default: 0
  connect_timeout:
    description: Seconds to wait for the SSH connection and login.
    type: float
    default: 10
  command_timeout:
    description: Seconds to wait for one command's output.
    type: float
    default: 30
  strict_polling:
    description:
      - Fail this inventory source when any switch cannot be polled (besides the warning).
      - The switches are added all the same (the ones not polled in C(camguard_unreachable)), so that even when
        Ansible carries on after the failure (E(ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED) unset) the collection's
        playbooks fail, naming the switches, instead of running on an empty inventory.
    type: bool
    default: false
  policy_profile:
    description: Policy profiles to apply; V(default) covers the five named entities and their affiliates,
      V(prc_cctv) adds other PRC CCTV makers.
    type: list
    elements: str
    default: [default]
  policy_file:
    description: YAML file with policy overrides (extra vendors or prefixes, vendors switched off).
    type: path
  waiver_file:
    description: YAML file with waivers (by MAC or by switch and interface, with owner, reason, ticket, expiry).
    type: path
  use_registry:
    description: Use the IEEE registry package to name other vendors and report drift.
    type: bool
    default: true
  max_macs_per_edge_port:
    description:
      - A port learning more endpoint MACs than this is treated as an unmanaged switch, hub or daisy-chained
        phone (V(ambiguous)), because isolating it would cut off the other devices too.
      - Raise it to 2 where IP phones with a PC behind them are the norm and you accept that.
    type: int
    default: 1
  uplink_patterns:
    description: Regular expressions; matching interface names are never edge ports.
    type: list
    elements: str
    default: []
  trust_lldp:
    description: Treat ports with an LLDP/CDP bridge or router neighbour as uplinks.
    type: bool
    default: true
  nvr_patterns:
    description: Regular expressions (case-insensitive) on LLDP/CDP system names that identify NVRs/DVRs.
    type: list
    elements: str
  nvr_hints:
    description: MAC addresses of devices known to be NVRs.
    type: list
    elements: str
    default: []
  add_device_hosts:
    description: Add restricted devices as hosts (in C(camguard_restricted) and the other device groups).
    type: bool
    default: true
  device_name_format:
    description:
      - Python format string for restricted-device host names. Fields C(vendor_key), C(mac) (aa:bb:..),
        C(mac_hex) (aabbcc...), C(switch), C(interface). Not a Jinja2 template.
    type: str
    default: "{vendor_key}_{mac_hex}"
  query_filters:
    description:
      - Narrow what this source polls and reports, as C(netbox.netbox.nb_inventory)'s C(query_filters) do. Each
        item is a mapping with one key; items with the same key are alternatives, different keys must all match.
      - C(switch) (a switch name) and C(switch_group) (one of the switch's O(switches[].groups), or for
        O(inventory_switches) one of its inventory groups) choose the switches that are polled at all.
      - C(vlan) (1-4094), C(vendor) (a vendor key such as V(hikvision)) and C(status) (V(named), V(affiliate),
        V(review), V(other_prc_cctv)) choose the restricted devices that are reported (in C(camguard_findings),
        as hosts and in C(camguard_summary)); the others are left out as if they had not been found, so the
        playbooks neither report nor isolate them.
    type: list
    elements: dict
    default: []
"""

EXAMPLES = r"""
# site.mac_table.yml
plugin: camguard.network.mac_table
switches:
  - name: access-01
    host: 10.0.0.11
    platform: cisco_ios
  - name: core-01
    host: 10.0.0.1
    platform: arista_eos
    backend: napalm
username: netops
password_env: CAMGUARD_PASSWORD   # export CAMGUARD_PASSWORD=... (AWX: custom credential type)
waiver_file: waivers.yml           # next to this file
keyed_groups:
  - key: camguard_platform          # switches: platform_cisco_ios, platform_arista_eos
    prefix: platform
  - key: camguard_vendor            # restricted devices: vendor_hikvision, vendor_dahua, ...
    prefix: vendor
compose:
  camguard_label: camguard_vendor ~ ' on ' ~ camguard_switch ~ ' ' ~ camguard_interface
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: /var/cache/camguard
cache_timeout: 3600

# Old and odd switches over SNMPv3 (authPriv: SHA-256 + AES); Catalysts over SNMP when the
# community is set, isolated over SSH:
# plugin: camguard.network.mac_table
# snmp:
#   version: "3"
#   user_env: CAMGUARD_SNMP_USER          # the AWX credential type "camguard SNMP" sets these
#   auth_protocol: sha256
#   auth_key_env: CAMGUARD_SNMP_AUTH_KEY
#   priv_protocol: aes
#   priv_key_env: CAMGUARD_SNMP_PRIV_KEY
# switches:
#   - name: old-07
#     host: 10.0.0.57
#     platform: snmp
#   - name: access-02
#     host: 10.0.0.12
#     platform: cisco_ios
#     backend: auto
#     snmp: {version: "2c", community_env: CAMGUARD_SNMP_COMMUNITY}

# Poll the switches a NetBox source found (list it before this file in the inventory; under AWX,
# one inventory source whose path is a folder holding 01-netbox.yml and 02-site.mac_table.yml):
# plugin: camguard.network.mac_table
# inventory_switches:
#   groups: [device_roles_access_switch]
#   platform_var: platform
# query_filters:                    # only cameras on the CCTV VLANs of the site's access switches
#   - switch_group: site_london
#   - vlan: 30
#   - vlan: 31
#   - status: named

# A template in an option (rendered when the inventory is built):
# switches:
#   - name: lab-01
#     host: "{{ lookup('ansible.builtin.env', 'LAB_SWITCH') }}"
#     platform: linux_bridge
"""

import time

from ansible.errors import AnsibleError, AnsibleParserError
from ansible.module_utils.common.text.converters import to_native
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable

try:
    from ansible_collections.camguard.network.plugins.module_utils._records import CamguardError, ConfigError
    from ansible_collections.camguard.network.plugins.plugin_utils._inventory import InventoryBuilder
    from ansible_collections.camguard.network.plugins.plugin_utils._inventory_config import InventoryConfig

    HAS_DEPS = True
    IMPORT_ERROR = None
except ImportError as e:  # pragma: no cover
    HAS_DEPS = False
    IMPORT_ERROR = e


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):
    NAME = "camguard.network.mac_table"

    def verify_file(self, path):
        if not super().verify_file(path):
            return False
        if path.endswith(("mac_table.yml", "mac_table.yaml")):
            return True
        self.display.vvv(
            "camguard.network.mac_table: skipping %s: the file name must end in mac_table.yml or mac_table.yaml" % path
        )
        return False

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache=cache)
        if not HAS_DEPS:
            raise AnsibleError("camguard.network.mac_table cannot load its libraries: %s" % to_native(IMPORT_ERROR))
        config_data = self._read_config_data(path)
        unknown = sorted(set(config_data or {}) - set(self._options))
        if unknown:
            raise AnsibleParserError(
                "%s: unknown option(s) %s for camguard.network.mac_table (see ansible-doc -t inventory "
                "camguard.network.mac_table)" % (path, ", ".join(unknown))
            )
        try:
            config = InventoryConfig.from_options(
                self.get_option, path, self.inventory, render=self._render, raw=config_data
            )
        except CamguardError as e:
            # the message already holds the cause; chaining it would repeat it in Ansible's output
            raise AnsibleParserError("%s: %s" % (path, to_native(e))) from None

        cache_key = self.get_cache_key(path)
        payload = None
        if self.get_option("cache") and cache:
            try:
                payload = self._cache.get(cache_key)  # None: no entry (or an expired one)
            except (AnsibleError, ValueError) as e:
                # a file the cache plugin cannot decode (jsonfile removes it): a miss, like a damaged entry
                self.display.vvv(
                    "camguard.network.mac_table: cannot read the cache entry (%s); polling the switches" % to_native(e)
                )

        builder = InventoryBuilder(config, display=self.display)
        started = time.monotonic()
        try:
            discovery = builder.discover(payload)
        except CamguardError as e:
            raise AnsibleError("camguard.network.mac_table (%s): %s" % (path, to_native(e))) from None
        # Whenever the switches were polled (no entry, a refresh, or an entry of another format
        # version, damaged or for another switch list), the cache gets the fresh data.
        if self.get_option("cache") and not discovery.from_cache:
            self._cache[cache_key] = builder.cache_payload(discovery)
        for name, err in sorted(discovery.unreachable.items()):
            self.display.warning("camguard.network.mac_table: switch %s could not be polled: %s" % (name, err))
        builder.populate(self, discovery, time.monotonic() - started)
        if discovery.unreachable and config.strict_polling:
            # Ansible keeps what a failed source added, but only makes it part of the inventory when
            # another source parsed; with ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED unset, ansible-inventory
            # would then exit 0 with an empty inventory. Reconciled here, the switches stay visible
            # (those not polled in camguard_unreachable) and the playbooks' report play fails on them.
            self.inventory.reconcile_inventory()
            names = ", ".join("%s (%s)" % (k, v) for k, v in sorted(discovery.unreachable.items()))
            raise AnsibleError("camguard.network.mac_table: strict_polling is on and switches failed: %s" % names)

    def _render(self, where, value):
        """One option value that is a Jinja2 template, rendered with this plugin's templar (lookups,
        no host variables); an error names the option."""
        try:
            return self.templar.template(value)
        except Exception as e:  # any templating error (undefined, lookup failure, syntax)
            raise ConfigError("%s: cannot render the template %r: %s" % (where, value, to_native(e))) from None
