"""Reads of the directory, scoped to the person asking."""

from __future__ import annotations

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from zhengtong.directory import roles
from zhengtong.directory.models import (Department, Membership, Role, RoleAssignment, Unit, UnitCategory,
                                       User, UserGroup)

# Leaders by their order, then everyone else: NULLs sort first on SQLite and last on PostgreSQL.
LEADERS_FIRST = F("leader_order").asc(nulls_last=True)


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
    """Active units whose directory the person may manage: all for an operator, else where unit admin.

    Nobody manages a dissolved or merged unit: its directory is closed (seed 001 第九条).
    """
    if not getattr(user, "is_authenticated", False):
        return Unit.objects.none()
    if is_platform_operator(user):
        return Unit.objects.filter(status=Unit.Status.ACTIVE)
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
    return qs.order_by("unit__category__sort_order", "unit__sort_order", LEADERS_FIRST, "sort_order")[:limit]


# --- Management screens ------------------------------------------------------------------------

def may_use_directory_admin(user) -> bool:
    """Whether the person sees the directory management pages at all (operators and unit admins)."""
    return units_administered_by(user).exists()


def require_operator(user) -> None:
    """404 unless the person is a platform operator (the operator's pages do not exist for others)."""
    if not is_platform_operator(user):
        raise Http404


def unit_for_operator(user, pk: int) -> Unit:
    """Any unit, active or ended, for the platform operator; 404 for everybody else."""
    require_operator(user)
    return get_object_or_404(Unit.objects.select_related("category", "parent", "successor"), pk=pk)


def _with_counts(qs: QuerySet[Unit]) -> QuerySet[Unit]:
    return qs.annotate(
        people_count=Count("memberships", filter=Q(memberships__is_active=True), distinct=True),
        department_count=Count("departments", distinct=True),
    )


def unit_tree_for_operator(user) -> list[dict]:
    """Active units grouped by category, each group a tree by parent, with people and department counts.

    Returns ``[{"category": UnitCategory, "nodes": [(unit, children_nodes), …], "count": n}]``.
    """
    require_operator(user)
    units = list(_with_counts(Unit.objects.filter(status=Unit.Status.ACTIVE).select_related("category"))
                 .order_by("sort_order", "id"))
    groups = []
    for category in UnitCategory.objects.all():
        members = [unit for unit in units if unit.category_id == category.pk]
        ids = {unit.pk for unit in members}
        groups.append({"category": category, "count": len(members),
                       "nodes": _tree(members, lambda unit: unit.parent_id if unit.parent_id in ids else None)})
    return groups


def ended_units_for_operator(user) -> QuerySet[Unit]:
    """Dissolved and merged units, most recently ended first."""
    require_operator(user)
    return (Unit.objects.exclude(status=Unit.Status.ACTIVE).select_related("category", "successor")
            .order_by("-ended_at", "-id"))


def active_units_for_operator(user) -> QuerySet[Unit]:
    require_operator(user)
    return Unit.objects.filter(status=Unit.Status.ACTIVE).select_related("category")


def categories_for_operator(user) -> QuerySet[UnitCategory]:
    require_operator(user)
    return UnitCategory.objects.annotate(unit_count=Count("units", filter=Q(units__status=Unit.Status.ACTIVE)))


def category_for_operator(user, pk: int) -> UnitCategory:
    require_operator(user)
    return get_object_or_404(UnitCategory, pk=pk)


def unit_name_history(unit: Unit):
    """The unit's former names (曾用名), newest first."""
    return unit.name_changes.select_related("changed_by")


def _tree(items: list, parent_of) -> list[tuple]:
    """Nest ``items`` into [(item, [children…]), …] keeping their order; ``parent_of`` gives a parent id."""
    children: dict = {}
    for item in items:
        children.setdefault(parent_of(item), []).append(item)

    def build(parent_id, seen: frozenset):
        return [(item, build(item.pk, seen | {item.pk})) for item in children.get(parent_id, [])
                if item.pk not in seen]

    return build(None, frozenset())


def department_tree(unit: Unit) -> list[tuple]:
    """The unit's departments (科室) as a tree, with the number of active posts in each."""
    departments = list(Department.objects.filter(unit=unit).annotate(
        people_count=Count("memberships", filter=Q(memberships__is_active=True, memberships__unit=unit))))
    return _tree(departments, lambda department: department.parent_id)


def flat_department_tree(unit: Unit) -> list[tuple[Department, int]]:
    """The department tree flattened in display order as (department, depth) pairs (for select lists)."""
    flat: list[tuple[Department, int]] = []

    def walk(nodes, depth):
        for department, children in nodes:
            flat.append((department, depth))
            walk(children, depth + 1)

    walk(department_tree(unit), 0)
    return flat


def managed_department_for(user, unit: Unit, pk: int) -> Department:
    """A department of a unit the person manages, or 404."""
    if not can_manage_unit(user, unit):
        raise Http404
    return get_object_or_404(Department.objects.filter(unit=unit), pk=pk)


def descendant_ids(department: Department) -> set[int]:
    """The ids of every department below ``department`` (not including itself)."""
    pairs = list(Department.objects.filter(unit_id=department.unit_id).values_list("id", "parent_id"))
    found: set[int] = set()
    frontier = {department.pk}
    while frontier:
        frontier = {pk for pk, parent in pairs if parent in frontier and pk not in found}
        found |= frontier
    return found


class PersonStatus:
    """Status filters of the people list: the account's status, and 'left' for posts that ended."""

    ACTIVE, LOCKED, LEFT = "active", "locked", "left"


def posts_in_unit(unit: Unit, *, query: str = "", department: Department | None = None,
                  status: str = "") -> QuerySet[Membership]:
    """The people list of a unit (one row per post): search by name, username or pinyin initials.

    ``status`` filters by active, locked (account locked) or left (post ended or account disabled);
    without it, people who have left are hidden. ``department`` includes its sub-departments.
    """
    qs = Membership.objects.filter(unit=unit).select_related("user", "department")
    if status == PersonStatus.ACTIVE:
        qs = qs.filter(is_active=True, user__status=User.Status.ACTIVE)
    elif status == PersonStatus.LOCKED:
        qs = qs.filter(is_active=True, user__status=User.Status.LOCKED)
    elif status == PersonStatus.LEFT:
        qs = qs.filter(Q(is_active=False) | Q(user__status=User.Status.LEFT))
    else:
        qs = qs.filter(is_active=True).exclude(user__status=User.Status.LEFT)
    if department is not None:
        qs = qs.filter(department_id__in={department.pk} | descendant_ids(department))
    query = (query or "").strip()
    if query:
        lowered = query.lower()
        qs = qs.filter(Q(user__name__icontains=query) | Q(user__username__startswith=lowered)
                       | Q(user__initials__startswith=lowered) | Q(user__mobile__startswith=query))
    return qs.order_by(LEADERS_FIRST, "sort_order", "user__username")


def managed_post_for(user, unit: Unit, person_pk: int) -> Membership:
    """A person's post in a unit the actor manages (active or ended), or 404."""
    if not can_manage_unit(user, unit):
        raise Http404
    return get_object_or_404(Membership.objects.filter(unit=unit).select_related("user", "department"),
                             user_id=person_pk)


def other_posts_of(person: User, unit: Unit) -> QuerySet[Membership]:
    """The person's active posts in other units (one person, one account, several posts)."""
    return (Membership.objects.filter(user=person, is_active=True).exclude(unit=unit)
            .select_related("unit", "department"))


def person_to_add(user, unit: Unit, username: str) -> User | None:
    """Find an existing account by its exact username, to give it a post in ``unit`` (or None)."""
    if not can_manage_unit(user, unit):
        raise Http404
    username = (username or "").strip().lower()
    if not username:
        return None
    return User.objects.filter(username=username).prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.filter(is_active=True).select_related("unit"),
                 to_attr="active_posts")).first()


def groups_of(unit: Unit) -> QuerySet[UserGroup]:
    return UserGroup.objects.filter(unit=unit).annotate(member_count=Count("members", distinct=True))


def managed_group_for(user, unit: Unit, pk: int) -> UserGroup:
    """A user group of a unit the person manages, or 404."""
    if not can_manage_unit(user, unit):
        raise Http404
    return get_object_or_404(UserGroup.objects.filter(unit=unit), pk=pk)


def unit_roles_table(unit: Unit) -> list[dict]:
    """Who holds which role in the unit (《公文流转角色添加记录表》), role by role."""
    assignments = (RoleAssignment.objects.filter(unit=unit, user__memberships__unit=unit,
                                                 user__memberships__is_active=True)
                   .select_related("role", "user").order_by("role__sort_order", "user__username"))
    table: dict[int, dict] = {}
    for assignment in assignments:
        row = table.setdefault(assignment.role_id, {"role": assignment.role, "people": []})
        row["people"].append(assignment.user)
    return list(table.values())


def directory_totals(user) -> dict[str, int]:
    """Figures for the operator's unit page: active units, people serving, ended units."""
    require_operator(user)
    return {
        "units": Unit.objects.filter(status=Unit.Status.ACTIVE).count(),
        "ended": Unit.objects.exclude(status=Unit.Status.ACTIVE).count(),
        "people": User.objects.filter(memberships__is_active=True,
                                      memberships__unit__status=Unit.Status.ACTIVE).distinct().count(),
    }


def unit_admins_of(unit: Unit) -> QuerySet[User]:
    """The unit's system administrators (单位系统管理员)."""
    return User.objects.filter(role_assignments__unit=unit, role_assignments__role__code=roles.UNIT_ADMIN,
                               memberships__unit=unit, memberships__is_active=True).distinct()


def role_names_by_person(unit: Unit, user_ids) -> dict[int, list[str]]:
    """{person id: [role names in the unit]} for a page of the people list."""
    names: dict[int, list[str]] = {}
    for user_id, name in (RoleAssignment.objects.filter(unit=unit, user_id__in=list(user_ids))
                          .order_by("role__sort_order").values_list("user_id", "role__name")):
        names.setdefault(user_id, []).append(name)
    return names


def role_codes_of(person: User, unit: Unit) -> set[str]:
    return set(RoleAssignment.objects.filter(user=person, unit=unit).values_list("role__code", flat=True))


def roles_overview(unit: Unit) -> list[dict]:
    """Every unit role (and any platform role held here) with the people who hold it in the unit."""
    table = {row["role"].pk: row for row in unit_roles_table(unit)}
    return [table.get(role.pk, {"role": role, "people": []}) for role in Role.objects.all()
            if role.pk in table or role.scope == Role.Scope.UNIT]
