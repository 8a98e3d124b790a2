"""Registrations of the seal lifecycle: audit actions, the 电子印章 menu item, the home panel for what waits
for approval or confirmation, and the receiver that revokes an ended unit's seals."""

from __future__ import annotations

import logging

from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("zhengtong.seals")

AUDIT_ACTIONS = (
    ("seals.application.apply", _("Seal application made")),
    ("seals.application.withdraw", _("Seal application withdrawn")),
    ("seals.application.head_approve", _("Seal application approved by the unit head")),
    ("seals.application.head_refuse", _("Seal application refused by the unit head")),
    ("seals.application.operator_approve", _("Seal application approved by the platform")),
    ("seals.application.operator_refuse", _("Seal application refused by the platform")),
    ("seals.application.confirm", _("Making of a seal confirmed")),
    ("seals.seal.make", _("Seal made")),
    ("seals.seal.revoke", _("Seal revoked")),
    ("seals.seal.report_lost", _("Seal reported lost")),
    ("seals.seal.change_pin", _("Seal PIN changed")),
    ("seals.seal.unlock", _("Seal unlocked")),
    ("seals.seal.wrong_pin", _("Wrong seal PIN")),
)


def _nav_visible(request) -> bool:
    from zhengtong.seals.selectors import may_see_seals

    return may_see_seals(request.user)


def _queue_visible(request) -> bool:
    if not request.user.is_authenticated:
        return False
    from zhengtong.seals.selectors import queue_for

    return queue_for(request.user).exists()


def _queue_context(request) -> dict:
    from zhengtong.seals.selectors import queue_for

    items = list(queue_for(request.user)[:8])
    return {"items": items}


def unit_ended(sender, *, unit, successor=None, reason="", actor=None, **kwargs) -> None:
    """Receiver of ``directory.signals.unit_dissolved``: revoke the ended unit's seals (注销电子印章)."""
    from zhengtong.seals.services.lifecycle import revoke_seals_of_ended_unit

    revoked = revoke_seals_of_ended_unit(unit=unit, actor=actor)
    if revoked:
        logger.info("revoked %d seal(s) of %s (%s)", len(revoked), unit.name, reason)


def ready() -> None:
    from zhengtong.audit.actions import register_action
    from zhengtong.directory.signals import unit_dissolved
    from zhengtong.office.registry import NavItem, Panel, register_nav, register_panel

    for code, label in AUDIT_ACTIONS:
        register_action(code, label)
    register_nav(NavItem(key="seals", label=_("Electronic seals"), url_name="seals:index", icon="award",
                         order=61, visible=_nav_visible, group="seals"))
    register_panel(Panel(key="seals-queue", title=_("Seal applications awaiting you"),
                         template="seals/includes/queue_panel.html", context=_queue_context, order=23,
                         visible=_queue_visible, width=6))
    unit_dissolved.connect(unit_ended, dispatch_uid="seals.lifecycle.unit_ended")

    from zhengtong.seals.demo import register as register_demo

    register_demo()
