"""User groups (用户组) of a unit: create, update, reorder, members and delete."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zhengtong.audit import services as audit
from zhengtong.directory.models import Membership, Unit, User, UserGroup
from zhengtong.directory.services._common import _last_sort_order, _moved, _require_unit_admin


def _clean_group(group: UserGroup) -> None:
    errors: dict = {}
    try:
        group.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if ("name" not in errors and UserGroup.objects.filter(unit_id=group.unit_id, name=group.name)
            .exclude(pk=group.pk).exists()):
        errors["name"] = [_("There is already a group called %(name)s.") % {"name": group.name}]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_group(*, actor, unit: Unit, name: str, description: str = "") -> UserGroup:
    """Add a user group (用户组: 部门、部门领导、办公室、各科室…), placed last."""
    _require_unit_admin(actor, unit)
    group = UserGroup(unit=unit, name=name.strip(), description=description.strip(),
                      sort_order=_last_sort_order(UserGroup.objects.filter(unit=unit)))
    _clean_group(group)
    group.save()
    audit.record(actor=actor, action="directory.group.create", obj=group, unit=unit,
                 summary=_("Created user group %(name)s") % {"name": group.name})
    return group


@transaction.atomic
def update_group(*, actor, group: UserGroup, name: str, description: str = "") -> UserGroup:
    """Rename a user group or change its description."""
    _require_unit_admin(actor, group.unit)
    group = UserGroup.objects.select_for_update().get(pk=group.pk)
    before = audit.snapshot(group, ["name", "description"])
    group.name, group.description = name.strip(), description.strip()
    _clean_group(group)
    group.save()
    changes = audit.diff(group, before, ["name", "description"])
    if changes:
        audit.record(actor=actor, action="directory.group.update", obj=group, unit=group.unit,
                     summary=_("Changed user group %(name)s") % {"name": group.name}, changes=changes)
    return group


@transaction.atomic
def reorder_group(*, actor, group: UserGroup, direction: str) -> UserGroup:
    """Move a user group one place up or down."""
    _require_unit_admin(actor, group.unit)
    items = _moved(list(UserGroup.objects.select_for_update().filter(unit=group.unit_id)), group, direction)
    if items:
        UserGroup.objects.bulk_update(items, ["sort_order"])
        audit.record(actor=actor, action="directory.group.reorder", obj=group, unit=group.unit,
                     summary=_("Moved user group %(name)s") % {"name": group.name},
                     changes={"order": [each.name for each in items]})
    return group


@transaction.atomic
def set_group_members(*, actor, group: UserGroup, members: Iterable[User]) -> UserGroup:
    """Make the group's members exactly ``members``; each must have an active post in the unit."""
    _require_unit_admin(actor, group.unit)
    wanted = {user.pk: user for user in members}
    serving = set(Membership.objects.filter(unit=group.unit_id, is_active=True, user_id__in=wanted)
                  .values_list("user_id", flat=True))
    strangers = [user.name for pk, user in wanted.items() if pk not in serving]
    if strangers:
        raise ValidationError({"members": [_("These people have no post in the unit: %(names)s")
                                           % {"names": "、".join(strangers)}]})
    current = {user.pk: user.username for user in group.members.all()}
    group.members.set(list(wanted))
    if set(current) != set(wanted):
        audit.record(actor=actor, action="directory.group.members", obj=group, unit=group.unit,
                     summary=_("Changed the members of user group %(name)s") % {"name": group.name},
                     changes={"members": [sorted(current.values()),
                                          sorted(user.username for user in wanted.values())]})
    return group


@transaction.atomic
def delete_group(*, actor, group: UserGroup) -> None:
    """Delete a user group (its members keep their accounts and posts)."""
    _require_unit_admin(actor, group.unit)
    audit.record(actor=actor, action="directory.group.delete", obj=group, unit=group.unit,
                 summary=_("Deleted user group %(name)s") % {"name": group.name})
    group.delete()
