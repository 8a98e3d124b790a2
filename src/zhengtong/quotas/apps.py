"""Website update quotas and assessment (更新考核)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuotasConfig(AppConfig):
    name = "zhengtong.quotas"
    label = "quotas"
    verbose_name = _("Website update quotas")
