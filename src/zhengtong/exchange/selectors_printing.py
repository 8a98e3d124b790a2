"""Reads of the printing part (prints, copy requests, the public copy check); a missing right is 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from zhengtong.exchange import selectors
from zhengtong.exchange.models import CopyRequest, Delivery, Dispatch, PrintRecord


def prints_of(delivery: Delivery) -> QuerySet[PrintRecord]:
    """Every print and 脱密下载 of one delivery, oldest first (the print log, 打印记录)."""
    return delivery.prints.select_related("printed_by").order_by("printed_at", "pk")


def prints_of_dispatch(dispatch: Dispatch) -> QuerySet[PrintRecord]:
    """The sender's view: every copy any recipient printed or downloaded."""
    return (PrintRecord.objects.filter(delivery__dispatch=dispatch)
            .select_related("printed_by", "delivery__unit").order_by("delivery__unit__name", "printed_at", "pk"))


def requests_of(delivery: Delivery) -> QuerySet[CopyRequest]:
    return delivery.copy_requests.select_related("requested_by", "decided_by").order_by("-requested_at", "-pk")


def pending_request(delivery: Delivery) -> CopyRequest | None:
    return delivery.copy_requests.filter(status=CopyRequest.Status.PENDING).first()


def requests_to(user, unit, *, status: str | None = CopyRequest.Status.PENDING) -> QuerySet[CopyRequest]:
    """Requests from receivers of what ``unit`` sent; only for the people who follow its dispatches."""
    if unit is None or not selectors.may_track(user, unit):
        return CopyRequest.objects.none()
    rows = (CopyRequest.objects.filter(delivery__dispatch__sender_unit=unit)
            .select_related("delivery", "delivery__unit", "delivery__dispatch", "requested_by", "decided_by"))
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-requested_at", "-pk")


def pending_requests_of_dispatch(dispatch: Dispatch) -> QuerySet[CopyRequest]:
    return (CopyRequest.objects.filter(delivery__dispatch=dispatch, status=CopyRequest.Status.PENDING)
            .select_related("delivery__unit", "requested_by").order_by("requested_at", "pk"))


def pending_count_to(unit) -> int:
    return CopyRequest.objects.filter(delivery__dispatch__sender_unit=unit, status=CopyRequest.Status.PENDING).count()


def request_to_decide(user, pk) -> CopyRequest:
    """A request to a dispatch of a unit the person sends for (clerk or seal keeper), or 404."""
    request = get_object_or_404(CopyRequest.objects.select_related("delivery__dispatch__sender_unit"), pk=pk)
    if not selectors.may_send(user, request.delivery.dispatch.sender_unit):
        raise Http404
    return request


def copy_by_token(token: str) -> PrintRecord:
    """The printed or downloaded copy a QR code names (public, no sign-in), or 404."""
    if not token or len(token) > 40:
        raise Http404
    return get_object_or_404(PrintRecord.objects.select_related("delivery__dispatch__sender_unit",
                                                                "delivery__unit", "printed_by"), token=token)
