"""Registrations made when the app is ready (navigation, panels, audit actions, receivers, demo)."""

from django.utils.translation import gettext_lazy as _


def ready() -> None:
    from zhengtong.audit.actions import register_action
    from zhengtong.notifications import tasks  # noqa: F401 — registers the huey tasks with the consumer

    register_action("notifications.preference.update", _("Changed notification preferences"))
