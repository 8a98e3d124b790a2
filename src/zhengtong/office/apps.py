from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficeConfig(AppConfig):
    name = "zhengtong.office"
    label = "office"
    verbose_name = _("Office portal")

    def ready(self):
        from zhengtong.office import views
        from zhengtong.office.registry import (NavGroup, NavItem, Panel, register_nav, register_nav_group,
                                               register_panel)

        register_nav(NavItem(key="home", label=_("Home"), url_name="office:home", icon="house-door", order=0))
        register_nav(NavItem(key="address-book", label=_("Address book"), url_name="office:address-book",
                             icon="person-lines-fill", order=10))
        # Drop-down menus that gather the less frequent entries, so the bar keeps to one line.
        register_nav_group(NavGroup(key="seals", label=_("Seals and registers"), icon="award", order=36))
        register_nav_group(NavGroup(key="website", label=_("Website"), icon="globe", order=65))
        register_nav_group(NavGroup(key="admin", label=_("Administration"), icon="gear", order=80))
        register_panel(Panel(key="my-posts", title=_("My posts and roles"),
                             template="office/includes/posts_panel.html", context=views.posts_panel_context,
                             order=900, width=4))
        register_panel(Panel(key="security", title=_("Security"), template="office/includes/security_panel.html",
                             context=views.security_panel_context, order=910, width=4))
