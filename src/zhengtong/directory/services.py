"""Every change to the directory: keyword-only, atomic, permission-checked and audited."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.audit import services as audit
from zhengtong.directory import roles, selectors
from zhengtong.directory.exceptions import DirectoryPermissionDenied
from zhengtong.directory.models import (Department, Membership, Role, RoleAssignment, Unit, UnitCategory,
                                       UnitNameChange, User, UserGroup)
from zhengtong.directory.pinyin import name_initials, name_to_pinyin, next_free_username
from zhengtong.directory.signals import unit_dissolved

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


def _set_primary_elsewhere(user: User) -> None:
    """After a primary post ended, make another active post the primary one."""
    active = Membership.objects.filter(user=user, is_active=True)
    if active.exists() and not active.filter(is_primary=True).exists():
        Membership.objects.filter(user=user, is_primary=True).update(is_primary=False)
        first = active.order_by("created_at", "id").first()
        Membership.objects.filter(pk=first.pk).update(is_primary=True)


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


def _clean_department(department: Department) -> None:
    errors: dict = {}
    try:
        department.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if department.parent_id is not None and "parent" not in errors:
        parent = department.parent
        if parent.unit_id != department.unit_id:
            errors["parent"] = [_("The parent department belongs to another unit.")]
        elif department.pk is not None and (parent.pk == department.pk
                                            or parent.pk in selectors.descendant_ids(department)):
            errors["parent"] = [_("A department cannot be placed under itself or one of its own "
                                  "sub-departments.")]
    siblings = Department.objects.filter(unit_id=department.unit_id, parent_id=department.parent_id)
    if "name" not in errors and siblings.exclude(pk=department.pk).filter(name=department.name).exists():
        errors["name"] = [_("There is already a department called %(name)s at this place.")
                          % {"name": department.name}]
    if errors:
        raise ValidationError(errors)


def _last_sort_order(qs) -> int:
    return (qs.order_by("-sort_order").values_list("sort_order", flat=True).first() or 0) + 10


@transaction.atomic
def create_department(*, actor, unit: Unit, name: str, parent: Department | None = None,
                      sort_order: int | None = None, phone: str = "") -> Department:
    """Add a department (科室) to a unit; without a sort order it goes last among its siblings."""
    _require_unit_admin(actor, unit)
    if sort_order is None:
        sort_order = _last_sort_order(Department.objects.filter(unit=unit, parent=parent))
    department = Department(unit=unit, name=name.strip(), parent=parent, sort_order=sort_order,
                            phone=phone.strip())
    _clean_department(department)
    department.save()
    audit.record(actor=actor, action="directory.department.create", obj=department, unit=unit,
                 summary=_("Created department %(name)s") % {"name": department.name})
    return department


@transaction.atomic
def update_department(*, actor, department: Department, name: str, parent: Department | None = None,
                      phone: str = "") -> Department:
    """Rename a department, change its phone, or move it under another parent (never into its own subtree)."""
    department = Department.objects.select_for_update().select_related("unit").get(pk=department.pk)
    _require_unit_admin(actor, department.unit)
    fields = ["name", "parent", "phone"]
    before = audit.snapshot(department, fields)
    moving = (getattr(parent, "pk", None) != department.parent_id)
    department.name, department.parent, department.phone = name.strip(), parent, phone.strip()
    if moving:
        department.sort_order = _last_sort_order(Department.objects.filter(unit=department.unit_id, parent=parent))
    _clean_department(department)
    department.save()
    changes = audit.diff(department, before, fields)
    if changes:
        audit.record(actor=actor, action="directory.department.move" if moving else "directory.department.update",
                     obj=department, unit=department.unit,
                     summary=_("Changed department %(name)s") % {"name": department.name}, changes=changes)
    return department


@transaction.atomic
def move_department(*, actor, department: Department, parent: Department | None) -> Department:
    """Place a department under another parent (or at the top) in the same unit; cycles are refused."""
    return update_department(actor=actor, department=department, name=department.name, parent=parent,
                             phone=department.phone)


@transaction.atomic
def reorder_department(*, actor, department: Department, direction: str) -> Department:
    """Move a department one place up or down among its siblings."""
    _require_unit_admin(actor, department.unit)
    siblings = list(Department.objects.select_for_update().filter(unit=department.unit_id,
                                                                  parent=department.parent_id))
    items = _moved(siblings, department, direction)
    if items:
        Department.objects.bulk_update(items, ["sort_order"])
        audit.record(actor=actor, action="directory.department.reorder", obj=department, unit=department.unit,
                     summary=_("Moved department %(name)s") % {"name": department.name},
                     changes={"order": [each.name for each in items]})
    return department


@transaction.atomic
def delete_department(*, actor, department: Department) -> None:
    """Delete a department that has no sub-departments and nobody working in it."""
    _require_unit_admin(actor, department.unit)
    if department.children.exists():
        raise ValidationError(_("%(name)s still has sub-departments: move or delete them first.")
                              % {"name": department.name})
    people = Membership.objects.filter(department=department, is_active=True).count()
    if people:
        raise ValidationError(_("%(count)d people still work in %(name)s: move them to another department "
                                "first.") % {"count": people, "name": department.name})
    audit.record(actor=actor, action="directory.department.delete", obj=department, unit=department.unit,
                 summary=_("Deleted department %(name)s") % {"name": department.name})
    department.delete()


def suggest_username(name: str) -> str:
    """The pinyin username a new person would get (raises ValidationError for unknown characters)."""
    base = name_to_pinyin(name)
    taken = set(User.objects.filter(username__regex=rf"^{base}[0-9]*$").values_list("username", flat=True))
    return next_free_username(base, taken)


@transaction.atomic
def create_person(*, actor, unit: Unit, name: str, username: str = "", mobile: str = "", email: str = "",
                  department: Department | None = None, title: str = "", office_phone: str = "",
                  leader_order: int | None = None, sort_order: int = 100,
                  role_codes: Iterable[str] = (), password_hash: str = "") -> tuple[User, str]:
    """Create a person with their one account and a post in ``unit``; return (person, initial password).

    The username is the full pinyin of the name unless given (seed 004); the initial password is
    random, shown once, and must be changed at first sign-in (seed 001 第十五条). A caller that
    hashed a one-time password itself passes ``password_hash`` and gets "" back.
    """
    _require_unit_admin(actor, unit)
    name = name.strip()
    if not name:
        raise ValidationError({"name": [_("Enter the person's name.")]})
    if department is not None and department.unit_id != unit.pk:
        raise ValidationError({"department": _("The department belongs to another unit.")})
    try:
        username = username.strip().lower() or suggest_username(name)
    except ValidationError as exc:  # a character outside the pinyin tables: ask for a username
        raise ValidationError({"username": exc.messages}) from exc
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("The username %(username)s is taken.") % {"username": username}})
    user = User(username=username, name=name, initials=name_initials(name), mobile=mobile.strip(),
                email=email.strip(), must_change_password=True)
    if password_hash:  # hashed by the caller before its transaction (bulk import): Argon2 is slow
        password, user.password = "", password_hash
    else:
        password = generate_initial_password()
        user.set_password(password)
    _validated(user, exclude=["password"])
    user.save()
    membership = _validated(Membership(user=user, unit=unit, department=department, title=title.strip(),
                                       office_phone=office_phone.strip(), leader_order=leader_order,
                                       sort_order=sort_order, is_primary=True), exclude=["user"])
    membership.save()
    audit.record(actor=actor, action="directory.person.create", obj=user, unit=unit,
                 summary=_("Created account %(username)s for %(name)s") % {"username": username, "name": name},
                 changes={"department": getattr(department, "name", ""), "title": title})
    if role_codes:
        set_roles(actor=actor, user=user, unit=unit, role_codes=role_codes)
    return user, password


@transaction.atomic
def add_membership(*, actor, user: User, unit: Unit, department: Department | None = None, title: str = "",
                   leader_order: int | None = None, sort_order: int = 100) -> Membership:
    """Give an existing person a post in a second unit (one person, one account, two units)."""
    _require_unit_admin(actor, unit)
    if department is not None and department.unit_id != unit.pk:
        raise ValidationError({"department": _("The department belongs to another unit.")})
    user = User.objects.select_for_update().get(pk=user.pk)
    first_post = not Membership.objects.filter(user=user, is_active=True).exists()
    membership, created = Membership.objects.get_or_create(
        user=user, unit=unit,
        defaults={"department": department, "title": title, "leader_order": leader_order,
                  "sort_order": sort_order, "is_primary": first_post})
    if not created:
        if membership.is_active:
            raise ValidationError(_("%(name)s already has a post in %(unit)s.") % {"name": user.name, "unit": unit.name})
        membership.is_active = True
        membership.department, membership.title = department, title
        membership.leader_order, membership.sort_order = leader_order, sort_order
        membership.is_primary = first_post
        membership.save()
    if first_post:
        Membership.objects.filter(user=user).exclude(pk=membership.pk).update(is_primary=False)
    changes = {}
    if user.status == User.Status.LEFT:  # a person who had left takes up a post again: same account
        user.status = User.Status.ACTIVE
        user.save(update_fields=["status"])
        changes["status"] = [User.Status.LEFT, User.Status.ACTIVE]
    audit.record(actor=actor, action="directory.membership.add", obj=membership, unit=unit,
                 summary=_("%(name)s now serves in %(unit)s") % {"name": user.name, "unit": unit.name},
                 changes=changes)
    return membership


@transaction.atomic
def set_roles(*, actor, user: User, unit: Unit, role_codes: Iterable[str]) -> list[Role]:
    """Make ``user``'s roles in ``unit`` exactly ``role_codes`` (《公文流转角色添加记录表》)."""
    _require_unit_admin(actor, unit)
    codes = set(role_codes)
    wanted = list(Role.objects.filter(code__in=codes))
    unknown = codes - {role.code for role in wanted}
    if unknown:
        raise ValidationError(_("Unknown role: %(codes)s") % {"codes": "、".join(sorted(unknown))})
    allowed = set(selectors.roles_assignable_by(actor).values_list("code", flat=True)) if actor else codes
    current = set(RoleAssignment.objects.filter(user=user, unit=unit).values_list("role__code", flat=True))
    forbidden = (codes ^ current) - allowed
    if forbidden:
        raise DirectoryPermissionDenied(_("You may not give or take the role: %(codes)s")
                                        % {"codes": "、".join(sorted(forbidden))})
    if (actor is not None and getattr(actor, "pk", None) == user.pk and roles.UNIT_ADMIN in current - codes
            and not selectors.is_platform_operator(actor)):
        raise ValidationError(_("You cannot take away your own unit system administrator role: ask the "
                                "platform operator or another administrator."))
    if not Membership.objects.filter(user=user, unit=unit, is_active=True).exists():
        raise ValidationError(_("%(name)s has no post in %(unit)s.") % {"name": user.name, "unit": unit.name})
    RoleAssignment.objects.filter(user=user, unit=unit).exclude(role__code__in=codes).delete()
    for role in wanted:
        RoleAssignment.objects.get_or_create(user=user, unit=unit, role=role)
    if codes != current:
        audit.record(actor=actor, action="directory.roles.set", obj=user, unit=unit,
                     summary=_("Roles of %(name)s changed") % {"name": user.name},
                     changes={"roles": [sorted(current), sorted(codes)]})
    return wanted


@transaction.atomic
def reset_password(*, actor, user: User, unit: Unit) -> str:
    """Give a person a new one-time password (seed 001 第十五条: 恢复初始密码); ends their sessions."""
    _require_unit_admin(actor, unit)
    # An active post only: the admin of a unit the person has left may not take over their account.
    if not Membership.objects.filter(user=user, unit=unit, is_active=True).exists():
        raise DirectoryPermissionDenied(_("You may only manage the directory of your own unit."))
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.status == User.Status.LEFT:
        raise ValidationError(_("The account of %(name)s is disabled.") % {"name": user.name})
    from zhengtong.accounts.services import remember_current_password

    password = generate_initial_password()
    remember_current_password(user=user)  # so the reset cannot bring an old password back
    user.set_password(password)
    user.must_change_password = True
    user.failed_sign_ins = 0
    user.locked_until = None
    if user.status == User.Status.LOCKED:
        user.status = User.Status.ACTIVE
    user.session_generation += 1
    user.save()
    audit.record(actor=actor, action="directory.person.reset_password", obj=user, unit=unit,
                 summary=_("Reset the password of %(username)s") % {"username": user.username})
    return password


@transaction.atomic
def update_own_contact(*, actor: User, mobile: str, email: str) -> User:
    """A person keeps their own mobile number and e-mail up to date (seed 001 第十六条)."""
    user = User.objects.select_for_update().get(pk=actor.pk)
    before = {"mobile": user.mobile, "email": user.email}
    user.mobile, user.email = mobile.strip(), email.strip()
    _validated(user, exclude=["password"])
    user.save(update_fields=["mobile", "email"])
    changes = {key: [before[key], getattr(user, key)] for key in before if before[key] != getattr(user, key)}
    if changes:
        audit.record(actor=actor, action="directory.person.update_contact", obj=user,
                     summary=_("Updated own contact details"), changes=changes)
    return user


# --- People and their posts ---------------------------------------------------------------------

_ACCOUNT_FIELDS = ["name", "mobile", "email"]
_POST_FIELDS = ["department", "title", "office_phone", "sort_order", "leader_order"]


def _active_post(user: User, unit: Unit) -> Membership:
    post = Membership.objects.select_for_update().filter(user=user, unit=unit, is_active=True).first()
    if post is None:
        raise DirectoryPermissionDenied(_("You may only manage the directory of your own unit."))
    return post


def may_edit_account(actor, user: User, unit: Unit) -> bool:
    """The name, mobile and e-mail of an account belong to the person's primary unit (or the operator)."""
    if actor is None or selectors.is_platform_operator(actor):
        return True
    return Membership.objects.filter(user=user, unit=unit, is_active=True, is_primary=True).exists()


@transaction.atomic
def update_person(*, actor, unit: Unit, user: User, name: str, mobile: str = "", email: str = "",
                  department: Department | None = None, title: str = "", office_phone: str = "",
                  sort_order: int = 100, leader_order: int | None = None) -> Membership:
    """Change a person's details and their post in ``unit`` (seed 004 八.二: 排列顺序、领导排序).

    Name, mobile and e-mail belong to the account and are kept by the person's primary unit; the
    department, title, office phone and orders belong to the post in ``unit``.
    """
    _require_unit_admin(actor, unit)
    post = _active_post(user, unit)
    user = User.objects.select_for_update().get(pk=user.pk)
    if department is not None and department.unit_id != unit.pk:
        raise ValidationError({"department": [_("The department belongs to another unit.")]})
    account_before = audit.snapshot(user, _ACCOUNT_FIELDS)
    post_before = audit.snapshot(post, _POST_FIELDS)
    user.name, user.mobile, user.email = name.strip(), mobile.strip(), email.strip()
    account_changes = audit.diff(user, account_before, _ACCOUNT_FIELDS)
    if account_changes and not may_edit_account(actor, user, unit):
        raise DirectoryPermissionDenied(_("The name, mobile number and e-mail of %(name)s are kept by their "
                                          "primary unit.") % {"name": account_before["name"]})
    if not user.name:
        raise ValidationError({"name": [_("Enter the person's name.")]})
    user.initials = name_initials(user.name)
    post.department, post.title, post.office_phone = department, title.strip(), office_phone.strip()
    post.sort_order, post.leader_order = sort_order, leader_order
    errors: dict = {}
    for instance, exclude in ((user, ["password"]), (post, ["user"])):
        try:
            instance.full_clean(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    user.save(update_fields=["name", "initials", "mobile", "email"])
    post.save()
    changes = {**account_changes, **audit.diff(post, post_before, _POST_FIELDS)}
    if changes:
        audit.record(actor=actor, action="directory.person.update", obj=user, unit=unit,
                     summary=_("Changed the details of %(name)s") % {"name": user.name}, changes=changes)
    return post


@transaction.atomic
def set_person_status(*, actor, unit: Unit, user: User, status: str) -> User:
    """Make a person active, locked or left (seed 004 八.二: 锁定).

    Locking ends their sessions at once. "Left" ends their post in ``unit`` with its roles and
    group memberships; the account is disabled when it has no other active post. Making a person
    active again unlocks the account and restores their post here.
    """
    _require_unit_admin(actor, unit)
    if status not in User.Status.values:
        raise ValidationError({"status": [_("Choose a valid status.")]})
    if actor is not None and getattr(actor, "pk", None) == user.pk:
        raise ValidationError(_("You cannot change the status of your own account."))
    post = Membership.objects.select_for_update().filter(user=user, unit=unit).first()
    if post is None:
        raise DirectoryPermissionDenied(_("You may only manage the directory of your own unit."))
    user = User.objects.select_for_update().get(pk=user.pk)
    if not post.is_active and status != User.Status.ACTIVE:
        raise DirectoryPermissionDenied(_("You may only manage the directory of your own unit."))
    before = {"status": user.status, "post_active": post.is_active}
    if status == User.Status.LOCKED:
        user.status = User.Status.LOCKED
        user.session_generation += 1
    elif status == User.Status.ACTIVE:
        user.status, user.locked_until, user.failed_sign_ins = User.Status.ACTIVE, None, 0
        if not post.is_active:
            post.is_active = True
            post.is_primary = not Membership.objects.filter(user=user, is_active=True).exists()
            post.save(update_fields=["is_active", "is_primary"])
    else:
        _end_post(post)
        if not Membership.objects.filter(user=user, is_active=True, unit__status=Unit.Status.ACTIVE).exists():
            user.status = User.Status.LEFT
            user.session_generation += 1
    user.save(update_fields=["status", "locked_until", "failed_sign_ins", "session_generation"])
    after = {"status": user.status, "post_active": post.is_active}
    if after != before:
        audit.record(actor=actor, action=f"directory.person.status_{status}", obj=user, unit=unit,
                     summary=_("Status of %(name)s set to %(status)s")
                     % {"name": user.name, "status": User.Status(status).label},
                     changes={key: [before[key], after[key]] for key in before if before[key] != after[key]})
    return user


def _end_post(post: Membership) -> None:
    """End a post: its roles and the unit's group memberships go with it."""
    post.is_active = False
    post.save(update_fields=["is_active"])
    RoleAssignment.objects.filter(user=post.user_id, unit=post.unit_id).delete()
    for group in UserGroup.objects.filter(unit=post.unit_id, members=post.user_id):
        group.members.remove(post.user_id)
    if post.is_primary:
        _set_primary_elsewhere(post.user)


@transaction.atomic
def remove_membership(*, actor, unit: Unit, user: User) -> None:
    """Remove a person's post in ``unit`` while they keep their other posts (一人多岗)."""
    _require_unit_admin(actor, unit)
    post = _active_post(user, unit)
    if not Membership.objects.filter(user=user, is_active=True, unit__status=Unit.Status.ACTIVE).exclude(
            pk=post.pk).exists():
        raise ValidationError(_("This is the only post of %(name)s: set their status to left instead.")
                              % {"name": user.name})
    _end_post(post)
    audit.record(actor=actor, action="directory.membership.remove", obj=post, unit=unit,
                 summary=_("%(name)s no longer serves in %(unit)s") % {"name": user.name, "unit": unit.name})


# --- User groups (OA 用户组, seed 004 八.三) -----------------------------------------------------

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
