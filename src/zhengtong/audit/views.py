"""Browsing the audit trail: the filtered list, one record, the Excel export."""

from __future__ import annotations

import json
import tempfile
from typing import Any

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from zhengtong.audit import selectors, services
from zhengtong.audit.exports import write_workbook
from zhengtong.audit.forms import AuditFilterForm
from zhengtong.audit.verify import verify_record
from zhengtong.directory.selectors import units_administered_by


def _unit(request):
    # request.unit is a lazy object; "or None" turns a lazily missing unit into a real None.
    return getattr(request, "unit", None) or None


def _filter_form(request, scope: str) -> AuditFilterForm:
    units = units_administered_by(request.user) if scope == "all" else None
    return AuditFilterForm(request.GET or None, units=units)


@require_GET
@login_required
def index(request):
    """The records the person may read, newest first, filtered, a page at a time."""
    unit = _unit(request)
    scope = selectors.audit_scope(request.user, unit)
    if scope is None:
        raise Http404
    form = _filter_form(request, scope)
    context: dict[str, Any] = {"form": form, "scope": scope, "unit": unit, "page": None}
    if form.is_bound and not form.is_valid():
        return render(request, "audit/record_list.html", context, status=400)
    data = form.cleaned_data if form.is_bound else {}
    records = selectors.filter_records(selectors.records_visible_to(request.user, unit),
                                       form.criteria() if form.is_bound else selectors.RecordFilter())
    context["page"] = selectors.page_of(records, before=data.get("before"), after=data.get("after"))
    context["query"] = form.query_string()
    context["filtered"] = bool(context["query"])
    return render(request, "audit/record_list.html", context)


@require_GET
@login_required
def detail(request, pk: int):
    """One record: who did what to which object, the changes old → new, and its place in the chain."""
    unit = _unit(request)
    record = selectors.record_for(request.user, unit, pk)
    visible = selectors.records_visible_to(request.user, unit)
    return render(request, "audit/record_detail.html", {
        "record": record,
        "change_rows": change_rows(record.changes, model=_model_of(record.object_type)),
        "problem": verify_record(record),
        "newer": visible.filter(seq__gt=record.seq).order_by("seq").only("pk").first(),
        "older": visible.filter(seq__lt=record.seq).order_by("-seq").only("pk").first(),
        "back_query": request.GET.get("back", ""),
    })


@require_GET
@login_required
def export(request):
    """The filtered list as an Excel workbook; platform operators only (others get 404)."""
    unit = _unit(request)
    if selectors.audit_scope(request.user, unit) != "all":
        raise Http404
    form = _filter_form(request, "all")
    if form.is_bound and not form.is_valid():
        return render(request, "audit/record_list.html",
                      {"form": form, "scope": "all", "unit": unit, "page": None}, status=400)
    criteria = form.criteria() if form.is_bound else selectors.RecordFilter()
    records = selectors.filter_records(selectors.records_visible_to(request.user, unit), criteria)
    stream = tempfile.TemporaryFile()
    count = write_workbook(records, stream)
    services.record_export(actor=request.user, count=count, filters=_described(criteria))
    stream.seek(0)
    filename = f"audit-{timezone.localtime():%Y%m%d-%H%M}.xlsx"
    return FileResponse(stream, as_attachment=True, filename=filename,
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def change_rows(changes: Any, *, model=None) -> list[dict[str, Any]]:
    """The changes JSON as table rows: ``{"field": [old, new]}`` becomes old → new, anything else a value.

    A key that names a field of ``model`` (the object's model) is shown by the field's verbose name.
    """
    if not isinstance(changes, dict):
        return [{"field": "", "value": _shown(changes)}] if changes not in (None, "", []) else []
    rows = []
    for key, value in changes.items():
        field = _field_label(model, key)
        if isinstance(value, list) and len(value) == 2:
            rows.append({"field": field, "key": key, "old": _shown(value[0]), "new": _shown(value[1]),
                         "pair": True})
        else:
            rows.append({"field": field, "key": key, "value": _shown(value)})
    return rows


def _model_of(object_type: str):
    try:
        return apps.get_model(object_type) if object_type else None
    except (LookupError, ValueError):
        return None


def _field_label(model, key: str) -> str:
    if model is not None:
        try:
            return str(model._meta.get_field(key).verbose_name)
        except FieldDoesNotExist:
            pass
    return key


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _described(criteria: selectors.RecordFilter) -> dict[str, Any]:
    return {name: str(value) for name, value in vars(criteria).items() if value}
