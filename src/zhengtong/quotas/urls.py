from django.urls import path

from zhengtong.quotas import views

app_name = "quotas"
urlpatterns = [
    path("", views.index, name="index"),
    path("units/<int:pk>/", views.unit_detail, name="unit"),
    path("rules/", views.rule_list, name="rules"),
    path("rules/add/", views.rule_add, name="add"),
    path("rules/<int:pk>/edit/", views.rule_edit, name="edit"),
    path("scores/", views.scores, name="scores"),
    path("scores/compute/", views.scores_compute, name="compute"),
    path("scores/export/", views.scores_export, name="export"),
]
