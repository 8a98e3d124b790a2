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


# --- closing a window --------------------------------------------------------------------------------

try:
    from .windows_reports_helpers import delivery, dispatch
except ImportError:
    from windows_reports_helpers import delivery, dispatch


@pytest.fixture
def waiting(cast):
    """Two documents wait for the cast's unit and one for the other unit, delivered on 2026-10-09 at 09:00."""
    for title in ("关于做好秋冬种工作的通知", "关于开展安全生产检查的通知"):
        delivery(dispatch(cast, sent_at=at("2026-10-09", "09:00"), title=title), cast.unit,
                 due_at=at("2026-10-09", "16:30"))
    delivery(dispatch(cast, sender=cast.unit, sent_at=at("2026-10-09", "09:00")), cast.other_unit,
             due_at=at("2026-10-09", "16:30"))
    return cast


@pytest.mark.django_db
def test_closing_a_window_records_and_reminds_the_units_that_did_not_come(waiting, django_capture_on_commit_callbacks):
    from zhengtong.audit.models import AuditRecord
    from zhengtong.notifications.models import Notice

    windows.note_receiving(unit=waiting.other_unit, user=waiting.outsider, at=at("2026-10-09", "10:12"))
    with django_capture_on_commit_callbacks():
        closed = windows.close_window(slot_end=at("2026-10-09", "10:30"))
    assert closed.missed == 1
    missed = WindowAttendance.objects.get(attended_at__isnull=True)
    assert missed.unit == waiting.unit and missed.pending_count == 2 and missed.reminded_at is not None
    notices = Notice.objects.filter(category=windows.NOTICE_CATEGORY)
    assert [n.recipient for n in notices] == [waiting.clerk]
    assert "2" in notices[0].body and notices[0].unit == waiting.unit
    assert AuditRecord.objects.filter(action="exchange.window.close").count() == 1
    # Closing it again changes nothing and reminds nobody twice.
    again = windows.close_window(slot_end=at("2026-10-09", "10:30"))
    assert (again.missed, again.reminded) == (0, 0)
    assert WindowAttendance.objects.count() == 2 and notices.count() == 1
    assert list(windows.missed(start=datetime.date(2026, 10, 9))) == [missed]


@pytest.mark.django_db
def test_units_with_nothing_waiting_or_without_a_clerk_are_not_expected(cast):
    windows.close_window(slot_end=at("2026-10-09", "16:30"))
    assert not WindowAttendance.objects.exists()


@pytest.mark.django_db
def test_a_window_must_exist_to_be_closed(cast):
    with pytest.raises(ValueError):
        windows.close_window(slot_end=at("2026-10-11", "10:30"))  # Sunday
    with pytest.raises(ValueError):
        windows.close_window(slot_end=at("2026-10-09", "11:00"))


@pytest.mark.django_db
def test_the_periodic_task_closes_the_windows_that_ended(waiting):
    assert windows.close_finished_windows(now=at("2026-10-09", "10:29")) == []
    closed = windows.close_finished_windows(now=at("2026-10-09", "10:31"))
    assert [c.slot.starts_at for c in closed] == [at("2026-10-09", "10:00")]
    assert WindowAttendance.objects.filter(starts_at=at("2026-10-09", "10:00")).count() == 2
    # The next morning (the swapped Saturday 2026-10-10) it catches up with yesterday's afternoon window.
    closed = windows.close_finished_windows(now=at("2026-10-10", "03:00"))
    assert [c.slot.starts_at for c in closed] == [at("2026-10-09", "16:00")]


@pytest.mark.django_db
def test_clerks_are_told_when_a_window_opens_with_items_waiting(waiting):
    from zhengtong.notifications.models import Notice

    assert windows.remind_window_start(now=at("2026-10-09", "09:59")) == 0
    assert windows.remind_window_start(now=at("2026-10-09", "10:00")) == 2  # one clerk in each unit
    assert windows.remind_window_start(now=at("2026-10-09", "10:05")) == 0
    titles = set(Notice.objects.values_list("title", flat=True))
    assert len(titles) == 2  # 2 waiting for one unit, 1 for the other


def test_the_huey_task_is_registered():
    from huey.contrib.djhuey import HUEY

    from zhengtong.exchange import tasks_reporting

    periodic = HUEY._registry._periodic_tasks  # the apps' ready() imported tasks_reporting
    assert tasks_reporting.receiving_windows_every_minute.task_class in periodic


@pytest.mark.django_db
def test_the_operators_windows_page_shows_who_received_and_who_did_not(waiting, signed_in):
    windows.note_receiving(unit=waiting.other_unit, user=waiting.outsider, at=at("2026-10-09", "10:12"))
    windows.close_window(slot_end=at("2026-10-09", "10:30"))
    response = signed_in(waiting.operator).get("/office/exchange/windows/", {"day": "2026-10-09"})
    assert response.status_code == 200
    morning, afternoon = response.context["slots"]
    assert [row.unit for row in morning.attended] == [waiting.other_unit]
    assert [(row.unit, row.pending_count) for row in morning.missed] == [(waiting.unit, 2)]
    assert [item.unit for item in response.context["missed_week"]] == [waiting.unit]
    html = response.content.decode()
    assert "鹤山区财政局" in html and "10:12" in html and "外单位戊" in html
    # A day off has no windows; a bad day is 404; nobody but the operator sees the page.
    day_off = signed_in(waiting.operator).get("/office/exchange/windows/", {"day": "2026-10-11"})
    assert day_off.status_code == 200 and day_off.context["slots"] == [] and not day_off.context["is_working_day"]
    assert signed_in(waiting.operator).get("/office/exchange/windows/", {"day": "2026-13-01"}).status_code == 404
    assert signed_in(waiting.clerk).get("/office/exchange/windows/").status_code == 404
