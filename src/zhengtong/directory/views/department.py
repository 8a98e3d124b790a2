"""A unit's departments (科室): list, add, edit, move and delete."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengtong.directory import selectors, services
from zhengtong.directory.forms import DepartmentForm, DirectionForm, apply_errors
from zhengtong.directory.views._common import _status, _unit_context, unit_admin_required


@unit_admin_required
def departments(request, unit):
    return render(request, "directory/department_list.html", _unit_context(request, unit, "departments"))


@unit_admin_required
def department_add(request, unit):
    initial = {"parent": request.GET.get("parent", "")}
    form = DepartmentForm(request.POST or None, unit=unit, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            department = services.create_department(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Department %(name)s has been added.") % {"name": department.name})
            return redirect("directory:departments", unit_pk=unit.pk)
    return render(request, "directory/department_form.html", _unit_context(request, unit, "departments", form=form),
                  status=_status(form))


@unit_admin_required
def department_edit(request, unit, pk):
    department = selectors.managed_department_for(request.user, unit, pk)
    initial = {"name": department.name, "parent": department.parent_id or "", "phone": department.phone}
    form = DepartmentForm(request.POST or None, unit=unit, department=department, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_department(actor=request.user, department=department, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Department %(name)s has been saved.") % {"name": form.cleaned_data["name"]})
            return redirect("directory:departments", unit_pk=unit.pk)
    return render(request, "directory/department_form.html",
                  _unit_context(request, unit, "departments", form=form, department=department),
                  status=_status(form))


@require_POST
@unit_admin_required
def department_move(request, unit, pk):
    department = selectors.managed_department_for(request.user, unit, pk)
    form = DirectionForm(request.POST)
    if form.is_valid():
        services.reorder_department(actor=request.user, department=department,
                                    direction=form.cleaned_data["direction"])
    return redirect("directory:departments", unit_pk=unit.pk)


@require_POST
@unit_admin_required
def department_delete(request, unit, pk):
    department = selectors.managed_department_for(request.user, unit, pk)
    try:
        services.delete_department(actor=request.user, department=department)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Department %(name)s has been deleted.") % {"name": department.name})
    return redirect("directory:departments", unit_pk=unit.pk)
