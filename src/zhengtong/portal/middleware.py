"""The website's middleware: /cms/ rights follow directory roles; public pages cached for anonymous visitors."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import get_language

from zhengtong.portal import services

CMS_PREFIX = "/cms/"
CMS_OPEN_PATHS = ("/cms/login/", "/cms/logout/")
NOT_PUBLIC = ("/office/", "/cms/", "/django-admin/", "/static/", "/media/", "/i18n/", "/documents/", "/images/")
PUBLIC_CACHE_SECONDS = 600


class PortalMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path.startswith(CMS_PREFIX):
            return self._cms(request)
        if request.method in ("GET", "HEAD") and not path.startswith(NOT_PUBLIC) \
                and settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return self._public(request)
        return self.get_response(request)

    def _cms(self, request):
        """Refresh the person's website groups from their roles, then refuse people without any."""
        if path_is_open(request.path_info) or not request.user.is_authenticated:
            return self.get_response(request)
        services.sync_cms_permissions(user=request.user)
        if not request.user.has_perm("wagtailadmin.access_admin"):
            from zhengtong.portal.views import cms_forbidden

            services.record_cms_refusal(actor=request.user, method=request.method, path=request.get_full_path())
            response = cms_forbidden(request)
            response.render()
            return response
        response = self.get_response(request)
        if _refused(request, response):  # e.g. adding to a column of another unit: the attempt is audited
            services.record_cms_refusal(actor=request.user, method=request.method, path=request.get_full_path())
        return response

    def _public(self, request):
        """Anonymous GETs of website pages: served from memory or one cache read, no tree walk, no render."""
        key = f"portal:page:{get_language()}:{request.get_host()}:{request.get_full_path()}"
        generation = _local.generation()
        entry = _local.get(key, generation)
        if entry is None:
            values = cache.get_many([key])
            shared = values.get(key)
            if shared is not None and shared[0] == generation:
                entry = shared
                _local.put(key, entry)
        if entry is not None:
            _generation, article_id, content_type, content = entry
            if article_id:
                services.record_article_view(article_id)
            response = HttpResponse(content, content_type=content_type)
            response["X-Portal-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if (getattr(response, "portal_cacheable", False) and response.status_code == 200
                and not response.cookies and not getattr(response, "streaming", False)
                and request.method == "GET"):
            entry = (generation, getattr(response, "portal_article_id", None), response["Content-Type"],
                     response.content)
            cache.set(key, entry, PUBLIC_CACHE_SECONDS)
            _local.put(key, entry)
            response["X-Portal-Cache"] = "miss"
        return response


class _LocalPages:
    """A small per-process copy of cached pages, valid for the cache generation it was made in.

    The shared generation (bumped on every publish) is read at most once a second per process, so
    a hit costs no database or cache round trip; another process sees a publication within a second.
    """

    def __init__(self, size: int = 512, recheck_seconds: float = 1.0):
        self.size = size
        self.recheck_seconds = recheck_seconds
        self.lock = threading.Lock()
        self.pages: OrderedDict[str, tuple] = OrderedDict()
        self._generation = None
        self._checked_at = 0.0

    def generation(self):
        now = time.monotonic()
        if self._generation is None or now - self._checked_at >= self.recheck_seconds:
            generation = services.public_cache_generation()
            with self.lock:
                if generation != self._generation:
                    self.pages.clear()
                self._generation, self._checked_at = generation, now
        return self._generation

    def forget(self):
        """This process published something: re-read the generation on the next request."""
        with self.lock:
            self._generation = None
            self.pages.clear()

    def get(self, key, generation):
        with self.lock:
            entry = self.pages.get(key)
            if entry is None or entry[0] != generation:
                return None
            self.pages.move_to_end(key)
            return entry

    def put(self, key, entry):
        with self.lock:
            self.pages[key] = entry
            self.pages.move_to_end(key)
            while len(self.pages) > self.size:
                self.pages.popitem(last=False)


_local = _LocalPages()


def _refused(request, response) -> bool:
    """Wagtail answers a missing right with 403, or (wagtail.admin.auth.permission_denied) with a
    redirect to the dashboard from another page of the editor."""
    if response.status_code == 403:
        return True
    if response.status_code == 302 and request.path_info.rstrip("/") != CMS_PREFIX.rstrip("/"):
        from django.urls import reverse

        return response.get("Location") == reverse("wagtailadmin_home")
    return False


def path_is_open(path: str) -> bool:
    return path.startswith(CMS_OPEN_PATHS)


def forget_local_pages() -> None:
    _local.forget()
