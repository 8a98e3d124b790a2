"""Pages of the seal lifecycle under /office/seals/ (app_name "seals", see seals/urls.py)."""

from django.urls import path

from zhengtong.seals.views import lifecycle as views

urlpatterns = [
    path("", views.index, name="index"),
    path("all/", views.all_seals, name="all"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/image.png", views.image, name="image"),
    path("<int:pk>/pin/", views.change_pin, name="change-pin"),
    path("<int:pk>/lost/", views.report_lost, name="report-lost"),
    path("<int:pk>/revoke/", views.revoke, name="revoke"),
    path("<int:pk>/unlock/", views.unlock, name="unlock"),
    path("applications/", views.application_list, name="applications"),
    path("applications/new/", views.apply, name="apply"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/head/", views.decide_head, name="decide-head"),
    path("applications/<int:pk>/platform/", views.decide_operator, name="decide-operator"),
    path("applications/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("applications/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("queue/", views.queue, name="queue"),
]
