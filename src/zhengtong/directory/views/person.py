"""A unit's people: list, add, details, roles, status, one-time passwords and posts."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from zhengtong.directory import selectors, services
from zhengtong.directory.forms import AddExistingForm, PeopleFilterForm, PersonForm, RolesForm, StatusForm, apply_errors
from zhengtong.directory.models import Role, Unit, User
from zhengtong.directory.pinyin import PinyinError
from zhengtong.directory.views._common import _status, _unit_context, unit_admin_required

ONE_TIME_KEY = "directory_one_time_password"
PEOPLE_PER_PAGE = 50


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
