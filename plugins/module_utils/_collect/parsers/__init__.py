# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The parsers: raw CLI output of one switch in, normalised records out.

Takes the text each command printed (``{command: output}``) and the switch's name; gives one
``ParseResult`` of records (``_records``) per getter, with junk rows skipped and counted.

Each module parses one platform family and exports ``SPECS = {platform key: ParserSpec}``: the
commands of each getter (written once, next to the code that reads their output) and the parse
functions. ``common`` holds the vocabulary they share and nothing else imports across modules.
``PARSERS`` is the registry, by the keys of ``_platforms.PLATFORMS``: one line per module. All
imports are static so that Ansible's module packer (AnsiballZ) finds and ships them.
"""

from __future__ import annotations

from typing import Dict

from ansible_collections.camguard.network.plugins.module_utils._collect.parsers import (
    aruba,
    cisco,
    comware,
    eos,
    exos,
    fastiron,
    junos,
    linux,
    os10,
    vrp,
)
from ansible_collections.camguard.network.plugins.module_utils._collect.parsers.common import ParserSpec

PARSERS: Dict[str, ParserSpec] = {
    **cisco.SPECS,
    **eos.SPECS,
    **junos.SPECS,
    **aruba.SPECS,
    **linux.SPECS,
    **comware.SPECS,
    **vrp.SPECS,
    **os10.SPECS,
    **fastiron.SPECS,
    **exos.SPECS,
}
