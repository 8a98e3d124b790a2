"""Website content review and screening (网站审核)."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class WebreviewConfig(AppConfig):
    name = "zhengtong.webreview"
    label = "webreview"
    verbose_name = _("Website review")

    def ready(self):
        from wagtail.signals import task_submitted

        from zhengtong.audit.actions import register_action
        from zhengtong.demo.registry import register_demo_loader
        from zhengtong.office.registry import Panel, register_panel
        from zhengtong.webreview import demo, signals, views

        register_action("webreview.step.approve", _("Website material approved at a review step"))
        register_action("webreview.step.reject", _("Website material returned at a review step"))
        register_action("webreview.step.refused", _("Review decision refused (not a reviewer of the step)"))
        register_action("webreview.screening.block", _("Website submission stopped by content screening"))
        register_action("webreview.notice.send", _("Reviewers notified of waiting material"))
        register_action("webreview.chain.assign", _("Review chain given to a column"))
        register_action("webreview.sign_off.download", _("Review sign-off form downloaded"))

        register_panel(Panel(key="webreview-waiting", title=_("Website reviews"),
                             template="webreview/includes/panel.html", context=views.panel_context,
                             visible=views.panel_visible, order=40, width=6))
        register_demo_loader("webreview", demo.load_demo, order=60)
        task_submitted.connect(signals.step_started, dispatch_uid="webreview_step_started")
        post_migrate.connect(signals.create_default_chains, dispatch_uid="webreview_default_chains")
