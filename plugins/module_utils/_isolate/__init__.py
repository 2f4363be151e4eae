# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Stage 4, isolate: findings -> a plan -> one configuration session per switch -> verified.

Takes the findings of one switch (``Finding.to_dict()`` output or the module's ``ports`` items,
read into ``plan.PortTarget``), the run's ``options.Options``, the switch's saved isolation state
and a ``Transport`` to the switch. Gives back an ``apply.RunResult``: the plan with its refusals,
the exact configuration lines, whether they were applied, verified or rolled back, and the audit
records, which are also appended to the state directory with the new saved state.

The modules, in dependency order (each imports only modules above it in this list, plus the lower
floors: ``_records``, ``_mac``, ``_ifname``, ``_files``, ``_platforms``, ``_locate``, ``_collect``):

``options``   the options, validated once; the one definition of every isolation default
``plan``      ``build_plan``: guardrails and the per-port change, split by requested state
``render``    the plan as configuration lines: sandboxed templates, per-platform line grammar
``session``   one class per commit model (config mode, configure session, commit confirmed,
              shell, NAPALM)
``readback``  the live state: ports, MAC table, neighbours, ACL ports from the running config
``state``     the state store and append-only audit log under the state directory
``apply``     ``run_isolation``: read, plan, render, one session, verify, roll back, record
``results``   per-port outcome records for ``compliance_report``
``task``      the ``port_isolation`` task body (module and action plugin)

This package's ``__init__`` imports nothing, so the module can load ``options`` (its argument
spec) without the optional dependencies the other modules guard.
"""
