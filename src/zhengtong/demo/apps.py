from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "zhengtong.demo"
    label = "demo"
    verbose_name = _("Demo data")

    def ready(self):
        from zhengtong.audit.actions import register_action

        register_action("demo.account.password", _("Demo password set"))
        register_action("demo.load", _("Demo district loaded"))
