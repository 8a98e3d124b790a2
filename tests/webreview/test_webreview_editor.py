"""Screening and review in the editors' interface (/cms/), as the people use it."""

from __future__ import annotations

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from .district import new_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def words(db):
    from zhengtong.webreview.models import ForbiddenWord

    ForbiddenWord.objects.create(word="测试违禁词", category=ForbiddenWord.Category.RUMOUR)


def _data(title, body, slug="nongye-xinwen", **actions):
    return nested_form_data({"title": title, "slug": slug, "summary": "", "body": rich_text(body),
                             "attachments": inline_formset([]), "author_name": "", "cover_caption": "",
                             **actions})


def test_submitting_a_forbidden_word_from_the_editor_keeps_a_draft_and_shows_the_hit(district, words,
                                                                                     signed_in):
    from zhengtong.audit.models import AuditRecord

    article = new_article(district.agriculture, unit=district.cast.unit, user=district.officer)
    client = signed_in(district.officer)
    response = client.post(f"/cms/pages/{article.pk}/edit/",
                           _data("农业新闻", "<p>有人说测试违禁词要来了。</p>", **{"action-submit": "1"}),
                           follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="screening-result"' in page
    assert "测试违禁词</mark>" in page and "散布谣言，扰乱社会秩序" in page
    article.refresh_from_db()
    assert article.current_workflow_state is None  # nothing submitted
    assert "测试违禁词" in article.get_latest_revision_as_object().body  # the draft was kept
    assert AuditRecord.objects.filter(action="webreview.screening.block", actor_id=district.officer.pk).exists()


def test_a_secret_marking_in_a_new_page_stops_its_submission(district, signed_in):
    from zhengtong.portal.models import ArticlePage

    client = signed_in(district.officer)
    response = client.post(f"/cms/pages/add/portal/articlepage/{district.agriculture.pk}/",
                           _data("秘密★一年 关于农业补贴", "<p>内容</p>", **{"action-submit": "1"}), follow=True)
    assert response.status_code == 200
    assert "秘密★一年</mark>" in response.content.decode()
    created = ArticlePage.objects.get(title="秘密★一年 关于农业补贴")
    assert not created.live and created.current_workflow_state is None


def test_a_clean_page_is_submitted_from_the_editor(district, words, signed_in):
    article = new_article(district.agriculture, unit=district.cast.unit, user=district.officer)
    client = signed_in(district.officer)
    response = client.post(f"/cms/pages/{article.pk}/edit/",
                           _data("农业新闻", "<p>全区新增高标准农田。</p>", **{"action-submit": "1"}))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.current_workflow_task.name == "单位领导审核"


def test_saving_a_draft_with_a_forbidden_word_is_allowed(district, words, signed_in):
    article = new_article(district.agriculture, unit=district.cast.unit, user=district.officer)
    response = signed_in(district.officer).post(f"/cms/pages/{article.pk}/edit/",
                                                _data("农业新闻", "<p>草稿里有测试违禁词。</p>"), follow=True)
    assert 'data-testid="screening-result"' not in response.content.decode()
    article.refresh_from_db()
    assert "测试违禁词" in article.get_latest_revision_as_object().body


def test_the_step_s_reviewer_approves_in_the_editor_and_an_outsider_is_refused(district, signed_in, client):
    from zhengtong.webreview import services

    article = new_article(district.agriculture, unit=district.cast.unit, user=district.officer)
    services.submit_for_review(actor=district.officer, page=article)
    article.refresh_from_db()
    state = article.current_workflow_task_state
    url = f"/cms/pages/workflow/action/{article.pk}/approve/{state.pk}/"

    refused = signed_in(district.legal).post(url, {"comment": "越权"})  # 法制室 acts before its turn
    assert (refused.status_code, refused.get("Location")) in ((403, None), (302, "/cms/"))
    client.logout()
    assert signed_in(district.cast.outsider).get(f"/cms/pages/{article.pk}/edit/").status_code in (302, 403)
    client.logout()
    state.refresh_from_db()
    assert state.status == "in_progress"

    reviewer = signed_in(district.leader)
    assert reviewer.get(f"/cms/pages/{article.pk}/edit/").status_code == 200
    assert reviewer.post(url, {"comment": "同意报送"}).status_code == 302
    article.refresh_from_db()
    assert article.current_workflow_task.name == "法制室审核"


def test_the_home_panel_lists_what_waits_and_what_came_back(district, signed_in, client):
    from zhengtong.webreview import services

    article = new_article(district.agriculture, title="秋粮收购进展", unit=district.cast.unit,
                          user=district.officer)
    services.submit_for_review(actor=district.officer, page=article)
    home = signed_in(district.leader).get("/office/").content.decode()
    assert 'data-testid="webreview-panel"' in home and "秋粮收购进展" in home
    client.logout()
    assert "秋粮收购进展" not in signed_in(district.legal).get("/office/").content.decode()
    client.logout()

    article.refresh_from_db()
    state = article.current_workflow_task_state
    state.task.specific.on_action(state, district.leader, "reject", comment="请补充收购数量")
    officer_home = signed_in(district.officer).get("/office/").content.decode()
    assert "请补充收购数量" in officer_home and 'data-testid="webreview-returned"' in officer_home


def test_the_operator_manages_chains_in_the_editor_and_an_officer_cannot(district, signed_in, client):
    assert signed_in(district.cast.operator).get("/cms/workflows/list/").status_code == 200
    client.logout()
    refused = signed_in(district.officer).get("/cms/workflows/list/")
    assert refused.status_code in (302, 403) and refused.get("Location", "/cms/") == "/cms/"
    assert signed_in(district.officer).get("/cms/workflows/tasks/index/").status_code in (302, 403)
