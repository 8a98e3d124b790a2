from django.urls import path

from zhengtong.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.index, name="index"),
    path("export/", views.export, name="export"),
    path("<int:pk>/", views.detail, name="detail"),
]
