"""Process engine (流程): BPMN 2.0 definitions run by SpiffWorkflow, to-do lists, opinions."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "zhengtong.workflow"
    label = "workflow"
    verbose_name = _("Workflow")

    def ready(self):
        from zhengtong.workflow import actions, office

        actions.register_audit_actions()  # engine: audit action labels, default processes
        office.register_office()  # UI: navigation entries and home-page panels
