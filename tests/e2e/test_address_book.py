"""Browser: the address book's live search finds people by pinyin initials without reloading the page."""

import pytest

from zhengtong.directory import services as directory


def make_people(cast):
    directory.create_person(actor=cast.admin, unit=cast.unit, name="张三", mobile="13800001111",
                            department=cast.office, title="科员")
    directory.create_person(actor=cast.outsider, unit=cast.other_unit, name="赵四", mobile="13900002222")


def search_live(target, live_server, query):
    target.goto(f"{live_server.url}/office/address-book/")
    target.evaluate("window.__samePage = true")
    target.locator("#ab-q").press_sequentially(query, delay=60)
    return target


@pytest.mark.django_db(transaction=True)
def test_typing_pinyin_initials_shows_the_person_without_a_reload(page, live_server, cast, sign_in_as):
    make_people(cast)
    sign_in_as(cast.clerk, cast.password)
    search_live(page, live_server, "zs")
    page.locator("#ab-results-title", has_text="zs").wait_for()
    row = page.locator("table [data-person=zhangsan]")
    assert "13800001111" in row.inner_text()
    assert page.locator("table [data-person=zhaosi]").count() == 1  # 赵四 of another unit: zs too
    assert page.evaluate("window.__samePage") is True  # htmx swapped the list; the page stayed
    assert "q=zs" in page.url  # the address follows the search, for the back button and bookmarks

    row.locator("a.zt-person-name").click()
    card = page.locator("#ab-card")
    card.wait_for(state="visible")
    assert "张三" in card.inner_text() and "鹤山区农业农村局" in card.inner_text()
    assert page.evaluate("window.__samePage") is True
    assert page.context.outside_requests == []


@pytest.mark.django_db(transaction=True)
def test_the_live_search_works_on_a_phone(phone_page, live_server, cast, sign_in_as):
    make_people(cast)
    sign_in_as(cast.clerk, cast.password, target=phone_page)
    search_live(phone_page, live_server, "zs")
    phone_page.locator("#ab-results-title", has_text="zs").wait_for()
    item = phone_page.locator(".zt-people-list [data-person=zhangsan]")
    assert item.is_visible() and "13800001111" in item.inner_text()
    assert phone_page.evaluate("window.__samePage") is True
    assert phone_page.locator("#ab-node").is_visible()  # the tree is a select on a phone
    assert not phone_page.locator("#ab-tree").is_visible()
    scroll_width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 390  # nothing sticks out sideways


@pytest.mark.django_db(transaction=True)
def test_choosing_a_unit_on_a_phone_lists_its_people(phone_page, live_server, cast, sign_in_as):
    make_people(cast)
    sign_in_as(cast.clerk, cast.password, target=phone_page)
    phone_page.goto(f"{live_server.url}/office/address-book/")
    phone_page.select_option("#ab-node", f"u{cast.other_unit.pk}")
    phone_page.locator(".zt-people-list [data-person=zhaosi]").wait_for()
    assert phone_page.locator(".zt-people-list [data-person=zhangsan]").count() == 0
