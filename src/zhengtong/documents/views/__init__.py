"""Views of the documents app, by topic; the processing views live in ``views.processing``."""

from zhengtong.documents.views.drafting import (attachment_add, attachment_download, attachment_remove, draft_add,
                                                draft_edit, draft_list, version_detail, versions)
from zhengtong.documents.views.ledgers import (incoming_ledger, incoming_ledger_export, outgoing_ledger,
                                               outgoing_ledger_export)
from zhengtong.documents.views.registers import (number_void, red_header_add, red_header_delete, red_header_edit,
                                                 red_header_list, register_add, register_edit, register_list, register_numbers)

__all__ = [
    "attachment_add", "attachment_download", "attachment_remove", "draft_add", "draft_edit", "draft_list",
    "incoming_ledger", "incoming_ledger_export", "number_void", "outgoing_ledger", "outgoing_ledger_export",
    "red_header_add", "red_header_delete", "red_header_edit", "red_header_list", "register_add", "register_edit",
    "register_list", "register_numbers", "version_detail", "versions",
]


def __getattr__(name: str):
    """``views.<name>`` for the processing views (``views.processing``), imported when first asked for."""
    import importlib

    if name.startswith("__"):
        raise AttributeError(name)
    try:
        module = importlib.import_module(f"{__name__}.processing")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__name__}.processing":
            raise
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    if name == "processing":
        return module
    try:
        return getattr(module, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
