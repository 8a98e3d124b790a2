"""Wagtail's workflow e-mail for our steps: the approvers come from the directory, not from groups."""

from __future__ import annotations

from wagtail.admin.mail import EmailNotificationMixin, Notifier
from wagtail.models import Page, TaskState


class DirectoryTaskSubmissionEmailNotifier(EmailNotificationMixin, Notifier):
    """"A page waits for your review" to each approver of the step who has an e-mail address."""

    notification = "submitted"

    def __init__(self):
        super().__init__((TaskState,))

    def get_template_base_prefix(self, instance, **kwargs):
        return "task_state_"  # Wagtail's own (translated) templates

    def get_recipient_users(self, task_state, **kwargs):
        return set(kwargs.get("approvers") or [])

    def get_context(self, task_state, **kwargs):
        context = super().get_context(task_state, **kwargs)
        context["task"] = task_state.task.specific
        page = Page.objects.get(pk=task_state.workflow_state.object_id).specific
        context["object"] = page
        context["page"] = page
        context["model_name"] = page._meta.verbose_name
        return context


task_submission_notifier = DirectoryTaskSubmissionEmailNotifier()
