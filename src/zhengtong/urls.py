from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.images.views.serve import ServeView

from zhengtong.accounts import views as accounts_views

urlpatterns = [
    path("office/", include("zhengtong.office.urls")),
    path("office/accounts/", include("zhengtong.accounts.urls")),
    path("office/directory/import/", include("zhengtong.directory.imports.urls")),
    path("office/directory/", include("zhengtong.directory.urls")),
    path("office/audit/", include("zhengtong.audit.urls")),
    path("office/workdays/", include("zhengtong.workdays.urls")),
    path("office/workflow/", include("zhengtong.workflow.urls")),
    path("office/documents/", include("zhengtong.documents.urls")),
    path("office/quotas/", include("zhengtong.quotas.urls")),
    path("office/webreview/", include("zhengtong.webreview.urls")),
    path("office/seals/", include("zhengtong.seals.urls")),
    path("office/exchange/", include("zhengtong.exchange.urls")),
    path("office/notifications/", include("zhengtong.notifications.urls")),
    path("seals/", include("zhengtong.seals.urls_public")),
    path("verify/", include("zhengtong.exchange.urls_verify")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
    # The website's editors' interface (Wagtail) signs in and out through the platform's own pages.
    path("cms/login/", RedirectView.as_view(pattern_name="accounts:sign-in", query_string=True)),
    path("cms/logout/", accounts_views.sign_out),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    re_path(r"^images/([^/]*)/(\d*)/([^/]*)/[^/]*$", ServeView.as_view(), name="wagtailimages_serve"),
    path("sitemap.xml", sitemap, name="sitemap"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# The public website answers every other address: keep this last.
urlpatterns.append(path("", include(wagtail_urls)))
