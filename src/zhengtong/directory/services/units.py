"""Units and unit categories: register, update, rename, dissolve and merge units (operator only)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.audit import services as audit
from zhengtong.directory import roles
from zhengtong.directory.models import (Department, Membership, RoleAssignment, Unit, UnitCategory, UnitNameChange,
                                        User, UserGroup)
from zhengtong.directory.pinyin import name_to_pinyin, next_free_username
from zhengtong.directory.services._common import _moved, _require_operator, _set_primary_elsewhere
from zhengtong.directory.signals import unit_dissolved


def _clean_unit(unit: Unit) -> None:
    """Validate a unit; uniqueness errors name the unit that already holds the value (in Chinese)."""
    errors: dict = {}
    try:
        unit.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    others = Unit.objects.exclude(pk=unit.pk)
    if unit.code and "code" not in errors and (other := others.filter(code=unit.code).first()):
        errors["code"] = [_("The unit code %(code)s is already used by %(unit)s.")
                          % {"code": unit.code, "unit": other.name}]
    if (unit.credit_code and "credit_code" not in errors
            and (other := others.filter(credit_code=unit.credit_code).first())):
        errors["credit_code"] = [_("The unified social credit code %(code)s is already used by %(unit)s.")
                                 % {"code": unit.credit_code, "unit": other.name}]
    if (unit.is_active and "name" not in errors
            and others.filter(name=unit.name, status=Unit.Status.ACTIVE).exists()):
        errors["name"] = [_("Another active unit is already called %(name)s.") % {"name": unit.name}]
    if unit.parent_id is not None and "parent" not in errors:
        error = _parent_unit_error(unit, unit.parent)
        if error:
            errors["parent"] = [error]
    if errors:
        raise ValidationError(errors)


def _parent_unit_error(unit: Unit, parent: Unit) -> str:
    if not parent.is_active:
        return _("The parent unit is no longer active.")
    ancestor, seen = parent, set()
    while ancestor is not None and ancestor.pk not in seen:
        if unit.pk is not None and ancestor.pk == unit.pk:
            return _("A unit cannot be placed under itself or one of its own subordinate units.")
        seen.add(ancestor.pk)
        ancestor = ancestor.parent
    return ""


_UNIT_FIELDS = ["short_name", "code", "credit_code", "category", "parent", "sort_order", "document_prefix",
                "description"]


@transaction.atomic
def register_unit(*, actor, name: str, code: str, category: UnitCategory, short_name: str = "",
                  credit_code: str = "", parent: Unit | None = None, sort_order: int = 0,
                  document_prefix: str = "", description: str = "") -> Unit:
    """Register a unit (seed 001 第八条: the operator registers a unit after approval)."""
    _require_operator(actor)
    unit = Unit(name=name.strip(), short_name=short_name.strip(), code=code.strip(),
                category=category, credit_code=credit_code.strip().upper(), parent=parent,
                sort_order=sort_order, document_prefix=document_prefix.strip(), description=description)
    _clean_unit(unit)
    unit.save()
    audit.record(actor=actor, action="directory.unit.register", obj=unit, unit=unit,
                 summary=_("Registered unit %(name)s") % {"name": unit.name},
                 changes={"code": unit.code, "category": category.name})
    return unit


@transaction.atomic
def update_unit(*, actor, unit: Unit, short_name: str, code: str, category: UnitCategory,
                credit_code: str = "", parent: Unit | None = None, sort_order: int = 0,
                document_prefix: str = "", description: str = "") -> Unit:
    """Change a unit's registered details (not its name: renaming is :func:`rename_unit`)."""
    _require_operator(actor)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if not unit.is_active:
        raise ValidationError(_("The unit %(unit)s is no longer active.") % {"unit": unit.name})
    before = audit.snapshot(unit, _UNIT_FIELDS)
    unit.short_name, unit.code, unit.category = short_name.strip(), code.strip(), category
    unit.credit_code, unit.parent, unit.sort_order = credit_code.strip().upper(), parent, sort_order
    unit.document_prefix, unit.description = document_prefix.strip(), description
    _clean_unit(unit)
    unit.save()
    changes = audit.diff(unit, before, _UNIT_FIELDS)
    if changes:
        audit.record(actor=actor, action="directory.unit.update", obj=unit, unit=unit,
                     summary=_("Changed the details of unit %(name)s") % {"name": unit.name}, changes=changes)
    return unit


@transaction.atomic
def rename_unit(*, actor, unit: Unit, name: str, short_name: str | None = None, note: str = "") -> Unit:
    """Rename a unit (seed 001 第九条(一): 名称变更), keeping its former name in the history."""
    _require_operator(actor)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if not unit.is_active:
        raise ValidationError(_("The unit %(unit)s is no longer active.") % {"unit": unit.name})
    old_name, old_short = unit.name, unit.short_name
    unit.name = name.strip()
    if short_name is not None:
        unit.short_name = short_name.strip()
    if unit.name == old_name and unit.short_name == old_short:
        raise ValidationError({"name": [_("The new name is the same as the current one.")]})
    _clean_unit(unit)
    unit.save(update_fields=["name", "short_name"])
    UnitNameChange.objects.create(unit=unit, old_name=old_name, new_name=unit.name, old_short_name=old_short,
                                  new_short_name=unit.short_name, note=note.strip()[:200],
                                  changed_by=actor if getattr(actor, "pk", None) else None)
    audit.record(actor=actor, action="directory.unit.rename", obj=unit, unit=unit,
                 summary=_("Renamed unit %(old)s to %(new)s") % {"old": old_name, "new": unit.name},
                 changes={"name": [old_name, unit.name], "short_name": [old_short, unit.short_name],
                          "note": note.strip()})
    return unit


def _require_end_note(end_note: str) -> str:
    end_note = (end_note or "").strip()
    if not end_note:
        raise ValidationError({"end_note": [_("Record what happens to the unit's documents.")]})
    return end_note


def _send_unit_ended(unit: Unit, successor: Unit | None, reason: str, actor) -> None:
    transaction.on_commit(lambda: unit_dissolved.send(sender=Unit, unit=unit, successor=successor,
                                                      reason=reason, actor=actor))


def _disable_account(user: User) -> None:
    User.objects.filter(pk=user.pk).update(status=User.Status.LEFT,
                                           session_generation=F("session_generation") + 1)


@transaction.atomic
def dissolve_unit(*, actor, unit: Unit, end_note: str) -> Unit:
    """Dissolve a unit (seed 001 第九条(二): 注销): close it, end its posts, disable its accounts.

    An account whose only active post was in this unit is disabled (status left, sessions ended);
    people with a post elsewhere keep their account. The unit's roles are removed. ``end_note``
    records what happens to its documents. Its seals are revoked by receivers of
    :data:`zhengtong.directory.signals.unit_dissolved`, sent after commit.
    """
    _require_operator(actor)
    end_note = _require_end_note(end_note)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if not unit.is_active:
        raise ValidationError(_("The unit %(unit)s is no longer active.") % {"unit": unit.name})
    if unit.children.filter(status=Unit.Status.ACTIVE).exists():
        raise ValidationError(_("%(unit)s still has subordinate units: move or dissolve them first.")
                              % {"unit": unit.name})
    if RoleAssignment.objects.filter(unit=unit, role__code=roles.PLATFORM_OPERATOR).exists():
        raise ValidationError(_("%(unit)s holds platform operator accounts: give that role to people of "
                                "another unit first.") % {"unit": unit.name})
    disabled, ended = _end_posts(unit)
    roles_removed, _count = RoleAssignment.objects.filter(unit=unit).delete()
    unit.status, unit.ended_at, unit.end_note = Unit.Status.DISSOLVED, timezone.now(), end_note
    unit.save(update_fields=["status", "ended_at", "end_note"])
    audit.record(actor=actor, action="directory.unit.dissolve", obj=unit, unit=unit,
                 summary=_("Dissolved unit %(name)s") % {"name": unit.name},
                 changes={"status": [Unit.Status.ACTIVE, Unit.Status.DISSOLVED], "end_note": end_note,
                          "posts_ended": ended, "accounts_disabled": disabled, "roles_removed": roles_removed})
    _send_unit_ended(unit, None, "dissolved", actor)
    return unit


def _end_posts(unit: Unit) -> tuple[list[str], int]:
    """End every active post in ``unit``; disable accounts left without any active post."""
    posts = list(Membership.objects.filter(unit=unit, is_active=True).select_related("user"))
    Membership.objects.filter(pk__in=[post.pk for post in posts]).update(is_active=False)
    disabled = []
    for post in posts:
        user = post.user
        if Membership.objects.filter(user=user, is_active=True, unit__status=Unit.Status.ACTIVE).exists():
            _set_primary_elsewhere(user)
        else:
            _disable_account(user)
            disabled.append(user.username)
    return sorted(disabled), len(posts)


@transaction.atomic
def merge_units(*, actor, units: Sequence[Unit], end_note: str, continuing: Unit | None = None,
                new_unit: Mapping[str, Any] | None = None) -> Unit:
    """Merge units (seed 001 第九条(三): 合并) and return the unit that carries on.

    Either one of ``units`` continues under its own name (``continuing``), or a new unit is
    registered (``new_unit``: the keyword arguments of :func:`register_unit`, seed 第八条) and every
    merged unit ends. Ended units get status merged with the continuing unit as successor; their
    active people, departments (renamed on a clash), user groups and subordinate units move to it.
    Their roles are removed: the continuing unit names its own (第九条(一)).
    """
    _require_operator(actor)
    end_note = _require_end_note(end_note)
    pks = list(dict.fromkeys(unit.pk for unit in units))
    locked = {unit.pk: unit for unit in Unit.objects.select_for_update().filter(pk__in=pks)}
    merged = [locked[pk] for pk in pks if pk in locked]
    if len(merged) < 2:
        raise ValidationError({"units": [_("Choose at least two units to merge.")]})
    inactive = [unit.name for unit in merged if not unit.is_active]
    if inactive:
        raise ValidationError({"units": [_("These units are no longer active: %(units)s")
                                         % {"units": "、".join(inactive)}]})
    if (continuing is None) == (new_unit is None):
        raise ValidationError(_("Either choose the unit that continues or register a new unit."))
    if continuing is not None:
        if continuing.pk not in locked:
            raise ValidationError({"continuing": [_("The continuing unit must be one of the merged units.")]})
        target = locked[continuing.pk]
    else:
        target = register_unit(actor=actor, **new_unit)
    ending = [unit for unit in merged if unit.pk != target.pk]
    ending_ids = {unit.pk for unit in ending}
    if RoleAssignment.objects.filter(unit__in=ending, role__code=roles.PLATFORM_OPERATOR).exists():
        raise ValidationError(_("A merged unit holds platform operator accounts: give that role to people "
                                "of the continuing unit first."))
    now = timezone.now()
    for unit in ending:
        moved = _move_posts(unit, target)
        departments = _move_departments(unit, target)
        groups = _move_groups(unit, target)
        roles_removed, _count = RoleAssignment.objects.filter(unit=unit).delete()
        unit.status, unit.successor, unit.ended_at, unit.end_note = Unit.Status.MERGED, target, now, end_note
        unit.save(update_fields=["status", "successor", "ended_at", "end_note"])
        audit.record(actor=actor, action="directory.unit.merge", obj=unit, unit=unit,
                     summary=_("Merged unit %(name)s into %(target)s") % {"name": unit.name, "target": target.name},
                     changes={"status": [Unit.Status.ACTIVE, Unit.Status.MERGED], "successor": target.name,
                              "end_note": end_note, "posts_moved": moved, "departments_moved": departments,
                              "groups_moved": groups, "roles_removed": roles_removed})
        _send_unit_ended(unit, target, "merged", actor)
    # Subordinate units of an ended unit now report to the continuing unit; the continuing unit
    # itself moves up past any ancestor that ended.
    Unit.objects.filter(parent_id__in=ending_ids).exclude(pk=target.pk).update(parent=target)
    target.refresh_from_db()
    while target.parent_id in ending_ids:
        target.parent = Unit.objects.get(pk=target.parent_id).parent
    target.save(update_fields=["parent"])
    audit.record(actor=actor, action="directory.unit.merge_into", obj=target, unit=target,
                 summary=_("%(units)s merged into %(target)s")
                 % {"units": "、".join(unit.name for unit in ending), "target": target.name},
                 changes={"merged": [unit.name for unit in ending], "new_unit": continuing is None})
    return target


def _move_posts(unit: Unit, target: Unit) -> int:
    """Move the active posts of ``unit`` to ``target``; a person already serving there keeps that post."""
    count = 0
    for post in Membership.objects.filter(unit=unit, is_active=True).select_related("user"):
        existing = Membership.objects.filter(user=post.user, unit=target).first()
        if existing is None:
            post.unit = target
            post.save(update_fields=["unit"])
        else:
            post.is_active = False
            post.save(update_fields=["is_active"])
            if not existing.is_active:
                existing.is_active = True
                existing.department, existing.title = post.department, post.title
            existing.is_primary = existing.is_primary or post.is_primary
            existing.save()
        count += 1
    return count


def _free_name(name: str, taken: set[str], unit: Unit) -> str:
    if name not in taken:
        return name
    candidate = _("%(name)s (formerly %(unit)s)") % {"name": name, "unit": unit.display_name}
    number = 2
    base = candidate
    while candidate in taken:
        candidate = f"{base}{number}"
        number += 1
    return candidate


def _move_departments(unit: Unit, target: Unit) -> int:
    """Move every department of ``unit`` to ``target``; a top-level name that clashes is renamed."""
    taken = set(Department.objects.filter(unit=target, parent=None).values_list("name", flat=True))
    departments = list(Department.objects.filter(unit=unit))
    for department in departments:
        if department.parent_id is None:
            department.name = _free_name(department.name, taken, unit)[:60]
            taken.add(department.name)
        department.unit = target
    Department.objects.bulk_update(departments, ["unit", "name"])
    return len(departments)


def _move_groups(unit: Unit, target: Unit) -> int:
    taken = set(UserGroup.objects.filter(unit=target).values_list("name", flat=True))
    groups = list(UserGroup.objects.filter(unit=unit))
    for group in groups:
        group.name = _free_name(group.name, taken, unit)[:60]
        taken.add(group.name)
        group.unit = target
    UserGroup.objects.bulk_update(groups, ["unit", "name"])
    return len(groups)


# --- Unit categories (部门大类) ------------------------------------------------------------------

def _clean_category(category: UnitCategory) -> None:
    errors: dict = {}
    try:
        category.full_clean(validate_unique=False)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    others = UnitCategory.objects.exclude(pk=category.pk)
    if "name" not in errors and others.filter(name=category.name).exists():
        errors["name"] = [_("A category called %(name)s already exists.") % {"name": category.name}]
    if "code" not in errors and others.filter(code=category.code).exists():
        errors["code"] = [_("The code %(code)s is already used by another category.") % {"code": category.code}]
    if errors:
        raise ValidationError(errors)


def _category_code(name: str, code: str) -> str:
    code = (code or "").strip().lower()
    if code:
        return code
    try:
        base = name_to_pinyin(name)
    except ValidationError:
        base = "category"
    taken = set(UnitCategory.objects.filter(code__startswith=base).values_list("code", flat=True))
    return next_free_username(base[:28], taken)


@transaction.atomic
def create_category(*, actor, name: str, code: str = "") -> UnitCategory:
    """Add a unit category (部门大类, seed 004 八.一: 党群部门、政府部门、乡镇街道…), placed last."""
    _require_operator(actor)
    last = UnitCategory.objects.order_by("-sort_order").values_list("sort_order", flat=True).first() or 0
    category = UnitCategory(name=name.strip(), code=_category_code(name.strip(), code), sort_order=last + 10)
    _clean_category(category)
    category.save()
    audit.record(actor=actor, action="directory.category.create", obj=category,
                 summary=_("Added unit category %(name)s") % {"name": category.name})
    return category


@transaction.atomic
def update_category(*, actor, category: UnitCategory, name: str, code: str) -> UnitCategory:
    """Rename a unit category or change its code."""
    _require_operator(actor)
    category = UnitCategory.objects.select_for_update().get(pk=category.pk)
    before = audit.snapshot(category, ["name", "code"])
    category.name, category.code = name.strip(), _category_code(name.strip(), code)
    _clean_category(category)
    category.save()
    changes = audit.diff(category, before, ["name", "code"])
    if changes:
        audit.record(actor=actor, action="directory.category.update", obj=category,
                     summary=_("Changed unit category %(name)s") % {"name": category.name}, changes=changes)
    return category


@transaction.atomic
def move_category(*, actor, category: UnitCategory, direction: str) -> UnitCategory:
    """Move a category one place up or down in the list (the order units are listed in)."""
    _require_operator(actor)
    items = _moved(list(UnitCategory.objects.select_for_update()), category, direction)
    if items:
        UnitCategory.objects.bulk_update(items, ["sort_order"])
        audit.record(actor=actor, action="directory.category.reorder", obj=category,
                     summary=_("Moved unit category %(name)s") % {"name": category.name},
                     changes={"order": [each.name for each in items]})
    return category


@transaction.atomic
def delete_category(*, actor, category: UnitCategory) -> None:
    """Delete a category that no unit (active or ended) belongs to."""
    _require_operator(actor)
    if category.units.exists():
        raise ValidationError(_("The category %(name)s still has units and cannot be deleted.")
                              % {"name": category.name})
    audit.record(actor=actor, action="directory.category.delete", obj=category,
                 summary=_("Deleted unit category %(name)s") % {"name": category.name})
    category.delete()
