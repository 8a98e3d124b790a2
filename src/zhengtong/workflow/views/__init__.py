"""Office pages of the process engine at /office/workflow/: lists, work items, trace, definitions, delegation."""

from zhengtong.workflow.views.definitions import (definition, definition_download, definition_restore,
                                                 definition_upload, definitions)
from zhengtong.workflow.views.delegations import delegation_revoke, delegations
from zhengtong.workflow.views.items import complete, item, send_back, transfer, withdraw
from zhengtong.workflow.views.lists import done, in_progress, panel_context, todo
from zhengtong.workflow.views.trace import cancel, trace

__all__ = [
    "cancel", "complete", "definition", "definition_download", "definition_restore", "definition_upload",
    "definitions", "delegation_revoke", "delegations", "done", "in_progress", "item", "panel_context", "send_back",
    "todo", "trace", "transfer", "withdraw",
]
