"""Drafting side of the documents app: audit action labels and the office navigation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def _current_unit(request):
    return getattr(request, "unit", None)


def _may_draft(request) -> bool:
    from zhengtong.documents import selectors

    return request.user.is_authenticated and selectors.can_draft(request.user, _current_unit(request))


def ready() -> None:
    from zhengtong.audit.actions import register_action
    from zhengtong.office.registry import NavItem, register_nav

    for code, label in (
        ("documents.document.create", _("Document drafted")),
        ("documents.document.update", _("Document changed")),
        ("documents.attachment.add", _("Attachment added")),
        ("documents.attachment.remove", _("Attachment removed")),
        ("documents.number.take", _("Document number taken")),
        ("documents.number.void", _("Document number voided")),
        ("documents.register.create", _("Number register added")),
        ("documents.register.update", _("Number register changed")),
        ("documents.template.create", _("Red-header template added")),
        ("documents.template.update", _("Red-header template changed")),
        ("documents.template.delete", _("Red-header template removed")),
        ("documents.ledger.export", _("Document ledger exported")),
    ):
        register_action(code, label)
    register_nav(NavItem(key="documents", label=_("Documents"), url_name="documents:drafts", icon="file-earmark-text",
                         order=20, visible=_may_draft))
