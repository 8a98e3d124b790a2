"""发文登记簿 and 收文登记簿: searchable, paginated, and exported to Excel like the paper ledger."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from zhengtong.audit import services as audit
from zhengtong.directory import roles
from zhengtong.directory.selectors import has_role
from zhengtong.documents import exports, selectors
from zhengtong.documents.forms import LedgerSearchForm
from zhengtong.documents.views._common import current_unit_or_404

PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _ledger_unit(request):
    unit = current_unit_or_404(request)
    if not selectors.may_see_ledgers(request.user, unit):
        raise Http404
    return unit


def _query_without_page(request) -> str:
    return urlencode([(key, value) for key, value in request.GET.items() if key != "page"])


def _ledger(request, *, direction: str):
    unit = _ledger_unit(request)
    form = LedgerSearchForm(request.GET or None)
    search = form.search()
    if direction == "outgoing":
        documents = selectors.outgoing_ledger(request.user, unit, search)
    else:
        documents = selectors.incoming_ledger(request.user, unit, search)
    page = Paginator(documents, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, f"documents/ledger_{direction}.html", {
        "unit": unit, "form": form, "search": search, "page": page, "query": _query_without_page(request),
        "nav_active": "documents", "tab": f"ledger-{direction}", "may_see_ledgers": True,
        "may_manage_registers": selectors.may_manage_registers(request.user, unit),
        "first_index": page.start_index() if page.paginator.count else 0,
        "may_register": direction == "incoming" and has_role(request.user, unit, roles.CLERK),
    }, status=400 if form.is_bound and form.errors else 200)


@login_required
def outgoing_ledger(request):
    """发文登记簿 of the current unit for a year."""
    return _ledger(request, direction="outgoing")


@login_required
def incoming_ledger(request):
    """收文登记簿 of the current unit for a year."""
    return _ledger(request, direction="incoming")


def _export(request, *, direction: str) -> HttpResponse:
    unit = _ledger_unit(request)
    form = LedgerSearchForm(request.GET or None)
    search = form.search()
    stream = io.BytesIO()
    if direction == "outgoing":
        documents = selectors.outgoing_ledger(request.user, unit, search)
        count = exports.write_outgoing_ledger(documents, stream, unit_name=unit.name, year=search.year)
        name = f"fawen-{unit.code}-{search.year}.xlsx"
    else:
        documents = selectors.incoming_ledger(request.user, unit, search)
        count = exports.write_incoming_ledger(documents, stream, unit_name=unit.name, year=search.year)
        name = f"shouwen-{unit.code}-{search.year}.xlsx"
    audit.record(actor=request.user, action="documents.ledger.export", unit=unit,
                 summary=_("Exported the %(ledger)s of %(year)s (%(count)s rows)")
                 % {"ledger": _("outgoing document ledger") if direction == "outgoing"
                    else _("incoming document ledger"), "year": search.year, "count": count},
                 changes={"direction": direction, "year": search.year, "count": count})
    response = HttpResponse(stream.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def outgoing_ledger_export(request):
    return _export(request, direction="outgoing")


@login_required
def incoming_ledger_export(request):
    return _export(request, direction="incoming")
