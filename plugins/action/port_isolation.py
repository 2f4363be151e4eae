# Copyright: (c) 2026, camguard.network contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``camguard.network.port_isolation`` on the controller: the module's code, without a module process.

See ``plugins/plugin_utils/_controller_action.py``. The imports below happen once, in the
controller's main process, when the strategy loads this class; the forked workers inherit them.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type  # noqa: UP001 - ansible-test sanity wants it

from ansible_collections.camguard.network.plugins.module_utils._isolate.options import isolation_argument_spec
from ansible_collections.camguard.network.plugins.module_utils._isolate.task import run_task
from ansible_collections.camguard.network.plugins.plugin_utils._controller_action import ControllerTaskAction


class ActionModule(ControllerTaskAction):
    module_name = "port_isolation"
    argument_spec = staticmethod(isolation_argument_spec)
    task = staticmethod(run_task)
