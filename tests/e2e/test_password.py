"""Browser: a new account signs in with its one-time password and must choose its own."""

import pytest

from zhengtong.directory import services as directory

GOOD = "Qing-Shan-2026!"


@pytest.mark.django_db(transaction=True)
def test_a_new_account_must_choose_its_own_password_before_anything_else(page, live_server, cast, sign_in_as):
    user, one_time = directory.create_person(actor=cast.admin, unit=cast.unit, name="新同事", department=cast.office)

    sign_in_as(user, one_time)
    assert page.url.endswith("/office/accounts/password/")
    assert "您正在使用一次性初始密码登录" in page.locator("[data-testid=forced-change]").inner_text()

    page.goto(f"{live_server.url}/office/address-book/")  # every other page leads back here
    assert page.url.endswith("/office/accounts/password/")

    page.fill("#id_old_password", one_time)
    page.fill("#id_new_password1", "xinmima123")
    page.fill("#id_new_password2", "xinmima123")
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/office/accounts/password/")
    assert "密码须至少包含小写字母、大写字母、数字、符号中的三类。" in page.locator("#id_new_password1-errors").inner_text()

    page.fill("#id_old_password", one_time)
    page.fill("#id_new_password1", GOOD)
    page.fill("#id_new_password2", GOOD)
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/office/")
    assert "密码已修改。" in page.content()

    page.click("[data-testid=user-menu]")
    page.click("[data-testid=sign-out]")
    page.wait_for_load_state("networkidle")
    assert "/sign-in/" in page.url
    sign_in_as(user, GOOD)
    assert page.url.endswith("/office/")
    assert "新同事，您好" in page.content()
    assert page.context.outside_requests == []
