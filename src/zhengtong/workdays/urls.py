from django.urls import path

from zhengtong.workdays import views

app_name = "workdays"
urlpatterns: list = []
