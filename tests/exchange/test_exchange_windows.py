"""Receiving windows (seed 000: 10:00–10:30 and 16:00–16:30 on working days), on real 2026 days."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from zhengtong.exchange.models import WindowAttendance
from zhengtong.exchange.services import windows

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: str, hhmm: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T{hhmm}").replace(tzinfo=SHANGHAI)


@pytest.mark.django_db
def test_receiving_inside_a_window_records_attendance_once(cast, django_assert_max_num_queries):
    # 2026-10-09 (Friday) is the second working day after the National Day holiday.
    windows.note_receiving(unit=cast.unit, user=cast.clerk, at=at("2026-10-09", "10:05"))
    windows.note_receiving(unit=cast.unit, user=cast.admin, at=at("2026-10-09", "10:20"))
    row = WindowAttendance.objects.get(unit=cast.unit)
    assert row.day == datetime.date(2026, 10, 9)
    assert row.starts_at == at("2026-10-09", "10:00") and row.ends_at == at("2026-10-09", "10:30")
    assert row.attended_at == at("2026-10-09", "10:05") and row.attended_by == cast.clerk
    with django_assert_max_num_queries(2):  # the calendar version + the attendance row
        windows.note_receiving(unit=cast.unit, user=cast.admin, at=at("2026-10-09", "10:29"))


@pytest.mark.django_db
def test_afternoon_window_and_swapped_saturday_count(cast):
    windows.note_receiving(unit=cast.unit, user=cast.clerk, at=at("2026-10-09", "16:00"))
    # 2026-10-10 is a Saturday worked in exchange for the National Day holiday (调休).
    windows.note_receiving(unit=cast.unit, user=cast.clerk, at=at("2026-10-10", "10:10"))
    starts = sorted(WindowAttendance.objects.filter(unit=cast.unit).values_list("starts_at", flat=True))
    assert starts == [at("2026-10-09", "16:00"), at("2026-10-10", "10:00")]


@pytest.mark.django_db
@pytest.mark.parametrize("moment", [
    ("2026-10-09", "09:59"), ("2026-10-09", "10:30"), ("2026-10-09", "15:59"), ("2026-10-09", "16:30"),
    ("2026-10-05", "10:10"),  # National Day holiday (a Monday)
    ("2026-10-11", "10:10"),  # Sunday after the swapped Saturday
])
def test_receiving_outside_the_windows_or_on_a_day_off_records_nothing(cast, moment):
    windows.note_receiving(unit=cast.unit, user=cast.clerk, at=at(*moment))
    assert not WindowAttendance.objects.exists()


@pytest.mark.django_db
def test_a_missed_window_row_is_completed_by_receiving_inside_it(cast):
    WindowAttendance.objects.create(unit=cast.unit, day=datetime.date(2026, 10, 9),
                                    starts_at=at("2026-10-09", "10:00"), ends_at=at("2026-10-09", "10:30"),
                                    pending_count=3)
    windows.note_receiving(unit=cast.unit, user=cast.clerk, at=at("2026-10-09", "10:15"))
    row = WindowAttendance.objects.get()
    assert row.attended_by == cast.clerk and row.attended_at == at("2026-10-09", "10:15")


@pytest.mark.django_db
def test_units_are_recorded_separately(cast):
    windows.note_receiving(unit=cast.unit, user=cast.clerk, at=at("2026-10-09", "10:05"))
    windows.note_receiving(unit=cast.other_unit, user=cast.outsider, at=at("2026-10-09", "10:06"))
    assert WindowAttendance.objects.filter(attended_at__isnull=False).count() == 2
