"""待办 / 在办 / 已办: the person's to-do items, the processes they started, what they handled."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F, prefetch_related_objects
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import pgettext_lazy

from zhengtong.workflow import selectors, ui_selectors
from zhengtong.workflow.forms import ListFilterForm

PER_PAGE = 20
PANEL_ROWS = 5
UNASSIGNED_ROWS = 10
# 待办: the nearest deadline first (overdue ones on top), then the newest; items without a deadline last.
MOST_PRESSING = (F("due_at").asc(nulls_last=True), "-created_at", "-id")

TABS = [
    ("todo", pgettext_lazy("workflow list", "To do"), "inbox", "workflow:todo"),
    ("in_progress", pgettext_lazy("workflow list", "In progress"), "hourglass-split", "workflow:in-progress"),
    ("done", pgettext_lazy("workflow list", "Done"), "check2-square", "workflow:done"),
]


@dataclass
class Row:
    """One line of a list: the work item (or instance), its subject's title and page, and its marks."""

    instance: object
    title: str
    url: str
    kind: str
    item: object = None
    urgency: str = ""
    overdue: bool = False
    acting_for: str = ""
    can_withdraw: bool = False
    steps: list = field(default_factory=list)


def item_rows(user, items, *, withdrawable: bool = False) -> list[Row]:
    items = list(items)
    prefetch_related_objects(items, "candidates", "instance__definition", "on_behalf_of")
    rows = []
    for item in items:
        instance = item.instance
        title, url = ui_selectors.subject_link(instance, fallback=reverse("workflow:item", args=[item.pk]))
        rows.append(Row(
            instance=instance, item=item, title=title, url=url, kind=instance.definition.name,
            urgency=ui_selectors.urgency_of(instance), overdue=item.is_overdue,
            acting_for=ui_selectors.acting_for_names(user, item) if item.is_open else "",
            can_withdraw=withdrawable and ui_selectors.can_withdraw(user, item),
        ))
    return rows


def instance_rows(instances) -> list[Row]:
    instances = list(instances)
    prefetch_related_objects(instances, "definition")
    rows = []
    for instance in instances:
        title, url = ui_selectors.subject_link(instance, fallback=reverse("workflow:trace", args=[instance.pk]))
        rows.append(Row(instance=instance, title=title, url=url, kind=instance.definition.name,
                        urgency=ui_selectors.urgency_of(instance), steps=ui_selectors.open_step_labels(instance)))
    return rows


def _list(request, tab: str):
    unit = ui_selectors.require_unit(request)
    filters = ListFilterForm(request.GET or None, kinds=ui_selectors.process_kinds(unit))
    options = {"key": None, "query": ""}
    since = until = None
    overdue = None
    if filters.is_valid():
        options = {"key": filters.cleaned_data["kind"] or None, "query": filters.cleaned_data["q"].strip()}
        overdue = True if filters.cleaned_data["overdue"] else None
        since, until = filters.cleaned_data["since"], filters.cleaned_data["until"]
    if tab == "todo":
        rows_qs = selectors.todo_for(request.user, unit, overdue=overdue, **options).order_by(*MOST_PRESSING)
    elif tab == "in_progress":
        rows_qs = selectors.in_progress_for(request.user, unit, **options)
    else:
        rows_qs = ui_selectors.handled_between(selectors.done_for(request.user, unit, **options), since, until)
    page = Paginator(rows_qs, PER_PAGE).get_page(request.GET.get("page"))
    if tab == "in_progress":
        rows = instance_rows(ui_selectors.as_instances(page.object_list))
    else:
        rows = item_rows(request.user, page.object_list, withdrawable=tab == "done")
    counts = selectors.counts_for(request.user, unit)
    kept = {key: value for key, value in request.GET.items() if key != "page" and value}
    context = {
        "tab": tab,
        "tab_label": dict((key, label) for key, label, _icon, _url in TABS)[tab],
        "tabs": [(key, label, icon, reverse(url), counts.get(key, 0)) for key, label, icon, url in TABS],
        "counts": counts,
        "filters": filters,
        "filtered": bool(kept),
        "page": page,
        "rows": rows,
        "query_string": urlencode(kept) + "&" if kept else "",
        "acting_for": ui_selectors.acting_for(request.user, unit) if tab == "todo" else [],
        "unassigned": list(selectors.unassigned_for(request.user, unit)[:UNASSIGNED_ROWS]) if tab == "todo" else [],
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "workflow/includes/list_results.html", context)
    return render(request, "workflow/work_list.html", context)


@login_required
def todo(request):
    """待办: the items waiting for me (or for someone I act for), the nearest deadline first."""
    return _list(request, "todo")


@login_required
def in_progress(request):
    """在办: the processes I started that are still running, and where they are now."""
    return _list(request, "in_progress")


@login_required
def done(request):
    """已办: the items I handled, newest first, with withdraw where the next step has not acted."""
    return _list(request, "done")


def panel_context(request) -> dict:
    """The home-page panel: the counts and the first to-do items."""
    unit = request.unit
    if not unit:
        return {"counts": {"todo": 0, "overdue": 0, "in_progress": 0, "done": 0}, "rows": []}
    items = selectors.todo_for(request.user, unit).order_by(*MOST_PRESSING)[:PANEL_ROWS]
    return {"counts": selectors.counts_for(request.user, unit), "rows": item_rows(request.user, items)}
