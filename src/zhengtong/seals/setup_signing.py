"""Registrations of the sealing part: audit actions, the 验章 menu item, the 待联合盖章 home panel."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def _signed_in(request) -> bool:
    return request.user.is_authenticated


def _joint_context(request) -> dict:
    from zhengtong.seals.services.sealing import awaiting_joint_seal

    return {"documents": [document for document, _state in awaiting_joint_seal(request.user)][:8]}


def _awaits_joint_seal(request) -> bool:
    if not request.user.is_authenticated:
        return False
    from zhengtong.seals.services.sealing import awaiting_joint_seal

    return bool(awaiting_joint_seal(request.user))


def ready() -> None:
    from zhengtong.audit.actions import register_action
    from zhengtong.office.registry import NavItem, Panel, register_nav, register_panel

    for code, label in (
        ("seals.seal.use", _("Seal applied to a document")),
        ("seals.seal.wrong_pin", _("Wrong seal PIN")),
        ("seals.seal.locked", _("Seal locked after wrong PINs")),
    ):
        register_action(code, label)
    register_nav(NavItem(key="seals-verify", label=_("Verify seals"), url_name="seals:verify", icon="patch-check",
                         order=62, visible=_signed_in, group="seals"))
    register_panel(Panel(key="seals-joint", title=_("Joint seals awaited (待联合盖章)"),
                         template="seals/sealing/panel_joint.html", context=_joint_context, order=24,
                         visible=_awaits_joint_seal, width=6))
