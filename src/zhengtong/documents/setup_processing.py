"""Processing side of the documents app: workflow hooks, audit labels, home panel, demo loader."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "documents.document.submit": _("Document submitted for review"),
    "documents.document.resubmit": _("Document submitted again"),
    "documents.document.review": _("Document reviewed"),
    "documents.document.send_back": _("Document sent back"),
    "documents.document.sign_off": _("Document signed off"),
    "documents.document.joint_sign_off": _("Document signed off by a co-issuing unit"),
    "documents.document.joint_start": _("Document sent to a co-issuing unit"),
    "documents.document.joint_done": _("Every co-issuing unit signed off"),
    "documents.document.number": _("Document numbered"),
    "documents.document.compose": _("Document composed"),
    "documents.document.seal": _("Seal confirmed"),
    "documents.document.distribute": _("Document distributed"),
    "documents.distribution.read": _("Distributed document read"),
    "documents.document.archive": _("Document archived"),
    "documents.document.urge": _("Document urged"),
    "documents.incoming.register": _("Received document registered"),
    "documents.incoming.submit": _("Received document sent for handling"),
    "documents.incoming.review": _("Received document reviewed"),
    "documents.incoming.direct": _("Directive given"),
    "documents.incoming.handle": _("Received document handled"),
    "documents.incoming.transfer": _("Received document passed on"),
    "documents.incoming.read": _("Received document read (circulation)"),
    "documents.incoming.finish": _("Received document finished"),
}


def _describe(document):
    return document.title, document.get_absolute_url()


def _on_step(work_item) -> None:
    if work_item.step == "joint_review":
        from zhengtong.documents.services import processing

        processing.start_joint_signing(work_item)


def _on_completed(instance) -> None:
    from zhengtong.documents.services import processing

    if instance.key == processing.JOINT_SIGN and instance.status == "completed":
        processing.joint_sign_ended(instance)


def _load_demo(*, result, stdout) -> None:
    from zhengtong.documents import demo

    demo.load_demo(result=result, stdout=stdout)


def _reading_context(request) -> dict:
    from zhengtong.documents.models import Distribution

    rows = (Distribution.objects.filter(recipient=request.user, read_at__isnull=True)
            .select_related("document").order_by("-distributed_at")[:8])
    return {"distributions": rows}


def _has_unread(request) -> bool:
    if not request.user.is_authenticated:
        return False
    from zhengtong.documents.models import Distribution

    return Distribution.objects.filter(recipient=request.user, read_at__isnull=True).exists()


def _is_clerk(request) -> bool:
    from zhengtong.directory import roles
    from zhengtong.directory.selectors import has_role

    unit = getattr(request, "unit", None)
    return request.user.is_authenticated and unit is not None and has_role(request.user, unit, roles.CLERK)


def _register_context(request) -> dict:
    from zhengtong.documents.models import Document

    recent = (Document.objects.filter(unit=request.unit, direction=Document.Direction.INCOMING)
              .order_by("-incoming_year", "-incoming_seq")[:5])
    return {"recent": recent}


def ready() -> None:
    from zhengtong.audit.actions import register_action
    from zhengtong.demo.registry import register_demo_loader
    from zhengtong.office.registry import Panel, register_panel
    from zhengtong.workflow.hooks import register_subject

    for code, label in ACTIONS.items():
        register_action(code, label)
    register_subject("documents.Document", describe=_describe, on_step=_on_step, on_completed=_on_completed)
    register_panel(Panel(key="documents-to-read", title=_("Documents to read (待阅公文)"),
                         template="documents/processing/panel_to_read.html", context=_reading_context,
                         order=25, visible=_has_unread, width=6))
    register_panel(Panel(key="documents-register", title=_("Received documents (收文登记)"),
                         template="documents/processing/panel_register.html", context=_register_context,
                         order=26, visible=_is_clerk, width=6))
    register_demo_loader("documents", _load_demo, order=30)
