"""Sign-in, sign-out and password change: thin views over accounts.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from zhengtong.accounts import services
from zhengtong.accounts.forms import PasswordChangeForm, SignInForm


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return resolve_url("office:home")


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def sign_in(request):
    if request.user.is_authenticated:
        return redirect(_safe_next(request))
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.sign_in(request=request, username=form.cleaned_data["username"],
                                    password=form.cleaned_data["password"])
        except services.SignInFailed as exc:
            form.add_error(None, exc.message)
        else:
            if user.must_change_password:
                messages.info(request, _("Please set your own password before you continue."))
                return redirect("accounts:password-change")
            if services.password_expired(user):
                messages.warning(request, _("Your password has expired. Please choose a new one."))
                return redirect("accounts:password-change")
            return redirect(_safe_next(request))
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/sign_in.html",
                  {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")}, status=status)


@require_POST
def sign_out(request):
    services.sign_out(request=request)
    messages.success(request, _("You have signed out."))
    return redirect("accounts:sign-in")


@require_POST
@login_required
def sign_out_everywhere(request):
    services.sign_out_everywhere(request=request)
    messages.success(request, _("You have been signed out on every device."))
    return redirect("accounts:sign-in")


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@login_required
@never_cache
def password_change(request):
    form = PasswordChangeForm(request.POST or None)
    forced = services.must_change_password(request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_password(request=request, old_password=form.cleaned_data["old_password"],
                                     new_password=form.cleaned_data["new_password1"])
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else "new_password1", errors)
        else:
            messages.success(request, _("Your password has been changed."))
            return redirect("office:home")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/password_change.html",
                  {"form": form, "forced": forced, "expired": forced and not request.user.must_change_password},
                  status=status)
