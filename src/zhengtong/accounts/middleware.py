"""Sends a person who must change their password (first sign-in, reset, expiry) to the change page."""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse

EXEMPT_PREFIXES = ("/static/", "/media/", "/i18n/")


class PasswordPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(EXEMPT_PREFIXES):
            from zhengtong.accounts.services import password_expired

            allowed = {reverse("accounts:password-change"), reverse("accounts:sign-out")}
            if request.path not in allowed and (user.must_change_password or password_expired(user)):
                return redirect("accounts:password-change")
        return self.get_response(request)
