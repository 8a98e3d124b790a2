"""Registrations made when the app is ready (navigation, panels, audit actions, receivers, demo)."""

from django.utils.translation import gettext_lazy as _


def ready() -> None:
    from zhengtong.audit.actions import register_action

    register_action("seals.ca.init", _("Seal certificate authority created"))
    register_action("seals.crl.publish", _("Seal revocation list published"))
