"""Notifications (通知提醒): in-portal notices, e-mail and SMS."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "zhengtong.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from zhengtong.notifications import setup

        setup.ready()
