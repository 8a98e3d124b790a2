"""The process engine's data (流程引擎, seed 004): BPMN definitions, running instances, to-do items, delegations."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ProcessDefinition(models.Model):
    """A version of a BPMN 2.0 process (流程定义): shipped defaults have no unit, units upload their own."""

    key = models.SlugField(_("process key"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    unit = models.ForeignKey("directory.Unit", on_delete=models.CASCADE, null=True, blank=True,
                             related_name="process_definitions", verbose_name=_("unit"),
                             help_text=_("Empty for the process shipped with the platform."))
    version = models.PositiveIntegerField(_("version"))
    bpmn_xml = models.TextField(_("BPMN XML"))
    process_id = models.CharField(_("BPMN process id"), max_length=200)
    is_current = models.BooleanField(_("current version"), default=True)
    checksum = models.CharField(_("checksum"), max_length=64, blank=True, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("uploaded by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["key", "unit_id", "-version"]
        verbose_name = _("process definition")
        verbose_name_plural = _("process definitions")
        constraints = [
            models.UniqueConstraint(fields=["key", "unit", "version"], name="workflow_definition_version_unique"),
            # NULL units never clash in SQL: the shipped defaults need their own rule.
            models.UniqueConstraint(fields=["key", "version"], condition=Q(unit__isnull=True),
                                    name="workflow_default_definition_version_unique"),
        ]
        indexes = [models.Index(fields=["key", "unit", "is_current"], name="workflow_def_current_idx")]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class ProcessInstance(models.Model):
    """One run of a process on one subject (流程实例), e.g. the 发文 process of one document."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    definition = models.ForeignKey(ProcessDefinition, on_delete=models.PROTECT, related_name="instances",
                                   verbose_name=_("process definition"))
    key = models.SlugField(_("process key"), max_length=40)
    unit = models.ForeignKey("directory.Unit", on_delete=models.PROTECT, related_name="process_instances",
                             verbose_name=_("unit"))
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("subject type"))
    subject_id = models.CharField(_("subject id"), max_length=64)
    subject = GenericForeignKey("subject_type", "subject_id")
    title = models.CharField(_("title"), max_length=300)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="started_processes", verbose_name=_("started by"))
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.RUNNING)
    state = models.JSONField(_("engine state"), default=dict, editable=False)
    data = models.JSONField(_("process data"), default=dict, blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=0)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    completed_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    waits_for_timer = models.BooleanField(_("waits for a timer"), default=False, db_index=True, editable=False)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("process instance")
        verbose_name_plural = _("process instances")
        indexes = [
            models.Index(fields=["subject_type", "subject_id"], name="workflow_instance_subject_idx"),
            models.Index(fields=["unit", "status"], name="workflow_instance_unit_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_running(self) -> bool:
        return self.status == self.Status.RUNNING


class WorkItem(models.Model):
    """A to-do item (待办事项): one ready user task of a running process, offered to its candidates."""

    class Status(models.TextChoices):
        OPEN = "open", _("To do")
        DONE = "done", _("Done")
        SENT_BACK = "sent_back", _("Sent back")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        CANCELLED = "cancelled", _("Cancelled")

    instance = models.ForeignKey(ProcessInstance, on_delete=models.CASCADE, related_name="work_items",
                                 verbose_name=_("process instance"))
    unit = models.ForeignKey("directory.Unit", on_delete=models.PROTECT, related_name="work_items",
                             verbose_name=_("unit"))
    spiff_task_id = models.CharField(_("engine task id"), max_length=64, db_index=True)
    step = models.CharField(_("step"), max_length=100)
    step_label = models.CharField(_("step name"), max_length=200)
    lane = models.CharField(_("role"), max_length=40, blank=True)
    candidates = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="candidate_work_items", blank=True,
                                        verbose_name=_("who may act"))
    department = models.ForeignKey("directory.Department", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="work_items", verbose_name=_("department"))
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.OPEN)
    acted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="acted_work_items", verbose_name=_("handled by"))
    on_behalf_of = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="delegated_work_items", verbose_name=_("on behalf of"))
    opinion = models.TextField(_("opinion"), blank=True)
    decision = models.CharField(_("decision"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    completed_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["instance_id", "sequence", "id"]
        verbose_name = _("work item")
        verbose_name_plural = _("work items")
        indexes = [
            models.Index(fields=["unit", "status"], name="workflow_item_unit_status_idx"),
            models.Index(fields=["status", "due_at"], name="workflow_item_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.step_label} · {self.instance.title}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_at is not None and self.due_at < timezone.now()


class Delegation(models.Model):
    """A delegation (委托): while it runs, the delegate may act on the delegator's to-do items."""

    delegator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delegations_given",
                                  verbose_name=_("delegator"))
    delegate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                 related_name="delegations_received", verbose_name=_("delegate"))
    unit = models.ForeignKey("directory.Unit", on_delete=models.CASCADE, related_name="delegations",
                             verbose_name=_("unit"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")

    def __str__(self) -> str:
        return f"{self.delegator.name} → {self.delegate.name}"

    def is_active_at(self, moment) -> bool:
        return self.revoked_at is None and self.starts_at <= moment < self.ends_at
