"""Website update quotas and assessment (更新考核)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuotasConfig(AppConfig):
    name = "zhengtong.quotas"
    label = "quotas"
    verbose_name = _("Website update quotas")

    def ready(self):
        from zhengtong.audit.actions import register_action
        from zhengtong.demo.registry import register_demo_loader
        from zhengtong.office.registry import NavItem, Panel, register_nav, register_panel
        from zhengtong.quotas import selectors, views
        from zhengtong.quotas.demo import load_demo

        register_action("quotas.rule.create", _("Update quota added"))
        register_action("quotas.rule.update", _("Update quota changed"))
        register_action("quotas.reminder.send", _("Update reminder sent"))
        register_action("quotas.scores.compute", _("Website update scores computed"))

        register_nav(NavItem(key="quotas", label=_("Website update assessment"), url_name="quotas:index",
                             icon="bar-chart-line", order=70, group="website",
                             visible=lambda request: selectors.may_see_quotas(request.user)))
        register_panel(Panel(key="quotas-unit", title=_("Our unit's website updates"),
                             template="quotas/includes/unit_panel.html", context=views.panel_context,
                             order=40, width=6, visible=views.panel_visible))
        register_demo_loader("quotas", load_demo, order=70)
