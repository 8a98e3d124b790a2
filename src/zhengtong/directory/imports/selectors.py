"""Reads of people imports, scoped to the person asking: a missing right looks like 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from zhengtong.directory import selectors
from zhengtong.directory.imports.models import PeopleImport
from zhengtong.directory.models import Unit


def imports_of(unit: Unit) -> QuerySet[PeopleImport]:
    return PeopleImport.objects.filter(unit=unit).select_related("created_by", "confirmed_by")


def people_import_for(user, *, unit_id: int, pk: int) -> PeopleImport:
    """An import of a unit the person administers (the operator: any unit), or 404."""
    unit = selectors.managed_unit_for(user, unit_id)
    return get_object_or_404(imports_of(unit).select_related("unit"), pk=pk)


def default_unit_for_import(user, current_unit: Unit | None) -> Unit | None:
    """The unit the import pages open with: the one being worked in, if administered, else the first."""
    units = selectors.units_administered_by(user).filter(status=Unit.Status.ACTIVE)
    if current_unit is not None and units.filter(pk=current_unit.pk).exists():
        return current_unit
    return units.first()
