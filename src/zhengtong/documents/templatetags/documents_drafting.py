"""Template helpers of the drafting includes (the document page includes them without extra context)."""

from __future__ import annotations

from django import template

from zhengtong.documents import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def document_editable(context, document) -> bool:
    """Whether the person viewing the page may change ``document`` (and so attach files) at its step."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return bool(user is not None and document is not None and selectors.may_edit_document(user, document))
