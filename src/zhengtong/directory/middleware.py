"""The unit a person is working in right now (单位切换): every list and to-do is per unit."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

SESSION_KEY = "zhengtong_unit_id"


def _current_unit(request):
    from zhengtong.directory.selectors import units_of

    user = request.user
    if not user.is_authenticated:
        return None
    units = list(units_of(user))
    if not units:
        return None
    wanted = request.session.get(SESSION_KEY)
    for unit in units:
        if unit.pk == wanted:
            return unit
    return units[0]


class CurrentUnitMiddleware:
    """Sets ``request.unit``: the unit chosen in the switcher, else the person's primary unit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.unit = SimpleLazyObject(lambda: _current_unit(request))
        return self.get_response(request)
