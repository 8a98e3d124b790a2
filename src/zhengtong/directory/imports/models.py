"""A bulk import of people from an Excel sheet (人员批量导入), kept for its preview, progress and result.

The model lives in this sub-package and is made visible to Django by one import line at the end
of ``zhengtong/directory/models.py`` (Django only discovers an app's models in its models module).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

__all__ = ["PeopleImport"]


class PeopleImport(models.Model):
    """One upload of the people sheet for one unit: preview, then a background run, then the result."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", pgettext_lazy("people import status", "Checked, waiting for confirmation")
        RUNNING = "running", pgettext_lazy("people import status", "Importing")
        DONE = "done", pgettext_lazy("people import status", "Imported")
        FAILED = "failed", pgettext_lazy("people import status", "Failed, nothing imported")

    class Stage(models.TextChoices):
        """What a running import is doing; only ``preparing`` advances row by row."""

        WAITING = "waiting", pgettext_lazy("people import stage", "Waiting for the background worker")
        CHECKING = "checking", pgettext_lazy("people import stage", "Checking every row again")
        PREPARING = "preparing", pgettext_lazy("people import stage", "Preparing accounts and passwords")
        WRITING = "writing", pgettext_lazy("people import stage", "Saving all accounts at once")
        FINISHED = "finished", pgettext_lazy("people import stage", "Finished")

    unit = models.ForeignKey("directory.Unit", on_delete=models.CASCADE, related_name="people_imports",
                             verbose_name=_("unit"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=pgettext_lazy("people import", "uploaded by"))
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+",
                                     verbose_name=pgettext_lazy("people import", "confirmed by"))
    file_name = models.CharField(pgettext_lazy("people import", "file name"), max_length=255)
    status = models.CharField(pgettext_lazy("people import", "status"), max_length=10, choices=Status,
                              default=Status.PREVIEWED)
    stage = models.CharField(pgettext_lazy("people import", "stage"), max_length=10, choices=Stage,
                             default=Stage.WAITING)
    total_rows = models.PositiveIntegerField(pgettext_lazy("people import", "rows"), default=0)
    done_rows = models.PositiveIntegerField(pgettext_lazy("people import", "rows done"), default=0)
    created_count = models.PositiveIntegerField(pgettext_lazy("people import", "accounts created"), default=0)
    # Each row as read from the sheet ("source") and as it would be imported (username, roles…).
    rows = models.JSONField(pgettext_lazy("people import", "rows"), default=list, blank=True)
    # Why a run failed: [{"row": 5 or null, "message": "…"}]; a preview with errors is never saved.
    errors = models.JSONField(pgettext_lazy("people import", "errors"), default=list, blank=True)
    # The accounts created: [{"row": 5, "name": "张三", "username": "zhangsan", "user_id": 1}].
    result = models.JSONField(pgettext_lazy("people import", "result"), default=list, blank=True)
    # The one-time passwords, encrypted (Fernet, key derived from SECRET_KEY), until downloaded once.
    passwords = models.TextField(pgettext_lazy("people import", "one-time passwords (encrypted)"),
                                 blank=True, editable=False)
    passwords_taken_at = models.DateTimeField(pgettext_lazy("people import", "passwords downloaded at"),
                                              null=True, blank=True)
    passwords_wiped_at = models.DateTimeField(pgettext_lazy("people import", "passwords wiped at"),
                                              null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    started_at = models.DateTimeField(pgettext_lazy("people import", "started at"), null=True, blank=True)
    finished_at = models.DateTimeField(pgettext_lazy("people import", "finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = pgettext_lazy("people import", "people import")
        verbose_name_plural = pgettext_lazy("people import", "people imports")
        indexes = [models.Index(fields=["unit", "-created_at"], name="people_import_unit_idx")]

    def __str__(self) -> str:
        return f"{self.file_name} · {self.unit}"

    @property
    def percent(self) -> int:
        """Progress in whole per cent; a finished import is at 100."""
        if self.status == self.Status.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(100, self.done_rows * 100 // self.total_rows)

    @property
    def passwords_available(self) -> bool:
        return bool(self.passwords)


# This sub-package has no AppConfig of its own, and huey's worker only discovers the tasks module
# of an app (zhengtong.directory.tasks). Imported with the models, the tasks and the audit labels
# are registered in every process, the worker's too.
from zhengtong.directory.imports import audit_actions as _audit_actions  # noqa: E402,F401
from zhengtong.directory.imports import tasks as _tasks  # noqa: E402,F401
