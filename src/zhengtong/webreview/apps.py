"""Website content review and screening (网站审核)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebreviewConfig(AppConfig):
    name = "zhengtong.webreview"
    label = "webreview"
    verbose_name = _("Website review")
