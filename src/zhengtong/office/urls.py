from django.urls import path

from zhengtong.office import views

app_name = "office"
urlpatterns = [
    path("", views.home, name="home"),
    path("switch-unit/", views.switch_unit, name="switch-unit"),
    path("settings/", views.personal_settings, name="settings"),
    path("address-book/", views.address_book, name="address-book"),
    path("address-book/people/<int:pk>/", views.address_book_person, name="address-book-person"),
]
