"""The office portal shell: home page with panels, unit switcher."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengtong.directory import services as directory_services
from zhengtong.directory.middleware import SESSION_KEY
from zhengtong.directory.models import Unit
from zhengtong.directory.selectors import units_of
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
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "office:home"
    return redirect(target)


@login_required
def personal_settings(request):
    """Personal settings: mobile number and e-mail, password, sign out everywhere."""
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
    return render(request, "office/settings.html", {"form": form}, status=status)
