"""Notifications (通知提醒): in-portal notices, e-mail and SMS, with preferences and a delivery log.

Seed 001 第十六条 (SMS reminders to the registered mobile number), seed 002 第八条, seed 004 要求 2.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notice(models.Model):
    """One in-portal notice to one person (站内通知); the badge counts the unread ones."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices",
                                  verbose_name=_("recipient"))
    unit = models.ForeignKey("directory.Unit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name=_("unit"))
    category = models.CharField(_("category"), max_length=40, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    # Identifies what the notice is about (e.g. "exchange.delivery:42"), to avoid repeats.
    key = models.CharField(_("subject key"), max_length=80, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"], name="notifications_unread")]

    def __str__(self) -> str:
        return self.title


class Message(models.Model):
    """One e-mail or SMS and its delivery status: the log of every message sent."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        HELD = "held", _("Held for quiet hours")
        SENT = "sent", _("Sent")
        RETRYING = "retrying", _("Waiting to retry")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Not sent")

    notice = models.ForeignKey(Notice, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages",
                               verbose_name=_("notice"))
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("recipient"))
    channel = models.CharField(_("channel"), max_length=5, choices=Channel)
    address = models.CharField(_("address"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    urgent = models.BooleanField(_("urgent"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.QUEUED)
    gateway = models.CharField(_("gateway"), max_length=40, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    external_id = models.CharField(_("gateway reference"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notifications_due")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.address}"


class Preference(models.Model):
    """A person's notification preferences: channels per category and quiet hours (urgent items still go)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="notification_preference", verbose_name=_("person"))
    email_enabled = models.BooleanField(_("send me e-mail"), default=True)
    sms_enabled = models.BooleanField(_("send me SMS"), default=True)
    # Categories (Notice.category) for which this person wants no e-mail/SMS; in-portal notices always appear.
    muted_categories = models.JSONField(_("categories without e-mail or SMS"), default=list, blank=True)
    quiet_start = models.TimeField(_("quiet hours from"), null=True, blank=True)
    quiet_end = models.TimeField(_("quiet hours until"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user)
