"""Office pages of the seals app (/office/seals/): one include per part."""

from django.urls import include, path

app_name = "seals"
urlpatterns = [
    path("", include("zhengtong.seals.urls_lifecycle")),
    path("", include("zhengtong.seals.urls_signing")),
]
