"""The website's middleware: /cms/ rights follow directory roles; public pages cached for anonymous visitors."""

from __future__ import annotations

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

            response = cms_forbidden(request)
            response.render()
            return response
        return self.get_response(request)

    def _public(self, request):
        """Anonymous GETs of website pages: one cache read on a hit, no page tree walk, no render."""
        key = f"portal:page:{get_language()}:{request.get_host()}:{request.get_full_path()}"
        values = cache.get_many([services.CACHE_GENERATION_KEY, key])
        generation = values.get(services.CACHE_GENERATION_KEY)
        if generation is None:
            generation = services.public_cache_generation()
        entry = values.get(key)
        if entry is not None and entry[0] == generation:
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
            cache.set(key, (generation, getattr(response, "portal_article_id", None),
                            response["Content-Type"], response.content), PUBLIC_CACHE_SECONDS)
            response["X-Portal-Cache"] = "miss"
        return response


def path_is_open(path: str) -> bool:
    return path.startswith(CMS_OPEN_PATHS)
