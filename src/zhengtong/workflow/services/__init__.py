"""Every state change of the process engine (keyword-only, atomic, permission-checked, audited)."""

from zhengtong.workflow.services.definitions import (
    restore_default_definition,
    upload_definition,
    validate_definition,
)
from zhengtong.workflow.services.delegations import delegate, revoke_delegation
from zhengtong.workflow.services.processes import (
    cancel_process,
    complete_work_item,
    current_definition,
    send_back,
    start_process,
    transfer,
    withdraw,
)
from zhengtong.workflow.services.timers import refresh_timers, remind_overdue

__all__ = [
    "cancel_process", "complete_work_item", "current_definition", "delegate", "refresh_timers", "remind_overdue",
    "restore_default_definition", "revoke_delegation", "send_back", "start_process", "transfer",
    "upload_definition", "validate_definition", "withdraw",
]
