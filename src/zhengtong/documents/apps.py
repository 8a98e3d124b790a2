"""Official documents (公文): drafting, numbering, rendering, 发文 and 收文."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "zhengtong.documents"
    label = "documents"
    verbose_name = _("Official documents")

    def ready(self):
        from zhengtong.documents import setup_drafting, setup_processing

        setup_drafting.ready()
        setup_processing.ready()
