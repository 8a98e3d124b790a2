"""Registrations made when the app is ready (navigation, panels, audit actions, receivers, demo)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "exchange.dispatch.send": _("Document sent through the exchange"),
    "exchange.dispatch.refuse": _("Sending refused"),
    "exchange.delivery.open": _("Exchanged document opened"),
    "exchange.delivery.check": _("Exchanged document checked (核对)"),
    "exchange.delivery.sign": _("Exchanged document signed for (签收)"),
    "exchange.delivery.return": _("Exchanged document returned (退回)"),
    "exchange.delivery.receive": _("Exchanged document received (第三十七条)"),
    "exchange.delivery.urge": _("Receipt urged (催收)"),
    "exchange.delivery.hand_over": _("Pending deliveries of an ended unit handed over"),
    "exchange.notice.alert": _("Clerks alerted about unopened notices"),
    "exchange.notice.sms": _("SMS sent about unopened notices"),
    "exchange.group.create": _("Recipient group saved"),
    "exchange.group.update": _("Recipient group changed"),
    "exchange.group.delete": _("Recipient group removed"),
    "exchange.settings.update": _("Exchange settings changed"),
}


def _visible(request) -> bool:
    from zhengtong.exchange import selectors

    return request.user.is_authenticated and selectors.may_use_exchange(request.user, getattr(request, "unit", None))


def _is_clerk(request) -> bool:
    from zhengtong.exchange import selectors

    return request.user.is_authenticated and selectors.may_receive(request.user, getattr(request, "unit", None))


def _inbox_context(request) -> dict:
    from django.utils import timezone

    from zhengtong.exchange import selectors

    count = selectors.pending_count(request.unit)
    rows = list(selectors.inbox(request.user, request.unit,
                                prioritise=count <= selectors.PRIORITY_SORT_LIMIT)[:6])
    now = timezone.now()
    for row in rows:
        row.overdue = selectors.is_overdue(row, now)
    return {"rows": rows, "count": count}


def _on_unit_dissolved(sender, **kwargs) -> None:
    from zhengtong.exchange.services import receiving

    receiving.on_unit_dissolved(sender, **kwargs)


def ready() -> None:
    from zhengtong.audit.actions import register_action
    from zhengtong.directory.signals import unit_dissolved
    from zhengtong.office.registry import NavItem, Panel, register_nav, register_panel

    for code, label in ACTIONS.items():
        register_action(code, label)
    register_nav(NavItem(key="exchange", label=_("Document exchange"), url_name="exchange:index",
                         icon="arrow-left-right", order=35, visible=_visible))
    register_panel(Panel(key="exchange-inbox", title=_("Documents to receive (待收公文)"),
                         template="exchange/includes/panel_inbox.html", context=_inbox_context, order=12,
                         visible=_is_clerk, width=6))
    unit_dissolved.connect(_on_unit_dissolved, dispatch_uid="exchange.hand_over_deliveries")

    from zhengtong.exchange.demo import register as register_demo

    register_demo()
