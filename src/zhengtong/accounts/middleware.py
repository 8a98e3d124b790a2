"""Sends a person who must change their password (first sign-in, reset, expiry) to the change page."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

EXEMPT_PREFIXES = ("/static/", "/media/", "/i18n/")


class PasswordPolicyMiddleware:
    """Until the password is changed, every page but the change page and sign-out leads there."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(EXEMPT_PREFIXES):
            from zhengtong.accounts.services import must_change_password

            target = reverse("accounts:password-change")
            allowed = {target, reverse("accounts:sign-out")}
            if request.path not in allowed and must_change_password(user):
                if request.headers.get("HX-Request") == "true":
                    # htmx would swap the change page into a fragment: make the browser go there.
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = target
                    return response
                return redirect(target)
        return self.get_response(request)
