"""The office portal shell: home page with panels, unit switcher, personal settings, address book."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengtong.accounts import selectors as account_selectors
from zhengtong.directory import services as directory_services
from zhengtong.directory.middleware import SESSION_KEY
from zhengtong.directory.models import Unit
from zhengtong.directory.selectors import units_of
from zhengtong.office import selectors
from zhengtong.office.forms import PersonalSettingsForm
from zhengtong.office.registry import panels_for


@login_required
def home(request):
    panels = [(panel, panel.context(request)) for panel in panels_for(request)]
    return render(request, "office/home.html", {"panels": panels})


@require_POST
@login_required
def switch_unit(request):
    """Work in another of one's units: lists and to-dos follow the chosen unit."""
    try:
        unit = units_of(request.user).get(pk=int(request.POST.get("unit", "")))
    except (ValueError, TypeError, Unit.DoesNotExist):
        return HttpResponseBadRequest(_("You do not serve in that unit."))
    request.session[SESSION_KEY] = unit.pk
    messages.info(request, _("You are now working in %(unit)s.") % {"unit": unit.name})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = "office:home"
    return redirect(target)


@login_required
def personal_settings(request):
    """Personal settings: mobile number and e-mail, password, sign-in history, sign out everywhere."""
    initial = {"mobile": request.user.mobile, "email": request.user.email}
    form = PersonalSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            directory_services.update_own_contact(actor=request.user, mobile=form.cleaned_data["mobile"],
                                                  email=form.cleaned_data["email"])
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Your contact details have been saved."))
            return redirect("office:settings")
    status = 400 if request.method == "POST" else 200
    return render(request, "office/settings.html", {
        "form": form,
        "history": account_selectors.sign_in_history(request.user),
        "security": _security(request),
        "posts": selectors.posts_of(request.user),
    }, status=status)


@login_required
def address_book(request):
    """The address book (通讯录): the organisation tree, a unit's people, and live search."""
    query = request.GET.get("q", "").strip()[:40]
    unit, department, chosen = _selected(request)
    context = {"query": query, "unit": unit, "department": department}
    if query:
        context["results"] = selectors.address_book_search(query)
        context["limited"] = len(context["results"]) >= selectors.SEARCH_LIMIT
    elif unit is not None:
        context["results"] = list(selectors.address_book_people(unit=unit, department=department))
    params = {key: value for key, value in (("q", query), ("unit", getattr(unit, "pk", "") if chosen else ""),
                                            ("department", getattr(department, "pk", ""))) if value}
    canonical = reverse("office:address-book") + (f"?{urlencode(params)}" if params else "")
    if request.htmx and not request.htmx.boosted:
        response = render(request, "office/includes/address_book_results.html", context)
        response["HX-Push-Url"] = canonical
        return response
    context["tree"] = selectors.address_book_tree()
    return render(request, "office/address_book.html", context)


@login_required
def address_book_person(request, pk: int):
    """One person's card: every post they hold, with phones and e-mail."""
    person, posts = selectors.address_book_person(pk)
    template = "office/includes/person_card.html" if request.htmx else "office/address_book_person.html"
    return render(request, template, {"person": person, "posts": posts})


def _selected(request):
    """(unit, department, chosen): the tree's (or the phone select's) choice, else the current unit."""
    node = request.GET.get("node", "")
    unit_pk, department_pk = request.GET.get("unit", ""), request.GET.get("department", "")
    if node.startswith("u"):
        unit_pk, department_pk = node[1:], ""
    elif node.startswith("d") and ":" in node:
        unit_pk, department_pk = node[1:].split(":", 1)
    if unit_pk:
        if not unit_pk.isdigit() or (department_pk and not department_pk.isdigit()):
            return None, None, False
        unit = selectors.address_book_unit(int(unit_pk))
        department = selectors.address_book_department(unit, int(department_pk)) if department_pk else None
        return unit, department, True
    current = getattr(request, "unit", None)
    return (current if current else None), None, False


def _security(request):
    from zhengtong.accounts.services import SIGN_IN_SESSION_KEY

    return account_selectors.security_summary(request.user,
                                              current_sign_in_id=request.session.get(SIGN_IN_SESSION_KEY))


def posts_panel_context(request) -> dict:
    return {"posts": selectors.posts_of(request.user), "current_unit": getattr(request, "unit", None)}


def security_panel_context(request) -> dict:
    return {"security": _security(request)}
