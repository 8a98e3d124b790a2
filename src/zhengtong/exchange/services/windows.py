"""Receiving windows (公文接收时段, seed 000: 10:00–10:30 and 16:00–16:30 on working days).

Every receiving action (open, check, sign for, return, print, read through the API) calls
``note_receiving``: when it happens inside a window, the unit's ``WindowAttendance`` row for that
window is created or completed once. After each window, ``close_window`` records the units that
did not come and reminds their clerks.
"""

from __future__ import annotations

import datetime

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.audit import services as audit
from zhengtong.directory import roles
from zhengtong.directory.models import RoleAssignment, Unit
from zhengtong.exchange.models import Delivery, WindowAttendance
from zhengtong.workdays import selectors as workdays
from zhengtong.workdays.calendar import WindowSlot

# A window is closed by the periodic task within this long after it ends (catching up after a stop).
CATCH_UP = datetime.timedelta(hours=12)
NOTICE_CATEGORY = "exchange.window"


def note_receiving(*, unit, user, at: datetime.datetime | None = None) -> None:
    """seed 000: a unit that receives inside a window (10:00–10:30, 16:00–16:30) attended that window.

    Sets ``attended_at``/``attended_by`` once; later receiving in the same window changes nothing.
    Outside the windows, or on a day off, nothing is recorded. One query when already recorded.
    """
    at = at or timezone.now()
    slot = workdays.receiving_window_at(at)
    if slot is None:
        return
    row = (WindowAttendance.objects.filter(unit=unit, starts_at=slot.starts_at)
           .values_list("pk", "attended_at").first())
    user_id = getattr(user, "pk", None)
    if row is not None:
        if row[1] is None:
            # Recorded as missed (closed early): the first receiving inside the window still counts.
            WindowAttendance.objects.filter(pk=row[0], attended_at__isnull=True).update(
                attended_at=at, attended_by_id=user_id)
        return
    try:
        with transaction.atomic():
            WindowAttendance.objects.create(unit=unit, day=workdays.working_calendar().local(slot.starts_at).date(),
                                            starts_at=slot.starts_at, ends_at=slot.ends_at,
                                            attended_at=at, attended_by_id=user_id)
    except IntegrityError:
        # Another clerk of the unit received at the same moment: the first one counts.
        WindowAttendance.objects.filter(unit=unit, starts_at=slot.starts_at, attended_at__isnull=True).update(
            attended_at=at, attended_by_id=user_id)


# --- after a window ------------------------------------------------------------------------------

def _slot_ending_at(slot_end: datetime.datetime) -> WindowSlot:
    calendar = workdays.working_calendar()
    for slot in calendar.windows_on(calendar.local(slot_end).date()):
        if slot.ends_at == slot_end:
            return slot
    raise ValueError(f"no receiving window ends at {slot_end.isoformat()}")


def _inbox_url() -> str:
    try:
        return reverse("exchange:inbox")
    except NoReverseMatch:
        return ""


def units_with_clerks() -> QuerySet[Unit]:
    """Active units where someone holds the clerk role (收发员): the units expected in the windows."""
    return Unit.objects.filter(status=Unit.Status.ACTIVE, pk__in=RoleAssignment.objects.filter(
        role__code=roles.CLERK).values("unit_id"))


def pending_counts(*, before: datetime.datetime, units=None) -> dict[int, int]:
    """{unit id: deliveries awaiting receipt that were delivered before ``before``}, in one grouped query."""
    deliveries = Delivery.objects.filter(status=Delivery.Status.PENDING, delivered_at__lt=before)
    if units is not None:
        deliveries = deliveries.filter(unit__in=units)
    return dict(deliveries.values_list("unit_id").annotate(n=Count("pk")).values_list("unit_id", "n"))


@dataclass(frozen=True)
class ClosedWindow:
    slot: WindowSlot
    missed: int  # units recorded as not attending, with items waiting
    reminded: int  # clerks notified


def close_window(*, slot_end: datetime.datetime) -> ClosedWindow:
    """seed 000 (严禁不接收、不按时接收): after a window, record the units that did not receive in it.

    A unit with a clerk and deliveries still waiting that did not receive inside the window gets a
    ``WindowAttendance`` row without ``attended_at``, with the number waiting; its clerks are
    reminded once ("未在接收时段接收公文"). A unit with nothing waiting was not expected. Running it
    again for the same window changes nothing.
    """
    slot = _slot_ending_at(slot_end)
    day = workdays.working_calendar().local(slot.starts_at).date()
    with transaction.atomic():
        waiting = pending_counts(before=slot.ends_at, units=units_with_clerks())
        recorded = set(WindowAttendance.objects.filter(starts_at=slot.starts_at, unit_id__in=list(waiting))
                       .values_list("unit_id", flat=True))
        rows = [WindowAttendance(unit_id=unit_id, day=day, starts_at=slot.starts_at, ends_at=slot.ends_at,
                                 pending_count=count)
                for unit_id, count in waiting.items() if unit_id not in recorded]
        WindowAttendance.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
        if rows:
            audit.record(actor=None, actor_name=_("System"), action="exchange.window.close",
                         summary=_("Receiving window %(day)s %(start)s–%(end)s closed: %(count)s units did not "
                                   "receive") % {"day": day.isoformat(), "start": _hhmm(slot.starts_at),
                                                 "end": _hhmm(slot.ends_at), "count": len(rows)},
                         changes={"starts_at": slot.starts_at.isoformat(), "missed": len(rows)})
    reminded = remind_missed(slot=slot)
    return ClosedWindow(slot=slot, missed=len(rows), reminded=reminded)


def _hhmm(moment: datetime.datetime) -> str:
    return workdays.working_calendar().local(moment).strftime("%H:%M")


def remind_missed(*, slot: WindowSlot) -> int:
    """Remind the clerks of each unit that missed ``slot`` and was not reminded yet; returns notices sent."""
    from zhengtong.notifications.services import notify_role

    url = _inbox_url()
    sent = 0
    missed = (WindowAttendance.objects.filter(starts_at=slot.starts_at, attended_at__isnull=True,
                                              reminded_at__isnull=True, pending_count__gt=0)
              .select_related("unit"))
    for row in missed:
        with transaction.atomic():
            claimed = WindowAttendance.objects.filter(pk=row.pk, reminded_at__isnull=True).update(
                reminded_at=timezone.now())
            if not claimed:
                continue  # another worker reminded it
            sent += notify_role(
                unit=row.unit, role_code=roles.CLERK, category=NOTICE_CATEGORY,
                title=_("Documents not received in the receiving window"),
                body=_("Your unit did not receive in the window %(start)s–%(end)s; %(count)s items are still "
                       "waiting. Please receive them in the next window.") % {
                    "start": _hhmm(slot.starts_at), "end": _hhmm(slot.ends_at), "count": row.pending_count},
                url=url, key=f"exchange-window-missed-{row.unit_id}-{slot.starts_at:%Y%m%d%H%M}")
    return sent


def close_finished_windows(*, now: datetime.datetime | None = None) -> list[ClosedWindow]:
    """Close every window that ended in the last 12 hours (the periodic task; repeating is harmless)."""
    now = now or timezone.now()
    calendar = workdays.working_calendar()
    today = calendar.local(now).date()
    slots = calendar.windows_on(today - datetime.timedelta(days=1)) + calendar.windows_on(today)
    return [close_window(slot_end=slot.ends_at) for slot in slots if now - CATCH_UP <= slot.ends_at <= now]


def remind_window_start(*, now: datetime.datetime | None = None) -> int:
    """At the first minute of a window: tell the clerks of units with items waiting that receiving is open."""
    from zhengtong.notifications.services import notify_role

    now = now or timezone.now()
    slot = workdays.receiving_window_at(now)
    if slot is None or now - slot.starts_at >= datetime.timedelta(minutes=1):
        return 0
    waiting = pending_counts(before=now, units=units_with_clerks())
    url = _inbox_url()
    sent = 0
    for unit in Unit.objects.filter(pk__in=list(waiting)):
        sent += notify_role(
            unit=unit, role_code=roles.CLERK, category=NOTICE_CATEGORY,
            title=_("The receiving window is open: %(count)s items waiting") % {"count": waiting[unit.pk]},
            body=_("Receiving window %(start)s–%(end)s.") % {"start": _hhmm(slot.starts_at),
                                                            "end": _hhmm(slot.ends_at)},
            url=url, key=f"exchange-window-open-{unit.pk}-{slot.starts_at:%Y%m%d%H%M}")
    return sent


# --- reading -------------------------------------------------------------------------------------

def missed(*, start: datetime.date, end: datetime.date | None = None) -> QuerySet[WindowAttendance]:
    """Windows missed by units with items waiting, from ``start`` to ``end`` (one day when omitted)."""
    return (WindowAttendance.objects.filter(day__gte=start, day__lte=end or start, attended_at__isnull=True)
            .select_related("unit").order_by("-starts_at", "unit__category__sort_order", "unit__sort_order",
                                             "unit_id"))


@dataclass(frozen=True)
class MissedSummary:
    unit: Unit
    windows: int  # windows missed
    last: WindowAttendance  # the latest one
    most_waiting: int


def missed_by_unit(*, start: datetime.date, end: datetime.date) -> list[MissedSummary]:
    """Per unit, the windows it missed from ``start`` to ``end``, most missed first."""
    grouped: dict[int, list[WindowAttendance]] = {}
    for row in missed(start=start, end=end):
        grouped.setdefault(row.unit_id, []).append(row)
    summaries = [MissedSummary(unit=rows[0].unit, windows=len(rows), last=rows[0],
                               most_waiting=max(row.pending_count for row in rows)) for rows in grouped.values()]
    return sorted(summaries, key=lambda item: (-item.windows, -item.most_waiting, item.unit.pk))
