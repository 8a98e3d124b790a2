"""Names of notification categories (Notice.category), shown on the notices and preferences pages.

Apps that send notices may register their categories in their ``setup.ready()`` with
:func:`register_category`; an unknown category is shown by its code.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

_labels: dict[str, Any] = {
    # Sent by the exchange (公文交换) and the seals (电子印章):
    "exchange.delivery": _("Documents received by exchange"),
    "exchange.notice": _("Notices received by exchange"),
    "exchange.urge": _("Reminders to receive"),
    "exchange.return": _("Returned deliveries"),
    "exchange.copies": _("Copy requests"),
    "exchange.window": _("Receiving windows"),
    "seals": _("Seals"),
    # Reminders of the older apps, once they send them through notify():
    "documents.urge": _("Document reminders"),
    "workflow.overdue": _("Overdue to-do items"),
    "quotas.reminder": _("Website update reminders"),
}


def register_category(code: str, label: Any) -> None:
    """Name a category (a lazily translated label); a later registration replaces an earlier one."""
    _labels[code] = label


def label_for(code: str) -> str:
    return str(_labels.get(code, code))


def choices() -> list[tuple[str, str]]:
    """The known categories, for the preferences form (sorted by label)."""
    return sorted(((code, str(label)) for code, label in _labels.items()), key=lambda pair: pair[1])
