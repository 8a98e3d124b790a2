"""The operator's unit pages: the start page, unit list, register, edit, rename, dissolve and merge."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from zhengtong.directory import selectors, services
from zhengtong.directory.forms import DissolveForm, MergeForm, RenameForm, UnitForm, apply_errors
from zhengtong.directory.models import Unit
from zhengtong.directory.views._common import _operator_context, _status, operator_required


@login_required
def index(request):
    """Operators start at the unit tree; a unit admin at the people of the unit they work in."""
    if selectors.is_platform_operator(request.user):
        return redirect("directory:units")
    units = list(selectors.units_administered_by(request.user))
    if not units:
        raise Http404
    current = getattr(request, "unit", None)
    unit = next((each for each in units if current is not None and each.pk == current.pk), units[0])
    return redirect("directory:people", unit_pk=unit.pk)


@operator_required
def unit_list(request):
    return render(request, "directory/unit_list.html", {
        "unit_groups": selectors.unit_tree_for_operator(request.user),
        "ended_units": selectors.ended_units_for_operator(request.user),
        "totals": selectors.directory_totals(request.user)})


@operator_required
def unit_add(request):
    form = UnitForm(request.POST or None, initial={"category": request.GET.get("category")})
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.register_unit(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Unit %(name)s has been registered.") % {"name": unit.name})
            return redirect("directory:unit", unit_pk=unit.pk)
    return render(request, "directory/unit_form.html", _operator_context(request, form=form),
                  status=_status(form))


@operator_required
def unit_detail(request, unit_pk):
    unit = selectors.unit_for_operator(request.user, unit_pk)
    context = _operator_context(request, unit=unit, history=selectors.unit_name_history(unit),
                                predecessors=unit.predecessors.all(),
                                people_count=unit.memberships.filter(is_active=True).count(),
                                department_count=unit.departments.count(),
                                admins=selectors.unit_admins_of(unit))
    return render(request, "directory/unit_detail.html", context)


def _active_unit_for_operator(request, unit_pk) -> Unit:
    unit = selectors.unit_for_operator(request.user, unit_pk)
    if not unit.is_active:
        raise Http404  # nobody manages a dissolved or merged unit
    return unit


@operator_required
def unit_edit(request, unit_pk):
    unit = _active_unit_for_operator(request, unit_pk)
    initial = {name: getattr(unit, name) for name in ("short_name", "code", "credit_code", "category", "parent",
                                                       "sort_order", "document_prefix", "description")}
    form = UnitForm(request.POST or None, unit=unit, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_unit(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The details of %(name)s have been saved.") % {"name": unit.name})
            return redirect("directory:unit", unit_pk=unit.pk)
    return render(request, "directory/unit_form.html", _operator_context(request, form=form, unit=unit),
                  status=_status(form))


@operator_required
def unit_rename(request, unit_pk):
    unit = _active_unit_for_operator(request, unit_pk)
    form = RenameForm(request.POST or None, initial={"name": unit.name, "short_name": unit.short_name})
    if request.method == "POST" and form.is_valid():
        try:
            services.rename_unit(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The unit has been renamed to %(name)s.") % {"name": form.cleaned_data["name"]})
            return redirect("directory:unit", unit_pk=unit.pk)
    return render(request, "directory/unit_rename.html",
                  _operator_context(request, form=form, unit=unit, history=selectors.unit_name_history(unit)),
                  status=_status(form))


@operator_required
def unit_dissolve(request, unit_pk):
    unit = _active_unit_for_operator(request, unit_pk)
    form = DissolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.dissolve_unit(actor=request.user, unit=unit, end_note=form.cleaned_data["end_note"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Unit %(name)s has been dissolved.") % {"name": unit.name})
            return redirect("directory:unit", unit_pk=unit.pk)
    people = unit.memberships.filter(is_active=True).count()
    return render(request, "directory/unit_dissolve.html",
                  _operator_context(request, form=form, unit=unit, people_count=people),
                  status=_status(form))


@operator_required
def unit_merge(request):
    initial = {"units": request.GET.getlist("unit")}
    form = MergeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        new_unit = form.new_unit()
        try:
            target = services.merge_units(actor=request.user, units=list(data["units"]), end_note=data["end_note"],
                                          continuing=data["continuing"] if new_unit is None else None,
                                          new_unit=new_unit)
        except ValidationError as exc:
            apply_errors(form, exc, field_map=MergeForm.NEW_FIELDS if new_unit else {})
        else:
            messages.success(request, _("The units have been merged into %(name)s.") % {"name": target.name})
            return redirect("directory:unit", unit_pk=target.pk)
    return render(request, "directory/unit_merge.html", _operator_context(request, form=form),
                  status=_status(form))
