from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from zhengtong.office.registry import nav_for


def office(request):
    """Navigation, the current unit and the units to switch to, for every office page."""
    user = getattr(request, "user", None)
    context = {"site_name": settings.ZHENGTONG_SITE_NAME or _("Zhengtong e-government office platform")}
    if user is None or not user.is_authenticated:
        return context
    from zhengtong.directory.selectors import units_of

    context.update({
        "nav_items": nav_for(request),
        "current_unit": getattr(request, "unit", None),
        "switchable_units": list(units_of(user)),
    })
    return context
