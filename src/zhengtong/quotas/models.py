"""Update quotas of the government website (网站更新考核), reminders and monthly scores (双百考核)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class QuotaRule(models.Model):
    """An update requirement (维护更新要求) of some columns: at least N articles per period.

    Seed 000 (一)3 lists the district website's; seed 003 第十六条 the office website's.
    """

    class Scope(models.TextChoices):
        COLUMN_OWNERS = "column_owners", _("Each unit responsible for such a column")
        EVERY_UNIT = "every_unit", _("Every unit (by the unit that supplied the article)")
        NAMED_UNIT = "named_unit", _("One named unit")
        EACH_DEPARTMENT = "each_department", _("Each department of the unit")

    class Period(models.TextChoices):
        WEEK = "week", pgettext_lazy("quota period", "Week")
        MONTH = "month", pgettext_lazy("quota period", "Month")
        QUARTER = "quarter", pgettext_lazy("quota period", "Quarter")
        YEAR = "year", pgettext_lazy("quota period", "Year")
        IN_TIME = "in_time", _("In time (no count)")

    class Part(models.TextChoices):
        # seed 003 第二十一条: website maintenance counts in the public part of the 双百考核;
        # 第二十二条: work news (动态信息) counts in its information part.
        PUBLIC = "public", _("Public part (website maintenance)")
        INFORMATION = "information", _("Information part (work news)")

    name = models.CharField(_("name"), max_length=100)
    column_keys = models.JSONField(_("columns"), default=list)
    scope = models.CharField(_("applies to"), max_length=20, choices=Scope, default=Scope.COLUMN_OWNERS)
    unit = models.ForeignKey("directory.Unit", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="quota_rules", verbose_name=_("unit"))
    period = models.CharField(_("period"), max_length=10, choices=Period, default=Period.MONTH)
    minimum = models.PositiveIntegerField(_("minimum number of articles"), default=1)
    part = models.CharField(_("assessment part"), max_length=12, choices=Part, default=Part.PUBLIC)
    weight = models.PositiveSmallIntegerField(_("weight"), default=10)
    remind_days = models.PositiveSmallIntegerField(_("remind this many working days before the end"), default=2)
    active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("updated by"))

    class Meta:
        verbose_name = _("update quota (更新考核要求)")
        verbose_name_plural = _("update quotas")
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.name

    @property
    def is_counted(self) -> bool:
        """False for 及时更新 rules: nothing to count, shown as "update in time"."""
        return self.period != self.Period.IN_TIME


class Reminder(models.Model):
    """A reminder (催报) to a unit that is behind on a rule before the period ends; one per period."""

    rule = models.ForeignKey(QuotaRule, on_delete=models.CASCADE, related_name="reminders",
                             verbose_name=_("rule"))
    unit = models.ForeignKey("directory.Unit", on_delete=models.CASCADE, related_name="quota_reminders",
                             verbose_name=_("unit"))
    department = models.ForeignKey("directory.Department", on_delete=models.CASCADE, null=True, blank=True,
                                   related_name="quota_reminders", verbose_name=_("department"))
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end (excluded)"))
    count = models.PositiveIntegerField(_("articles so far"))
    minimum = models.PositiveIntegerField(_("minimum"))
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("update reminder (更新催报)")
        verbose_name_plural = _("update reminders")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "unit", "period_start"], condition=Q(department__isnull=True),
                                    name="quotas_reminder_once_per_unit"),
            models.UniqueConstraint(fields=["rule", "department", "period_start"],
                                    condition=Q(department__isnull=False), name="quotas_reminder_once_per_department"),
        ]

    def __str__(self):
        return f"{self.rule} · {self.unit} · {self.period_start}"


class MonthlyScore(models.Model):
    """A unit's website-update score of one month in the 双百考核 (seed 003 第二十一、二十二条)."""

    unit = models.ForeignKey("directory.Unit", on_delete=models.CASCADE, related_name="quota_scores",
                             verbose_name=_("unit"))
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    public_score = models.DecimalField(_("public part"), max_digits=5, decimal_places=1)
    information_score = models.DecimalField(_("information part"), max_digits=5, decimal_places=1)
    total = models.DecimalField(_("total"), max_digits=6, decimal_places=1)
    rank = models.PositiveIntegerField(_("rank"))
    periods_met = models.PositiveIntegerField(_("periods met"), default=0)
    periods_missed = models.PositiveIntegerField(_("periods missed"), default=0)
    details = models.JSONField(_("details"), default=list)
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("computed by"))

    class Meta:
        verbose_name = _("monthly update score (双百考核)")
        verbose_name_plural = _("monthly update scores")
        ordering = ["month", "rank", "unit_id"]
        constraints = [models.UniqueConstraint(fields=["unit", "month"], name="quotas_score_once_per_month")]

    def __str__(self):
        return f"{self.unit} · {self.month:%Y-%m} · {self.total}"
