"""Public addresses of the CA (/seals/): the root certificate and the CRL, no sign-in needed."""

from django.urls import path

from zhengtong.seals import views_public

urlpatterns = [
    path("", views_public.index, name="index"),
    path("root.pem", views_public.root_pem, name="root-pem"),
    path("root.crt", views_public.root_der, name="root-der"),
    path("crl/issuing.crl", views_public.crl, name="crl"),
    path("crl/root.crl", views_public.root_crl, name="root-crl"),
]
