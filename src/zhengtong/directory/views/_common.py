"""Helpers shared by the directory views: access decorators, response status and page contexts."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required

from zhengtong.directory import selectors
from zhengtong.directory.models import Unit


def operator_required(view):
    """The operator's pages: 404 for everybody else (a missing right looks like a missing page)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        selectors.require_operator(request.user)
        return view(request, *args, **kwargs)

    return wrapper


def unit_admin_required(view):
    """A unit's pages: the unit comes from the URL through managed_unit_for, else 404."""

    @login_required
    @wraps(view)
    def wrapper(request, unit_pk, *args, **kwargs):
        unit = selectors.managed_unit_for(request.user, unit_pk)
        return view(request, unit, *args, **kwargs)

    return wrapper


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


def _unit_context(request, unit: Unit, tab: str, **extra) -> dict:
    return {
        "unit": unit,
        "tab": tab,
        "is_operator": selectors.is_platform_operator(request.user),
        "administered_units": selectors.units_administered_by(request.user).select_related("category")[:200],
        "department_tree": selectors.department_tree(unit),
        **extra,
    }


def _operator_context(request, **extra) -> dict:
    return {"unit_groups": selectors.unit_tree_for_operator(request.user), **extra}
