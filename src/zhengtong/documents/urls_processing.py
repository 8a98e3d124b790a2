"""The document page and its 发文/收文 step actions, PDFs and 登记录入 (flow engineer)."""

from django.urls import path

from zhengtong.documents.views import processing as views

urlpatterns = [
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/submit/", views.document_submit, name="submit"),
    path("<int:pk>/items/<int:item_pk>/", views.item_action, name="act"),
    path("<int:pk>/items/<int:item_pk>/urge/", views.urge_view, name="urge"),
    path("<int:pk>/pdf/", views.document_pdf, name="pdf"),
    path("<int:pk>/processing-sheet/", views.processing_sheet, name="processing-sheet"),
    path("incoming/register/", views.incoming_register, name="incoming-register"),
]
