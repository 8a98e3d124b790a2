"""Registrations made when the app is ready (navigation, panels, audit actions, receivers, demo)."""

from django.utils.translation import gettext_lazy as _


def _may_see_ledger(request) -> bool:
    from zhengtong.exchange.ledger import may_see_ledger

    return may_see_ledger(request.user, getattr(request, "unit", None))


def _is_operator(request) -> bool:
    from zhengtong.directory.selectors import is_platform_operator

    return is_platform_operator(request.user)


def ready() -> None:
    from zhengtong.audit.actions import register_action
    from zhengtong.exchange import tasks_reporting  # noqa: F401 (huey registers the periodic tasks on import)
    from zhengtong.office.registry import NavItem, register_nav

    register_action("exchange.window.close", _("Receiving window closed"))
    register_action("exchange.report.export", _("Receiving report exported"))
    register_action("exchange.ledger.export", _("Register of received documents exported"))
    register_nav(NavItem(key="exchange-report", label=_("Exchange report"), url_name="exchange:report",
                         icon="clipboard-data", order=36, visible=_is_operator, group="seals"))
    register_nav(NavItem(key="exchange-ledger", label=_("Receiving register"), url_name="exchange:ledger",
                         icon="journal-text", order=37, visible=_may_see_ledger, group="seals"))
