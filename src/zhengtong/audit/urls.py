from django.urls import path

from zhengtong.audit import views

app_name = "audit"
urlpatterns: list = []
