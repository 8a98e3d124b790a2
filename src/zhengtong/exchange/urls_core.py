"""Exchange core pages: inbox, deliveries, sending, tracking, groups, settings and the JSON read API."""

from django.urls import path

from zhengtong.exchange import api
from zhengtong.exchange.views import core as views

urlpatterns = [
    path("", views.index, name="index"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/received/", views.received, name="received"),
    path("inbox/returned/", views.returned, name="returned"),
    path("deliveries/<int:pk>/", views.delivery_detail, name="delivery"),
    path("deliveries/<int:pk>/pdf/", views.delivery_pdf, name="delivery-pdf"),
    path("deliveries/<int:pk>/attachments/<int:attachment_pk>/", views.delivery_attachment,
         name="delivery-attachment"),
    path("deliveries/<int:pk>/check/", views.delivery_check, name="check"),
    path("deliveries/<int:pk>/sign/", views.delivery_sign, name="sign"),
    path("deliveries/<int:pk>/return/", views.delivery_return, name="return"),
    path("send/<int:document_pk>/", views.send, name="send"),
    path("sent/", views.sent, name="sent"),
    path("sent/<int:pk>/", views.tracking, name="tracking"),
    path("sent/<int:pk>/pdf/", views.dispatch_pdf, name="dispatch-pdf"),
    path("sent/<int:pk>/urge/", views.urge_all, name="urge-all"),
    path("sent/<int:pk>/urge/<int:delivery_pk>/", views.urge, name="urge"),
    path("groups/", views.groups, name="groups"),
    path("groups/add/", views.group_add, name="group-add"),
    path("groups/<int:pk>/edit/", views.group_edit, name="group-edit"),
    path("groups/<int:pk>/delete/", views.group_delete, name="group-delete"),
    path("settings/", views.settings_view, name="settings"),
    path("api/deliveries/", api.deliveries, name="api-deliveries"),
    path("api/deliveries/<int:pk>/pdf", api.delivery_pdf, name="api-delivery-pdf"),
]
