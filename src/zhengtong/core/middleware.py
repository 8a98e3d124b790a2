"""Request-wide context that services read without being handed the request (address, agent)."""

from __future__ import annotations

import contextvars
import ipaddress
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class RequestInfo:
    ip_address: str | None
    user_agent: str


_current: contextvars.ContextVar[RequestInfo | None] = contextvars.ContextVar("zhengtong_request", default=None)


def current_request_info() -> RequestInfo | None:
    """The address and user agent of the request being served, or None outside a request."""
    return _current.get()


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or behind a trusted proxy the address the proxy saw.

    A client can send any X-Forwarded-For it likes, so the header counts only when
    ``ZHENGTONG_BEHIND_PROXY`` says a proxy is in front, and then only its last entry: the one
    the proxy itself appended or wrote (nginx ``$remote_addr`` / ``$proxy_add_x_forwarded_for``).
    """
    if getattr(settings, "BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        if _is_ip(forwarded):
            return forwarded
    return request.META.get("REMOTE_ADDR") or None


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current.set(RequestInfo(client_ip(request), request.META.get("HTTP_USER_AGENT", "")[:300]))
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)


class LanguageMiddleware:
    """Simplified Chinese unless the person chose another language in the footer (a cookie).

    Django's LocaleMiddleware follows the browser's Accept-Language, so an office PC or phone set up
    in English would get English pages; on a Chinese government platform the default is Chinese.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils import translation
        from django.utils.cache import patch_vary_headers

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response
