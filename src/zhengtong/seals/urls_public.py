"""Public addresses of the seals app (/seals/): the root certificate and the CRL, no sign-in needed."""

from django.urls import include, path

app_name = "seals-public"
urlpatterns = [
    path("", include("zhengtong.seals.urls_ca")),
]
