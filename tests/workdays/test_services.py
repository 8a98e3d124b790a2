"""Entering a year, the windows and the cutoff: only the operator, validated, audited, all or nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from zhengtong.audit.models import AuditRecord
from zhengtong.workdays import selectors, services
from zhengtong.workdays.exceptions import WorkdaysPermissionDenied
from zhengtong.workdays.models import CalendarDay, CalendarYear, ReceivingWindow, WorkdaySettings

D = datetime.date
T = datetime.time
NOTICE = "国办发明电〔2026〕9号"

# A 2027 entry shaped like a notice (the dates are for the tests, not the real 2027 notice).
HOLIDAYS_2027 = [
    (D(2027, 1, 1), D(2027, 1, 3), "元旦"),
    (D(2027, 2, 6), D(2027, 2, 14), "春节"),  # Saturday to the Sunday after
    (D(2027, 10, 1), D(2027, 10, 7), "国庆节"),
]
WORKDAYS_2027 = [(D(2027, 2, 20), "春节"), (D(2027, 9, 26), "国庆节"), (D(2027, 10, 9), "国庆节")]


def enter_2027(actor, **overrides):
    arguments = {"year": 2027, "holidays": HOLIDAYS_2027, "workdays": WORKDAYS_2027, "notice": NOTICE}
    return services.enter_year(actor=actor, **{**arguments, **overrides})


def test_an_entered_year_overrides_plain_weekends(cast):
    assert not selectors.year_is_covered(2027)
    assert selectors.is_working_day(D(2027, 2, 8))  # a Monday, before the entry
    enter_2027(cast.operator)
    assert selectors.year_is_covered(2027)
    assert not selectors.is_working_day(D(2027, 2, 8))
    assert not selectors.is_working_day(D(2027, 2, 6))
    assert selectors.is_working_day(D(2027, 2, 20))  # a Saturday worked instead
    assert selectors.add_working_days(D(2027, 2, 5), 1) == D(2027, 2, 15)
    assert selectors.exchange_day(datetime.datetime(2027, 2, 19, 15, 0, tzinfo=datetime.UTC)) == D(2027, 2, 20)
    assert CalendarDay.objects.filter(date__year=2027, kind=CalendarDay.Kind.HOLIDAY).count() == 3 + 9 + 7
    year = CalendarYear.objects.get(year=2027)
    assert (year.source, year.notice, year.confirmed_by) == (CalendarYear.Source.ADMIN, NOTICE, cast.operator)


def test_entering_a_year_again_replaces_its_earlier_entry(cast):
    enter_2027(cast.operator)
    enter_2027(cast.operator, holidays=[(D(2027, 1, 1), D(2027, 1, 1), "元旦")], workdays=[])
    assert selectors.is_working_day(D(2027, 2, 8))
    assert not selectors.is_working_day(D(2027, 1, 1))
    assert list(CalendarDay.objects.values_list("date", flat=True)) == [D(2027, 1, 1)]


def test_an_entered_package_year_is_the_whole_truth_for_that_year(cast):
    services.enter_year(actor=cast.operator, year=2026, holidays=[(D(2026, 1, 1), D(2026, 1, 3), "元旦")],
                        workdays=[(D(2026, 1, 4), "元旦")], notice=NOTICE)
    assert selectors.is_working_day(D(2026, 10, 1))  # the package's National Day no longer counts
    assert not selectors.is_working_day(D(2026, 1, 2))


def test_entering_a_year_is_audited_with_what_changed(cast):
    enter_2027(cast.operator)
    record = AuditRecord.objects.get(action="workdays.year.enter")
    assert record.actor_id == cast.operator.pk
    assert record.changes["after"]["holidays"][1] == ["春节", "2027-02-06", "2027-02-14"]
    assert NOTICE in record.summary


def test_only_the_operator_may_enter_a_year(cast):
    for person in (cast.admin, cast.clerk, cast.leader, cast.outsider):
        with pytest.raises(WorkdaysPermissionDenied):
            enter_2027(person)
    assert not CalendarDay.objects.exists()
    assert not CalendarYear.objects.exists()
    assert not AuditRecord.objects.filter(action__startswith="workdays.").exists()


@pytest.mark.parametrize(("holidays", "workdays", "field"), [
    ([(D(2027, 2, 14), D(2027, 2, 6), "春节")], [], "end"),  # empty range
    ([(D(2026, 12, 31), D(2027, 1, 2), "元旦")], [], "start"),  # outside the year
    ([(D(2027, 1, 1), D(2027, 1, 3), "")], [], "name"),
    ([(D(2027, 1, 1), D(2027, 1, 3), "元旦"), (D(2027, 1, 3), D(2027, 1, 4), "其他")], [], "start"),  # overlap
    (HOLIDAYS_2027, [(D(2027, 2, 17), "春节")], "date"),  # a Wednesday cannot be a swapped working day
    (HOLIDAYS_2027, [(D(2027, 2, 13), "春节")], "date"),  # a Saturday inside the holiday
    (HOLIDAYS_2027, [(D(2028, 1, 8), "春节")], "date"),  # outside the year
    (HOLIDAYS_2027, [(D(2027, 2, 20), "春节"), (D(2027, 2, 20), "春节")], "date"),  # twice
])
def test_check_year_entry_finds_each_wrong_row(holidays, workdays, field):
    problems = services.check_year_entry(year=2027, notice=NOTICE, holidays=holidays, workdays=workdays)
    assert [problem.field for problem in problems] == [field]
    assert problems[0].index == len(holidays if field in ("start", "end", "name") else workdays) - 1


def test_the_correct_2027_entry_has_no_problems():
    assert services.check_year_entry(year=2027, notice=NOTICE, holidays=HOLIDAYS_2027, workdays=WORKDAYS_2027) == []


def test_a_wrong_entry_is_refused_and_changes_nothing(cast):
    enter_2027(cast.operator)
    before = list(CalendarDay.objects.values_list("date", "kind"))
    with pytest.raises(ValidationError):
        enter_2027(cast.operator, workdays=[*WORKDAYS_2027, (D(2027, 2, 17), "春节")])
    assert list(CalendarDay.objects.values_list("date", "kind")) == before
    assert AuditRecord.objects.filter(action="workdays.year.enter").count() == 1


def test_a_year_needs_a_notice_and_at_least_one_holiday():
    problems = services.check_year_entry(year=2027, notice=" ", holidays=[], workdays=[])
    assert [(p.field, p.section) for p in problems] == [("notice", None), (None, None)]


def test_the_validation_messages_are_chinese():
    with translation.override("zh-hans"):
        problems = services.check_year_entry(year=2027, notice=NOTICE, holidays=HOLIDAYS_2027,
                                             workdays=[(D(2027, 2, 17), "春节")])
    assert problems[0].message == "调休上班日必须是周六或周日。"


def test_the_operator_confirms_a_package_year_against_the_notice(cast):
    services.confirm_package_year(actor=cast.operator, year=2026, notice="国办发明电〔2025〕7号")
    year = CalendarYear.objects.get(year=2026)
    assert (year.source, year.notice) == (CalendarYear.Source.PACKAGE, "国办发明电〔2025〕7号")
    assert not selectors.is_working_day(D(2026, 10, 1))  # still the package's days
    assert AuditRecord.objects.filter(action="workdays.year.confirm").exists()


def test_a_year_outside_the_package_cannot_be_confirmed_only_entered(cast):
    with pytest.raises(ValidationError):
        services.confirm_package_year(actor=cast.operator, year=2027, notice=NOTICE)
    assert not CalendarYear.objects.exists()


def test_a_unit_admin_cannot_confirm_a_year(cast):
    with pytest.raises(WorkdaysPermissionDenied):
        services.confirm_package_year(actor=cast.admin, year=2026, notice=NOTICE)
    assert not CalendarYear.objects.exists()


# --- windows and cutoff -----------------------------------------------------------------------------

def current_windows():
    return [(w.name, w.start, w.end, w.active) for w in ReceivingWindow.objects.all()]


def test_the_operator_moves_a_window_and_adds_one(cast):
    morning, afternoon = ReceivingWindow.objects.all()
    services.update_receiving_windows(actor=cast.operator, windows=[
        services.WindowInput(pk=morning.pk, name="上午", start=T(9, 30), end=T(10, 0), sort_order=10),
        services.WindowInput(name="中午", start=T(12, 0), end=T(12, 15), sort_order=15),
    ])
    assert [(s.name, s.starts_at.time()) for s in selectors.windows_on(D(2025, 3, 12))] == [
        ("上午", T(9, 30)), ("中午", T(12, 0)), ("下午", T(16, 0))]
    assert AuditRecord.objects.filter(action="workdays.windows.update").exists()


def test_a_switched_off_window_is_not_offered(cast):
    morning, afternoon = ReceivingWindow.objects.all()
    services.update_receiving_windows(actor=cast.operator, windows=[
        services.WindowInput(pk=afternoon.pk, name="下午", start=T(16, 0), end=T(16, 30), active=False)])
    assert [s.name for s in selectors.windows_on(D(2025, 3, 12))] == ["上午"]


WINDOWS = [services.WindowInput(name="上午", start=T(10, 0), end=T(10, 30)),
           services.WindowInput(name="下午", start=T(16, 0), end=T(16, 30))]


@pytest.mark.parametrize(("window", "field"), [
    (services.WindowInput(name="上午", start=T(10, 30), end=T(10, 0)), "end"),  # closes before it opens
    (services.WindowInput(name="上午", start=T(16, 10), end=T(16, 40)), "start"),  # overlaps the afternoon
    (services.WindowInput(name="", start=T(9, 0), end=T(9, 30)), "name"),
    (services.WindowInput(name="上午", start=None, end=T(9, 30)), "start"),
])
def test_check_windows_finds_each_wrong_window(window, field):
    problems = services.check_windows([WINDOWS[1], window])
    assert [(problem.field, problem.index) for problem in problems] == [(field, 1)]


def test_an_overlapping_window_that_is_switched_off_is_allowed():
    assert services.check_windows([*WINDOWS, services.WindowInput(name="x", start=T(10, 0), end=T(10, 10),
                                                                  active=False)]) == []


def test_a_wrong_window_is_refused_and_changes_nothing(cast):
    morning = ReceivingWindow.objects.first()
    before = current_windows()
    with pytest.raises(ValidationError):
        services.update_receiving_windows(actor=cast.operator, windows=[
            services.WindowInput(pk=morning.pk, name="上午", start=T(16, 10), end=T(16, 40))])
    assert current_windows() == before


def test_the_last_active_window_cannot_be_switched_off(cast):
    rows = [services.WindowInput(pk=w.pk, name=w.name, start=w.start, end=w.end, active=False)
            for w in ReceivingWindow.objects.all()]
    with pytest.raises(ValidationError):
        services.update_receiving_windows(actor=cast.operator, windows=rows)
    assert all(w.active for w in ReceivingWindow.objects.all())


def test_only_the_operator_may_change_windows_or_the_cutoff(cast):
    before = current_windows()
    morning = ReceivingWindow.objects.first()
    for person in (cast.admin, cast.clerk, cast.outsider):
        with pytest.raises(WorkdaysPermissionDenied):
            services.update_receiving_windows(actor=person, windows=[
                services.WindowInput(pk=morning.pk, name="上午", start=T(8, 0), end=T(8, 30))])
        with pytest.raises(WorkdaysPermissionDenied):
            services.update_cutoff(actor=person, cutoff=T(17, 0))
    assert current_windows() == before
    assert WorkdaySettings.load().cutoff == T(15, 0)
    assert not AuditRecord.objects.filter(action__startswith="workdays.").exists()


def test_the_operator_changes_the_cutoff_and_exchange_days_follow(cast):
    services.update_cutoff(actor=cast.operator, cutoff=T(16, 0))
    moment = datetime.datetime(2025, 3, 12, 7, 30, tzinfo=datetime.UTC)  # 15:30 in Beijing
    assert selectors.exchange_day(moment) == D(2025, 3, 12)
    record = AuditRecord.objects.get(action="workdays.cutoff.update")
    assert record.changes == {"cutoff": ["15:00:00", "16:00:00"]}


def test_a_cutoff_outside_office_hours_is_refused(cast):
    with pytest.raises(ValidationError):
        services.update_cutoff(actor=cast.operator, cutoff=T(23, 0))
    assert WorkdaySettings.load().cutoff == T(15, 0)
