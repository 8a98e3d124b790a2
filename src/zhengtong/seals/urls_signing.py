"""Sealing pages (/office/seals/…): 验章 and 待联合盖章."""

from django.urls import path

from zhengtong.seals.views import sealing

urlpatterns = [
    path("verify/", sealing.verify_view, name="verify"),
    path("joint/", sealing.joint_list, name="joint-list"),
    path("joint/<int:pk>/", sealing.joint_seal, name="joint-seal"),
    path("joint/<int:pk>/pdf", sealing.joint_pdf, name="joint-pdf"),
]
