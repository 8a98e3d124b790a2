"""Directory management in the office portal: thin views over directory.selectors and services.

Two audiences: the platform operator (units, categories; seed 001 第八条–第九条) and a unit's
system administrator (departments, people, roles, user groups; seed 004 part 八). Every unit page
resolves its unit through ``selectors.managed_unit_for``, so another unit's pages are a 404.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from zhengtong.directory import selectors, services
from zhengtong.directory.forms import (AddExistingForm, CategoryForm, DepartmentForm, DirectionForm, DissolveForm,
                                       GroupForm, GroupMembersForm, MergeForm, PeopleFilterForm, PersonForm,
                                       RenameForm, RolesForm, StatusForm, UnitForm, apply_errors)
from zhengtong.directory.models import Role, Unit, User
from zhengtong.directory.pinyin import PinyinError

ONE_TIME_KEY = "directory_one_time_password"
PEOPLE_PER_PAGE = 50


def operator_required(view):
    """The operator's pages: 404 for everybody else (a missing right looks like a missing page)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        selectors.require_operator(request.user)
        return view(request, *args, **kwargs)

    return wrapper


def unit_admin_required(view):
    """A unit's pages: the unit comes from the URL through managed_unit_for, else 404."""

    @login_required
    @wraps(view)
    def wrapper(request, unit_pk, *args, **kwargs):
        unit = selectors.managed_unit_for(request.user, unit_pk)
        return view(request, unit, *args, **kwargs)

    return wrapper


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


def _unit_context(request, unit: Unit, tab: str, **extra) -> dict:
    return {
        "unit": unit,
        "tab": tab,
        "is_operator": selectors.is_platform_operator(request.user),
        "administered_units": selectors.units_administered_by(request.user).select_related("category")[:200],
        "department_tree": selectors.department_tree(unit),
        **extra,
    }


def _operator_context(request, **extra) -> dict:
    return {"unit_groups": selectors.unit_tree_for_operator(request.user), **extra}


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


# --- Units (platform operator) -------------------------------------------------------------------

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


# --- Unit categories (platform operator) ---------------------------------------------------------

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


# --- People of a unit ----------------------------------------------------------------------------

@unit_admin_required
def people(request, unit):
    """The people of a unit: search by name, username or pinyin initials; filter by department and status."""
    filters = PeopleFilterForm(request.GET or None)
    query, status, department = "", "", None
    if filters.is_valid():
        query, status = filters.cleaned_data["q"], filters.cleaned_data["status"]
        if filters.cleaned_data["department"]:
            department = selectors.managed_department_for(request.user, unit, filters.cleaned_data["department"])
    posts = selectors.posts_in_unit(unit, query=query, department=department, status=status)
    page = Paginator(posts, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    roles_of = selectors.role_names_by_person(unit, [post.user_id for post in page])
    for post in page:
        post.role_names = roles_of.get(post.user_id, [])
    context = _unit_context(request, unit, "people", page=page, query=query, status=status,
                            department=department, filters=filters)
    if request.htmx and not request.htmx.boosted:
        return render(request, "directory/includes/people_results.html", context)
    return render(request, "directory/person_list.html", context)


def _remember_password(request, *, user: User, unit: Unit, password: str, reason: str) -> None:
    request.session[ONE_TIME_KEY] = {"user": user.pk, "unit": unit.pk, "password": password, "reason": reason}


@unit_admin_required
def person_add(request, unit):
    """Create an account (seed 004 八.二); its one-time password is shown once on the next page."""
    form = PersonForm(request.POST or None, unit=unit, actor=request.user, adding=True,
                      suggest_url=reverse("directory:suggest-username", kwargs={"unit_pk": unit.pk}))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        role_codes = data.pop("roles")
        try:
            user, password = services.create_person(actor=request.user, unit=unit, role_codes=role_codes, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            _remember_password(request, user=user, unit=unit, password=password, reason="created")
            return redirect("directory:person-password", unit_pk=unit.pk, pk=user.pk)
    suggestion = ""
    if form.is_bound and not form.data.get("username") and form.data.get("name"):
        suggestion = _suggestion(form.data.get("name"))[0]
    return render(request, "directory/person_add.html",
                  _unit_context(request, unit, "people", form=form, suggestion=suggestion), status=_status(form))


def _suggestion(name: str) -> tuple[str, str]:
    """(suggested username, error) for a name."""
    try:
        return services.suggest_username(name), ""
    except PinyinError as exc:
        return "", " ".join(exc.messages)
    except ValidationError as exc:
        return "", " ".join(exc.messages)


@require_GET
@unit_admin_required
def suggest_username(request, unit):
    """htmx: the username field, filled with the pinyin of the name unless the admin typed their own."""
    name = request.GET.get("name", "").strip()
    current = request.GET.get("username", "").strip()
    previous = request.GET.get("suggested", "").strip()
    suggestion, error = _suggestion(name) if name else ("", "")
    keep_own = bool(current) and current != previous
    value = current if keep_own else suggestion
    if keep_own or not name:
        error = ""
    return render(request, "directory/includes/username_field.html",
                  {"unit": unit, "value": value, "suggestion": suggestion, "error": error, "keep_own": keep_own})


@never_cache
@unit_admin_required
def person_one_time_password(request, unit, pk):
    """Show a one-time password once: it leaves the session as it is shown, and no cache keeps the page."""
    post = selectors.managed_post_for(request.user, unit, pk)
    pending = request.session.get(ONE_TIME_KEY)
    password, reason = "", ""
    if pending and pending.get("user") == post.user_id and pending.get("unit") == unit.pk:
        del request.session[ONE_TIME_KEY]
        password, reason = pending["password"], pending["reason"]
    response = render(request, "directory/person_password.html",
                      _unit_context(request, unit, "people", post=post, person=post.user, password=password,
                                    reason=reason), status=200 if password else 410)
    response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
    return response


def _person_context(request, unit, post, *, form=None, roles_form=None) -> dict:
    """Everything the person page shows: details form, roles, status, password, other posts."""
    person = post.user
    editable = services.may_edit_account(request.user, person, unit)
    current_roles = selectors.role_codes_of(person, unit)
    if roles_form is None:
        roles_form = RolesForm(actor=request.user)
        roles_form.initial = {"roles": sorted(current_roles & _codes(roles_form))}
    if form is None:
        form = PersonForm(unit=unit, actor=request.user, adding=False, account_editable=editable,
                          initial=_person_initial(post))
    return _unit_context(
        request, unit, "people", post=post, person=person, form=form, roles_form=roles_form,
        fixed_roles=Role.objects.filter(code__in=current_roles - _codes(roles_form)),
        status_form=StatusForm(initial={"status": person.status}),
        other_posts=selectors.other_posts_of(person, unit), account_editable=editable,
        is_self=person.pk == request.user.pk)


def _codes(roles_form) -> set[str]:
    return {code for code, _label in roles_form.fields["roles"].choices}


@unit_admin_required
def person_detail(request, unit, pk):
    """A person's details and post, with their roles, status and password on the same page."""
    post = selectors.managed_post_for(request.user, unit, pk)
    person = post.user
    editable = services.may_edit_account(request.user, person, unit)
    form = PersonForm(request.POST or None, unit=unit, actor=request.user, adding=False, account_editable=editable,
                      initial=_person_initial(post))
    if request.method == "POST":
        if not post.is_active:
            raise Http404
        if form.is_valid():
            try:
                services.update_person(actor=request.user, unit=unit, user=person, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The details of %(name)s have been saved.") % {"name": person.name})
                return redirect("directory:person", unit_pk=unit.pk, pk=person.pk)
    return render(request, "directory/person_detail.html", _person_context(request, unit, post, form=form),
                  status=_status(form))


@require_POST
@unit_admin_required
def person_roles(request, unit, pk):
    """Give roles in this unit (《公文流转角色添加记录表》); platform roles only by the operator."""
    post = selectors.managed_post_for(request.user, unit, pk)
    form = RolesForm(request.POST, actor=request.user)
    if form.is_valid():
        allowed = _codes(form)
        # Roles the actor may not give (a platform role held by this person) are kept as they are.
        kept = selectors.role_codes_of(post.user, unit) - allowed
        try:
            services.set_roles(actor=request.user, user=post.user, unit=unit,
                               role_codes=set(form.cleaned_data["roles"]) | kept)
        except ValidationError as exc:
            form.add_error("roles", exc.messages)
        else:
            messages.success(request, _("The roles of %(name)s have been saved.") % {"name": post.user.name})
            return redirect("directory:person", unit_pk=unit.pk, pk=post.user_id)
    context = _person_context(request, unit, post, roles_form=form)
    return render(request, "directory/person_detail.html", context, status=400)


def _person_initial(post) -> dict:
    person = post.user
    return {"name": person.name, "mobile": person.mobile, "email": person.email,
            "department": post.department_id, "title": post.title, "office_phone": post.office_phone,
            "sort_order": post.sort_order, "leader_order": post.leader_order}


@require_POST
@unit_admin_required
def person_status(request, unit, pk):
    post = selectors.managed_post_for(request.user, unit, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.set_person_status(actor=request.user, unit=unit, user=post.user,
                                       status=form.cleaned_data["status"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The status of %(name)s has been changed.") % {"name": post.user.name})
    else:
        messages.error(request, _("Choose a valid status."))
    return redirect("directory:person", unit_pk=unit.pk, pk=post.user_id)


@require_POST
@unit_admin_required
def person_reset_password(request, unit, pk):
    post = selectors.managed_post_for(request.user, unit, pk)
    try:
        password = services.reset_password(actor=request.user, user=post.user, unit=unit)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("directory:person", unit_pk=unit.pk, pk=post.user_id)
    _remember_password(request, user=post.user, unit=unit, password=password, reason="reset")
    return redirect("directory:person-password", unit_pk=unit.pk, pk=post.user_id)


@require_POST
@unit_admin_required
def person_remove(request, unit, pk):
    """Remove a person's post in this unit (they keep their account and their other posts)."""
    post = selectors.managed_post_for(request.user, unit, pk)
    try:
        services.remove_membership(actor=request.user, unit=unit, user=post.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("directory:person", unit_pk=unit.pk, pk=post.user_id)
    messages.success(request, _("%(name)s no longer serves in this unit.") % {"name": post.user.name})
    return redirect("directory:people", unit_pk=unit.pk)


@unit_admin_required
def person_add_existing(request, unit):
    """Give a person who already has an account a post in this unit (one person, one account)."""
    form = AddExistingForm(request.POST or request.GET or None, unit=unit)
    found = None
    if form.is_bound and form.is_valid():
        found = selectors.person_to_add(request.user, unit, form.cleaned_data["username"])
        if found is None:
            form.add_error("username", _("No account has the username %(username)s.")
                           % {"username": form.cleaned_data["username"]})
        elif request.method == "POST":
            try:
                services.add_membership(actor=request.user, user=found, unit=unit,
                                        department=form.cleaned_data["department"], title=form.cleaned_data["title"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("%(name)s now also serves in %(unit)s.")
                                 % {"name": found.name, "unit": unit.name})
                return redirect("directory:person", unit_pk=unit.pk, pk=found.pk)
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, "directory/person_add_existing.html",
                  _unit_context(request, unit, "people", form=form, found=found), status=status)


# --- Departments ---------------------------------------------------------------------------------

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


# --- Roles and user groups -----------------------------------------------------------------------

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
