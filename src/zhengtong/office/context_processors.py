from __future__ import annotations

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from zhengtong.office.registry import nav_entries, nav_for


def office(request):
    """Navigation, the current unit and the units to switch to, for every office page."""
    user = getattr(request, "user", None)
    context = {"site_name": settings.ZHENGTONG_SITE_NAME or _("Zhengtong e-government office platform")}
    if user is None or not user.is_authenticated:
        return context
    from zhengtong.directory.selectors import units_of

    items = nav_for(request)
    context.update({
        "nav_items": items,
        "nav_entries": nav_entries(items),
        "nav_active": _active_key(request.path, items),
        "current_unit": getattr(request, "unit", None),
        "switchable_units": list(units_of(user)),
    })
    return context


def _active_key(path: str, items) -> str:
    """The entry whose address is the longest prefix of this page's (the home page only on itself)."""
    best, best_length = "", 0
    for item in items:
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        matches = path == url if item.url_name == "office:home" else path.startswith(url)
        if matches and len(url) > best_length:
            best, best_length = item.key, len(url)
    return best
