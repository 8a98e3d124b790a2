from django.urls import path

from zhengtong.directory import views

app_name = "directory"
urlpatterns: list = []
