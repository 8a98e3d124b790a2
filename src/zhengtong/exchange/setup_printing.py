"""Registrations of the printing part: audit actions and the sender's home panel of copy requests."""

from django.utils.translation import gettext_lazy as _


def _panel_visible(request) -> bool:
    from zhengtong.exchange import selectors
    from zhengtong.exchange import selectors_printing

    unit = getattr(request, "unit", None)
    return (unit is not None and selectors.may_send(request.user, unit)
            and selectors_printing.pending_count_to(unit) > 0)


def _panel_context(request) -> dict:
    from zhengtong.exchange import selectors_printing

    return {"copy_requests": selectors_printing.requests_to(request.user, request.unit)[:5],
            "copy_request_count": selectors_printing.pending_count_to(request.unit)}


def ready() -> None:
    from zhengtong.audit.actions import register_action
    from zhengtong.office.registry import Panel, register_panel

    register_action("exchange.copy.print", _("Exchanged document printed"))
    register_action("exchange.copy.declassify", _("Exchanged document downloaded without seal (脱密下载)"))
    register_action("exchange.copy.refuse", _("Print or download of an exchanged document refused"))
    register_action("exchange.copies.request", _("More copies or a resend requested"))
    register_action("exchange.copies.grant", _("Request for copies or a resend granted"))
    register_action("exchange.copies.refuse", _("Request for copies or a resend refused"))
    register_panel(Panel(key="exchange-copy-requests", title=_("Requests for copies"),
                         template="exchange/printing/includes/requests_panel.html", context=_panel_context,
                         order=25, width=6, visible=_panel_visible))
