"""Records of sign-in attempts (登录记录) and of earlier passwords, kept for the security rules."""

from __future__ import annotations

import re

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SignInAttempt(models.Model):
    """One attempt to sign in, successful or not (seed 001 第十五条: every use is attributable)."""

    class Outcome(models.TextChoices):
        SUCCESS = "success", pgettext_lazy("sign-in outcome", "Signed in")
        BAD_PASSWORD = "bad_password", pgettext_lazy("sign-in outcome", "Wrong password")
        UNKNOWN_USER = "unknown_user", pgettext_lazy("sign-in outcome", "Unknown username")
        LOCKED = "locked", pgettext_lazy("sign-in outcome", "Account locked")
        INACTIVE = "inactive", pgettext_lazy("sign-in outcome", "Account disabled")
        THROTTLED = "throttled", pgettext_lazy("sign-in outcome", "Too many attempts from this address")

    username = models.CharField(_("username"), max_length=150, db_index=True)
    user = models.ForeignKey("directory.User", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="sign_in_attempts", verbose_name=_("person"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    occurred_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("sign-in attempt")
        verbose_name_plural = _("sign-in attempts")
        indexes = [
            models.Index(fields=["ip_address", "occurred_at"], name="signin_address_time"),
            models.Index(fields=["user", "occurred_at"], name="signin_user_time"),
        ]

    def __str__(self) -> str:
        return f"{self.username} {self.outcome} {self.occurred_at:%Y-%m-%d %H:%M}"

    @property
    def succeeded(self) -> bool:
        return self.outcome == self.Outcome.SUCCESS

    @property
    def browser_summary(self) -> str:
        """"Chrome 120 · Windows" from the user agent, for people reading their sign-in history."""
        return summarise_user_agent(self.user_agent)


class PasswordHistory(models.Model):
    """A password a person used before (its hash only), so that it is not chosen again."""

    user = models.ForeignKey("directory.User", on_delete=models.CASCADE, related_name="password_history",
                             verbose_name=_("person"))
    password = models.CharField(_("password hash"), max_length=128)
    replaced_at = models.DateTimeField(_("replaced at"), default=timezone.now)

    class Meta:
        ordering = ["-replaced_at", "-id"]
        verbose_name = _("earlier password")
        verbose_name_plural = _("earlier passwords")

    def __str__(self) -> str:
        return f"{self.user_id} {self.replaced_at:%Y-%m-%d}"


_BROWSERS = [("Edge", r"Edg(?:e|A|iOS)?/(\d+)"), ("Firefox", r"Firefox/(\d+)"), ("QQ Browser", r"QQBrowser/(\d+)"),
             ("360", r"QIHU 360\w*"), ("WeChat", r"MicroMessenger/(\d+)"), ("Chrome", r"(?:Headless)?Chrome/(\d+)"),
             ("Safari", r"Version/(\d+)[\d.]* (?:Mobile/\S+ )?Safari/")]
_SYSTEMS = [("Android", r"Android"), ("iOS", r"iPhone|iPad"), ("Windows", r"Windows"), ("macOS", r"Mac OS X"),
            ("UOS", r"UOS|uos"), ("Kylin", r"Kylin|kylin"), ("Linux", r"Linux")]


def summarise_user_agent(agent: str) -> str:
    """A short, human name for a browser and system; the raw string when neither is recognised."""
    if not agent:
        return ""
    browser = next((name + (f" {m.group(1)}" if m.groups() and m.group(1) else "")
                    for name, pattern in _BROWSERS if (m := re.search(pattern, agent))), "")
    system = next((name for name, pattern in _SYSTEMS if re.search(pattern, agent)), "")
    summary = " · ".join(part for part in (browser, system) if part)
    return summary or agent[:60]
