"""Government website (门户网站)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "zhengtong.portal"
    label = "portal"
    verbose_name = _("Government website")
