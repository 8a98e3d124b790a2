"""State changes of the review chains: decisions, refusals, notices, screening, the default chains.

Seed 000 (一)2: 上传资料须经区法制室、保密局、网维办、政府办主要领导审核并签字；新闻快报 goes on to 区委宣传部.
Seed 003 第十四条: 上网信息审核坚持逐级审批制度，由科长、主管主任审核把关; 第十九条: forbidden content.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page, TaskState, Workflow, WorkflowPage, WorkflowState, WorkflowTask
from wagtail.signals import workflow_approved

from zhengtong.audit import services as audit
from zhengtong.directory import roles
from zhengtong.directory.models import Department, Membership, Unit
from zhengtong.directory.selectors import is_platform_operator
from zhengtong.webreview import screening, selectors
from zhengtong.webreview.exceptions import ReviewPermissionDenied, ReviewStateError, ScreeningFailed
from zhengtong.webreview.models import (DirectoryApprovalTask, ForbiddenWord, ReviewerApprovalTask, ReviewNotice,
                                        ReviewOpinion, SectionChiefApprovalTask, UnitLeaderApprovalTask)

logger = logging.getLogger(__name__)

APPROVE, REJECT = "approve", "reject"


# --- deciding a step ------------------------------------------------------------------------------

def _page_of(task_state: TaskState):
    page = Page.objects.get(pk=task_state.workflow_state.object_id)
    return page.specific


def _membership_of(person, unit: Unit | None) -> Membership | None:
    memberships = Membership.objects.filter(user=person, is_active=True).select_related("unit", "department")
    if unit is not None:
        found = memberships.filter(unit=unit).first()
        if found is not None:
            return found
    return memberships.order_by("-is_primary").first()


def _decision_unit(task: DirectoryApprovalTask, page) -> Unit | None:
    if isinstance(task, ReviewerApprovalTask):
        return task.reviewer_unit
    return selectors.responsible_unit(page)


def decide(*, actor, task_state: TaskState, decision: str, opinion: str = "") -> ReviewOpinion:
    """Approve or return one step of a chain, keeping the opinion for the 审核签 (seed 000 (一)2(3)).

    Only the step's approvers decide; anybody else is refused and the attempt is audited. A return
    needs its reason, which goes back to the submitter. Approving the last step publishes the page
    (Wagtail's workflow finish action).
    """
    task = task_state.task.specific
    page = _page_of(task_state)
    opinion = (opinion or "").strip()
    if not isinstance(task, DirectoryApprovalTask) or not task.is_approver(page, actor):
        refuse(actor=actor, page=page, task=task, attempted=decision)
        raise ReviewPermissionDenied(
            _("Only the reviewers of the step “%(step)s” may decide it; your attempt has been recorded.")
            % {"step": task.name})
    if decision not in (APPROVE, REJECT):
        raise ReviewStateError(_("Unknown decision."))
    if decision == REJECT and not opinion:
        raise ReviewStateError(_("Say why the material is returned: the reason goes back to the submitter."))
    task_state.refresh_from_db()
    if task_state.status != TaskState.STATUS_IN_PROGRESS:
        raise ReviewStateError(_("This step has already been decided."))
    unit = _decision_unit(task, page)
    membership = _membership_of(actor, unit)
    with transaction.atomic():
        if decision == APPROVE:
            task_state.approve(user=actor, update=False, comment=opinion)
            _advance(task_state.workflow_state, actor)
        else:
            task_state.reject(user=actor, comment=opinion)
        record = ReviewOpinion.objects.create(
            task_state=task_state, page_id=page.pk, step=task.signature_label(), person=actor,
            person_name=actor.name, unit=membership.unit if membership else unit,
            unit_name=(membership.unit.name if membership else getattr(unit, "name", "")),
            department_name=(membership.department.name if membership and membership.department else ""),
            decision=ReviewOpinion.Decision.APPROVED if decision == APPROVE else ReviewOpinion.Decision.REJECTED,
            opinion=opinion, decided_at=task_state.finished_at or timezone.now())
        audit.record(actor=actor, action=f"webreview.step.{decision}", obj=page,
                     unit=selectors.responsible_unit(page),
                     summary=(_("Approved “%(title)s” at step %(step)s") if decision == APPROVE
                              else _("Returned “%(title)s” at step %(step)s")) % {"title": page.title,
                                                                                 "step": task.name},
                     changes={"step": task.name, "task_state": task_state.pk, "opinion": opinion})
    return record


def _advance(workflow_state: WorkflowState, actor) -> None:
    """Start the next step, or — after the last one — publish: the chain's approval is the authority.

    Wagtail's own finish action would check the last approver's publish permission on the page;
    the approvers of a chain hold none (publishing happens only through the chain), so the
    revision is published here, as approved, without that check.
    """
    workflow_state.refresh_from_db()
    if workflow_state.get_next_task() is not None:
        workflow_state.update(user=actor)
        return
    workflow_state.status = WorkflowState.STATUS_APPROVED
    workflow_state.save(update_fields=["status"])
    workflow_state.content_object.get_latest_revision().publish(user=actor, skip_permission_checks=True)
    workflow_approved.send(sender=WorkflowState, instance=workflow_state, user=actor)


def refuse(*, actor, page, task, attempted: str) -> None:
    """Audit an attempt to decide a step by someone outside its group (kept even though refused)."""
    with transaction.atomic():
        audit.record(actor=actor if getattr(actor, "is_authenticated", False) else None,
                     action="webreview.step.refused", obj=page, unit=selectors.responsible_unit(page),
                     summary=_("Refused: %(name)s is not a reviewer of step %(step)s of “%(title)s”")
                     % {"name": getattr(actor, "name", "") or "-", "step": task.name, "title": page.title},
                     changes={"step": task.name, "attempted": attempted})


# --- notices ---------------------------------------------------------------------------------------

def notify_reviewers(task_state: TaskState) -> list:
    """Tell the approvers of a step that it waits for them (网站待审).

    Records one notice per approver and sends Wagtail's workflow e-mail to those with an address.
    Later channels (SMS, in-app messages) extend this function.
    """
    task = task_state.task.specific
    if not isinstance(task, DirectoryApprovalTask):
        return []
    page = _page_of(task_state)
    recipients = list(task.approvers(page))
    with transaction.atomic():
        for person in recipients:
            ReviewNotice.objects.get_or_create(task_state=task_state, recipient=person)
        audit.record(action="webreview.notice.send", obj=page, unit=selectors.responsible_unit(page),
                     actor_name=_("System"),
                     summary=_("Step %(step)s of “%(title)s” waits for %(names)s")
                     % {"step": task.name, "title": page.title,
                        "names": "、".join(p.name for p in recipients) or _("nobody (no reviewer configured)")},
                     changes={"step": task.name, "task_state": task_state.pk,
                              "recipients": [p.pk for p in recipients]})

    def send():
        from zhengtong.webreview.notifications import task_submission_notifier

        try:
            task_submission_notifier(task_state, approvers=recipients)
        except Exception:  # a mail server being down must not undo a review
            logger.exception("review notice e-mail for task state %s failed", task_state.pk)

    transaction.on_commit(send)
    return recipients


# --- screening ---------------------------------------------------------------------------------------

def active_words() -> list[tuple[str, str, str]]:
    return [(w.word, w.category, str(w.get_category_display()))
            for w in ForbiddenWord.objects.filter(is_active=True)]


def screen_submission(*, actor, page, unit: Unit | None = None,
                      sources: Iterable[screening.Source] | None = None) -> list[screening.Match]:
    """Screen what a page would publish (seed 003 第十九条, 上网不涉密); a blocked attempt is audited.

    Returns the matches (empty when the page may go to review). Nothing else changes.
    """
    if sources is None:
        sources = screening.page_sources(page)
    matches = screening.find_matches(sources, active_words())
    if matches:
        if unit is None and getattr(page, "path", ""):
            unit = selectors.responsible_unit(page)
        with transaction.atomic():
            audit.record(actor=actor, action="webreview.screening.block", obj=page if page.pk else None,
                         unit=unit,
                         summary=_("Submission of “%(title)s” stopped: %(count)d problem(s) found by screening")
                         % {"title": page.title, "count": len(matches)},
                         changes={"title": page.title, "matches": [m.as_dict() for m in matches[:50]]})
    return matches


def submit_for_review(*, actor, page) -> WorkflowState:
    """Submit the latest revision of a page to its column's chain, after screening it.

    The programmatic twin of the editor's "submit for moderation" button (which our Wagtail hook
    screens the same way): a hit raises ``ScreeningFailed`` and nothing is submitted.
    """
    page = Page.objects.get(pk=page.pk).specific  # the caller's copy may predate the latest revision
    permissions = page.permissions_for_user(actor)
    if not (permissions.can_edit() and permissions.can_submit_for_moderation()):
        raise ReviewPermissionDenied(_("You may not submit this page for review."))
    revision = page.get_latest_revision()
    candidate = revision.as_object() if revision is not None else page
    matches = screen_submission(actor=actor, page=candidate)
    if matches:
        raise ScreeningFailed(_("The content cannot be submitted: screening found forbidden content."), matches)
    workflow_state = page.current_workflow_state
    with transaction.atomic():
        if workflow_state is not None and workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES:
            workflow_state.resume(user=actor)
            return workflow_state
        if workflow_state is not None:
            raise ReviewStateError(_("This page is already under review."))
        workflow = page.get_workflow()
        if workflow is None:
            raise ReviewStateError(_("No review chain is assigned to this column."))
        return workflow.start(page, actor)


# --- the default chains ---------------------------------------------------------------------------------

DISTRICT_CHAIN = "区政府网站审核链（单位领导→法制室→保密局→网维办→政府办领导）"
NEWS_CHAIN = "新闻快报审核链（…→政府办领导→区委宣传部）"
OFFICE_CHAIN = "办公室网站审核链（科长→主管主任）"

GOVERNMENT_OFFICE = "鹤山区人民政府办公室"
JUSTICE_BUREAU = "鹤山区司法局"
SECRECY_BUREAU = "鹤山区国家保密局"
PROPAGANDA = "中共鹤山区委员会宣传部"


def _unit(name: str) -> Unit | None:
    return Unit.objects.filter(name=name, status=Unit.Status.ACTIVE).first()


def _department(unit: Unit | None, name: str) -> Department | None:
    return Department.objects.filter(unit=unit, name=name).first() if unit else None


def _task(model, name: str, **fields):
    task = model.objects.filter(name=name).first()
    if task is None:
        task = model.objects.create(name=name, **fields)
    return task


def _workflow(name: str, tasks: list) -> Workflow:
    workflow = Workflow.objects.filter(name=name).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=name, active=True)
        for order, task in enumerate(tasks):
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
    return workflow


def _chain_tasks() -> dict[str, list] | None:
    government, justice, secrecy, propaganda = (_unit(GOVERNMENT_OFFICE), _unit(JUSTICE_BUREAU),
                                                _unit(SECRECY_BUREAU), _unit(PROPAGANDA))
    if not all((government, justice, secrecy, propaganda)):
        return None
    leader = _task(UnitLeaderApprovalTask, "单位领导审核", step_label="单位领导")
    legal = _task(ReviewerApprovalTask, "法制室审核", step_label="法制室", reviewer_unit=justice,
                  reviewer_department=_department(justice, "法制室"))
    secret = _task(ReviewerApprovalTask, "保密审查（保密局）", step_label="保密局", reviewer_unit=secrecy,
                   reviewer_department=_department(secrecy, "保密监督科"))
    web = _task(ReviewerApprovalTask, "网维办审核", step_label="网维办", reviewer_unit=government,
                reviewer_department=_department(government, "网维办"))
    office_leader = _task(ReviewerApprovalTask, "政府办领导审核", step_label="政府办领导", reviewer_unit=government,
                          role_code=roles.PRINCIPAL_LEADER)
    publicity = _task(ReviewerApprovalTask, "宣传部审核", step_label="区委宣传部", reviewer_unit=propaganda)
    chief = _task(SectionChiefApprovalTask, "科长审核", step_label="科长")
    director = _task(UnitLeaderApprovalTask, "主管主任审核", step_label="主管主任")
    district = [leader, legal, secret, web, office_leader]
    return {"district": district, "news": [*district, publicity], "office": [chief, director]}


def chain_key_for_column(column_key: str) -> str:
    """Which default chain a column takes: 新闻快报 → news, the office layout → office, else district."""
    if column_key == "news":
        return "news"
    if column_key.startswith("office_"):
        return "office"
    return "district"


def _is_ours(workflow: Workflow | None) -> bool:
    if workflow is None:
        return False
    tasks = list(workflow.tasks.specific())
    return bool(tasks) and all(isinstance(t, DirectoryApprovalTask) for t in tasks)


@transaction.atomic
def ensure_default_chains(*, actor=None) -> dict:
    """Create the default chains and give them to the columns that have none of ours (idempotent).

    Creates only what is missing: a column whose chain the operator chose (its own or inherited)
    keeps it, except that 新闻快报 never stays on a chain that would publish before 宣传部.
    Returns what it did, for the demo's output and the tests.
    """
    tasks = _chain_tasks()
    if tasks is None:
        return {"chains": 0, "assigned": 0}
    chains = {"district": _workflow(DISTRICT_CHAIN, tasks["district"]), "news": _workflow(NEWS_CHAIN, tasks["news"]),
              "office": _workflow(OFFICE_CHAIN, tasks["office"])}
    assigned = 0
    try:
        from zhengtong.portal.models import ColumnPage
    except ImportError:  # pragma: no cover - the portal app is part of the project
        return {"chains": len(chains), "assigned": 0}
    for column in ColumnPage.objects.order_by("path"):
        if WorkflowPage.objects.filter(page=column).exists():
            continue
        wanted = chains[chain_key_for_column(column.column_key)]
        current = column.get_workflow()
        news_without_publicity = (column.column_key == "news" and current is not None
                                  and current.pk == chains["district"].pk)
        if _is_ours(current) and not news_without_publicity:
            continue
        if current is not None and current.pk == wanted.pk:
            continue
        WorkflowPage.objects.create(page=column, workflow=wanted)
        assigned += 1
        audit.record(actor=actor, action="webreview.chain.assign", obj=column, unit=column.owner_unit,
                     actor_name="" if actor else _("System"),
                     summary=_("Review chain “%(chain)s” given to column %(column)s")
                     % {"chain": wanted.name, "column": column.title},
                     changes={"workflow": wanted.pk, "column_key": column.column_key})
    return {"chains": len(chains), "assigned": assigned}


def operator_may_manage_chains(user) -> bool:
    return is_platform_operator(user)
