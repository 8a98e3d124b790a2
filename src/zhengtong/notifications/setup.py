"""Registrations made when the app is ready (navigation, panels, audit actions, receivers, demo)."""

from django.utils.translation import gettext_lazy as _


def ready() -> None:
    from zhengtong.audit.actions import register_action
    from zhengtong.notifications import tasks  # noqa: F401 — registers the huey tasks with the consumer
    from zhengtong.notifications import views
    from zhengtong.office.registry import Panel, register_panel

    register_action("notifications.preference.update", _("Changed notification preferences"))
    register_panel(Panel(key="notifications-unread", title=_("Latest notices"),
                         template="notifications/includes/panel.html", context=views.panel_context,
                         order=15, width=4))
