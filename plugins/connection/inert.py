# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

DOCUMENTATION = r"""
name: inert
short_description: A connection that refuses every task (for restricted-device inventory hosts)
version_added: 0.1.0
description:
  - The C(camguard.network.mac_table) inventory plugin adds every restricted device it finds as an
    inventory host for reporting and grouping. Those hosts must never be contacted by a play, as a
    restricted camera is not a managed node, and logging in to it would hand it credentials.
  - The plugin sets C(ansible_connection=camguard.network.inert) on them. Any task that reaches
    such a host fails at once with a message naming the host, without opening any connection.
  - Plays should target C(camguard_switches); facts about devices are read from C(hostvars).
author:
  - camguard.network contributors (@camguard)
"""

from ansible.errors import AnsibleConnectionFailure
from ansible.plugins.connection import ConnectionBase


class Connection(ConnectionBase):
    """Refuses everything: the host is a report entry, not a target."""

    transport = "camguard.network.inert"
    has_pipelining = False

    def _refuse(self):
        host = self._play_context.remote_addr if self._play_context else "?"
        raise AnsibleConnectionFailure(
            "camguard.network.inert: host %s is a restricted device found by camguard.network.mac_table; it is "
            "a report entry, not a target. Target the group camguard_switches instead." % host
        )

    def _connect(self):
        self._refuse()

    def exec_command(self, cmd, in_data=None, sudoable=True):
        self._refuse()

    def put_file(self, in_path, out_path):
        self._refuse()

    def fetch_file(self, in_path, out_path):
        self._refuse()

    def close(self):
        self._connected = False
