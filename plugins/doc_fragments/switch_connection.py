# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    # How the modules log in to one switch (the inventory plugin has its own, per-switch options).
    DOCUMENTATION = r"""
options:
  port:
    description: SSH port.
    type: int
    default: 22
  username:
    description: Login name.
    type: str
    required: true
  password:
    description:
      - Password. Falls back to the environment variable E(CAMGUARD_PASSWORD), then to E(ANSIBLE_NET_PASSWORD)
        (AWX's Network credential).
      - The role C(camguard.network.camera_isolation) passes the host's C(ansible_password) here; which variable
        wins is the table "Which credential wins" in the collection's C(README.md).
    type: str
  password_env:
    description:
      - Name of an environment variable to read the password from. A name other than E(CAMGUARD_PASSWORD) is the
        override - it wins over O(password) - and when that variable is unset no other password is used; without
        O(private_key_file) the task then fails before connecting, naming the variable.
    type: str
  private_key_file:
    description:
      - SSH private key file. Falls back to the environment variable E(CAMGUARD_PRIVATE_KEY_FILE), then to
        E(ANSIBLE_NET_SSH_KEYFILE). An empty file, or an empty string, means no key.
      - With neither a password nor a key the task fails before connecting.
    type: path
  host_key_checking:
    description: Verify the switch's SSH host key against known_hosts. Turning it off is meant for labs only.
    type: bool
    default: true
  known_hosts_file:
    description: known_hosts file (default C(~/.ssh/known_hosts)). Falls back to E(CAMGUARD_KNOWN_HOSTS_FILE).
    type: path
  connect_timeout:
    description: Seconds to wait for the connection and login.
    type: float
    default: 10
  command_timeout:
    description: Seconds to wait for one command's output.
    type: float
    default: 30
"""
