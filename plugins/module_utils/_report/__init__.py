# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Stage 5, report: findings + isolation results -> JSON, CSV, HTML and JUnit XML files.

Takes plain dicts (``Finding.to_dict()`` output, ``port_isolation`` results, the switches that
could not be polled) and gives a ``Report`` (one row per restricted device, its outcome
``isolated`` / ``waived`` / ``open``, a summary and whether the run is compliant), its renderings
and the files that hold them. ``model`` validates the input and builds the report, ``formats``
renders JSON, CSV and JUnit and plans and writes the files, ``html`` renders the HTML page.
Imports go one way: ``formats`` -> ``html`` -> ``model``.
"""
