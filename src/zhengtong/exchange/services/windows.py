"""Receiving windows (公文接收时段, seed 000: 10:00–10:30 and 16:00–16:30 on working days).

Every receiving action (open, check, sign for, return, print, read through the API) calls
``note_receiving``: when it happens inside a window, the unit's ``WindowAttendance`` row for that
window is created or completed once. After each window, ``close_window`` records the units that
did not come and reminds their clerks.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhengtong.exchange.models import WindowAttendance
from zhengtong.workdays import selectors as workdays


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
