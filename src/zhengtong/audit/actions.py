"""Human-readable labels of audit action codes (审计事项名称).

Action codes are dotted verbs (``directory.person.create``). Apps register the labels of the
codes they write in their ``AppConfig.ready()`` with :func:`register_action`; an unknown code is
shown as the code itself, so a record is never hidden for want of a label.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

_labels: dict[str, Any] = {
    # directory (组织机构)
    "directory.unit.register": _("Unit registered"),
    "directory.department.create": _("Department created"),
    "directory.person.create": _("Account created"),
    "directory.membership.add": _("Post added"),
    "directory.roles.set": _("Roles changed"),
    "directory.person.reset_password": _("Password reset by an administrator"),
    "directory.person.update_contact": _("Contact details changed"),
    # accounts (账号与安全)
    "accounts.sign_in": _("Signed in"),
    "accounts.sign_in_failed": _("Failed sign-in"),
    "accounts.sign_out": _("Signed out"),
    "accounts.sign_out_everywhere": _("Signed out on every device"),
    "accounts.password_change": _("Password changed"),
    # audit (审计)
    "audit.chain.verified": _("Audit chain verified"),
    "audit.chain.broken": _("Audit chain found broken"),
    "audit.records.export": _("Audit records exported"),
}


def register_action(code: str, label: Any) -> None:
    """Give an action code its (lazily translated) label; a later registration replaces an earlier one."""
    _labels[code] = label


def label_for(action: str) -> str:
    """The label of ``action`` in the active language, or the code itself when none is registered."""
    label = _labels.get(action)
    return str(label) if label is not None else action


def known_actions() -> list[tuple[str, str]]:
    """Every registered (code, label), in the order of their codes so an app's actions stay together."""
    return [(code, str(label)) for code, label in sorted(_labels.items())]
