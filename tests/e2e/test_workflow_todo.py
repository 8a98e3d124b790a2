"""The to-do list in Chromium: a section chief handles an item with an opinion, finds it under 已办,
and the trace page draws the process with the step done in green and the next one waiting."""

from __future__ import annotations

from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
pytestmark = pytest.mark.django_db(transaction=True)


def _serious_axe_violations(page) -> list:
    """WCAG 2.1 AA problems axe-core calls serious or critical on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => await axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})""")
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
            if v["impact"] in ("serious", "critical")]


def _person(cast, name, role, department):
    from zhengtong.directory import services as directory

    user, _password = directory.create_person(actor=None, unit=cast.unit, name=name, department=department,
                                              role_codes=[role])
    user.set_password(cast.password)
    user.must_change_password = False
    user.save()
    return user


def test_a_chief_handles_a_todo_item_and_follows_it_on_the_trace(page, live_server, cast, sign_in_as):
    from zhengtong.directory import roles
    from zhengtong.directory import services as directory
    from zhengtong.workflow import services
    from zhengtong.workflow.models import WorkItem

    general = directory.create_department(actor=None, unit=cast.unit, name="综合科")
    drafter = _person(cast, "张拟稿", roles.DRAFTER, general)
    chief = _person(cast, "李综合", roles.SECTION_CHIEF, general)
    _person(cast, "陈核稿", roles.CHECKER, cast.office)
    instance = services.start_process(actor=drafter, unit=cast.unit, key="fawen", subject=general,
                                      title="关于做好冬春农田水利建设的通知", data={"department": general.pk})
    draft = instance.work_items.get(step="draft")
    services.complete_work_item(actor=drafter, work_item=draft, revision=instance.revision, opinion="请审核")

    sign_in_as(chief, cast.password)
    page.click('nav a[href="/office/workflow/"]')
    page.wait_for_url(f"{live_server.url}/office/workflow/")
    assert page.locator('[data-testid="count-todo"]').inner_text() == "1"
    assert _serious_axe_violations(page) == []
    row = page.locator('[data-testid="wf-row"]')
    assert row.count() == 1 and "关于做好冬春农田水利建设的通知" in row.inner_text()
    row.locator("a").first.click()
    page.wait_for_url("**/office/workflow/items/*/")
    assert "请审核" in page.locator('[data-testid="wf-history"]').inner_text()

    page.fill('[data-testid="wf-action-form"] textarea[name=opinion]', "同意，请办公室核稿。")
    page.click('[data-testid="wf-submit"]')
    page.wait_for_url(f"{live_server.url}/office/workflow/")
    page.locator('[data-testid="wf-empty"]').wait_for()
    handled = WorkItem.objects.get(instance=instance, step="section_review")
    assert handled.status == WorkItem.Status.DONE and handled.opinion == "同意，请办公室核稿。"

    page.click('[data-testid="tab-done"]')
    page.wait_for_url(f"{live_server.url}/office/workflow/done/")
    done_row = page.locator('[data-testid="wf-row"]')
    assert done_row.count() == 1 and "科室负责人审核" in done_row.inner_text()
    assert done_row.locator('[data-testid="withdraw"]').count() == 1  # the next step has not acted yet

    done_row.locator('[data-testid="trace-link"]').click()
    page.wait_for_url(f"{live_server.url}/office/workflow/instances/{instance.pk}/trace/")
    page.locator('[data-testid="wf-diagram"][data-ready="1"]').wait_for()
    done_shape = page.locator('svg g.djs-element[data-element-id="section_review"]')
    waiting_shape = page.locator('svg g.djs-element[data-element-id="office_check"]')
    assert "wf-completed" in done_shape.get_attribute("class")
    assert "wf-current" in waiting_shape.get_attribute("class")
    assert "wf-completed" in page.locator('svg g.djs-element[data-element-id="draft"]').get_attribute("class")
    assert "wf-current" not in page.locator('svg g.djs-element[data-element-id="sign_off"]').get_attribute("class")
    fill = page.evaluate("""() => getComputedStyle(document.querySelector(
        'g.djs-element[data-element-id="office_check"] .djs-visual > :first-child')).fill""")
    assert fill == "rgb(255, 229, 194)"  # drawn orange, not just classed
    history = page.locator('[data-testid="wf-history"]').inner_text()
    assert "同意，请办公室核稿。" in history and "陈核稿" in history  # the waiting step names its candidate
    assert _serious_axe_violations(page) == []
    assert page.context.outside_requests == []
