"""The seed-000 review chain (单位领导 → 法制室 → 保密局 → 网维办 → 政府办领导, 新闻快报 → 宣传部)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from .district import new_article

pytestmark = pytest.mark.django_db


def _current(page):
    page.refresh_from_db()
    state = page.current_workflow_task_state
    return state, state.task.specific if state else None


def _act(page, user, action="approve", comment=""):
    state, task = _current(page)
    task.on_action(state, user, action, comment=comment)
    return task


def _submit(district, article, officer=None):
    from zhengtong.webreview import services

    return services.submit_for_review(actor=officer or district.officer, page=article)


def _audits(action):
    from zhengtong.audit.models import AuditRecord

    return AuditRecord.objects.filter(action=action)


def test_default_chains_are_given_to_columns_once(district):
    from wagtail.models import WorkflowPage

    from zhengtong.webreview import services

    assert [t.name for t in district.agriculture.get_workflow().tasks] == [
        "单位领导审核", "法制室审核", "保密审查（保密局）", "网维办审核", "政府办领导审核"]
    assert [t.name for t in district.news.get_workflow().tasks][-1] == "宣传部审核"
    count = WorkflowPage.objects.count()
    assert services.ensure_default_chains() == {"chains": 3, "assigned": 0}
    assert WorkflowPage.objects.count() == count


def test_operator_choice_of_chain_is_kept(district):
    from wagtail.models import Workflow, WorkflowPage

    from zhengtong.webreview import services

    office_chain = Workflow.objects.get(name=services.OFFICE_CHAIN)
    WorkflowPage.objects.update_or_create(page=district.agriculture.get_parent(),
                                          defaults={"workflow": office_chain})
    services.ensure_default_chains()
    assert district.agriculture.get_workflow() == office_chain


def test_chain_step_by_step_with_one_return_and_resubmission(district, mailoutbox,
                                                            django_capture_on_commit_callbacks):
    from zhengtong.webreview import selectors
    from zhengtong.webreview.models import ReviewNotice, ReviewOpinion

    article = new_article(district.agriculture, unit=district.cast.unit, user=district.officer)
    _submit(district, article)
    state, task = _current(article)
    assert task.name == "单位领导审核"
    # the next reviewers are told: a notice per approver, and Wagtail's e-mail to those with an address
    assert list(ReviewNotice.objects.filter(task_state=state).values_list("recipient", flat=True)) == [
        district.leader.pk]
    assert [item.page.pk for item in selectors.reviews_waiting_for(district.leader)] == [article.pk]
    assert selectors.reviews_waiting_for(district.legal) == []

    with django_capture_on_commit_callbacks(execute=True):
        _act(article, district.leader, comment="同意报送")
    assert _current(article)[1].name == "法制室审核"
    assert any("legal@example.test" in m.to for m in mailoutbox)
    _act(article, district.legal, comment="无法律问题")
    _act(article, district.secrecy, "reject", comment="第二段数据需核实后再报")
    article.refresh_from_db()
    assert not article.live
    returned = selectors.returned_to(district.officer)
    assert [(r["page"].pk, r["reason"]) for r in returned] == [(article.pk, "第二段数据需核实后再报")]

    # the officer corrects and resubmits: the chain resumes at the step that returned it
    article.get_latest_revision_as_object().save_revision(user=district.officer)
    _submit(district, article)
    assert _current(article)[1].name == "保密审查（保密局）"
    _act(article, district.secrecy, comment="不涉密")
    _act(article, district.web)
    article.refresh_from_db()
    assert not article.live
    _act(article, district.gov_leader, comment="同意发布")
    article.refresh_from_db()
    assert article.live
    decisions = list(ReviewOpinion.objects.filter(page=article).values_list("step", "decision"))
    assert decisions == [("单位领导", "approved"), ("法制室", "approved"), ("保密局", "rejected"),
                         ("保密局", "approved"), ("网维办", "approved"), ("政府办领导", "approved")]
    assert _audits("webreview.step.approve").count() == 5
    assert _audits("webreview.step.reject").count() == 1


def test_news_is_not_live_before_the_publicity_department_approves(district):
    article = new_article(district.news, title="区政府召开常务会议", user=district.gov_officer)
    _submit(district, article, district.gov_officer)
    for person in (district.gov_leader, district.legal, district.secrecy, district.web, district.gov_leader):
        _act(article, person)
    article.refresh_from_db()
    assert not article.live
    assert _current(article)[1].name == "宣传部审核"
    _act(article, district.publicity, comment="同意在新闻快报发布")
    article.refresh_from_db()
    assert article.live


@pytest.mark.parametrize("who", ["outsider", "legal_elsewhere", "officer", "web"])
def test_someone_outside_the_step_cannot_approve_it_and_is_audited(district, who):
    from zhengtong.webreview.models import ReviewOpinion

    article = new_article(district.agriculture, unit=district.cast.unit, user=district.officer)
    _submit(district, article)
    _act(article, district.leader)  # now at 法制室
    person = district.cast.outsider if who == "outsider" else getattr(district, who)
    state, task = _current(article)
    assert task.get_actions(article, person) == []
    assert not task.user_can_access_editor(article, person)
    with pytest.raises(PermissionDenied, match="法制室审核"):
        task.on_action(state, person, "approve", comment="")
    state.refresh_from_db()
    assert state.status == "in_progress"
    assert not ReviewOpinion.objects.filter(person=person).exists()
    refused = _audits("webreview.step.refused").get()
    assert refused.actor_id == person.pk and refused.changes["step"] == "法制室审核"


def test_a_superuser_is_no_reviewer_either(district):
    from zhengtong.directory.models import User

    boss = User.objects.create_superuser("root", "Zt-Test-Pass-2026", name="超级用户")
    article = new_article(district.agriculture, unit=district.cast.unit, user=district.officer)
    _submit(district, article)
    state, task = _current(article)
    with pytest.raises(PermissionDenied):
        task.on_action(state, boss, "approve")


def test_a_return_needs_a_reason(district):
    article = new_article(district.agriculture, unit=district.cast.unit, user=district.officer)
    _submit(district, article)
    state, task = _current(article)
    with pytest.raises(PermissionDenied, match="原因|理由|why|reason"):
        task.on_action(state, district.leader, "reject", comment="  ")
    state.refresh_from_db()
    assert state.status == "in_progress"


def test_a_decided_step_cannot_be_decided_twice(district):
    article = new_article(district.agriculture, unit=district.cast.unit, user=district.officer)
    _submit(district, article)
    state, task = _current(article)
    task.on_action(state, district.leader, "approve")
    with pytest.raises(PermissionDenied):
        task.on_action(state, district.leader, "approve")


def test_an_outsider_cannot_submit_a_unit_s_page(district):
    from zhengtong.webreview import services

    article = new_article(district.agriculture, unit=district.cast.unit, user=district.officer)
    with pytest.raises(PermissionDenied):
        services.submit_for_review(actor=district.cast.outsider, page=article)
    article.refresh_from_db()
    assert article.current_workflow_state is None
