"""Reads of the review chains: who approves a step, what waits for whom, who may see a 审核签."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from wagtail.models import Page, TaskState, WorkflowPage, WorkflowState

from zhengtong.directory import roles
from zhengtong.directory.models import Department, Membership, RoleAssignment, Unit, User
from zhengtong.directory.selectors import is_platform_operator


# --- whose page is it ------------------------------------------------------------------------------

def _column_of(page):
    from zhengtong.portal.selectors import column_of

    return column_of(page) if page.path else None


def responsible_unit(page) -> Unit | None:
    """The unit responsible for the page (the portal's answer), else the article's source unit."""
    from zhengtong.portal.selectors import responsible_unit_of

    page = page.specific if type(page) is Page else page
    unit = responsible_unit_of(page) if page.path else None
    return unit if unit is not None else getattr(page, "source_unit", None)


def responsible_department(page) -> Department | None:
    """The section responsible (科室, seed 003 第十一条): the column's owner department, else the source one."""
    page = page.specific if type(page) is Page else page
    column = _column_of(page)
    if column is not None and column.owner_department_id:
        return column.owner_department
    return getattr(page, "source_department", None)


# --- who approves a step -------------------------------------------------------------------------

def _active_people() -> QuerySet[User]:
    return User.objects.filter(status=User.Status.ACTIVE)


def _with_role(unit: Unit | None, codes: list[str], department: Department | None = None) -> QuerySet[User]:
    if unit is None:
        return User.objects.none()
    holders = RoleAssignment.objects.filter(unit=unit, role__code__in=codes).values("user_id")
    people = _active_people().filter(pk__in=holders)
    if department is not None:
        members = Membership.objects.filter(unit=unit, department=department, is_active=True).values("user_id")
        people = people.filter(pk__in=members)
    return people


def approvers_for(task, page) -> QuerySet[User]:
    """The people who may decide ``task`` for ``page``: only them, whoever else asks (seed 000 (一)2(3))."""
    from zhengtong.webreview.models import ReviewerApprovalTask, SectionChiefApprovalTask, UnitLeaderApprovalTask

    task = task.specific
    if isinstance(task, ReviewerApprovalTask):
        return _with_role(task.reviewer_unit, [task.role_code], task.reviewer_department)
    unit = responsible_unit(page)
    if isinstance(task, UnitLeaderApprovalTask):
        return _with_role(unit, task.role_codes())
    if isinstance(task, SectionChiefApprovalTask):
        department = responsible_department(page)
        if department is not None and department.unit_id == getattr(unit, "pk", None):
            chiefs = _with_role(unit, [roles.SECTION_CHIEF], department)
            if chiefs.exists():
                return chiefs
        return _with_role(unit, [roles.SECTION_CHIEF])
    return User.objects.none()


def is_approver(task, page, user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return approvers_for(task, page).filter(pk=user.pk).exists()


def task_states_for_approver(task, user) -> QuerySet[TaskState]:
    """The task states of ``task`` now waiting for ``user`` (Wagtail's "awaiting your review")."""
    states = TaskState.objects.filter(task=task, status=TaskState.STATUS_IN_PROGRESS)
    if not getattr(user, "is_authenticated", False):
        return states.none()
    ids = [state.pk for state in states.select_related("workflow_state")
           if _page_of(state) is not None and is_approver(task, _page_of(state), user)]
    return TaskState.objects.filter(pk__in=ids)


def _page_of(task_state) -> Page | None:
    workflow_state = task_state.workflow_state
    page = Page.objects.filter(pk=workflow_state.object_id).first()
    return page.specific if page is not None else None


@dataclass(frozen=True)
class WaitingReview:
    task_state: TaskState
    page: Page
    step: str
    submitted_by: User | None
    submitted_at: object


def reviews_waiting_for(user) -> list[WaitingReview]:
    """Every step of a review chain now waiting for this person (home panel 网站待审)."""
    from zhengtong.webreview.models import DirectoryApprovalTask

    if not getattr(user, "is_authenticated", False):
        return []
    waiting = []
    states = (TaskState.objects.filter(status=TaskState.STATUS_IN_PROGRESS,
                                       workflow_state__status=WorkflowState.STATUS_IN_PROGRESS)
              .select_related("workflow_state__requested_by", "task").order_by("started_at"))
    for state in states:
        task = state.task.specific
        if not isinstance(task, DirectoryApprovalTask):
            continue
        page = _page_of(state)
        if page is not None and is_approver(task, page, user):
            waiting.append(WaitingReview(task_state=state, page=page, step=task.name,
                                         submitted_by=state.workflow_state.requested_by,
                                         submitted_at=state.workflow_state.created_at))
    return waiting


def returned_to(user) -> list[dict]:
    """The person's submissions that a reviewer returned, with the reason (退回待改)."""
    if not getattr(user, "is_authenticated", False):
        return []
    returned = []
    states = (WorkflowState.objects.filter(requested_by=user, status=WorkflowState.STATUS_NEEDS_CHANGES)
              .select_related("current_task_state__task", "current_task_state__finished_by")
              .order_by("-created_at"))
    for state in states:
        page = Page.objects.filter(pk=state.object_id).first()
        task_state = state.current_task_state
        if page is None or task_state is None:
            continue
        returned.append({"page": page, "step": task_state.task.name, "reason": task_state.comment,
                         "by": task_state.finished_by, "at": task_state.finished_at})
    return returned


# --- the 审核签 ---------------------------------------------------------------------------------------

def opinions_of(page):
    from zhengtong.webreview.models import ReviewOpinion

    return ReviewOpinion.objects.filter(page=page).select_related("task_state__workflow_state")


def may_see_sign_off(user, page) -> bool:
    """The submitter, anyone who decided a step, the reviewers now waiting, and the operator."""
    if not getattr(user, "is_authenticated", False):
        return False
    if is_platform_operator(user):
        return True
    states = WorkflowState.objects.for_instance(page)
    if states.filter(requested_by=user).exists():
        return True
    if opinions_of(page).filter(person=user).exists():
        return True
    return any(item.page.pk == page.pk for item in reviews_waiting_for(user))


def sign_off_page_for(user, page_id: int) -> Page:
    """A page that went (or goes) through review, if the person may see its 审核签; else 404."""
    page = Page.objects.filter(pk=page_id).first()
    if page is None or not WorkflowState.objects.for_instance(page).exists() or not may_see_sign_off(user, page):
        raise Http404
    return page.specific


def latest_workflow_state(page) -> WorkflowState | None:
    return WorkflowState.objects.for_instance(page).order_by("-created_at").first()


# --- chains per column ------------------------------------------------------------------------------

def chains_by_column() -> list[dict]:
    """Each column with the chain that applies to it (its own or inherited) and that chain's steps."""
    from zhengtong.portal.models import ColumnPage

    rows = []
    for column in ColumnPage.objects.order_by("path"):
        own = WorkflowPage.objects.filter(page=column).select_related("workflow").first()
        workflow = column.get_workflow()
        rows.append({"column": column, "workflow": workflow, "own": own is not None,
                     "depth": column.depth,
                     "steps": list(workflow.tasks.specific()) if workflow is not None else []})
    return rows
