"""A unit's roles overview and user groups (用户组): list, add, details and members, move and delete."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengtong.directory import selectors, services
from zhengtong.directory.forms import DirectionForm, GroupForm, GroupMembersForm, apply_errors
from zhengtong.directory.views._common import _status, _unit_context, unit_admin_required


@unit_admin_required
def roles_overview(request, unit):
    """Who holds which role in the unit: the 《公文流转角色添加记录表》 at a glance."""
    return render(request, "directory/roles_overview.html",
                  _unit_context(request, unit, "roles", rows=selectors.roles_overview(unit)))


@unit_admin_required
def groups(request, unit):
    return render(request, "directory/group_list.html",
                  _unit_context(request, unit, "groups", groups=selectors.groups_of(unit)))


@unit_admin_required
def group_add(request, unit):
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.create_group(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("User group %(name)s has been added.") % {"name": group.name})
            return redirect("directory:group", unit_pk=unit.pk, pk=group.pk)
    return render(request, "directory/group_form.html", _unit_context(request, unit, "groups", form=form),
                  status=_status(form))


@unit_admin_required
def group_detail(request, unit, pk):
    """A user group: its name and description, and its members (seed 004 八.三: 添加用户组成员)."""
    group = selectors.managed_group_for(request.user, unit, pk)
    editing = request.method == "POST" and request.POST.get("part") == "details"
    choosing = request.method == "POST" and request.POST.get("part") == "members"
    form = GroupForm(request.POST if editing else None,
                     initial={"name": group.name, "description": group.description})
    members_form = GroupMembersForm(request.POST if choosing else None, unit=unit,
                                    initial={"members": list(group.members.all())})
    bound = form if editing else members_form if choosing else None
    if bound is not None and bound.is_valid():
        try:
            if editing:
                services.update_group(actor=request.user, group=group, **form.cleaned_data)
            else:
                services.set_group_members(actor=request.user, group=group,
                                           members=members_form.cleaned_data["members"])
        except ValidationError as exc:
            apply_errors(bound, exc)
        else:
            messages.success(request, _("User group %(name)s has been saved.") % {"name": group.name})
            return redirect("directory:group", unit_pk=unit.pk, pk=group.pk)
    if request.method == "POST" and bound is None:
        return redirect("directory:group", unit_pk=unit.pk, pk=group.pk)
    posts = {post.user_id: post for post in selectors.posts_in_unit(unit)}
    members = [(person, posts.get(person.pk)) for person in members_form.fields["members"].queryset]
    return render(request, "directory/group_detail.html",
                  _unit_context(request, unit, "groups", group=group, form=form, members_form=members_form,
                                members=members, chosen={str(pk) for pk in _chosen(members_form)}),
                  status=400 if bound is not None and bound.errors else 200)


def _chosen(form) -> list:
    if form.is_bound:
        return form.data.getlist(form.add_prefix("members"))
    return [user.pk for user in form.initial.get("members", [])]


@require_POST
@unit_admin_required
def group_move(request, unit, pk):
    group = selectors.managed_group_for(request.user, unit, pk)
    form = DirectionForm(request.POST)
    if form.is_valid():
        services.reorder_group(actor=request.user, group=group, direction=form.cleaned_data["direction"])
    return redirect("directory:groups", unit_pk=unit.pk)


@require_POST
@unit_admin_required
def group_delete(request, unit, pk):
    group = selectors.managed_group_for(request.user, unit, pk)
    services.delete_group(actor=request.user, group=group)
    messages.success(request, _("User group %(name)s has been deleted.") % {"name": group.name})
    return redirect(reverse("directory:groups", kwargs={"unit_pk": unit.pk}))
