# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The exception hierarchy of the pure cores: ``CamguardError`` and its subclasses.

The lowest module of the collection: it imports nothing. ``_records`` re-exports every class (it
is the contract; import them from there); they live here so that ``_mac``, which ``_records``
needs to read MACs, can raise ``InvalidMacError`` without importing ``_records``.
"""

from __future__ import annotations

from typing import Optional


class CamguardError(Exception):
    """Base of every error raised by the pure cores."""


class InvalidMacError(CamguardError, ValueError):
    """A string that is not a MAC address in any spelling a switch uses."""


class InvalidInterfaceError(CamguardError, ValueError):
    """An interface name that fails validation (device output is untrusted)."""


class ParseError(CamguardError):
    """Device output that cannot be parsed at all (junk rows are skipped, not raised)."""


class UnsupportedPlatformError(CamguardError):
    """A platform key that is not in the platform table."""


class PolicyError(CamguardError):
    """A malformed policy, override or waiver file; the message names the file and key."""


class ConfigError(CamguardError):
    """A malformed configuration of the switches or of how they are read (inventory plugin
    options, the switch list, location options); the message names the key."""


class RecordError(CamguardError, ValueError):
    """A record dict that does not fit the contract; the message names the key path
    (``findings[3].verdict.status``)."""


class DeviceError(CamguardError):
    """A device answered with an error, timed out or could not be reached."""

    def __init__(self, switch: str, message: str, command: Optional[str] = None) -> None:
        self.switch = switch
        self.command = command
        where = f"{switch}" + (f" (command {command!r})" if command else "")
        super().__init__(f"{where}: {message}")
