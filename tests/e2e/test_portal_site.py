"""The public website in a browser: accessible (axe-core, WCAG 2.1 AA) at phone and desktop width,
nothing loaded from outside; /cms/ reached through the platform's one sign-in."""

from __future__ import annotations

import io
import json
import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("ZHENGTONG_TEST_ARTIFACTS", ROOT / "test-artifacts"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}


@pytest.fixture
def site(cast):
    from zhengtong.directory import roles
    from zhengtong.directory import services as directory
    from zhengtong.portal import services
    from zhengtong.portal.columns import ColumnKey
    from zhengtong.portal.middleware import forget_local_pages
    from zhengtong.portal.models import ArticlePage, ColumnPage

    forget_local_pages()
    officer, _ = directory.create_person(actor=None, unit=cast.unit, name="信息员庚", role_codes=[roles.INFO_OFFICER])
    officer.set_password(cast.password)
    officer.must_change_password = False
    officer.save()
    home = services.ensure_site_tree().home
    services.sync_cms_permissions()
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), (40, 130, 70)).save(buffer, format="PNG")
    image = services.add_image(actor=None, title="田间", file=SimpleUploadedFile("field.png", buffer.getvalue()))
    agriculture = ColumnPage.objects.get(column_key=ColumnKey.AGRICULTURE, path__startswith=home.path)
    news = ColumnPage.objects.get(column_key=ColumnKey.NEWS, path__startswith=home.path)
    articles = []
    for i in range(25):
        column = news if i % 2 else agriculture
        when = timezone.now() - timedelta(days=i)
        page = ArticlePage(title=f"鹤山区高标准农田建设第{i}期进展", slug=f"e{i}", live=True, source_unit=cast.unit,
                           first_published_at=when, last_published_at=when,
                           body="<p>全区高标准农田建设有序推进，秋粮收购工作进展顺利。</p><p>下一步将加强督促检查。</p>",
                           cover_image=image if i == 0 else None, cover_caption="田间管理现场" if i == 0 else "")
        column.add_child(instance=page)
        articles.append(page)
    return {"home": home, "column": agriculture, "article": articles[0], "officer": officer}


def _axe(page, name: str) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => await axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})""")
    violations = [{"id": v["id"], "impact": v["impact"], "help": v["help"],
                   "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"portal-axe-{name}.json").write_text(json.dumps(violations, ensure_ascii=False, indent=1))
    page.screenshot(path=str(ARTIFACTS / f"portal-{name}.png"), full_page=True)
    return violations


@pytest.mark.django_db(transaction=True)
def test_home_column_and_article_are_accessible_on_a_phone(phone_page, live_server, site):
    for name, url in [("home", site["home"].url), ("column", site["column"].url), ("article", site["article"].url)]:
        phone_page.goto(live_server.url + url)
        assert phone_page.locator("html").get_attribute("lang") == "zh-Hans"
        violations = _axe(phone_page, f"phone-{name}")
        blocking = [v for v in violations if v["impact"] in BLOCKING]
        assert blocking == [], blocking
        # Nothing wider than the phone: no sideways scrolling of the page itself.
        assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert phone_page.context.outside_requests == []


@pytest.mark.django_db(transaction=True)
def test_pages_are_accessible_at_desktop_width(page, live_server, site):
    for name, url in [("home", site["home"].url), ("column", site["column"].url), ("article", site["article"].url)]:
        page.goto(live_server.url + url)
        blocking = [v for v in _axe(page, f"desktop-{name}") if v["impact"] in BLOCKING]
        assert blocking == [], blocking
    assert page.context.outside_requests == []


@pytest.mark.django_db(transaction=True)
def test_skip_link_search_and_article_picture_on_a_phone(phone_page, live_server, site):
    phone_page.goto(live_server.url + site["home"].url)
    phone_page.keyboard.press("Tab")
    assert phone_page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    phone_page.fill("#site-q", "秋粮")
    with phone_page.expect_navigation():
        phone_page.press("#site-q", "Enter")
    assert phone_page.locator(".article-list a").count() >= 20
    phone_page.goto(live_server.url + site["article"].url)
    picture = phone_page.locator("figure.cover img")
    assert picture.get_attribute("alt") == "田间管理现场"
    size = picture.evaluate("img => [img.naturalWidth, img.naturalHeight]")
    assert size[0] <= 500 and size[1] <= 375 and size[0] * 3 == size[1] * 4
    assert phone_page.context.outside_requests == []


@pytest.mark.django_db(transaction=True)
def test_cms_uses_the_platform_sign_in_and_loads_nothing_from_outside(page, live_server, site, cast):
    page.goto(live_server.url + "/cms/")
    assert "/office/accounts/sign-in/" in page.url and "next=/cms/" in page.url
    page.fill("#id_username", site["officer"].username)
    page.fill("#id_password", cast.password)
    page.click("button[type=submit]")
    page.wait_for_url("**/cms/")
    page.wait_for_load_state("networkidle")
    assert page.locator("main, #main").count() >= 1
    page.screenshot(path=str(ARTIFACTS / "portal-cms-dashboard.png"))
    assert page.context.outside_requests == []
