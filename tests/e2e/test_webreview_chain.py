"""Browser: 农业局's information officer submits an article in /cms/; it passes the seed-000 chain with one
return and a resubmission, appears on the public website, and its 审核签 lists every approval."""

from __future__ import annotations

import io

import pytest

from webreview.district import build_district  # tests/ is on sys.path (its conftest)

def _shot(page, name):
    import os
    from pathlib import Path

    folder = os.environ.get("ZHENGTONG_WEBREVIEW_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


def _keep(content: bytes, name: str) -> None:
    import os
    from pathlib import Path

    folder = os.environ.get("ZHENGTONG_WEBREVIEW_SHOTS")
    if folder:
        Path(folder, name).write_bytes(content)


def _type_body(page, text, *, at_end=False):
    """Type into the Draftail body and wait until the editor shows it (autosave may re-render it)."""
    editor = page.locator(".public-DraftEditor-content").first
    editor.click()
    if at_end:
        page.keyboard.press("Control+End")
    page.keyboard.type(text)
    editor.filter(has_text=text).wait_for()
    # …and until Draftail has copied it into the form field that is posted
    page.wait_for_function("t => [...document.querySelectorAll('input[name=body], textarea[name=body]')]"
                           ".some(el => el.value.includes(t))", arg=text)


def _leave(page):
    """Leave the editor before the database is flushed: its editing-session pings hold locks on PostgreSQL."""
    page.goto("about:blank")
    page.wait_for_timeout(500)


def _sign_out(page, live_server):
    page.context.clear_cookies()


def _open_actions(page):
    page.locator("footer [data-w-dropdown-target='toggle'], .w-dropdown-button [data-w-dropdown-target='toggle']") \
        .first.click()


def _decide(page, live_server, sign_in_as, person, password, article, *, reject_with="", opinion=""):
    _sign_out(page, live_server)
    sign_in_as(person, password)
    page.goto(f"{live_server.url}/cms/pages/{article.pk}/edit/")
    _open_actions(page)
    _shot(page, f"review-{person.username}")
    if reject_with:
        page.click("button[data-workflow-action-name='reject']")
        page.fill("textarea[name='comment']", reject_with)
        page.locator(".modal button[type='submit']").click()
    elif opinion:
        page.click("button[data-workflow-action-name='approve'][data-workflow-action-modal-url]")
        page.fill("textarea[name='comment']", opinion)
        page.locator(".modal button[type='submit']").click()
    else:
        page.click("button[data-workflow-action-name='approve']:not([data-workflow-action-modal-url])")
    # the decision is made when the editor leaves the edit page for the column's listing
    page.wait_for_url(lambda url: "/edit/" not in url, wait_until="commit", timeout=45000)
    page.wait_for_load_state("networkidle")


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_an_article_passes_the_chain_and_is_published(page, live_server, sign_in_as, cast):
    import pdfplumber
    from wagtail.models import Site

    from zhengtong.portal.models import ArticlePage
    from zhengtong.webreview import services

    district = build_district(cast)
    services.ensure_default_chains()
    password = district.password

    # 1. the information officer writes the article in the 农业 column and submits it
    sign_in_as(district.officer, password)
    page.goto(f"{live_server.url}/cms/pages/add/portal/articlepage/{district.agriculture.pk}/")
    page.fill("#id_title", "鹤山区冬季农田水利建设全面启动")
    _type_body(page, "近日，区农业农村局召开会议，部署冬季农田水利建设。")
    _shot(page, "01-officer-writes")
    _open_actions(page)
    _shot(page, "02-officer-submit-menu")
    page.click("button[name='action-submit']")
    page.wait_for_url(lambda url: "/edit/" not in url and "/add/" not in url, wait_until="commit", timeout=45000)
    page.wait_for_load_state("networkidle")
    article = ArticlePage.objects.get(title="鹤山区冬季农田水利建设全面启动")
    assert article.current_workflow_task.name == "单位领导审核"
    assert not page.context.outside_requests

    # 2. the chain: 局长 → 法制室 → 保密局 returns it with a reason
    _decide(page, live_server, sign_in_as, district.leader, password, article, opinion="同意报送")
    _decide(page, live_server, sign_in_as, district.legal, password, article)
    _decide(page, live_server, sign_in_as, district.secrecy, password, article, reject_with="请删去第二句中的具体地点")
    article.refresh_from_db()
    assert article.current_workflow_state.status == "needs_changes"

    # 3. the officer sees the reason on the office home page, corrects and resubmits
    _sign_out(page, live_server)
    sign_in_as(district.officer, password)
    returned = page.locator("[data-testid='webreview-returned']")
    assert "请删去第二句中的具体地点" in returned.inner_text()
    _shot(page, "03-officer-home-returned")
    page.goto(f"{live_server.url}/cms/pages/{article.pk}/edit/")
    _type_body(page, "（已修改）", at_end=True)
    _open_actions(page)
    page.click("button[name='action-submit']")
    page.wait_for_url(lambda url: "/edit/" not in url and "/add/" not in url, wait_until="commit", timeout=45000)
    page.wait_for_load_state("networkidle")
    article.refresh_from_db()
    assert article.current_workflow_task.name == "保密审查（保密局）"

    # 4. the rest of the chain; the last approval publishes
    _decide(page, live_server, sign_in_as, district.secrecy, password, article, opinion="不涉密")
    _decide(page, live_server, sign_in_as, district.web, password, article)
    article.refresh_from_db()
    assert not article.live
    _decide(page, live_server, sign_in_as, district.gov_leader, password, article, opinion="同意发布")
    article.refresh_from_db()
    assert article.live

    # 5. on the public website
    site = Site.objects.get(is_default_site=True)
    page.goto(live_server.url + article.relative_url(site))
    assert "鹤山区冬季农田水利建设全面启动" in page.content()
    _shot(page, "04-public-article")

    # 6. the 审核签
    response = page.request.get(f"{live_server.url}/office/webreview/pages/{article.pk}/sign-off.pdf")
    assert response.status == 200
    _keep(response.body(), "05-sign-off.pdf")
    with pdfplumber.open(io.BytesIO(response.body())) as pdf:
        # cell by cell: a wrapped opinion stays whole
        text = "|".join((cell or "").replace("\n", "") for p in pdf.pages for table in p.extract_tables()
                        for row in table for cell in row)
    for person in (district.leader, district.legal, district.secrecy, district.web, district.gov_leader):
        assert person.name in text
    for opinion in ("同意报送", "请删去第二句中的具体地点", "不涉密", "同意发布"):
        assert opinion in text
    assert not page.context.outside_requests
    _leave(page)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_screening_shows_each_hit_and_submits_nothing(page, live_server, sign_in_as, cast):
    from zhengtong.portal.models import ArticlePage
    from zhengtong.webreview import services
    from zhengtong.webreview.models import ForbiddenWord

    district = build_district(cast)
    services.ensure_default_chains()
    ForbiddenWord.objects.create(word="测试违禁词", category=ForbiddenWord.Category.RUMOUR)
    sign_in_as(district.officer, district.password)
    page.goto(f"{live_server.url}/cms/pages/add/portal/articlepage/{district.agriculture.pk}/")
    page.fill("#id_title", "秘密★一年 关于冬季农田水利的情况")
    _type_body(page, "据说测试违禁词将出现在会议上。")
    _open_actions(page)
    page.click("button[name='action-submit']")
    result = page.locator("[data-testid='screening-result']")
    result.wait_for()
    _shot(page, "06-screening-blocked")
    assert result.locator("mark").all_inner_texts() == ["秘密★一年", "测试违禁词"]
    assert "散布谣言，扰乱社会秩序" in result.inner_text() and "密级标志" in result.inner_text()
    article = ArticlePage.objects.get(title="秘密★一年 关于冬季农田水利的情况")
    assert not article.live and article.current_workflow_state is None
    assert not page.context.outside_requests
    _leave(page)
