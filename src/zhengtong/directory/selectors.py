"""Reads of the directory, scoped to the person asking."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from zhengtong.directory import roles
from zhengtong.directory.models import Department, Membership, Role, RoleAssignment, Unit, User


def is_platform_operator(user) -> bool:
    """Platform operators (政务信息中心) run the whole platform; superusers count as operators."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return RoleAssignment.objects.filter(user=user, role__code=roles.PLATFORM_OPERATOR,
                                         unit__status=Unit.Status.ACTIVE).exists()


def has_role(user, unit, code: str) -> bool:
    if not getattr(user, "is_authenticated", False) or unit is None:
        return False
    return RoleAssignment.objects.filter(user=user, unit=unit, role__code=code).exists()


def role_codes_in(user, unit) -> set[str]:
    if not getattr(user, "is_authenticated", False) or unit is None:
        return set()
    return set(RoleAssignment.objects.filter(user=user, unit=unit).values_list("role__code", flat=True))


def units_of(user) -> QuerySet[Unit]:
    """The active units where the person holds an active post, primary first."""
    return (Unit.objects.filter(memberships__user=user, memberships__is_active=True, status=Unit.Status.ACTIVE)
            .order_by("-memberships__is_primary", "category__sort_order", "sort_order", "id").distinct())


def units_administered_by(user) -> QuerySet[Unit]:
    """Units whose directory the person may manage: all for an operator, else where unit admin."""
    if is_platform_operator(user):
        return Unit.objects.all()
    return Unit.objects.filter(role_assignments__user=user, role_assignments__role__code=roles.UNIT_ADMIN,
                               status=Unit.Status.ACTIVE).distinct()


def can_manage_unit(user, unit: Unit) -> bool:
    return units_administered_by(user).filter(pk=unit.pk).exists()


def managed_unit_for(user, pk: int) -> Unit:
    """A unit the person may manage, or 404 (a missing right looks like a missing page)."""
    return get_object_or_404(units_administered_by(user), pk=pk)


def people_in_unit(unit: Unit, *, include_inactive: bool = False) -> QuerySet[User]:
    memberships = Membership.objects.filter(unit=unit)
    if not include_inactive:
        memberships = memberships.filter(is_active=True)
    return User.objects.filter(memberships__in=memberships).distinct()


def managed_person_for(user, unit: Unit, pk: int) -> User:
    """A person with a post in a unit the actor manages, or 404."""
    if not can_manage_unit(user, unit):
        from django.http import Http404

        raise Http404
    return get_object_or_404(people_in_unit(unit, include_inactive=True), pk=pk)


def departments_of(unit: Unit) -> QuerySet[Department]:
    return Department.objects.filter(unit=unit).select_related("parent")


def roles_assignable_by(user) -> QuerySet[Role]:
    """Unit admins give unit roles; only platform operators give platform roles."""
    qs = Role.objects.all()
    if not is_platform_operator(user):
        qs = qs.filter(scope=Role.Scope.UNIT)
    return qs


def search_people(query: str, *, unit: Unit | None = None, limit: int = 50) -> QuerySet[Membership]:
    """Address-book search (通讯录) by name, username or pinyin initials, over active posts."""
    qs = (Membership.objects.filter(is_active=True, unit__status=Unit.Status.ACTIVE,
                                    user__status__in=[User.Status.ACTIVE, User.Status.LOCKED])
          .select_related("user", "unit", "department"))
    if unit is not None:
        qs = qs.filter(unit=unit)
    query = (query or "").strip()
    if query:
        lowered = query.lower()
        qs = qs.filter(Q(user__name__icontains=query) | Q(user__username__startswith=lowered)
                       | Q(user__initials__startswith=lowered) | Q(user__mobile__startswith=query))
    return qs.order_by("unit__category__sort_order", "unit__sort_order", "leader_order", "sort_order")[:limit]
