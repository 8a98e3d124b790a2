"""Request-wide context that services read without being handed the request (address, agent)."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestInfo:
    ip_address: str | None
    user_agent: str


_current: contextvars.ContextVar[RequestInfo | None] = contextvars.ContextVar("zhengtong_request", default=None)


def current_request_info() -> RequestInfo | None:
    """The address and user agent of the request being served, or None outside a request."""
    return _current.get()


def client_ip(request) -> str | None:
    # REMOTE_ADDR only: X-Forwarded-For is set by the client unless a trusted proxy rewrites it,
    # and ZHENGTONG_BEHIND_PROXY deployments put the real address into REMOTE_ADDR at the proxy.
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current.set(RequestInfo(client_ip(request), request.META.get("HTTP_USER_AGENT", "")[:300]))
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
