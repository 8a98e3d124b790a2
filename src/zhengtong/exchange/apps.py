"""Inter-unit electronic document exchange (电子公文交换)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "zhengtong.exchange"
    label = "exchange"
    verbose_name = _("Document exchange")

    def ready(self):
        # Each part registers its own navigation, panels, audit actions, signal receivers and demo.
        from zhengtong.exchange import setup_core, setup_printing, setup_reporting

        setup_core.ready()
        setup_printing.ready()
        setup_reporting.ready()
