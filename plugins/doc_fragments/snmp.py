# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    # The SNMP backend's settings (mac_table_info and the mac_table inventory plugin). The defaults
    # are those of _collect.snmp.SNMP_OPTION_DEFAULTS (a unit test compares them).
    DOCUMENTATION = r"""
options:
  snmp:
    description:
      - How to read a switch over SNMP (C(backend=snmp), or C(backend=auto) when SNMP credentials are set).
        SNMP only reads (it finds and locates devices); isolation always uses the CLI.
      - Secrets are never given here, only the names of the environment variables that hold them (the
        AWX credential type C(camguard SNMP) sets them). No secret reaches host variables, results or logs.
      - SNMPv3 with O(snmp.auth_protocol=sha256) (or stronger) and O(snmp.priv_protocol=aes) is the
        recommended setting; SNMPv2c sends its community in clear text.
    type: dict
    suboptions:
      version:
        description: V(2c) or V(3). Default V(3) when a v3 user is set (O(snmp.user) or O(snmp.user_env)), else V(2c).
        type: str
        choices: ['2c', '3']
      community_env:
        description: Environment variable holding the SNMPv2c community.
        type: str
        default: CAMGUARD_SNMP_COMMUNITY
      user:
        description: SNMPv3 user name (not a secret); wins over O(snmp.user_env).
        type: str
      user_env:
        description: Environment variable holding the SNMPv3 user name.
        type: str
        default: CAMGUARD_SNMP_USER
      auth_protocol:
        description: SNMPv3 authentication (HMAC) protocol. V(md5) and V(sha) are for old agents only.
        type: str
        choices: [md5, sha, sha224, sha256, sha384, sha512]
        default: sha256
      auth_key_env:
        description: Environment variable holding the SNMPv3 authentication pass phrase (unset = noAuthNoPriv).
        type: str
        default: CAMGUARD_SNMP_AUTH_KEY
      priv_protocol:
        description:
          - SNMPv3 privacy protocol. V(aes) is AES-128 (RFC 3826); V(aes192)/V(aes256) use the key extension of
            Cisco and Net-SNMP, V(aes192b)/V(aes256b) the Blumenthal draft's. V(des) is for old agents only.
        type: str
        choices: [des, aes, aes192, aes256, aes192b, aes256b]
        default: aes
      priv_key_env:
        description: Environment variable holding the SNMPv3 privacy pass phrase (unset = authNoPriv).
        type: str
        default: CAMGUARD_SNMP_PRIV_KEY
      context:
        description: SNMPv3 context name (Cisco per-VLAN contexts C(vlan-N) are chosen automatically).
        type: str
        default: ''
      port:
        description: UDP port of the agent.
        type: int
        default: 161
      timeout:
        description: Seconds to wait for one answer.
        type: float
        default: 2.0
      retries:
        description: How often a request is sent again after a timeout.
        type: int
        default: 1
      max_repetitions:
        description: GETBULK max-repetitions (rows per column per request; several columns go in one request).
        type: int
        default: 10
      max_rows:
        description: Rows read at most per table column; a larger table is cut there, with a warning.
        type: int
        default: 100000
      deadline:
        description: Seconds one switch may take in all; past it the switch fails with a clear error.
        type: float
        default: 300.0
      vlan_contexts:
        description:
          - On Cisco switches without a Q-BRIDGE MAC table, read the BRIDGE-MIB of each VLAN through
            C(community@vlan) (v2c) or context C(vlan-N) (v3).
        type: bool
        default: true
      max_vlans:
        description: Per-VLAN contexts read at most (Cisco).
        type: int
        default: 256
"""
