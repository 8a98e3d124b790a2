"""Reads of the exchange app, scoped to the person asking; a missing right looks like 404.

The inbox (待收) is read through the ``exchange_inbox`` index (unit, status, -delivered_at): every
list is paginated by slicing one row past the page, never by counting the whole table.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from zhengtong.directory import roles
from zhengtong.directory import selectors as directory_selectors
from zhengtong.directory.models import RoleAssignment, Unit, UnitCategory, User
from zhengtong.exchange.models import Delivery, Dispatch, ExchangeSettings, RecipientGroup

SENDER_ROLES = {roles.CLERK, roles.SEAL_KEEPER}
TRACKER_ROLES = {roles.CLERK, roles.SEAL_KEEPER, roles.UNIT_ADMIN, roles.PRINCIPAL_LEADER, roles.DEPUTY_LEADER}
URGENT = ("urgent", "very_urgent")
PAGE_SIZE = 30


# --- rights -----------------------------------------------------------------------------------

def _active(unit) -> bool:
    return unit is not None and getattr(unit, "status", None) == Unit.Status.ACTIVE


def may_send(user, unit) -> bool:
    """The clerk (交换员) or the seal keeper of an active unit sends its sealed documents (第二十九条)."""
    return _active(unit) and bool(directory_selectors.role_codes_in(user, unit) & SENDER_ROLES)


def may_receive(user, unit) -> bool:
    """Only the unit's clerks (收发员/交换员) receive its deliveries (seed 000 专(兼)职接收人员)."""
    return _active(unit) and directory_selectors.has_role(user, unit, roles.CLERK)


def may_track(user, unit) -> bool:
    """Clerks, seal keepers, the unit admin and the leaders follow what their unit sent."""
    return unit is not None and bool(directory_selectors.role_codes_in(user, unit) & TRACKER_ROLES)


def is_operator(user) -> bool:
    return directory_selectors.is_platform_operator(user)


def may_use_exchange(user, unit) -> bool:
    """Who sees the 公文交换 entry: the unit's clerks, seal keepers, admins and leaders, and operators."""
    return may_track(user, unit) or is_operator(user)


def clerk_units(user) -> QuerySet[Unit]:
    """Active units where the person is a clerk."""
    if not getattr(user, "is_authenticated", False):
        return Unit.objects.none()
    return Unit.objects.filter(role_assignments__user=user, role_assignments__role__code=roles.CLERK,
                               status=Unit.Status.ACTIVE).distinct()


def clerks_of(unit_ids) -> QuerySet[User]:
    """The active clerks of the units (the people notified about deliveries)."""
    user_ids = RoleAssignment.objects.filter(unit_id__in=list(unit_ids), role__code=roles.CLERK).values("user_id")
    return User.objects.filter(pk__in=user_ids, status=User.Status.ACTIVE)


def senders_of(dispatch: Dispatch) -> QuerySet[User]:
    """Who hears about receipts of a dispatch: the sender and the sending unit's clerks."""
    user_ids = RoleAssignment.objects.filter(unit_id=dispatch.sender_unit_id, role__code=roles.CLERK).values("user_id")
    return User.objects.filter(Q(pk__in=user_ids) | Q(pk=dispatch.sent_by_id), status=User.Status.ACTIVE)


# --- inbox ------------------------------------------------------------------------------------

def _priority():
    """特急 first, then 加急, then notices (10-minute rule), then everything else."""
    return Case(When(dispatch__urgency="very_urgent", then=Value(0)),
                When(dispatch__urgency="urgent", then=Value(1)),
                When(dispatch__category=Dispatch.Category.NOTICE, then=Value(2)),
                default=Value(3), output_field=IntegerField())


# Beyond this many waiting items the inbox is read in index order (oldest first) instead of sorted by
# urgency: sorting would have to read every waiting row of the unit.
PRIORITY_SORT_LIMIT = 5000


def inbox(user, unit, *, status: str = Delivery.Status.PENDING, q: str = "",
          prioritise: bool = True) -> QuerySet[Delivery]:
    """The unit's deliveries in one state, for its clerks (else nothing).

    待收 (pending): most urgent first, then the longest waiting (with ``prioritise``; else oldest
    first straight from the index); the other lists newest first.
    """
    if not may_receive(user, unit):
        return Delivery.objects.none()
    rows = (Delivery.objects.filter(unit=unit, status=status)
            .select_related("dispatch", "dispatch__sender_unit", "signed_by", "returned_by"))
    q = (q or "").strip()
    if q:
        rows = rows.filter(Q(dispatch__title__icontains=q) | Q(dispatch__number__icontains=q)
                           | Q(dispatch__sender_unit__name__icontains=q))
    if status == Delivery.Status.PENDING:
        if not prioritise:
            return rows.order_by("delivered_at", "pk")
        return rows.annotate(priority=_priority()).order_by("priority", "delivered_at", "pk")
    return rows.order_by("-delivered_at", "-pk")


def pending_count(unit) -> int:
    """Items waiting for the unit (an index-only count of one unit's pending rows)."""
    return Delivery.objects.filter(unit=unit, status=Delivery.Status.PENDING).count()


@dataclass
class Page:
    rows: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def page_of(rows: QuerySet, number, size: int = PAGE_SIZE) -> Page:
    """One page by slicing one row past it: no COUNT(*) over a large table."""
    try:
        number = max(1, int(number or 1))
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * size
    found = list(rows[start:start + size + 1])
    return Page(rows=found[:size], number=number, has_next=len(found) > size)


def delivery_for(user, pk) -> Delivery:
    """A delivery to one of the person's units where they are a clerk, or 404."""
    units = clerk_units(user)
    return get_object_or_404(
        Delivery.objects.select_related("dispatch", "dispatch__sender_unit", "dispatch__sent_by", "unit",
                                        "opened_by", "checked_by", "signed_by", "returned_by",
                                        "incoming_document", "moved_from"),
        pk=pk, unit__in=units)


# --- sending side -----------------------------------------------------------------------------

def sent_by_unit(unit) -> QuerySet[Dispatch]:
    """The unit's dispatches, newest first (through the exchange_dispatch_sender index)."""
    return Dispatch.objects.filter(sender_unit=unit).select_related("sent_by", "document").order_by("-sent_at", "-pk")


def with_receipt_counts(dispatches: list[Dispatch], now: datetime.datetime | None = None) -> list[Dispatch]:
    """Add opened/signed/returned/overdue counts to one page of dispatches (one grouped query for the page)."""
    now = now or timezone.now()
    pending = Q(status=Delivery.Status.PENDING)
    overdue = pending & Q(due_at__lt=now) & (
        (Q(dispatch__category=Dispatch.Category.NOTICE) & Q(opened_at__isnull=True))
        | (~Q(dispatch__category=Dispatch.Category.NOTICE) & Q(received_at__isnull=True)))
    counts = {row["dispatch_id"]: row for row in (
        Delivery.objects.filter(dispatch_id__in=[d.pk for d in dispatches]).values("dispatch_id")
        .annotate(opened_count=Count("pk", filter=Q(opened_at__isnull=False)),
                  signed_count=Count("pk", filter=Q(status=Delivery.Status.SIGNED)),
                  returned_count=Count("pk", filter=Q(status=Delivery.Status.RETURNED)),
                  overdue_count=Count("pk", filter=overdue)).order_by())}
    for dispatch in dispatches:
        row = counts.get(dispatch.pk, {})
        for name in ("opened_count", "signed_count", "returned_count", "overdue_count"):
            setattr(dispatch, name, row.get(name, 0))
    return dispatches


def dispatch_for(user, pk) -> Dispatch:
    """A dispatch of a unit where the person is a clerk, seal keeper, unit admin or leader, or 404."""
    dispatch = get_object_or_404(Dispatch.objects.select_related("sender_unit", "sent_by", "document"), pk=pk)
    if not may_track(user, dispatch.sender_unit):
        raise Http404
    return dispatch


def deliveries_of(dispatch: Dispatch) -> QuerySet[Delivery]:
    """The receipts of one dispatch: 主送 first, in the directory's order of units."""
    return (dispatch.deliveries.select_related("unit", "opened_by", "checked_by", "signed_by", "returned_by",
                                               "moved_from")
            .annotate(role_order=Case(When(role=Delivery.Role.MAIN, then=Value(0)), default=Value(1),
                                      output_field=IntegerField()))
            .order_by("role_order", "unit__category__sort_order", "unit__sort_order", "unit_id"))


def is_overdue(delivery: Delivery, now: datetime.datetime | None = None) -> bool:
    """Still waiting after its due time (notices: unopened after 10 minutes; documents: not received)."""
    if delivery.status != Delivery.Status.PENDING:
        return False
    now = now or timezone.now()
    if delivery.dispatch.category == Dispatch.Category.NOTICE:
        return delivery.opened_at is None and delivery.due_at < now
    return delivery.received_at is None and delivery.signed_at is None and delivery.due_at < now


def tracking_summary(dispatch: Dispatch, deliveries: list[Delivery], now=None) -> dict:
    now = now or timezone.now()
    return {
        "total": len(deliveries),
        "opened": sum(1 for d in deliveries if d.opened_at),
        "signed": sum(1 for d in deliveries if d.status == Delivery.Status.SIGNED),
        "printed": sum(1 for d in deliveries if d.copies_printed),
        "returned": sum(1 for d in deliveries if d.status == Delivery.Status.RETURNED),
        "withdrawn": sum(1 for d in deliveries if d.status == Delivery.Status.WITHDRAWN),
        "overdue": sum(1 for d in deliveries if is_overdue(d, now)),
        "pending": sum(1 for d in deliveries if d.status == Delivery.Status.PENDING),
    }


# --- recipients ---------------------------------------------------------------------------------

def recipient_tree(exclude: Unit | None = None) -> list[dict]:
    """Active units by category, each as a tree by parent: [{"category", "units": [(unit, depth)]}]."""
    units = list(Unit.objects.filter(status=Unit.Status.ACTIVE).select_related("category")
                 .order_by("sort_order", "id"))
    if exclude is not None:
        units = [unit for unit in units if unit.pk != exclude.pk]
    groups = []
    for category in UnitCategory.objects.all():
        members = [unit for unit in units if unit.category_id == category.pk]
        if not members:
            continue
        ids = {unit.pk for unit in members}
        children: dict = {}
        for unit in members:
            children.setdefault(unit.parent_id if unit.parent_id in ids else None, []).append(unit)
        flat: list[tuple[Unit, int]] = []

        def walk(parent_id, depth, seen=frozenset()):
            for unit in children.get(parent_id, []):
                if unit.pk in seen:
                    continue
                flat.append((unit, depth))
                walk(unit.pk, depth + 1, seen | {unit.pk})

        walk(None, 0)
        groups.append({"category": category, "units": flat})
    return groups


def groups_for(user, unit) -> QuerySet[RecipientGroup]:
    """The platform's groups and the unit's own saved groups."""
    if unit is None:
        return RecipientGroup.objects.filter(owner_unit__isnull=True)
    return (RecipientGroup.objects.filter(Q(owner_unit__isnull=True) | Q(owner_unit=unit))
            .select_related("owner_unit").prefetch_related("units", "categories"))


def group_unit_ids(group: RecipientGroup) -> list[int]:
    """The active units of a group: its own units plus every unit of its categories."""
    ids = set(group.units.filter(status=Unit.Status.ACTIVE).values_list("pk", flat=True))
    category_ids = list(group.categories.values_list("pk", flat=True))
    if category_ids:
        ids |= set(Unit.objects.filter(category_id__in=category_ids, status=Unit.Status.ACTIVE)
                   .values_list("pk", flat=True))
    return sorted(ids)


def may_edit_group(user, group: RecipientGroup) -> bool:
    if group.owner_unit_id is None:
        return is_operator(user)
    return may_send(user, group.owner_unit) or directory_selectors.has_role(user, group.owner_unit, roles.UNIT_ADMIN)


def group_for(user, pk) -> RecipientGroup:
    """A group the person may edit (the unit's own, or the platform's for an operator), or 404."""
    group = get_object_or_404(RecipientGroup.objects.select_related("owner_unit"), pk=pk)
    if not may_edit_group(user, group):
        raise Http404
    return group


def exchange_settings() -> ExchangeSettings:
    return ExchangeSettings.load()
