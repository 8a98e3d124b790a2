import pytest


@pytest.mark.django_db(transaction=True)
def test_sign_in_shows_the_chinese_home_page(page, live_server, cast, sign_in_as):
    sign_in_as(cast.clerk, cast.password)
    assert page.url.endswith("/office/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert cast.unit.name in page.content()
    assert page.context.outside_requests == []


@pytest.mark.django_db(transaction=True)
def test_wrong_password_is_refused_in_chinese(page, live_server, cast, sign_in_as):
    sign_in_as(cast.clerk, "not-the-password")
    assert "/sign-in/" in page.url
    assert page.locator(".alert-danger").count() == 1
