"""The operator's unit category pages (部门大类): list, add, edit, move and delete."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengtong.directory import selectors, services
from zhengtong.directory.forms import CategoryForm, DirectionForm, apply_errors
from zhengtong.directory.views._common import _operator_context, _status, operator_required


@operator_required
def category_list(request):
    return render(request, "directory/category_list.html",
                  _operator_context(request, categories=selectors.categories_for_operator(request.user),
                                    form=CategoryForm()))


@operator_required
def category_add(request):
    form = CategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            category = services.create_category(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Category %(name)s has been added.") % {"name": category.name})
            return redirect("directory:categories")
    return render(request, "directory/category_form.html", _operator_context(request, form=form),
                  status=_status(form))


@operator_required
def category_edit(request, pk):
    category = selectors.category_for_operator(request.user, pk)
    form = CategoryForm(request.POST or None, initial={"name": category.name, "code": category.code})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_category(actor=request.user, category=category, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Category %(name)s has been saved.") % {"name": form.cleaned_data["name"]})
            return redirect("directory:categories")
    return render(request, "directory/category_form.html",
                  _operator_context(request, form=form, category=category), status=_status(form))


@require_POST
@operator_required
def category_move(request, pk):
    category = selectors.category_for_operator(request.user, pk)
    form = DirectionForm(request.POST)
    if form.is_valid():
        services.move_category(actor=request.user, category=category, direction=form.cleaned_data["direction"])
    return redirect("directory:categories")


@require_POST
@operator_required
def category_delete(request, pk):
    category = selectors.category_for_operator(request.user, pk)
    try:
        services.delete_category(actor=request.user, category=category)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Category %(name)s has been deleted.") % {"name": category.name})
    return redirect("directory:categories")
