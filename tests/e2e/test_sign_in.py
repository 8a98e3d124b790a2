import pytest


@pytest.mark.django_db(transaction=True)
def test_sign_in_shows_the_chinese_home_page(page, live_server, cast, sign_in_as):
    sign_in_as(cast.clerk, cast.password)
    assert page.url.endswith("/office/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert cast.unit.name in page.content()
    assert page.locator("[data-panel=my-posts]").is_visible()
    assert page.context.outside_requests == []


@pytest.mark.django_db(transaction=True)
def test_wrong_password_is_refused_in_chinese(page, live_server, cast, sign_in_as):
    sign_in_as(cast.clerk, "not-the-password")
    assert "/sign-in/" in page.url
    alert = page.locator(".alert-danger")
    assert alert.count() == 1
    assert "用户名或密码错误" in alert.inner_text()


@pytest.mark.django_db(transaction=True)
def test_the_footer_switches_to_english_and_back(page, live_server, cast, sign_in_as):
    sign_in_as(cast.clerk, cast.password)
    with page.expect_navigation():
        page.select_option("#zt-language", "en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("nav").get_by_text("Address book").is_visible()
    with page.expect_navigation():
        page.select_option("#zt-language", "zh-hans")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator("nav").get_by_text("通讯录").is_visible()


@pytest.mark.django_db(transaction=True)
def test_the_phone_menu_opens_and_signs_out(phone_page, live_server, cast, sign_in_as):
    sign_in_as(cast.clerk, cast.password, target=phone_page)
    phone_page.click(".navbar-toggler")
    phone_page.locator("#zt-nav").get_by_text("通讯录").wait_for(state="visible")
    # the menu slides open: wait until Bootstrap has finished, or a click may land mid-animation
    phone_page.wait_for_selector("#zt-nav.collapse.show")
    phone_page.click("[data-testid=user-menu]")
    phone_page.locator("[data-testid=sign-out]").wait_for(state="visible")
    phone_page.click("[data-testid=sign-out]")
    phone_page.wait_for_url("**/office/accounts/sign-in/**")
    assert "/sign-in/" in phone_page.url
    assert "您已退出登录。" in phone_page.content()
