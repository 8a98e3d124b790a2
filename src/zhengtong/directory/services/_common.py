"""Helpers shared by the directory services: permission checks, validation, ordering, initial passwords."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from zhengtong.directory import selectors
from zhengtong.directory.exceptions import DirectoryPermissionDenied
from zhengtong.directory.models import Membership, Unit, User

# Without 0/O, 1/l/I: an initial password is read out or copied by hand.
_PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def generate_initial_password() -> str:
    """A random one-time password (never a shared default such as 88888888)."""
    while True:
        raw = "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(12))
        if any(c.islower() for c in raw) and any(c.isupper() for c in raw) and any(c.isdigit() for c in raw):
            return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def _require_operator(actor) -> None:
    if actor is not None and not selectors.is_platform_operator(actor):
        raise DirectoryPermissionDenied(_("Only the platform operator may do this."))


def _require_unit_admin(actor, unit: Unit) -> None:
    if actor is not None and not selectors.can_manage_unit(actor, unit):
        raise DirectoryPermissionDenied(_("You may only manage the directory of your own unit."))
    # Ask the database: the caller's copy of the unit may predate its dissolution.
    if not Unit.objects.filter(pk=unit.pk, status=Unit.Status.ACTIVE).exists():
        raise ValidationError(_("The unit %(unit)s is no longer active.") % {"unit": unit.name})


def _validated(instance, *, exclude: Iterable[str] = ()):
    instance.full_clean(exclude=list(exclude))
    return instance


def _set_primary_elsewhere(user: User) -> None:
    """After a primary post ended, make another active post the primary one."""
    active = Membership.objects.filter(user=user, is_active=True)
    if active.exists() and not active.filter(is_primary=True).exists():
        Membership.objects.filter(user=user, is_primary=True).update(is_primary=False)
        first = active.order_by("created_at", "id").first()
        Membership.objects.filter(pk=first.pk).update(is_primary=True)


def _renumber(items: list) -> list:
    for index, item in enumerate(items, start=1):
        item.sort_order = index * 10
    return items


def _moved(items: list, item, direction: str) -> list | None:
    """``items`` with ``item`` moved one place up or down, or None when it is already at that end."""
    ids = [each.pk for each in items]
    index = ids.index(item.pk)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(items):
        return None
    items[index], items[other] = items[other], items[index]
    return _renumber(items)


def _last_sort_order(qs) -> int:
    return (qs.order_by("-sort_order").values_list("sort_order", flat=True).first() or 0) + 10
