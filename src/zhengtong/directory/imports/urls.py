"""Bulk import and export of people from and to Excel sheets (under /office/directory/import/)."""

from django.urls import path

from zhengtong.directory.imports import views

app_name = "directory-import"
urlpatterns = [
    path("", views.start, name="index"),
    path("unit/<int:unit_id>/", views.upload, name="upload"),
    path("unit/<int:unit_id>/template.xlsx", views.template, name="template"),
    path("unit/<int:unit_id>/export.xlsx", views.export, name="export"),
    path("unit/<int:unit_id>/<int:pk>/", views.detail, name="detail"),
    path("unit/<int:unit_id>/<int:pk>/progress/", views.progress, name="progress"),
    path("unit/<int:unit_id>/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("unit/<int:unit_id>/<int:pk>/passwords.xlsx", views.passwords, name="passwords"),
]
