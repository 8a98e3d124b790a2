"""Labels of the audit actions the people import writes (审计事项名称)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhengtong.audit.actions import register_action

AUDIT_ACTIONS = {
    "directory.import.preview": _("People sheet checked for import"),
    "directory.import.confirm": _("People import started"),
    "directory.import.done": _("People imported from a sheet"),
    "directory.import.fail": _("People import failed"),
    "directory.import.passwords": _("One-time passwords of an import downloaded"),
    "directory.import.passwords_wipe": _("One-time passwords of an import deleted unread"),
    "directory.people.export": _("People exported to Excel"),
}

for _code, _label in AUDIT_ACTIONS.items():
    register_action(_code, _label)
