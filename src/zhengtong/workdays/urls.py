from django.urls import path

from zhengtong.workdays import views

app_name = "workdays"
urlpatterns = [
    path("", views.calendar, name="index"),
    path("years/", views.years, name="years"),
    path("years/<int:year>/edit/", views.year_edit, name="year-edit"),
    path("years/<int:year>/confirm/", views.year_confirm, name="year-confirm"),
    path("settings/", views.workday_settings, name="settings"),
]
