"""Records of sign-in attempts (登录记录), kept for lockout decisions and review."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SignInAttempt(models.Model):
    """One attempt to sign in, successful or not."""

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("Signed in")
        BAD_PASSWORD = "bad_password", _("Wrong password")
        UNKNOWN_USER = "unknown_user", _("Unknown username")
        LOCKED = "locked", _("Account locked")
        INACTIVE = "inactive", _("Account disabled")

    username = models.CharField(_("username"), max_length=150, db_index=True)
    user = models.ForeignKey("directory.User", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="sign_in_attempts", verbose_name=_("person"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    occurred_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-occurred_at"]
        verbose_name = _("sign-in attempt")
        verbose_name_plural = _("sign-in attempts")

    def __str__(self) -> str:
        return f"{self.username} {self.outcome} {self.occurred_at:%Y-%m-%d %H:%M}"
