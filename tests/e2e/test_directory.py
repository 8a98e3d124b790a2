"""Browser tests of directory management: a unit admin creates an account; the new person signs in."""

import re

import pytest
from playwright.sync_api import expect

from zhengtong.directory.models import User

NEW_PASSWORD = "Qing-Shan-2026-Hao"


@pytest.mark.django_db(transaction=True)
def test_a_unit_admin_creates_an_account_and_the_person_signs_in_and_changes_the_password(
        page, live_server, cast, sign_in_as):
    sign_in_as(cast.admin, cast.password)
    page.get_by_role("button", name="系统管理").click()  # the less frequent entries sit in a drop-down menu
    page.get_by_role("link", name="组织机构").click()
    page.get_by_role("link", name="新增人员").click()
    page.wait_for_load_state("load")  # htmx is ready before the name is typed

    page.fill("#id_name", "张三")
    expect(page.locator("#id_username")).to_have_value("zhangsan")  # suggested live from the pinyin
    page.select_option("#id_department", label="办公室")
    page.get_by_label("拟稿人").check()
    page.get_by_role("button", name="开设帐号").click()

    password = page.get_by_test_id("one-time-password").inner_text().strip()
    assert re.fullmatch(r"[A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4}", password)
    expect(page.get_by_test_id("new-username")).to_have_text("zhangsan")
    page.reload()  # shown once: a second look finds it gone
    expect(page.get_by_test_id("password-gone")).to_be_visible()
    assert password not in page.content()

    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="退出").click()
    expect(page).to_have_url(re.compile(r"/accounts/sign-in/"))

    newcomer = User.objects.get(username="zhangsan")
    sign_in_as(newcomer, password)
    expect(page).to_have_url(re.compile(r"/accounts/password/"))  # forced to choose their own password
    page.fill("#id_old_password", password)
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/office/$"))
    assert "张三" in page.content()
    newcomer.refresh_from_db()
    assert not newcomer.must_change_password and newcomer.check_password(NEW_PASSWORD)
    assert page.context.outside_requests == []


@pytest.mark.django_db(transaction=True)
def test_on_a_phone_the_department_tree_folds_above_the_people(phone_page, live_server, cast, sign_in_as):
    sign_in_as(cast.admin, cast.password, target=phone_page)
    phone_page.goto(f"{live_server.url}/office/directory/units/{cast.unit.pk}/people/", wait_until="load")
    tree = phone_page.locator("#zt-dir-side")
    expect(tree).to_be_hidden()
    expect(phone_page.get_by_role("link", name="收发员乙")).to_be_visible()
    phone_page.get_by_role("button", name="显示科室目录").click()
    expect(tree).to_be_visible()
    phone_page.locator("#zt-dir-side").get_by_role("link", name=re.compile("办公室")).click()
    expect(phone_page).to_have_url(re.compile(rf"department={cast.office.pk}"))
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing sticks out sideways
