"""Every state change of the process engine (keyword-only, atomic, permission-checked, audited)."""

from zhengtong.workflow.services.definitions import (restore_default_definition, upload_definition,  # noqa: F401
                                                     validate_definition)
from zhengtong.workflow.services.delegations import delegate, revoke_delegation  # noqa: F401
from zhengtong.workflow.services.processes import (cancel_process, complete_work_item,  # noqa: F401
                                                   current_definition, send_back, start_process, transfer,
                                                   withdraw)
from zhengtong.workflow.services.timers import refresh_timers, remind_overdue  # noqa: F401
