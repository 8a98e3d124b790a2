"""The working-day calendar (工作日历): holidays, swapped working days (调休), receiving windows, cutoff.

The built-in calendar comes from the ``chinese_calendar`` package; the platform operator enters
later years (and corrections) from the State Council's notice (国务院办公厅关于部分节假日安排的通知).
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_CUTOFF = datetime.time(15, 0)
# seed 000: 公文、通知每天接收2次,时间分别为上午10:00-10:30、下午4:00-4:30
DEFAULT_WINDOWS = [
    ("上午", datetime.time(10, 0), datetime.time(10, 30), 10),
    ("下午", datetime.time(16, 0), datetime.time(16, 30), 20),
]


def new_version() -> str:
    return uuid.uuid4().hex


class CalendarYear(models.Model):
    """A year of the calendar and where it comes from (the package or the operator's entry)."""

    class Source(models.TextChoices):
        PACKAGE = "package", _("Built-in calendar package")
        ADMIN = "admin", _("Entered by the platform operator")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=10, choices=Source, default=Source.ADMIN)
    notice = models.CharField(_("State Council notice"), max_length=100, blank=True,
                              help_text=_("For example 国办发明电〔2026〕5号"))
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("confirmed by"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """A date entered by the operator: a holiday (法定节假日/休息日) or a swapped working day (调休上班日)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday")
        WORKDAY = "workday", _("Swapped working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    name = models.CharField(_("name"), max_length=50, help_text=_("For example 春节"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("entered by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name} ({self.get_kind_display()})"


class ReceivingWindow(models.Model):
    """A daily window in which clerks receive documents (seed 000: 10:00–10:30 and 16:00–16:30)."""

    name = models.CharField(_("name"), max_length=20)
    start = models.TimeField(_("start time"))
    end = models.TimeField(_("end time"))
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["sort_order", "start", "id"]
        verbose_name = _("receiving window")
        verbose_name_plural = _("receiving windows")

    def __str__(self) -> str:
        return f"{self.name} {self.start:%H:%M}–{self.end:%H:%M}"


class WorkdaySettings(models.Model):
    """The one row of calendar settings: the exchange cutoff and the version of the calendar.

    ``version`` changes with every change to the calendar, the windows or the cutoff, so every
    process can tell whether the calendar it holds in memory is still current.
    """

    cutoff = models.TimeField(_("exchange cutoff"), default=DEFAULT_CUTOFF,
                              help_text=_("Documents sent or received before this time on a working day "
                                          "count as that day's (seed 001 articles 30 and 33)."))
    version = models.CharField(max_length=32, default=new_version, editable=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("updated by"))
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("working-day settings")
        verbose_name_plural = _("working-day settings")

    def __str__(self) -> str:
        return str(_("Working-day settings"))

    @classmethod
    def load(cls) -> WorkdaySettings:
        """The settings row; created with the seed defaults on an empty database."""
        row = cls.objects.filter(pk=1).first()
        if row is None:
            row = ensure_defaults(cls, ReceivingWindow)
        return row


def ensure_defaults(settings_model, window_model) -> WorkdaySettings:
    """Create the settings row and, when there are none, the receiving windows of seed 000.

    Models are passed in so the data migration can use its historical models.
    """
    row, _created = settings_model.objects.get_or_create(pk=1, defaults={"cutoff": DEFAULT_CUTOFF})
    if not window_model.objects.exists():
        for name, start, end, order in DEFAULT_WINDOWS:
            window_model.objects.create(name=name, start=start, end=end, sort_order=order, active=True)
    return row
