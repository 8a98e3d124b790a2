"""Office pages of the process engine at /office/workflow/."""

from django.urls import path

from zhengtong.workflow import views

app_name = "workflow"
urlpatterns = [
    path("", views.todo, name="todo"),
    path("in-progress/", views.in_progress, name="in-progress"),
    path("done/", views.done, name="done"),
    path("items/<int:pk>/", views.item, name="item"),
    path("items/<int:pk>/complete/", views.complete, name="complete"),
    path("items/<int:pk>/send-back/", views.send_back, name="send-back"),
    path("items/<int:pk>/transfer/", views.transfer, name="transfer"),
    path("items/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("instances/<int:pk>/trace/", views.trace, name="trace"),
    path("instances/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("definitions/", views.definitions, name="definitions"),
    path("definitions/upload/", views.definition_upload, name="definition-upload"),
    path("definitions/<int:pk>/", views.definition, name="definition"),
    path("definitions/<slug:key>/restore/", views.definition_restore, name="definition-restore"),
    path("definitions/<int:pk>/bpmn/", views.definition_download, name="definition-download"),
    path("delegations/", views.delegations, name="delegations"),
    path("delegations/<int:pk>/revoke/", views.delegation_revoke, name="delegation-revoke"),
]
