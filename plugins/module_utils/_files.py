# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one atomic file write: state files, plans, audit copies, reports and vendor data.

A reader sees the old file or the new one, never a part: the text goes to a temporary file in
the same directory, is flushed and fsynced, gets its mode, and is renamed over the path; the
directory is fsynced after the rename so that the rename survives a crash. A failure removes the
temporary file and raises.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from typing import Optional


def atomic_write(path: str, text: str, mode: int = 0o640, newline: Optional[str] = None) -> None:
    """Write ``text`` to ``path`` atomically with file mode ``mode``.

    ``newline`` is passed to ``open``: ``""`` writes line endings exactly as given (CSV reports).
    """
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):
        dfd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
