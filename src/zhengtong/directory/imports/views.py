"""Pages of the people import and export; every page is for one unit the person administers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhengtong.directory import selectors as directory_selectors
from zhengtong.directory.imports import selectors, services
from zhengtong.directory.imports.forms import UploadForm
from zhengtong.directory.imports.models import PeopleImport
from zhengtong.directory.imports.sheets import XLSX_CONTENT_TYPE, SheetError

RECENT_IMPORTS = 10


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Cache-Control"] = "no-store"
    return response


def _active_unit(request, unit_id: int):
    unit = directory_selectors.managed_unit_for(request.user, unit_id)
    if not unit.is_active:
        raise Http404
    return unit


@login_required
@require_GET
def start(request):
    """Open the import of the unit one works in (or the first one administered)."""
    unit = selectors.default_unit_for_import(request.user, request.unit)
    if unit is None:
        raise Http404
    return redirect("directory-import:upload", unit_id=unit.pk)


@login_required
def upload(request, unit_id: int):
    """Template download, upload form, and the row-by-row check of a sheet with errors."""
    unit = directory_selectors.managed_unit_for(request.user, unit_id)
    form = UploadForm(request.POST or None, request.FILES or None)
    rows = None
    status = 200
    if request.method == "POST":
        if not unit.is_active:
            raise Http404
        if form.is_valid():
            sheet = form.cleaned_data["file"]
            try:
                people_import, rows = services.upload_sheet(actor=request.user, unit=unit, file_name=sheet.name,
                                                            data=sheet.read())
            except SheetError as exc:
                form.add_error("file", exc.messages)
            else:
                if people_import is not None:
                    return redirect("directory-import:detail", unit_id=unit.pk, pk=people_import.pk)
        status = 400
    context = {
        "unit": unit,
        "form": form,
        "rows": rows,
        "row_errors": services.row_messages(rows) if rows else [],
        "bad_rows": sum(1 for row in rows if row.errors) if rows else 0,
        "recent": selectors.imports_of(unit)[:RECENT_IMPORTS],
    }
    return render(request, "directory/imports/upload.html", context, status=status)


@login_required
@require_GET
def template(request, unit_id: int):
    unit = _active_unit(request, unit_id)
    data = services.template_for(actor=request.user, unit=unit)
    return _xlsx(data, _("People import template - %(unit)s.xlsx") % {"unit": unit.display_name})


@login_required
@require_GET
def export(request, unit_id: int):
    unit = directory_selectors.managed_unit_for(request.user, unit_id)
    data = services.export_people(actor=request.user, unit=unit)
    return _xlsx(data, _("People - %(unit)s - %(date)s.xlsx")
                 % {"unit": unit.display_name, "date": timezone.localdate().strftime("%Y%m%d")})


def _detail_context(people_import: PeopleImport) -> dict:
    return {
        "unit": people_import.unit,
        "people_import": people_import,
        "failures": services.failure_messages(people_import),
        "warnings": sum(len(row.get("warnings", [])) for row in people_import.rows)
        if people_import.status == PeopleImport.Status.PREVIEWED else 0,
        "kept_days": services.PASSWORDS_KEPT_FOR.days,
    }


@login_required
@require_GET
def detail(request, unit_id: int, pk: int):
    """The preview of a valid sheet with its confirm button; later the progress and the result."""
    people_import = selectors.people_import_for(request.user, unit_id=unit_id, pk=pk)
    return render(request, "directory/imports/detail.html", _detail_context(people_import))


@login_required
@require_GET
def progress(request, unit_id: int, pk: int):
    """The progress bar (htmx polls it every second while the import runs)."""
    people_import = selectors.people_import_for(request.user, unit_id=unit_id, pk=pk)
    return render(request, "directory/imports/includes/progress.html", _detail_context(people_import))


@login_required
@require_POST
def confirm(request, unit_id: int, pk: int):
    people_import = selectors.people_import_for(request.user, unit_id=unit_id, pk=pk)
    try:
        services.confirm_import(actor=request.user, people_import=people_import)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("directory-import:detail", unit_id=unit_id, pk=pk)


@login_required
@require_POST
def passwords(request, unit_id: int, pk: int):
    """The one-time passwords as .xlsx, once."""
    people_import = selectors.people_import_for(request.user, unit_id=unit_id, pk=pk)
    try:
        data = services.take_passwords(actor=request.user, people_import=people_import)
    except services.PasswordsGone as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("directory-import:detail", unit_id=unit_id, pk=pk)
    return _xlsx(data, _("One-time passwords - %(unit)s - import %(number)s.xlsx")
                 % {"unit": people_import.unit.display_name, "number": people_import.pk})
