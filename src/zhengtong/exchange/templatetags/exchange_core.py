"""Template helpers of the exchange core (the 发送 panel on a document's page)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def exchange_send_state(context, document) -> dict:
    """Whether the person may send this document, and where it has been sent so far."""
    from zhengtong.exchange import selectors
    from zhengtong.exchange.models import Dispatch

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or document is None or getattr(document, "direction", "") != "outgoing":
        return {"visible": False}
    may_send = selectors.may_send(user, document.unit)
    may_track = may_send or selectors.may_track(user, document.unit)
    if not may_track:
        return {"visible": False}
    dispatches = list(Dispatch.objects.filter(document=document).order_by("-sent_at")[:5]) if document.pk else []
    if not dispatches and not (may_send and document.sealed_pdf):
        return {"visible": False}
    return {"visible": True, "may_send": may_send and bool(document.sealed_pdf), "dispatches": dispatches}
