"""Controlled printing, 脱密下载 and copy requests (/office/exchange/…)."""

from django.urls import path

from zhengtong.exchange.views import printing as views

urlpatterns = [
    path("deliveries/<int:pk>/printing/", views.delivery_printing, name="printing"),
    path("deliveries/<int:pk>/print/", views.print_copy, name="print"),
    path("deliveries/<int:pk>/declassified/", views.declassified_copy, name="declassified"),
    path("deliveries/<int:pk>/request/", views.request_copies, name="copy-request"),
    path("requests/", views.copy_requests, name="copy-requests"),
    path("requests/<int:pk>/decide/", views.decide_copy_request, name="copy-request-decide"),
    path("dispatches/<int:pk>/prints/", views.dispatch_prints, name="dispatch-prints"),
]
