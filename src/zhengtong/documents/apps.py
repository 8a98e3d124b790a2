"""Official documents (公文)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "zhengtong.documents"
    label = "documents"
    verbose_name = _("Official documents")
