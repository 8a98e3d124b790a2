"""The 审核签 (review sign-off form) as a PDF: seed 000 (一)2(2) 《拟采用材料审核签》, one line per signature."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import TaskState

from zhengtong.webreview import selectors


def sign_off_context(page) -> dict:
    from django.conf import settings

    state = selectors.latest_workflow_state(page)
    submitter = state.requested_by if state else None
    column = selectors._column_of(page)
    unit = selectors.responsible_unit(page)
    opinions = list(selectors.opinions_of(page))
    pending = []
    if state is not None and state.status == state.STATUS_IN_PROGRESS:
        done = set(state.task_states.filter(status=TaskState.STATUS_APPROVED).values_list("task_id", flat=True))
        for task in state.workflow.tasks.specific():
            if task.pk not in done:
                pending.append(task.signature_label() if hasattr(task, "signature_label") else task.name)
    return {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "page": page,
        "column": column,
        "unit": unit,
        "submitter": submitter,
        "submitted_at": state.created_at if state else None,
        "chain": state.workflow if state else None,
        "status": state.get_status_display() if state else "",
        "opinions": opinions,
        "pending": pending,
        "printed_at": timezone.localtime(),
        "live": page.live,
    }


def render_sign_off(page) -> bytes:
    """The PDF bytes of the page's 审核签 (WeasyPrint; CJK fonts from fontconfig, nothing fetched)."""
    from weasyprint import HTML

    html = render_to_string("webreview/sign_off.html", sign_off_context(page))
    return HTML(string=html, base_url=None, url_fetcher=_no_fetch).write_pdf()


def _no_fetch(url, *args, **kwargs):
    raise ValueError(_("External resources are not loaded: %(url)s") % {"url": url})
