"""The calendar pages: everyone signed in reads them; only the platform operator changes anything."""

from __future__ import annotations

import datetime

from django.template.loader import render_to_string
from django.urls import reverse

from zhengtong.office.registry import nav_for, panels_for
from zhengtong.workdays import selectors
from zhengtong.workdays.models import CalendarDay, CalendarYear, ReceivingWindow, WorkdaySettings

D = datetime.date
EDIT_2027 = reverse("workdays:year-edit", args=[2027])


def year_post(holidays, workdays, notice="国办发明电〔2026〕9号"):
    data = {"notice": notice, "holidays-TOTAL_FORMS": len(holidays), "holidays-INITIAL_FORMS": 0,
            "workdays-TOTAL_FORMS": len(workdays), "workdays-INITIAL_FORMS": 0}
    for i, (name, start, end) in enumerate(holidays):
        data |= {f"holidays-{i}-name": name, f"holidays-{i}-start": start, f"holidays-{i}-end": end}
    for i, (date, name) in enumerate(workdays):
        data |= {f"workdays-{i}-date": date, f"workdays-{i}-name": name}
    return data


GOOD_2027 = year_post([("元旦", "2027-01-01", "2027-01-03"), ("春节", "2027-02-06", "2027-02-14"),
                       ("清明节", "", ""), ("劳动节", "2027-05-01", "")],  # no dates: skipped; no end: one day
                      [("2027-02-20", "春节"), ("", "")])


def test_the_calendar_marks_the_2026_spring_festival_for_a_clerk(signed_in, cast):
    response = signed_in(cast.clerk).get(reverse("workdays:index"), {"year": 2026})
    assert response.status_code == 200
    page = response.content.decode()
    assert "zt-wd-holiday" in day_classes(page, "2026-02-17")
    assert "zt-wd-swap" in day_classes(page, "2026-02-14")
    assert "春节" in page
    assert "工作日历" in page
    assert reverse("workdays:year-edit", args=[2026]) not in page  # no change link for a clerk


def day_classes(page: str, date: str) -> str:
    marker = f'data-date="{date}"'
    before = page[:page.index(marker)]
    return before[before.rindex("<td"):]


def test_each_kind_of_day_has_its_mark(signed_in, cast):
    page = signed_in(cast.clerk).get(reverse("workdays:index"), {"year": 2025}).content.decode()
    assert "zt-wd-holiday" in day_classes(page, "2025-10-01")
    assert "zt-wd-swap" in day_classes(page, "2025-09-28")
    assert "zt-wd-weekend" in day_classes(page, "2025-10-12")
    assert "zt-wd-holiday" not in day_classes(page, "2025-10-09") and "zt-wd-weekend" not in day_classes(
        page, "2025-10-09")


def test_an_uncovered_year_carries_a_warning(signed_in, cast):
    page = signed_in(cast.clerk).get(reverse("workdays:index"), {"year": 2031}).content.decode()
    assert 'data-testid="year-not-covered"' in page
    page = signed_in(cast.clerk).get(reverse("workdays:index"), {"year": 2026}).content.decode()
    assert 'data-testid="year-not-covered"' not in page


def test_a_nonsense_year_is_not_found(signed_in, cast):
    assert signed_in(cast.clerk).get(reverse("workdays:index"), {"year": "abc"}).status_code == 404
    assert signed_in(cast.clerk).get(reverse("workdays:index"), {"year": 99999}).status_code == 404


def test_the_calendar_needs_sign_in(client, db):
    response = client.get(reverse("workdays:index"))
    assert response.status_code == 302
    assert reverse("accounts:sign-in") in response["Location"]


def test_the_years_page_lists_the_package_years_as_covered(signed_in, cast):
    page = signed_in(cast.clerk).get(reverse("workdays:years")).content.decode()
    for year in (2024, 2025, 2026):
        assert f'data-year="{year}"' in page
    assert "已覆盖" in page
    assert reverse("workdays:year-confirm", args=[2026]) not in page


def test_the_nav_item_and_the_today_panel_are_registered_for_everyone(signed_in, cast):
    client = signed_in(cast.clerk)
    request = client.get(reverse("workdays:index")).wsgi_request
    assert "workdays" in [item.key for item in nav_for(request)]
    panel = next(panel for panel in panels_for(request) if panel.key == "workdays-today")
    html = render_to_string(panel.template, {"panel": panel.context(request)}, request=request)
    assert 'data-testid="workdays-today"' in html
    assert "15:00" in html
    assert "10:00" in html or "16:00" in html  # the next receiving window


def test_the_today_panel_says_a_holiday_is_a_day_off(db):
    now = datetime.datetime(2025, 10, 2, 9, 0, tzinfo=datetime.UTC)
    html = render_to_string("workdays/includes/today_panel.html", {"panel": selectors.today_summary(now=now)})
    assert "国庆节" in html
    assert "10月9日" in html  # the next window and the exchange day are after the holiday


# --- the operator's pages, and everyone else's 404 -----------------------------------------------------

def test_the_change_pages_do_not_exist_for_anyone_but_the_operator(signed_in, cast):
    windows_before = list(ReceivingWindow.objects.values_list("name", "start", "end", "active"))
    for person in (cast.admin, cast.clerk, cast.outsider):
        client = signed_in(person)
        assert client.get(EDIT_2027).status_code == 404
        assert client.post(EDIT_2027, GOOD_2027).status_code == 404
        assert client.get(reverse("workdays:settings")).status_code == 404
        assert client.post(reverse("workdays:settings"), {"action": "cutoff", "cutoff": "17:00"}).status_code == 404
        rows = window_post([{"name": "上午", "start": "08:00", "end": "08:30", "active": "on"}])
        assert client.post(reverse("workdays:settings"), rows).status_code == 404
        assert client.post(reverse("workdays:year-confirm", args=[2026]), {"notice": "x"}).status_code == 404
    assert not CalendarDay.objects.exists() and not CalendarYear.objects.exists()
    assert WorkdaySettings.load().cutoff == datetime.time(15, 0)
    assert list(ReceivingWindow.objects.values_list("name", "start", "end", "active")) == windows_before


def test_a_new_year_starts_with_the_festivals_of_the_notice(signed_in, cast):
    page = signed_in(cast.operator).get(EDIT_2027).content.decode()
    for name in ["元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"]:
        assert f'value="{name}"' in page


def test_a_package_year_starts_with_its_days(signed_in, cast):
    page = signed_in(cast.operator).get(reverse("workdays:year-edit", args=[2026])).content.decode()
    assert 'value="2026-02-15"' in page and 'value="2026-02-23"' in page and 'value="2026-02-14"' in page


def test_the_operator_enters_2027_and_the_calendar_shows_it(signed_in, cast):
    client = signed_in(cast.operator)
    response = client.post(EDIT_2027, GOOD_2027)
    assert response.status_code == 302
    assert not selectors.is_working_day(D(2027, 2, 8))
    assert not selectors.is_working_day(D(2027, 5, 1))
    assert selectors.is_working_day(D(2027, 4, 5))  # the 清明节 row had no dates
    assert selectors.is_working_day(D(2027, 2, 20))
    page = client.get(response["Location"]).content.decode()
    assert "zt-wd-swap" in day_classes(page, "2027-02-20")


def test_a_weekday_as_swapped_working_day_gets_a_chinese_message_next_to_it(signed_in, cast):
    data = year_post([("春节", "2027-02-06", "2027-02-14")], [("2027-02-17", "春节")])
    response = signed_in(cast.operator).post(EDIT_2027, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_workdays-0-date-errors"' in page
    assert "调休上班日必须是周六或周日" in page
    assert not CalendarDay.objects.exists()


def test_a_holiday_ending_before_it_starts_is_refused(signed_in, cast):
    data = year_post([("春节", "2027-02-14", "2027-02-06")], [])
    response = signed_in(cast.operator).post(EDIT_2027, data)
    assert response.status_code == 400
    assert 'id="id_holidays-0-end-errors"' in response.content.decode()
    assert not CalendarDay.objects.exists()


def test_a_missing_notice_is_refused_next_to_its_field(signed_in, cast):
    response = signed_in(cast.operator).post(EDIT_2027, {**GOOD_2027, "notice": ""})
    assert response.status_code == 400
    assert 'id="id_notice-errors"' in response.content.decode()
    assert not CalendarYear.objects.exists()


def test_a_malformed_date_is_refused_in_chinese(signed_in, cast):
    data = year_post([("春节", "2027-02-31", "2027-02-14")], [])
    response = signed_in(cast.operator).post(EDIT_2027, data)
    assert response.status_code == 400
    assert "有效的日期" in response.content.decode()
    assert not CalendarDay.objects.exists()


def test_the_operator_confirms_a_package_year_from_the_years_page(signed_in, cast):
    client = signed_in(cast.operator)
    assert reverse("workdays:year-confirm", args=[2026]) in client.get(reverse("workdays:years")).content.decode()
    response = client.post(reverse("workdays:year-confirm", args=[2026]), {"notice": "国办发明电〔2025〕7号"})
    assert response.status_code == 302
    assert CalendarYear.objects.get(year=2026).notice == "国办发明电〔2025〕7号"


def window_post(rows, extra=None):
    data = {"action": "windows", "windows-TOTAL_FORMS": len(rows), "windows-INITIAL_FORMS": 0}
    for i, row in enumerate(rows):
        data |= {f"windows-{i}-{key}": value for key, value in row.items()}
    return data | (extra or {})


def current_rows():
    return [{"pk": w.pk, "name": w.name, "start": w.start.strftime("%H:%M"), "end": w.end.strftime("%H:%M"),
             "sort_order": w.sort_order, "active": "on"} for w in ReceivingWindow.objects.all()]


def test_the_operator_changes_the_cutoff(signed_in, cast):
    response = signed_in(cast.operator).post(reverse("workdays:settings"), {"action": "cutoff", "cutoff": "16:00"})
    assert response.status_code == 302
    assert WorkdaySettings.load().cutoff == datetime.time(16, 0)


def test_a_malformed_cutoff_is_refused_in_chinese(signed_in, cast):
    response = signed_in(cast.operator).post(reverse("workdays:settings"), {"action": "cutoff", "cutoff": "25:00"})
    assert response.status_code == 400
    assert 'id="id_cutoff-errors"' in response.content.decode()
    assert WorkdaySettings.load().cutoff == datetime.time(15, 0)


def test_the_operator_adds_a_window_in_the_empty_row(signed_in, cast):
    rows = [*current_rows(), {"name": "中午", "start": "12:00", "end": "12:20", "sort_order": 15, "active": "on"}]
    response = signed_in(cast.operator).post(reverse("workdays:settings"), window_post(rows))
    assert response.status_code == 302
    assert [s.name for s in selectors.windows_on(D(2025, 3, 12))] == ["上午", "中午", "下午"]


def test_overlapping_windows_are_refused_next_to_the_field(signed_in, cast):
    rows = current_rows()
    rows[0] |= {"start": "16:10", "end": "16:40"}
    response = signed_in(cast.operator).post(reverse("workdays:settings"), window_post(rows))
    assert response.status_code == 400
    assert "id_windows-1-start-errors" in response.content.decode()
    assert ReceivingWindow.objects.get(name="上午").start == datetime.time(10, 0)



def test_every_problem_of_a_year_shows_at_once(signed_in, cast):
    data = year_post([("春节", "2027-02-14", "2027-02-06")], [("2027-02-17", "春节")], notice="")
    page = signed_in(cast.operator).post(EDIT_2027, data).content.decode()
    for field in ["notice", "holidays-0-end", "workdays-0-date"]:
        assert f'id="id_{field}-errors"' in page
