"""Template tags of notifications: the unread count for the navbar badge."""

from django import template

from zhengtong.notifications import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notice_count(context) -> int:
    request = context.get("request")
    return selectors.unread_count(getattr(request, "user", None))
