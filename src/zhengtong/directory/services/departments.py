"""Departments (科室) of a unit: create, update, move, reorder and delete."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zhengtong.audit import services as audit
from zhengtong.directory import selectors
from zhengtong.directory.models import Department, Membership, Unit
from zhengtong.directory.services._common import _last_sort_order, _moved, _require_unit_admin


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
