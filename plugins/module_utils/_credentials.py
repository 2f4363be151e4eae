# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which password and key reach a switch: one order for the inventory plugin and the modules.

The order is the table "Which credential wins" in README.md; the inventory plugin
(``_inventory_config``), the modules (``_collect.args``) and the role (``camera_isolation``'s
validate and run_module steps) follow it, so that polling, isolation and audit log in to a switch
the same way:

1. the inventory file's settings for the switch (``switches[].username`` / ``username_env``,
   ``switches[].password_env``, ``switches[].private_key_file``);
2. the host's standard connection variables: ``ansible_user``, ``ansible_password`` /
   ``ansible_ssh_pass``, ``ansible_ssh_private_key_file`` / ``ansible_private_key_file`` (from
   another inventory source such as NetBox; in playbooks also host_vars and group_vars);
3. the inventory file's plugin-wide options, which are defaults (``username`` / ``username_env``,
   a ``password_env`` other than ``CAMGUARD_PASSWORD``, ``private_key_file``);
4. the collection's environment defaults: ``CAMGUARD_USERNAME``, ``CAMGUARD_PASSWORD``,
   ``CAMGUARD_PRIVATE_KEY_FILE`` (the AWX credential type ``awx/credential_type.yml``);
5. AWX's Network credential: ``ANSIBLE_NET_USERNAME``, ``ANSIBLE_NET_PASSWORD``,
   ``ANSIBLE_NET_SSH_KEYFILE``;
6. (playbooks only) the command line and AWX's Machine credential: ``-u``, ``--ask-pass``,
   ``--private-key``.

The inventory stores its choice from rows 1 and 3 in the host variables ``camguard_username``,
``camguard_password_env`` and ``camguard_private_key_file``; the role and the modules take those
first. In ``resolve_password``, ``password_env`` is that choice and ``host_password`` row 2.

A ``password_env`` chosen for a switch that names a variable other than the default is the
override: when that variable is unset, no other password is used, and without a key file the
switch is not tried at all (``login_problem`` says which variable is unset). Secrets are only
ever returned, never formatted into a message.
"""

from __future__ import annotations

import os
from typing import Mapping, Optional, Tuple

DEFAULT_PASSWORD_ENV = "CAMGUARD_PASSWORD"  # noqa: S105 - the name of a variable, not a password
DEFAULT_USERNAME_ENV = "CAMGUARD_USERNAME"
DEFAULT_KEY_ENV = "CAMGUARD_PRIVATE_KEY_FILE"
NET_USERNAME_ENV = "ANSIBLE_NET_USERNAME"
NET_PASSWORD_ENV = "ANSIBLE_NET_PASSWORD"  # noqa: S105 - the name of a variable
NET_KEY_ENV = "ANSIBLE_NET_SSH_KEYFILE"


def explicit_password_env(password_env: Optional[str]) -> Optional[str]:
    """``password_env`` when it names a variable other than the default, else None.

    >>> explicit_password_env("SITE_PW"), explicit_password_env("CAMGUARD_PASSWORD"), explicit_password_env(None)
    ('SITE_PW', None, None)
    """
    return password_env if password_env and password_env != DEFAULT_PASSWORD_ENV else None


def resolve_password(
    password_env: Optional[str], host_password: Optional[str], environ: Mapping[str, str]
) -> Tuple[Optional[str], Optional[str]]:
    """``(password, unset)``: the password for a switch, and the name of the explicitly named
    variable that is not set (then the password is None).

    ``host_password`` is the host's ``ansible_password`` (or the module's ``password`` option).

    >>> resolve_password("SITE_PW", "hostpw", {"SITE_PW": "x", "CAMGUARD_PASSWORD": "y"})[0]
    'x'
    >>> resolve_password("NO_SUCH_PW_VAR", "hostpw", {"CAMGUARD_PASSWORD": "y"})
    (None, 'NO_SUCH_PW_VAR')
    >>> resolve_password("CAMGUARD_PASSWORD", None, {"ANSIBLE_NET_PASSWORD": "n"})[0]
    'n'
    """
    name = explicit_password_env(password_env)
    if name:
        value = environ.get(name)
        return (value, None) if value else (None, name)
    password = host_password or environ.get(DEFAULT_PASSWORD_ENV) or environ.get(NET_PASSWORD_ENV)
    return (password or None), None


def usable_key(path: Optional[str]) -> bool:
    """A key file is given: a path that is not an empty file (AWX writes an empty one when its
    credential has no key). A path that does not exist counts: the SSH library names it."""
    if not path:
        return False
    p = os.path.expanduser(path)
    return not (os.path.isfile(p) and os.path.getsize(p) == 0)


def login_problem(password: Optional[str], key_file: Optional[str], unset: Optional[str]) -> Optional[str]:
    """Why a switch is not tried: ``password_env`` names a variable that is not set and there is
    no key file. None otherwise (with no password and no key at all the SSH session says so:
    "no password and no private key file to log in with").

    >>> login_problem(None, None, "NO_SUCH_PW_VAR")
    'no login attempted: password_env names NO_SUCH_PW_VAR, which is not set, and there is no private key file'
    >>> login_problem(None, None, None) is None
    True
    """
    if password or usable_key(key_file) or not unset:
        return None
    return f"no login attempted: password_env names {unset}, which is not set, and there is no private key file"


def password_note(unset: Optional[str]) -> str:
    """What to add to an authentication failure when the explicitly named variable was unset."""
    return f" (password_env names {unset}, which is not set: only the key was tried)" if unset else ""
