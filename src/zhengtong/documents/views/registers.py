"""文号管理 and 红头模板 for the unit's system administrator (other people get 404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengtong.documents import selectors, services
from zhengtong.documents.models import Kind
from zhengtong.documents.forms import RedHeaderForm, RegisterForm, VoidForm, parse_year
from zhengtong.documents.views._common import add_service_errors, current_unit_or_404, status_of


def _admin_unit(request):
    unit = current_unit_or_404(request)
    if not selectors.may_manage_registers(request.user, unit):
        raise Http404
    return unit


def _kind_labels(kinds) -> list[str]:
    labels = dict(Kind.choices)
    return [str(labels.get(kind, kind)) for kind in kinds or []]


def _preview_lines(form, template=None) -> list[str]:
    value = form["lines"].value() if form.is_bound else form.initial.get("lines", "")
    return [line.strip() for line in str(value or "").splitlines() if line.strip()]


def _context(request, unit, tab, **extra) -> dict:
    return {"unit": unit, "tab": tab, "nav_active": "documents", "may_see_ledgers":
            selectors.may_see_ledgers(request.user, unit), "may_manage_registers": True, **extra}


@login_required
def register_list(request):
    """The unit's number registers with this year's count of numbers taken."""
    unit = _admin_unit(request)
    year = timezone.localdate().year
    rows = []
    for register in selectors.registers_of(request.user, unit):
        issued = selectors.issued_numbers(register, year)
        rows.append({"register": register, "count": issued.count(), "kind_labels": _kind_labels(register.kinds),
                     "voided": issued.filter(status="voided").count(), "last": issued.first()})
    return render(request, "documents/register_list.html", _context(request, unit, "registers", rows=rows,
                                                                    year=year,
                                                                    default_prefix=f"{unit.document_prefix}发"))


@login_required
def register_add(request):
    unit = _admin_unit(request)
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_register(actor=request.user, unit=unit, name=form.cleaned_data["name"],
                                     prefix=form.cleaned_data["prefix"], kinds=form.cleaned_data["kinds"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The number register is added."))
            return redirect("documents:registers")
    return render(request, "documents/register_form.html",
                  _context(request, unit, "registers", form=form, register=None), status=status_of(form))


@login_required
def register_edit(request, pk: int):
    register = selectors.register_for_admin(request.user, pk)
    unit = register.unit
    initial = {"name": register.name, "prefix": register.prefix, "kinds": register.kinds,
               "is_active": register.is_active}
    form = RegisterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_register(actor=request.user, register=register, name=form.cleaned_data["name"],
                                     prefix=form.cleaned_data["prefix"], kinds=form.cleaned_data["kinds"],
                                     is_active=form.cleaned_data["is_active"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The number register is saved."))
            return redirect("documents:registers")
    return render(request, "documents/register_form.html",
                  _context(request, unit, "registers", form=form, register=register), status=status_of(form))


@login_required
def register_numbers(request, pk: int):
    """The numbers a register gave in a year, with their documents; voided ones stay, struck through."""
    register = selectors.register_for_admin(request.user, pk)
    year = parse_year(request.GET.get("year"))
    years = sorted(set(register.issued.values_list("year", flat=True)) | {timezone.localdate().year}, reverse=True)
    return render(request, "documents/register_numbers.html", _context(
        request, register.unit, "registers", register=register, year=year, years=years,
        numbers=selectors.issued_numbers(register, year), void_form=VoidForm()))


@login_required
@require_POST
def number_void(request, pk: int):
    """Void a number with the reason; it is never given again."""
    issued = selectors.issued_number_for(request.user, pk)
    form = VoidForm(request.POST)
    target = reverse("documents:register-numbers", args=[issued.register_id]) + f"?year={issued.year}"
    if not form.is_valid():
        messages.error(request, _("Give the reason for voiding the number."))
        return redirect(target)
    try:
        services.void_number(actor=request.user, issued=issued, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The number %(number)s is void.") % {"number": issued.text})
    return redirect(target)


# --- 红头模板 ----------------------------------------------------------------------------------------

@login_required
def red_header_list(request):
    unit = _admin_unit(request)
    templates = list(selectors.red_headers_of(request.user, unit))
    for template in templates:
        template.kind_labels = _kind_labels(template.kinds)
    return render(request, "documents/red_header_list.html", _context(
        request, unit, "red-headers", templates=templates))


def _red_header_values(form) -> dict:
    data = form.cleaned_data
    return {"name": data["name"], "lines": data["lines"], "suffix": data["suffix"], "color": data["color"],
            "kinds": data["kinds"], "is_default": data["is_default"]}


@login_required
def red_header_add(request):
    unit = _admin_unit(request)
    form = RedHeaderForm(request.POST or None, initial={"lines": unit.name, "suffix": "文件", "color": "#E60012"})
    if request.method == "POST" and form.is_valid():
        try:
            services.create_red_header(actor=request.user, unit=unit, **_red_header_values(form))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The red-header template is added."))
            return redirect("documents:red-headers")
    return render(request, "documents/red_header_form.html",
                  _context(request, unit, "red-headers", form=form, template=None,
                           preview_lines=_preview_lines(form)), status=status_of(form))


@login_required
def red_header_edit(request, pk: int):
    template = selectors.red_header_for(request.user, pk)
    initial = {"name": template.name, "lines": "\n".join(template.lines), "suffix": template.suffix,
               "color": template.color, "kinds": template.kinds, "is_default": template.is_default}
    form = RedHeaderForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_red_header(actor=request.user, template=template, **_red_header_values(form))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The red-header template is saved."))
            return redirect("documents:red-headers")
    return render(request, "documents/red_header_form.html",
                  _context(request, template.unit, "red-headers", form=form, template=template,
                           preview_lines=_preview_lines(form)),
                  status=status_of(form))


@login_required
@require_POST
def red_header_delete(request, pk: int):
    template = selectors.red_header_for(request.user, pk)
    services.delete_red_header(actor=request.user, template=template)
    messages.success(request, _("The red-header template is removed."))
    return redirect("documents:red-headers")
