from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="office:home", permanent=False)),
    path("office/", include("zhengtong.office.urls")),
    path("office/accounts/", include("zhengtong.accounts.urls")),
    path("office/directory/import/", include("zhengtong.directory.imports.urls")),
    path("office/directory/", include("zhengtong.directory.urls")),
    path("office/audit/", include("zhengtong.audit.urls")),
    path("office/workdays/", include("zhengtong.workdays.urls")),
    # path("office/workflow/", include("zhengtong.workflow.urls")),  # workflow helper enables this
    path("office/documents/", include("zhengtong.documents.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
