"""Let `ansible-test sanity` run without the internet.

ansible-test bootstraps pip in each sanity virtual environment with a `get-pip.py` script that it
downloads from ci-files.testing.ansible.com, which is unreachable here.  It first looks for a cached
copy in ~/.ansible/test/cache/get_pip_<version>.py.  This writes a small stand-in there that
bootstraps pip with the interpreter's own `ensurepip` and then installs the requested packages from
the package index (which is reachable).  Run with the Python of the venv that has ansible-core.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

STUB = '''"""Offline stand-in for get-pip.py, written by camguard tools/ansible_test_offline.py."""
import subprocess
import sys

subprocess.check_call([sys.executable, "-m", "ensurepip", "--upgrade", "--default-pip"],
                      stdout=subprocess.DEVNULL)
args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]
subprocess.check_call([sys.executable, "-m", "pip", "install", "--disable-pip-version-check", "-q"] + args)
'''


def pip_versions() -> set[str]:
    import ansible_test

    src = Path(ansible_test.__file__).parent / "_internal" / "python_requirements.py"
    return set(re.findall(r"pip\s*=\s*'([0-9.]+)'", src.read_text())) or {"24.2"}


def main() -> int:
    cache = Path(os.path.expanduser("~/.ansible/test/cache"))
    cache.mkdir(parents=True, exist_ok=True)
    for version in sorted(pip_versions()):
        path = cache / f"get_pip_{version.replace('.', '_')}.py"
        if not path.exists() or "camguard" in path.read_text():
            path.write_text(STUB)
        print(f"ansible-test pip bootstrap: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
