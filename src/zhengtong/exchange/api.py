"""A small JSON read interface (系统接口, seed 001 第三十七条) for a unit's own office system.

``GET /office/exchange/api/deliveries/`` lists what waits for the signed-in clerk's current unit;
``GET /office/exchange/api/deliveries/<pk>/pdf`` returns the sealed PDF and counts as receiving it
(the first read through the interface is the receive time). Session authentication; anyone but the
unit's clerks gets 404.
"""

from __future__ import annotations

from django.http import FileResponse, Http404, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from zhengtong.exchange import selectors
from zhengtong.exchange.services import ExchangePermissionDenied, ExchangeRefused, receiving

LIMIT = 200


def _iso(value):
    return value.isoformat() if value else None


@require_GET
def deliveries(request):
    """Pending deliveries of the current unit, most urgent first (at most 200)."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": "authentication required"}, status=401)
    unit = getattr(request, "unit", None)
    if not selectors.may_receive(request.user, unit):
        raise Http404
    prioritise = selectors.pending_count(unit) <= selectors.PRIORITY_SORT_LIMIT
    rows = selectors.inbox(request.user, unit, prioritise=prioritise)[:LIMIT]
    return JsonResponse({
        "unit": {"code": unit.code, "name": unit.name},
        "deliveries": [{
            "id": row.pk, "title": row.dispatch.title, "number": row.dispatch.number,
            "kind": row.dispatch.kind, "category": row.dispatch.category, "urgency": row.dispatch.urgency,
            "sender": {"code": row.dispatch.sender_unit.code, "name": row.dispatch.sender_unit.name},
            "role": row.role, "copies_allowed": row.copies_allowed, "copies_printed": row.copies_printed,
            "delivered_at": _iso(row.delivered_at), "due_at": _iso(row.due_at), "opened_at": _iso(row.opened_at),
            "received_at": _iso(row.received_at), "sha256": row.dispatch.sha256,
            "pdf": reverse("exchange:api-delivery-pdf", args=[row.pk]),
        } for row in rows],
    })


@require_GET
def delivery_pdf(request, pk: int):
    """The sealed PDF as sent; the first read marks the delivery received via the interface."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": "authentication required"}, status=401)
    delivery = selectors.delivery_for(request.user, pk)
    try:
        receiving.note_received(actor=request.user, delivery=delivery, via="api")
    except ExchangePermissionDenied:
        raise Http404 from None
    except ExchangeRefused as refusal:
        return JsonResponse({"error": str(refusal)}, status=409)
    response = FileResponse(delivery.dispatch.pdf.open("rb"), content_type="application/pdf",
                            filename=f"{delivery.dispatch.sha256[:16]}.pdf")
    response["X-Content-SHA256"] = delivery.dispatch.sha256
    return response
