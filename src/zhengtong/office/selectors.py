"""Reads for the office portal: the address book (通讯录) and a person's own posts.

The address book covers every active unit of the district: it is the civil servants' shared
phone book. Dissolved or merged units and people who have left are never listed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet
from django.shortcuts import get_object_or_404

from zhengtong.directory.models import Department, Membership, RoleAssignment, Unit, UnitCategory, User
from zhengtong.directory.selectors import search_people

#: People shown in one search; a longer list means the query should be more precise.
SEARCH_LIMIT = 50
_LISTED_PEOPLE = Q(memberships__is_active=True) & ~Q(memberships__user__status=User.Status.LEFT)


def _listed_posts() -> QuerySet[Membership]:
    """Active posts of people who have not left, in active units."""
    return (Membership.objects.filter(is_active=True, unit__status=Unit.Status.ACTIVE)
            .exclude(user__status=User.Status.LEFT)
            .select_related("user", "unit", "department"))


def _leaders_first(qs: QuerySet[Membership]) -> QuerySet[Membership]:
    """Leaders by their leader order, then everyone else by sort order (NULLs last on every database)."""
    return qs.order_by(F("leader_order").asc(nulls_last=True), "sort_order", "user__username")


@dataclass
class DepartmentNode:
    department: Department
    children: list[DepartmentNode] = field(default_factory=list)


@dataclass
class UnitNode:
    unit: Unit
    people: int
    departments: list[DepartmentNode] = field(default_factory=list)
    children: list[UnitNode] = field(default_factory=list)


@dataclass
class CategoryNode:
    category: UnitCategory
    units: list[UnitNode] = field(default_factory=list)


def address_book_tree() -> list[CategoryNode]:
    """Categories → active units (sub-units under their parent) → departments as a tree."""
    units = list(Unit.objects.filter(status=Unit.Status.ACTIVE).select_related("category")
                 .annotate(people=Count("memberships__user", filter=_LISTED_PEOPLE, distinct=True))
                 .order_by("category__sort_order", "sort_order", "id"))
    departments = list(Department.objects.filter(unit__status=Unit.Status.ACTIVE).order_by("sort_order", "id"))
    by_parent: dict[tuple[int, int | None], list[Department]] = {}
    for department in departments:
        by_parent.setdefault((department.unit_id, department.parent_id), []).append(department)

    def department_nodes(unit_id: int, parent_id: int | None, seen: frozenset) -> list[DepartmentNode]:
        return [DepartmentNode(d, department_nodes(unit_id, d.pk, seen | {d.pk}))
                for d in by_parent.get((unit_id, parent_id), []) if d.pk not in seen]

    nodes = {unit.pk: UnitNode(unit, unit.people, department_nodes(unit.pk, None, frozenset())) for unit in units}
    categories: dict[int, CategoryNode] = {}
    for unit in units:
        node = nodes[unit.pk]
        parent = nodes.get(unit.parent_id)
        if parent is not None and parent.unit.category_id == unit.category_id:
            parent.children.append(node)
        else:
            categories.setdefault(unit.category_id, CategoryNode(unit.category)).units.append(node)
    return list(categories.values())


def address_book_unit(pk) -> Unit:
    """An active unit, or 404."""
    return get_object_or_404(Unit.objects.filter(status=Unit.Status.ACTIVE), pk=pk)


def address_book_department(unit: Unit, pk) -> Department:
    """A department of ``unit``, or 404."""
    return get_object_or_404(Department.objects.filter(unit=unit), pk=pk)


def _descendant_ids(department: Department) -> set[int]:
    pairs = list(Department.objects.filter(unit_id=department.unit_id).values_list("id", "parent_id"))
    found = {department.pk}
    frontier = {department.pk}
    while frontier:
        frontier = {pk for pk, parent in pairs if parent in frontier and pk not in found}
        found |= frontier
    return found


def address_book_people(*, unit: Unit, department: Department | None = None) -> QuerySet[Membership]:
    """The people of a unit (or of a department and its sub-departments), leaders first."""
    qs = _listed_posts().filter(unit=unit)
    if department is not None:
        qs = qs.filter(department_id__in=_descendant_ids(department))
    return _leaders_first(qs)


def address_book_search(query: str, *, limit: int = SEARCH_LIMIT) -> list[Membership]:
    """Search every active unit by name, username, pinyin initials (张三 → zs) or mobile prefix."""
    query = (query or "").strip()
    if not query:
        return []
    return list(search_people(query, limit=limit))  # ordered by unit, then leaders first


def address_book_person(pk) -> tuple[User, list[Membership]]:
    """A person who has not left, with their active posts in active units; else 404."""
    posts = list(_listed_posts().filter(user_id=pk).order_by("-is_primary", "unit__sort_order"))
    if not posts:
        from django.http import Http404

        raise Http404
    return posts[0].user, posts


@dataclass
class Post:
    """One of the person's own posts with the roles they hold there."""

    membership: Membership
    roles: list[str]

    @property
    def unit(self) -> Unit:
        return self.membership.unit


def posts_of(user) -> list[Post]:
    """The person's active posts (unit, department, title) and their roles in each unit."""
    memberships = list(Membership.objects.filter(user=user, is_active=True, unit__status=Unit.Status.ACTIVE)
                       .select_related("unit", "department").order_by("-is_primary", "unit__sort_order"))
    roles: dict[int, list[str]] = {}
    for assignment in (RoleAssignment.objects.filter(user=user, unit__in=[m.unit for m in memberships])
                       .select_related("role").order_by("role__sort_order")):
        roles.setdefault(assignment.unit_id, []).append(assignment.role.name)
    return [Post(m, roles.get(m.unit_id, [])) for m in memberships]
