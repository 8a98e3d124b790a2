"""流程跟踪: the diagram of an instance with the steps done and waiting, and its history."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from zhengtong.workflow import selectors, ui_selectors


@login_required
def trace(request, pk: int):
    """For the participants of the instance and the unit's admin and leaders; 404 for anyone else."""
    instance = ui_selectors.instance_for(request.user, pk)
    _title, subject_url = ui_selectors.subject_link(instance, fallback="")
    trace_data = selectors.trace_for(instance)
    return render(request, "workflow/trace.html", {
        "instance": instance, "trace": trace_data, "subject_url": subject_url, "diagram": True,
        "history": [*trace_data["history"], *selectors.open_items_of(instance)],
    })
