# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The obvious script, for comparison: a serial netmiko loop with TextFSM parsing.

    python benchmarks/alt_serial_netmiko.py SWITCHES.json

SWITCHES.json is a list of {"name", "host", "port"}; the username and password come from the
environment (CAMGUARD_BENCH_USER, CAMGUARD_BENCH_PASSWORD). It runs the same commands the
collection runs on cisco_ios, one switch after the other, with netmiko's defaults and
``use_textfsm=True``, and prints one JSON line: per-switch seconds and parsed row counts.
"""

from __future__ import annotations

import json
import os
import sys
import time

from netmiko import ConnectHandler

COMMANDS = (
    "show mac address-table",
    "show ip arp",
    "show lldp neighbors detail",
    "show cdp neighbors detail",
    "show interfaces switchport",
    "show interfaces status",
    "show etherchannel summary",
)


def main() -> int:
    with open(sys.argv[1], encoding="utf-8") as f:
        switches = json.load(f)
    user = os.environ["CAMGUARD_BENCH_USER"]
    password = os.environ["CAMGUARD_BENCH_PASSWORD"]
    seconds = []
    rows = 0
    for sw in switches:
        t0 = time.perf_counter()
        conn = ConnectHandler(
            device_type="cisco_ios",
            host=sw["host"],
            port=sw["port"],
            username=user,
            password=password,
            use_keys=False,
            allow_agent=False,
            ssh_strict=False,
        )
        try:
            for cmd in COMMANDS:
                parsed = conn.send_command(cmd, use_textfsm=True)
                rows += len(parsed) if isinstance(parsed, list) else 0
        finally:
            conn.disconnect()
        seconds.append(time.perf_counter() - t0)
    print(json.dumps({"seconds": seconds, "rows": rows}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
