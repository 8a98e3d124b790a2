from django.urls import path

from zhengtong.directory import views

app_name = "directory"
unit = "units/<int:unit_pk>/"
urlpatterns = [
    path("", views.index, name="index"),
    # The platform operator: units and their categories (seed 001 第八条–第九条).
    path("units/", views.unit_list, name="units"),
    path("units/add/", views.unit_add, name="unit-add"),
    path("units/merge/", views.unit_merge, name="unit-merge"),
    path(unit, views.unit_detail, name="unit"),
    path(unit + "edit/", views.unit_edit, name="unit-edit"),
    path(unit + "rename/", views.unit_rename, name="unit-rename"),
    path(unit + "dissolve/", views.unit_dissolve, name="unit-dissolve"),
    path("categories/", views.category_list, name="categories"),
    path("categories/add/", views.category_add, name="category-add"),
    path("categories/<int:pk>/edit/", views.category_edit, name="category-edit"),
    path("categories/<int:pk>/move/", views.category_move, name="category-move"),
    path("categories/<int:pk>/delete/", views.category_delete, name="category-delete"),
    # A unit's system administrator (and the operator): people, departments, roles, groups.
    path(unit + "people/", views.people, name="people"),
    path(unit + "people/add/", views.person_add, name="person-add"),
    path(unit + "people/add-existing/", views.person_add_existing, name="person-add-existing"),
    path(unit + "people/suggest-username/", views.suggest_username, name="suggest-username"),
    path(unit + "people/<int:pk>/", views.person_detail, name="person"),
    path(unit + "people/<int:pk>/roles/", views.person_roles, name="person-roles"),
    path(unit + "people/<int:pk>/status/", views.person_status, name="person-status"),
    path(unit + "people/<int:pk>/reset-password/", views.person_reset_password, name="person-reset-password"),
    path(unit + "people/<int:pk>/one-time-password/", views.person_one_time_password, name="person-password"),
    path(unit + "people/<int:pk>/remove/", views.person_remove, name="person-remove"),
    path(unit + "departments/", views.departments, name="departments"),
    path(unit + "departments/add/", views.department_add, name="department-add"),
    path(unit + "departments/<int:pk>/edit/", views.department_edit, name="department-edit"),
    path(unit + "departments/<int:pk>/move/", views.department_move, name="department-move"),
    path(unit + "departments/<int:pk>/delete/", views.department_delete, name="department-delete"),
    path(unit + "roles/", views.roles_overview, name="roles"),
    path(unit + "groups/", views.groups, name="groups"),
    path(unit + "groups/add/", views.group_add, name="group-add"),
    path(unit + "groups/<int:pk>/", views.group_detail, name="group"),
    path(unit + "groups/<int:pk>/move/", views.group_move, name="group-move"),
    path(unit + "groups/<int:pk>/delete/", views.group_delete, name="group-delete"),
]
