"""Template tags of the public website."""

from __future__ import annotations

from django import template
from wagtail.models import Site

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_home(context):
    """The site's home page (specific), looked up once per render."""
    request = context.get("request")
    if "_portal_home" not in context.render_context:
        site = Site.find_for_request(request) if request is not None else None
        context.render_context["_portal_home"] = site.root_page.specific if site else None
    return context.render_context["_portal_home"]


@register.simple_tag
def portal_nav(home):
    from zhengtong.portal import selectors

    return list(selectors.child_columns(home)) if home is not None else []
