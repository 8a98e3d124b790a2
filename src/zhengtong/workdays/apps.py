from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "zhengtong.workdays"
    label = "workdays"
    verbose_name = _("Working days")

    def ready(self):
        from zhengtong.audit.actions import register_action
        from zhengtong.office.registry import NavItem, Panel, register_nav, register_panel
        from zhengtong.workdays import views

        register_action("workdays.year.enter", _("Holidays of a year entered"))
        register_action("workdays.year.confirm", _("Built-in holidays of a year confirmed"))
        register_action("workdays.windows.update", _("Receiving windows changed"))
        register_action("workdays.cutoff.update", _("Exchange cutoff changed"))

        register_nav(NavItem(key="workdays", label=_("Working days"), url_name="workdays:index",
                             icon="calendar3", order=80, group="admin"))
        register_panel(Panel(key="workdays-today", title=_("Today"), template="workdays/includes/today_panel.html",
                             context=views.today_panel_context, order=50, width=4))
