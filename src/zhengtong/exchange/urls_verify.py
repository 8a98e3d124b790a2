"""Public address of a printed copy's QR code (/verify/): no sign-in needed."""

from django.urls import path

from zhengtong.exchange.views import printing as views

app_name = "verify"
urlpatterns = [
    path("c/<str:token>", views.verify_copy, name="copy"),
]
