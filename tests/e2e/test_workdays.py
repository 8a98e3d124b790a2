"""The calendar in Chromium: the operator enters a year through the form, a clerk reads it on a phone."""

from __future__ import annotations

import datetime

import pytest

from zhengtong.workdays import selectors

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_operator_enters_2027_with_an_added_row_and_the_calendar_marks_it(page, live_server, cast, sign_in_as):
    sign_in_as(cast.operator, cast.password)
    page.goto(f"{live_server.url}/office/workdays/years/2027/edit/")
    page.fill("#id_notice", "国办发明电〔2026〕9号")
    page.fill("#id_holidays-1-start", "2027-02-06")
    page.fill("#id_holidays-1-end", "2027-02-14")
    rows_before = page.locator('[data-formset="workdays"] [data-rows] [data-row]').count()
    page.click('[data-formset="workdays"] [data-add-row]')
    assert page.locator('[data-formset="workdays"] [data-rows] [data-row]').count() == rows_before + 1
    page.fill(f"#id_workdays-{rows_before}-date", "2027-02-20")
    page.fill(f"#id_workdays-{rows_before}-name", "春节")
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "year=2027" in page.url
    assert "zt-wd-swap" in page.locator('td[data-date="2027-02-20"]').get_attribute("class")
    assert "zt-wd-holiday" in page.locator('td[data-date="2027-02-08"]').get_attribute("class")
    assert selectors.is_working_day(datetime.date(2027, 2, 20))
    assert page.context.outside_requests == []


def test_a_wrong_row_is_shown_in_chinese_next_to_it(page, live_server, cast, sign_in_as):
    sign_in_as(cast.operator, cast.password)
    page.goto(f"{live_server.url}/office/workdays/years/2027/edit/")
    page.fill("#id_notice", "国办发明电〔2026〕9号")
    page.fill("#id_holidays-1-start", "2027-02-06")
    page.fill("#id_holidays-1-end", "2027-02-14")
    page.fill("#id_workdays-0-date", "2027-02-17")
    page.fill("#id_workdays-0-name", "春节")
    page.click("main button[type=submit]")
    assert page.locator("#id_workdays-0-date-errors").inner_text() == "调休上班日必须是周六或周日。"
    assert page.locator("#id_workdays-0-date").get_attribute("aria-invalid") == "true"


def test_on_a_phone_the_months_stack_and_fit_the_screen(phone_page, live_server, cast, sign_in_as):
    sign_in_as(cast.clerk, cast.password, target=phone_page)
    phone_page.goto(f"{live_server.url}/office/workdays/?year=2026")
    january = phone_page.locator("#month-1").locator("xpath=..").bounding_box()
    february = phone_page.locator("#month-2").locator("xpath=..").bounding_box()
    assert february["y"] >= january["y"] + january["height"]  # one under the other
    assert january["width"] > 300 and january["x"] + january["width"] <= 390
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    assert phone_page.locator('td[data-date="2026-02-17"]').inner_text().replace("\n", "").startswith("17休")


def test_the_operators_years_page_fits_a_phone(page, live_server, cast, sign_in_as):
    sign_in_as(cast.operator, cast.password)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/office/workdays/years/")
    assert page.locator('form[action$="/years/2026/confirm/"]').count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # the table scrolls, not the page
