"""The office pages of the process engine: 待办/在办/已办, the work item and its actions, the trace,
the definitions of a unit admin and delegation — each also from the side of someone who may not."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from .engine_fixtures import act, open_item, start_fawen, start_shouwen, subject_hooks, world  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(signed_in):
    """The cast's fixture, for the engine world's people too (they have not changed their first password)."""

    def _sign_in(user):
        if user.must_change_password:
            user.must_change_password = False
            user.save(update_fields=["must_change_password"])
        return signed_in(user)

    return _sign_in


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


def _post_follow(client, url, data):
    return client.post(url, data, follow=True)


# --- 待办 / 在办 / 已办 ------------------------------------------------------------------------------

def test_todo_lists_my_open_item_linking_to_its_subject(world, subject_hooks, signed_in):
    instance = start_fawen(world)
    response = signed_in(world.drafter).get(reverse("workflow:todo"))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row.item.step for row in rows] == ["draft"]
    assert rows[0].title == "科室 综合科" and rows[0].url == f"/dept/{world.general.pk}/"
    assert rows[0].instance == instance
    assert response.context["counts"]["todo"] == 1
    assert 'href="/dept/' in response.content.decode()


def test_todo_links_to_the_generic_item_page_when_the_subject_has_no_page(world, signed_in):
    start_fawen(world)  # no describe() registered for departments here
    response = signed_in(world.drafter).get(reverse("workflow:todo"))
    row = response.context["rows"][0]
    assert row.url == reverse("workflow:item", args=[row.item.pk])
    assert row.title == "关于做好冬春农田水利建设的通知"


def test_todo_is_empty_for_a_colleague_who_is_not_offered_the_step(world, signed_in):
    start_fawen(world)
    response = signed_in(world.clerk).get(reverse("workflow:todo"))
    assert response.context["rows"] == []
    assert response.context["counts"]["todo"] == 0


def test_todo_filters_by_process_title_and_overdue(world, signed_in):
    from zhengtong.workflow.models import WorkItem

    fawen = start_fawen(world)
    shouwen = start_shouwen(world)
    act(world.drafter, fawen, "draft")
    client = signed_in(world.clerk)
    # the clerk registers the incoming document; the drafter's fawen is not theirs
    assert [row.instance for row in client.get(reverse("workflow:todo")).context["rows"]] == [shouwen]
    assert client.get(reverse("workflow:todo"), {"kind": "fawen"}).context["rows"] == []
    assert len(client.get(reverse("workflow:todo"), {"kind": "shouwen"}).context["rows"]) == 1
    assert client.get(reverse("workflow:todo"), {"q": "不存在的标题"}).context["rows"] == []
    assert len(client.get(reverse("workflow:todo"), {"q": "秋冬种"}).context["rows"]) == 1
    assert client.get(reverse("workflow:todo"), {"overdue": "1"}).context["rows"] == []
    WorkItem.objects.filter(instance=shouwen, status="open").update(due_at=timezone.now() - timedelta(hours=2))
    response = client.get(reverse("workflow:todo"), {"overdue": "1"})
    assert [row.overdue for row in response.context["rows"]] == [True]
    assert 'data-testid="overdue-badge"' in response.content.decode()
    assert response.context["counts"]["overdue"] == 1


def test_filter_request_from_htmx_gets_only_the_rows(world, signed_in):
    start_fawen(world)
    response = signed_in(world.drafter).get(reverse("workflow:todo"), {"q": "水利"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="wf-list"' in body and "<html" not in body


def test_in_progress_lists_the_processes_i_started_and_where_they_stand(world, signed_in):
    instance = start_fawen(world)
    act(world.drafter, instance, "draft")
    response = signed_in(world.drafter).get(reverse("workflow:in-progress"))
    rows = response.context["rows"]
    assert [row.instance for row in rows] == [instance]
    assert rows[0].steps == ["科室负责人审核"]
    assert signed_in(world.general_chief).get(reverse("workflow:in-progress")).context["rows"] == []


def test_done_lists_what_i_handled_with_withdraw_while_the_next_step_waits(world, signed_in):
    instance = start_fawen(world)
    act(world.drafter, instance, "draft", opinion="请审核")
    client = signed_in(world.drafter)
    response = client.get(reverse("workflow:done"))
    rows = response.context["rows"]
    assert [(row.item.step, row.can_withdraw) for row in rows] == [("draft", True)]
    assert 'data-testid="withdraw"' in response.content.decode()
    act(world.general_chief, instance, "section_review")
    assert [row.can_withdraw for row in client.get(reverse("workflow:done")).context["rows"]] == [False]


def test_done_filters_by_the_day_it_was_handled(world, signed_in):
    instance = start_fawen(world)
    act(world.drafter, instance, "draft")
    client = signed_in(world.drafter)
    today = timezone.localdate()
    assert len(client.get(reverse("workflow:done"), {"since": today.isoformat()}).context["rows"]) == 1
    tomorrow = today + timedelta(days=1)
    assert client.get(reverse("workflow:done"), {"since": tomorrow.isoformat()}).context["rows"] == []
    yesterday = today - timedelta(days=1)
    assert client.get(reverse("workflow:done"), {"until": yesterday.isoformat()}).context["rows"] == []


def test_lists_are_per_unit_an_outsider_sees_nothing_of_ours(world, signed_in):
    start_fawen(world)
    client = signed_in(world.outsider)
    for name in ("workflow:todo", "workflow:in-progress", "workflow:done"):
        response = client.get(reverse(name))
        assert response.status_code == 200 and response.context["rows"] == []


def test_lists_need_sign_in(client):
    response = client.get(reverse("workflow:todo"))
    assert response.status_code == 302 and "sign-in" in response["Location"]


# --- The work item and its actions ----------------------------------------------------------------

def test_item_page_shows_history_and_the_action_form_to_the_candidate(world, signed_in):
    instance = start_fawen(world)
    act(world.drafter, instance, "draft", opinion="请审核")
    item = open_item(instance, "section_review")
    response = signed_in(world.general_chief).get(reverse("workflow:item", args=[item.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="wf-action-form"' in body and "请审核" in body
    instance.refresh_from_db()
    assert f'name="revision" value="{instance.revision}"' in body
    # the send-back targets come from the engine: the draft step, with who handled it
    assert 'value="draft"' in body and "张拟稿" in body


def test_item_page_is_a_404_for_an_outsider_and_a_colleague_not_involved(world, signed_in, client):
    instance = start_fawen(world)
    item = open_item(instance, "draft")
    assert signed_in(world.outsider).get(reverse("workflow:item", args=[item.pk])).status_code == 404
    assert signed_in(world.planning_handler).get(reverse("workflow:item", args=[item.pk])).status_code == 404


def test_complete_moves_the_item_from_todo_to_done(world, signed_in):
    from zhengtong.workflow.models import WorkItem

    instance = start_fawen(world)
    item = open_item(instance, "draft")
    client = signed_in(world.drafter)
    response = client.post(reverse("workflow:complete", args=[item.pk]),
                           {"revision": instance.revision, "opinion": "请领导审核"})
    assert response.status_code == 302 and response["Location"] == reverse("workflow:todo")
    item.refresh_from_db()
    assert item.status == WorkItem.Status.DONE and item.opinion == "请领导审核" and item.acted_by == world.drafter
    assert client.get(reverse("workflow:todo")).context["rows"] == []
    assert [row.item for row in client.get(reverse("workflow:done")).context["rows"]] == [item]


def test_complete_with_a_stale_revision_says_someone_else_acted_and_changes_nothing(world, signed_in):
    from zhengtong.workflow.models import WorkItem

    instance = start_fawen(world)
    act(world.drafter, instance, "draft")
    item = open_item(instance, "section_review")
    stale = instance.revision  # what the page showed before someone else acted
    instance.refresh_from_db()
    assert instance.revision != stale
    response = _post_follow(signed_in(world.general_chief), reverse("workflow:complete", args=[item.pk]),
                            {"revision": stale, "opinion": "同意"})
    assert any("该事项已由他人处理" in message for message in _messages(response))
    item.refresh_from_db()
    assert item.status == WorkItem.Status.OPEN and item.opinion == ""
    assert WorkItem.objects.filter(instance=instance, status=WorkItem.Status.DONE).count() == 1


def test_complete_by_an_outsider_is_a_404_and_changes_nothing(world, signed_in):
    instance = start_fawen(world)
    item = open_item(instance, "draft")
    response = signed_in(world.outsider).post(reverse("workflow:complete", args=[item.pk]),
                                              {"revision": instance.revision, "opinion": "x"})
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.status == "open"


def test_unit_admin_sees_the_item_but_cannot_handle_it(world, signed_in):
    instance = start_fawen(world)
    item = open_item(instance, "draft")
    client = signed_in(world.admin)
    response = client.get(reverse("workflow:item", args=[item.pk]))
    assert response.status_code == 200 and 'data-testid="wf-action-form"' not in response.content.decode()
    response = client.post(reverse("workflow:complete", args=[item.pk]), {"revision": instance.revision})
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.status == "open"


def test_complete_without_a_revision_is_a_400(world, signed_in):
    instance = start_fawen(world)
    item = open_item(instance, "draft")
    response = signed_in(world.drafter).post(reverse("workflow:complete", args=[item.pk]), {"opinion": "x"})
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.status == "open"


def test_send_back_returns_the_item_to_the_chosen_step(world, signed_in):
    instance = start_fawen(world)
    act(world.drafter, instance, "draft")
    item = open_item(instance, "section_review")
    instance.refresh_from_db()
    response = signed_in(world.general_chief).post(
        reverse("workflow:send-back", args=[item.pk]),
        {"revision": instance.revision, "to_step": "draft", "reason": "请补充依据"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "sent_back"
    assert open_item(instance, "draft").candidates.filter(pk=world.drafter.pk).exists()


def test_send_back_needs_a_reason_and_a_known_step(world, signed_in):
    instance = start_fawen(world)
    act(world.drafter, instance, "draft")
    item = open_item(instance, "section_review")
    instance.refresh_from_db()
    client = signed_in(world.general_chief)
    url = reverse("workflow:send-back", args=[item.pk])
    assert client.post(url, {"revision": instance.revision, "to_step": "draft", "reason": ""}).status_code == 400
    assert client.post(url, {"revision": instance.revision, "to_step": "sign_off", "reason": "x"}).status_code == 400
    item.refresh_from_db()
    assert item.status == "open"


def test_withdraw_brings_the_item_back_to_my_todo(world, signed_in):
    instance = start_fawen(world)
    act(world.drafter, instance, "draft")
    done_item = instance.work_items.get(step="draft")
    client = signed_in(world.drafter)
    response = client.post(reverse("workflow:withdraw", args=[done_item.pk]))
    assert response.status_code == 302
    done_item.refresh_from_db()
    assert done_item.status == "withdrawn"
    assert [row.item.step for row in client.get(reverse("workflow:todo")).context["rows"]] == ["draft"]


def test_withdraw_after_the_next_step_acted_shows_why_and_changes_nothing(world, signed_in):
    instance = start_fawen(world)
    act(world.drafter, instance, "draft")
    act(world.general_chief, instance, "section_review")
    done_item = instance.work_items.get(step="draft")
    response = _post_follow(signed_in(world.drafter), reverse("workflow:withdraw", args=[done_item.pk]), {})
    assert _messages(response)
    done_item.refresh_from_db()
    assert done_item.status == "done"


def test_withdraw_by_an_outsider_is_a_404(world, signed_in):
    instance = start_fawen(world)
    act(world.drafter, instance, "draft")
    done_item = instance.work_items.get(step="draft")
    assert signed_in(world.outsider).post(reverse("workflow:withdraw", args=[done_item.pk])).status_code == 404
    done_item.refresh_from_db()
    assert done_item.status == "done"


def test_transfer_passes_the_item_to_another_person(world, signed_in):
    instance = start_fawen(world)
    act(world.drafter, instance, "draft")
    item = open_item(instance, "section_review")
    instance.refresh_from_db()
    client = signed_in(world.general_chief)
    assert 'data-testid="wf-open-transfer"' in client.get(reverse("workflow:item", args=[item.pk])).content.decode()
    response = client.post(reverse("workflow:transfer", args=[item.pk]),
                           {"revision": instance.revision, "to_person": world.planning_chief.pk, "reason": "出差"})
    assert response.status_code == 302
    assert [row.item.step for row in signed_in(world.planning_chief).get(reverse("workflow:todo")).context["rows"]] \
        == ["section_review"]


def test_transfer_needs_a_department_or_a_person(world, signed_in):
    instance = start_fawen(world)
    act(world.drafter, instance, "draft")
    item = open_item(instance, "section_review")
    instance.refresh_from_db()
    response = signed_in(world.general_chief).post(reverse("workflow:transfer", args=[item.pk]),
                                                   {"revision": instance.revision, "reason": "出差"})
    assert response.status_code == 400
    assert "选择" in response.content.decode() or "Choose" in response.content.decode()


# --- 流程跟踪 -------------------------------------------------------------------------------------

def test_trace_draws_the_diagram_with_completed_and_current_steps(world, signed_in):
    instance = start_fawen(world)
    act(world.drafter, instance, "draft", opinion="请审核")
    response = signed_in(world.drafter).get(reverse("workflow:trace", args=[instance.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert json.loads(_json_script(body, "wf-completed-steps")) == ["draft"]
    assert json.loads(_json_script(body, "wf-current-steps")) == ["section_review"]
    assert "bpmn-navigated-viewer.production.min.js" in body and "workflow/trace.js" in body
    assert "请审核" in body
    # lanes are named by role code in the shipped file; the diagram shows the roles' names
    xml = json.loads(_json_script(body, "wf-bpmn-xml"))
    assert 'name="核稿人"' in xml and 'name="checker"' not in xml
    assert 'name="checker"' in instance.definition.bpmn_xml


def _json_script(body: str, element_id: str) -> str:
    start = body.index(f'id="{element_id}"')
    start = body.index(">", start) + 1
    return body[start:body.index("</script>", start)]


def test_trace_is_for_participants_and_the_units_leaders_only(world, signed_in):
    instance = start_fawen(world)
    act(world.drafter, instance, "draft")
    url = reverse("workflow:trace", args=[instance.pk])
    assert signed_in(world.general_chief).get(url).status_code == 200  # the current candidate
    assert signed_in(world.leader).get(url).status_code == 200  # the unit's principal leader
    assert signed_in(world.admin).get(url).status_code == 200
    assert signed_in(world.planning_handler).get(url).status_code == 404  # a colleague not involved
    assert signed_in(world.outsider).get(url).status_code == 404


def test_trace_is_open_to_the_delegate_of_a_candidate(world, signed_in):
    from zhengtong.workflow import services

    instance = start_fawen(world)
    act(world.drafter, instance, "draft")
    url = reverse("workflow:trace", args=[instance.pk])
    assert signed_in(world.planning_chief).get(url).status_code == 404
    now = timezone.now()
    services.delegate(actor=world.general_chief, unit=world.unit, delegate=world.planning_chief,
                      starts_at=now - timedelta(minutes=1), ends_at=now + timedelta(days=1), reason="出差")
    assert signed_in(world.planning_chief).get(url).status_code == 200


# --- 流程定义 ------------------------------------------------------------------------------------

VALID_UPLOAD_NAME = "发文（本局）"


def _shipped_fawen_xml() -> bytes:
    from zhengtong.workflow import registry

    return registry.sync_default("fawen").bpmn_xml.encode()


def test_definitions_page_lists_the_processes_for_the_unit_admin(world, signed_in):
    response = signed_in(world.admin).get(reverse("workflow:definitions"))
    assert response.status_code == 200
    keys = [group["key"] for group in response.context["groups"]]
    assert {"fawen", "shouwen", "joint_sign"} <= set(keys)
    assert "v1" in response.content.decode()


@pytest.mark.parametrize("who", ["clerk", "leader", "outsider_in_our_unit"])
def test_definitions_page_is_a_404_for_everyone_else(world, signed_in, who):
    from zhengtong.workflow.models import ProcessDefinition

    if who == "outsider_in_our_unit":
        # the outsider administers 财政局, not 农业局: our unit's own versions stay hidden
        from zhengtong.workflow import services

        ours = services.upload_definition(actor=world.admin, unit=world.unit, key="fawen",
                                          uploaded=_shipped_fawen_xml())
        client = signed_in(world.outsider)
        assert client.get(reverse("workflow:definition", args=[ours.pk])).status_code == 404
        assert client.get(reverse("workflow:definition-download", args=[ours.pk])).status_code == 404
        assert ours.bpmn_xml not in client.get(reverse("workflow:definitions")).content.decode()
        return
    client = signed_in(getattr(world, who))
    assert client.get(reverse("workflow:definitions")).status_code == 404
    shipped = ProcessDefinition.objects.filter(key="fawen", unit__isnull=True).first() or \
        __import__("zhengtong.workflow.registry", fromlist=["x"]).sync_default("fawen")
    assert client.get(reverse("workflow:definition", args=[shipped.pk])).status_code == 404
    response = client.post(reverse("workflow:definition-upload"),
                           {"key": "fawen", "file": SimpleUploadedFile("f.bpmn", _shipped_fawen_xml())})
    assert response.status_code == 404
    assert not ProcessDefinition.objects.filter(unit__isnull=False).exists()


def test_upload_stores_a_new_version_for_the_unit(world, signed_in):
    from zhengtong.workflow.models import ProcessDefinition

    client = signed_in(world.admin)
    response = client.post(reverse("workflow:definition-upload"), {
        "key": "fawen", "name": VALID_UPLOAD_NAME,
        "file": SimpleUploadedFile("fawen.bpmn", _shipped_fawen_xml(), content_type="application/xml")})
    assert response.status_code == 302
    stored = ProcessDefinition.objects.get(unit=world.unit, key="fawen")
    assert stored.version == 1 and stored.is_current and stored.name == VALID_UPLOAD_NAME
    page = client.get(reverse("workflow:definitions"))
    fawen = next(group for group in page.context["groups"] if group["key"] == "fawen")
    assert fawen["current"] == stored


def test_upload_of_a_broken_file_lists_the_problems_in_chinese_and_stores_nothing(world, signed_in):
    from zhengtong.workflow.models import ProcessDefinition

    broken = _shipped_fawen_xml().replace(b'id="sign_off"', b'id="sign_off_renamed"')
    response = signed_in(world.admin).post(reverse("workflow:definition-upload"), {
        "key": "fawen", "file": SimpleUploadedFile("fawen.bpmn", broken)})
    assert response.status_code == 400
    problems = response.context["problems"]
    assert problems and all(any("\u4e00" <= ch <= "\u9fff" for ch in str(p)) for p in problems)
    assert 'data-testid="wf-upload-problems"' in response.content.decode()
    assert not ProcessDefinition.objects.filter(unit=world.unit).exists()


def test_upload_of_something_that_is_not_xml_is_refused(world, signed_in):
    from zhengtong.workflow.models import ProcessDefinition

    response = signed_in(world.admin).post(reverse("workflow:definition-upload"), {
        "key": "fawen", "file": SimpleUploadedFile("fawen.bpmn", b"not a bpmn file")})
    assert response.status_code == 400 and response.context["problems"]
    assert not ProcessDefinition.objects.filter(unit=world.unit).exists()


def test_download_and_preview_of_the_shipped_process(world, signed_in):
    from zhengtong.workflow import registry

    shipped = registry.sync_default("shouwen")
    client = signed_in(world.admin)
    response = client.get(reverse("workflow:definition-download", args=[shipped.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="shouwen-v{shipped.version}.bpmn"'
    assert response.content.decode() == shipped.bpmn_xml
    preview = client.get(reverse("workflow:definition", args=[shipped.pk]))
    assert preview.status_code == 200 and 'data-testid="wf-diagram"' in preview.content.decode()


def test_restore_goes_back_to_the_shipped_process(world, signed_in):
    from zhengtong.workflow import services
    from zhengtong.workflow.models import ProcessDefinition

    services.upload_definition(actor=world.admin, unit=world.unit, key="fawen", uploaded=_shipped_fawen_xml())
    assert signed_in(world.clerk).post(reverse("workflow:definition-restore", args=["fawen"])).status_code == 404
    assert ProcessDefinition.objects.filter(unit=world.unit, is_current=True).exists()
    response = signed_in(world.admin).post(reverse("workflow:definition-restore", args=["fawen"]))
    assert response.status_code == 302
    assert not ProcessDefinition.objects.filter(unit=world.unit, is_current=True).exists()


# --- 委托 ---------------------------------------------------------------------------------------

def _delegation_data(delegate, *, days=3):
    now = timezone.localtime()
    return {"delegate": delegate.pk, "starts_at": (now - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (now + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M"), "reason": "出差"}


def test_delegate_lets_a_colleague_act_on_my_items_with_a_banner(world, signed_in):
    from zhengtong.workflow.models import Delegation

    instance = start_fawen(world)
    act(world.drafter, instance, "draft")
    response = signed_in(world.general_chief).post(reverse("workflow:delegations"),
                                                   _delegation_data(world.planning_chief))
    assert response.status_code == 302
    assert Delegation.objects.filter(delegator=world.general_chief, delegate=world.planning_chief).exists()
    todo = signed_in(world.planning_chief).get(reverse("workflow:todo"))
    body = todo.content.decode()
    assert 'data-testid="acting-for-banner"' in body and "李综合" in body
    assert [row.acting_for for row in todo.context["rows"]] == ["李综合"]


def test_delegate_to_someone_of_another_unit_is_refused(world, signed_in):
    from zhengtong.workflow.models import Delegation

    response = signed_in(world.general_chief).post(reverse("workflow:delegations"),
                                                   _delegation_data(world.outsider))
    assert response.status_code == 400
    assert not Delegation.objects.exists()


def test_delegation_must_end_after_it_starts(world, signed_in):
    from zhengtong.workflow.models import Delegation

    data = _delegation_data(world.planning_chief)
    data["ends_at"], data["starts_at"] = data["starts_at"], data["ends_at"]
    response = signed_in(world.general_chief).post(reverse("workflow:delegations"), data)
    assert response.status_code == 400
    assert not Delegation.objects.exists()


def test_revoke_ends_my_delegation_and_nobody_else_may(world, signed_in):
    from zhengtong.workflow import services

    now = timezone.now()
    delegation = services.delegate(actor=world.general_chief, unit=world.unit, delegate=world.planning_chief,
                                   starts_at=now, ends_at=now + timedelta(days=2), reason="出差")
    url = reverse("workflow:delegation-revoke", args=[delegation.pk])
    assert signed_in(world.outsider).post(url).status_code == 404
    assert signed_in(world.planning_chief).post(url).status_code == 404  # the delegate cannot revoke it
    delegation.refresh_from_db()
    assert delegation.revoked_at is None
    assert signed_in(world.general_chief).post(url).status_code == 302
    delegation.refresh_from_db()
    assert delegation.revoked_at is not None


def test_delegations_page_shows_given_and_received(world, signed_in):
    from zhengtong.workflow import services

    now = timezone.now()
    services.delegate(actor=world.general_chief, unit=world.unit, delegate=world.planning_chief,
                      starts_at=now, ends_at=now + timedelta(days=2), reason="出差")
    given = signed_in(world.general_chief).get(reverse("workflow:delegations"))
    assert list(given.context["given"])[0].delegate == world.planning_chief
    received = signed_in(world.planning_chief).get(reverse("workflow:delegations"))
    assert [d.delegator for d in received.context["received"]] == [world.general_chief]
    assert signed_in(world.outsider).get(reverse("workflow:delegations")).context["given"].count() == 0


# --- Home page and navigation -----------------------------------------------------------------

def test_home_panel_counts_and_first_items_and_nav_entries(world, subject_hooks, signed_in):
    from zhengtong.workflow.models import WorkItem

    instance = start_fawen(world)
    WorkItem.objects.filter(instance=instance).update(due_at=timezone.now() - timedelta(hours=1))
    response = signed_in(world.drafter).get(reverse("office:home"))
    body = response.content.decode()
    assert 'data-panel="workflow-todo"' in body and 'data-testid="wf-panel-item"' in body
    assert "科室 综合科" in body
    assert reverse("workflow:todo") in body and reverse("workflow:delegations") in body
    assert reverse("workflow:definitions") not in body  # not a unit admin
    assert reverse("workflow:definitions") in signed_in(world.admin).get(reverse("office:home")).content.decode()


# --- Items nobody can act on ---------------------------------------------------------------------

def test_unit_admin_passes_on_an_item_nobody_can_act_on(cast, signed_in):
    from zhengtong.workflow import services

    instance = services.start_process(actor=cast.clerk, unit=cast.unit, key="shouwen", subject=cast.office,
                                      title="市农业农村局关于开展秋冬种工作的通知", data={})
    act(cast.clerk, instance, "register")
    item = open_item(instance, "initial_review")
    assert not item.candidates.exists()  # nobody in 农业局 is a 核稿人
    assert signed_in(cast.clerk).get(reverse("workflow:todo")).context["unassigned"] == []
    client = signed_in(cast.admin)
    todo = client.get(reverse("workflow:todo"))
    assert todo.context["unassigned"] == [item] and 'data-testid="wf-unassigned"' in todo.content.decode()
    page = client.get(reverse("workflow:item", args=[item.pk]))
    assert 'data-testid="wf-admin-transfer"' in page.content.decode()
    instance.refresh_from_db()
    response = client.post(reverse("workflow:transfer", args=[item.pk]), {
        "revision": instance.revision, "to_person": cast.section_chief.pk, "reason": "暂由科长初审"})
    assert response.status_code == 302
    rows = signed_in(cast.section_chief).get(reverse("workflow:todo")).context["rows"]
    assert [row.item.step for row in rows] == ["initial_review"]


def test_an_outsider_admin_cannot_pass_on_our_items(cast, signed_in):
    from zhengtong.workflow import services

    instance = services.start_process(actor=cast.clerk, unit=cast.unit, key="shouwen", subject=cast.office,
                                      title="来文", data={})
    act(cast.clerk, instance, "register")
    item = open_item(instance, "initial_review")
    instance.refresh_from_db()
    client = signed_in(cast.outsider)
    assert client.get(reverse("workflow:item", args=[item.pk])).status_code == 404
    response = client.post(reverse("workflow:transfer", args=[item.pk]), {
        "revision": instance.revision, "to_person": cast.outsider.pk, "reason": "x"})
    assert response.status_code == 404
    assert not item.candidates.exists()


# --- 终止 -----------------------------------------------------------------------------------------

def test_the_starter_cancels_a_process_with_a_reason_others_may_not(world, signed_in):
    instance = start_fawen(world)
    act(world.drafter, instance, "draft")
    url = reverse("workflow:cancel", args=[instance.pk])
    assert signed_in(world.outsider).post(url, {"reason": "x"}).status_code == 404
    assert signed_in(world.general_chief).post(url, {"reason": "x"}).status_code == 403  # a participant only
    client = signed_in(world.drafter)
    assert 'data-testid="wf-open-cancel"' in client.get(reverse("workflow:trace", args=[instance.pk])).content.decode()
    assert client.post(url, {"reason": ""}).status_code == 400
    instance.refresh_from_db()
    assert instance.status == "running"
    assert client.post(url, {"reason": "文件已由市局统一下发"}).status_code == 302
    instance.refresh_from_db()
    assert instance.status == "cancelled" and instance.cancel_reason == "文件已由市局统一下发"


def test_cancel_is_left_to_the_subjects_own_page(world, subject_hooks, signed_in):
    instance = start_fawen(world)
    client = signed_in(world.drafter)
    trace = client.get(reverse("workflow:trace", args=[instance.pk]))
    assert trace.status_code == 200 and 'data-testid="wf-open-cancel"' not in trace.content.decode()
    assert client.post(reverse("workflow:cancel", args=[instance.pk]), {"reason": "x"}).status_code == 404
    instance.refresh_from_db()
    assert instance.status == "running"


def test_what_a_delegate_handles_reads_on_behalf_of_the_delegator(world, signed_in):
    from zhengtong.workflow import services

    instance = start_fawen(world)
    act(world.drafter, instance, "draft")
    now = timezone.now()
    services.delegate(actor=world.general_chief, unit=world.unit, delegate=world.planning_chief,
                      starts_at=now - timedelta(minutes=1), ends_at=now + timedelta(days=1), reason="出差")
    item = open_item(instance, "section_review")
    instance.refresh_from_db()
    client = signed_in(world.planning_chief)
    page = client.get(reverse("workflow:item", args=[item.pk])).content.decode()
    assert "代李综合办理" in page
    client.post(reverse("workflow:complete", args=[item.pk]), {"revision": instance.revision, "opinion": "同意"})
    item.refresh_from_db()
    assert item.acted_by == world.planning_chief and item.on_behalf_of == world.general_chief
    done = client.get(reverse("workflow:done"))
    assert "代李综合办理" in done.content.decode()
    trace = signed_in(world.drafter).get(reverse("workflow:trace", args=[instance.pk])).content.decode()
    assert "王规划" in trace and "代李综合办理" in trace


def test_the_lists_page_through_the_items(world, signed_in, monkeypatch):
    from zhengtong.workflow.views import lists

    monkeypatch.setattr(lists, "PER_PAGE", 1)
    start_fawen(world)
    start_fawen(world)
    client = signed_in(world.drafter)
    first = client.get(reverse("workflow:todo"), {"kind": "fawen"})
    assert len(first.context["rows"]) == 1 and first.context["page"].paginator.num_pages == 2
    assert "?kind=fawen&amp;page=2" in first.content.decode()
    second = client.get(reverse("workflow:todo"), {"kind": "fawen", "page": "2"})
    assert second.context["rows"][0].item != first.context["rows"][0].item


# --- The includes other apps embed -------------------------------------------------------------------

def test_action_form_include_posts_to_the_embedding_pages_own_url(world, rf):
    from django.template.loader import render_to_string

    instance = start_fawen(world)
    act(world.drafter, instance, "draft")
    item = open_item(instance, "section_review")
    instance.refresh_from_db()
    request = rf.get("/office/documents/1/")
    request.user = world.general_chief
    html = render_to_string("workflow/includes/action_form.html",
                            {"item": item, "action_url": "/office/documents/1/act/"}, request=request)
    assert html.count('action="/office/documents/1/act/"') == 3  # complete, send back, transfer
    for action in ("complete", "send_back", "transfer"):
        assert f'name="action" value="{action}"' in html
    assert html.count(f'name="revision" value="{instance.revision}"') == 3
    request.user = world.outsider  # someone who may not act gets no form at all
    html = render_to_string("workflow/includes/action_form.html",
                            {"item": item, "action_url": "/office/documents/1/act/"}, request=request)
    assert "/office/documents/1/act/" not in html


def test_opinions_include_lists_handled_and_waiting_steps_of_an_instance(world):
    from django.template.loader import render_to_string

    instance = start_fawen(world)
    act(world.drafter, instance, "draft", opinion="请审核")
    html = render_to_string("workflow/includes/opinions.html", {"instance": instance})
    assert "请审核" in html and "张拟稿" in html
    assert 'data-status="open"' in html and "李综合" in html  # waiting at 科室负责人审核, offered to 李综合


def test_todo_and_the_home_panel_put_the_nearest_deadline_first(world, signed_in):
    from zhengtong.workflow.models import WorkItem

    later, none, overdue = start_fawen(world), start_fawen(world), start_fawen(world)
    WorkItem.objects.filter(instance=later).update(due_at=timezone.now() + timedelta(days=3))
    WorkItem.objects.filter(instance=overdue).update(due_at=timezone.now() - timedelta(days=1))
    client = signed_in(world.drafter)
    assert [row.instance for row in client.get(reverse("workflow:todo")).context["rows"]] == [overdue, later, none]
    panel = dict(client.get(reverse("office:home")).context["panels"])
    rows = next(context["rows"] for panel_obj, context in panel.items() if panel_obj.key == "workflow-todo")
    assert [row.instance for row in rows] == [overdue, later, none] and rows[0].overdue


def test_urgency_from_the_process_data_or_the_subject_is_marked(world, subject_hooks, signed_in, monkeypatch):
    from zhengtong.directory.models import Department

    urgent = start_fawen(world)
    urgent.data = {**urgent.data, "urgency": "加急"}
    urgent.save(update_fields=["data"])
    client = signed_in(world.drafter)
    rows = client.get(reverse("workflow:todo")).context["rows"]
    assert [row.urgency for row in rows] == ["加急"]
    monkeypatch.setattr(Department, "urgency", "very_urgent", raising=False)
    monkeypatch.setattr(Department, "get_urgency_display", lambda self: "特急", raising=False)
    plain = start_fawen(world)
    response = client.get(reverse("workflow:todo"))
    assert {row.instance: row.urgency for row in response.context["rows"]} == {urgent: "加急", plain: "特急"}
    assert "特急</span>" in response.content.decode()
