"""Every change to documents: keyword-only, atomic, permission-checked and audited.

A package by topic — drafting and versions, numbers, red-header templates, attachments (the
drafting engineer's), and the 发文/收文 processing steps (``processing``, ``incoming``). Every public
name is re-exported here; the processing modules are imported lazily (they import this package).
"""

from __future__ import annotations

import importlib

from zhengtong.documents.services.attachments import add_attachment, remove_attachment
from zhengtong.documents.services.drafting import (check_elements, compare_versions, create_draft,
                                                   default_red_header, diff_rows, layout_for, require_elements,
                                                   update_draft)
from zhengtong.documents.services.numbering import (create_register, default_register, format_number,
                                                    register_for, take_number, update_register, void_number)
from zhengtong.documents.services.templates import create_red_header, delete_red_header, update_red_header

__all__ = [
    "add_attachment", "check_elements", "compare_versions", "create_draft", "create_red_header",
    "create_register", "default_red_header", "default_register", "delete_red_header", "diff_rows",
    "format_number", "layout_for", "register_for", "remove_attachment", "require_elements", "take_number",
    "update_draft", "update_red_header", "update_register", "void_number",
]

# The flow engineer's modules; a missing one (not written yet) must not break this package.
_LAZY_MODULES = ("processing", "incoming")


def __getattr__(name: str):
    """``services.<name>`` for a name defined in ``processing`` or ``incoming`` (PEP 562)."""
    if name.startswith("__"):
        raise AttributeError(name)
    for module_name in _LAZY_MODULES:
        try:
            module = importlib.import_module(f"{__name__}.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{module_name}":
                raise
            continue
        if name == module_name:
            return module
        if hasattr(module, name):
            return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
