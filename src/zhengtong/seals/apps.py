"""Electronic seals (电子印章)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SealsConfig(AppConfig):
    name = "zhengtong.seals"
    label = "seals"
    verbose_name = _("Electronic seals")

    def ready(self):
        # Each part registers its own navigation, panels, audit actions, signal receivers and demo.
        from zhengtong.seals import setup_ca, setup_lifecycle, setup_signing

        setup_ca.ready()
        setup_lifecycle.ready()
        setup_signing.ready()
