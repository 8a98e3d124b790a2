from django.urls import path

from zhengtong.webreview import views

app_name = "webreview"
urlpatterns = [
    path("chains/", views.chains, name="chains"),
    path("pages/<int:page_id>/sign-off.pdf", views.sign_off_pdf, name="sign-off"),
]
