"""Reads of the update quotas, scoped to the person asking (a missing right looks like 404)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from zhengtong.directory import roles
from zhengtong.directory.models import Department, RoleAssignment, Unit
from zhengtong.directory.selectors import is_platform_operator
from zhengtong.quotas import periods as P
from zhengtong.quotas.compliance import (
    BEHIND,
    IN_TIME,
    MET,
    MISSED,
    NOT_STARTED,
    Counter,
    Status,
    Subject,
    periods_listed_in_month,
)
from zhengtong.quotas.models import MonthlyScore, QuotaRule, Reminder
from zhengtong.quotas.sources import ArticleFact, ColumnFact, article_facts, column_facts

#: Roles that see their own unit's quotas: who keeps the website updated and who answers for it.
UNIT_ROLES = (roles.UNIT_ADMIN, roles.INFO_OFFICER, roles.PRINCIPAL_LEADER, roles.DEPUTY_LEADER)


# --- who may see what ------------------------------------------------------------------------------

def can_change_rules(user) -> bool:
    """Only the platform operator (政务信息中心) edits the rules and computes the scores."""
    return is_platform_operator(user)


def units_visible_to(user) -> QuerySet[Unit]:
    """All active units for the operator; else the units where the person keeps or answers for the site."""
    if not getattr(user, "is_authenticated", False):
        return Unit.objects.none()
    if is_platform_operator(user):
        return Unit.objects.filter(status=Unit.Status.ACTIVE)
    unit_ids = RoleAssignment.objects.filter(user=user, role__code__in=UNIT_ROLES).values("unit_id")
    return Unit.objects.filter(pk__in=unit_ids, status=Unit.Status.ACTIVE)


def unit_for(user, pk) -> Unit:
    """A unit whose quotas the person may see, or 404."""
    try:
        return units_visible_to(user).get(pk=int(pk))
    except (Unit.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def may_see_quotas(user) -> bool:
    return units_visible_to(user).exists()


def rules() -> QuerySet[QuotaRule]:
    return QuotaRule.objects.select_related("unit", "updated_by")


def active_rules() -> list[QuotaRule]:
    return list(rules().filter(active=True))


def rule_for(user, pk) -> QuotaRule:
    if not can_change_rules(user):
        raise Http404
    try:
        return rules().get(pk=int(pk))
    except (QuotaRule.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


# --- the facts -------------------------------------------------------------------------------------

def keys_counted(rules_: list[QuotaRule], columns: list[ColumnFact]) -> set[str]:
    """The column keys whose articles ``rules_`` may count: their own, and under an owned column every
    sub-column's (an article carries the key of the column it sits in)."""
    keys = {key for rule in rules_ for key in rule.column_keys}
    owned = {key for rule in rules_ if rule.scope == QuotaRule.Scope.COLUMN_OWNERS for key in rule.column_keys}
    roots = [column.path for column in columns if column.key in owned]
    return keys | {column.key for column in columns if any(column.path.startswith(path) for path in roots)}


def counter_for(start: datetime.date, end: datetime.date, *, rules_: list[QuotaRule] | None = None,
                columns: list[ColumnFact] | None = None, articles: list[ArticleFact] | None = None) -> Counter:
    """A counter over the live articles first published in ``[start, end)`` (local dates).

    With ``rules_``, only the articles those rules may count are read.
    """
    departments: dict[int, list[int]] = defaultdict(list)
    for unit_id, department_id in Department.objects.order_by("sort_order", "id").values_list("unit_id", "id"):
        departments[unit_id].append(department_id)
    columns = column_facts() if columns is None else columns
    if articles is None:
        keys = None if rules_ is None else keys_counted(rules_, columns)
        articles = article_facts(start, end, keys=keys)
    return Counter(
        columns=columns,
        articles=articles,
        active_unit_ids=Unit.objects.filter(status=Unit.Status.ACTIVE).values_list("pk", flat=True),
        departments=departments,
    )


def _listed(rules_: list[QuotaRule], month: P.Period) -> list[tuple[QuotaRule, P.Period, bool]]:
    return [(rule, period, scored) for rule in rules_ for period, scored in periods_listed_in_month(rule, month)]


def month_statuses(month: P.Period, *, now: datetime.datetime, unit_id: int | None = None,
                   rules_: list[QuotaRule] | None = None) -> list[Status]:
    """Every subject's state in the periods listed under ``month`` (one unit's when ``unit_id``)."""
    rules_ = active_rules() if rules_ is None else rules_
    listed = _listed(rules_, month)
    if not listed:
        return []
    counter = counter_for(min(p.start for _r, p, _s in listed), max(p.end for _r, p, _s in listed), rules_=rules_)
    statuses = []
    for rule, period, scored in listed:
        statuses.extend(counter.statuses(rule, period, now, scored=scored, unit_id=unit_id))
    return statuses


def current_statuses(unit: Unit, *, now: datetime.datetime) -> list[Status]:
    """The unit's state in the running period of each active rule; 及时 rules as "update in time"."""
    today = P.local_date(now)
    rules_ = active_rules()
    running = [(rule, P.period_containing(rule.period, today)) for rule in rules_ if rule.is_counted]
    start = min((period.start for _rule, period in running), default=today)
    end = max((period.end for _rule, period in running), default=today)
    counter = counter_for(start, end, rules_=rules_)
    statuses: list[Status] = []
    for rule in rules_:
        if rule.is_counted:
            statuses.extend(counter.statuses(rule, P.period_containing(rule.period, today), now, unit_id=unit.pk))
        else:
            statuses.extend(Status(rule=rule, subject=subject, period=None, count=0, state=IN_TIME)
                            for subject in counter.subjects(rule) if subject.unit_id == unit.pk)
    return statuses


def in_time_rules_for(unit: Unit) -> list[QuotaRule]:
    """The active 及时更新 rules (no count) that apply to ``unit``."""
    rules_ = [rule for rule in active_rules() if not rule.is_counted]
    if not rules_:
        return []
    today = timezone.localdate()
    counter = counter_for(today, today, rules_=rules_, articles=[])
    return [rule for rule in rules_ if any(subject.unit_id == unit.pk for subject in counter.subjects(rule))]


def department_names(statuses) -> dict[int, str]:
    ids = {status.subject.department_id for status in statuses if status.subject.department_id}
    return dict(Department.objects.filter(pk__in=ids).values_list("pk", "name"))


@dataclass
class UnitRow:
    """One unit of the operator's overview of a month."""

    unit: Unit
    met: int = 0
    behind: int = 0
    missed: int = 0
    not_started: int = 0
    score: MonthlyScore | None = None
    statuses: list[Status] = field(default_factory=list)

    @property
    def assessed(self) -> int:
        return self.met + self.behind + self.missed


def overview(month: P.Period, *, now: datetime.datetime) -> list[UnitRow]:
    """Per unit, how many of the month's scored periods are met, behind and missed (operator's page)."""
    statuses = month_statuses(month, now=now)
    by_unit: dict[int, UnitRow] = {}
    units = Unit.objects.in_bulk({status.subject.unit_id for status in statuses})
    scores = {score.unit_id: score for score in MonthlyScore.objects.filter(month=month.start)}
    for status in statuses:
        unit = units.get(status.subject.unit_id)
        # A quarter or year still running is progress, not this month's result: it shows on the unit's page.
        if unit is None or not status.scored:
            continue
        row = by_unit.setdefault(unit.pk, UnitRow(unit=unit, score=scores.get(unit.pk)))
        row.statuses.append(status)
        if status.state == MET:
            row.met += 1
        elif status.state == BEHIND:
            row.behind += 1
        elif status.state == MISSED:
            row.missed += 1
        elif status.state == NOT_STARTED:
            row.not_started += 1
    return sorted(by_unit.values(), key=lambda row: (row.unit.category.sort_order if row.unit.category_id else 0,
                                                     row.unit.sort_order, row.unit.pk))


def group_by_rule(statuses: list[Status]) -> list[tuple[QuotaRule, list[Status]]]:
    grouped: dict[int, tuple[QuotaRule, list[Status]]] = {}
    for status in statuses:
        grouped.setdefault(status.rule.pk, (status.rule, []))[1].append(status)
    return list(grouped.values())


# --- scores and reminders --------------------------------------------------------------------------

def scores_of_month(month: P.Period) -> QuerySet[MonthlyScore]:
    return (MonthlyScore.objects.filter(month=month.start).select_related("unit", "computed_by")
            .order_by("rank", "unit__sort_order", "unit_id"))


def score_of(unit: Unit, month: P.Period) -> MonthlyScore | None:
    return MonthlyScore.objects.filter(unit=unit, month=month.start).first()


def scored_months() -> list[datetime.date]:
    return list(MonthlyScore.objects.order_by("-month").values_list("month", flat=True).distinct())


def current_reminders(unit: Unit, *, now: datetime.datetime) -> QuerySet[Reminder]:
    """Reminders to the unit whose period is still running."""
    today = P.local_date(now)
    return (Reminder.objects.filter(unit=unit, period_end__gt=today)
            .select_related("rule", "department").order_by("period_end", "rule__sort_order"))


def reminder_exists(rule: QuotaRule, subject: Subject, period: P.Period) -> bool:
    reminders = Reminder.objects.filter(rule=rule, unit_id=subject.unit_id, period_start=period.start)
    if subject.department_id:
        return reminders.filter(department_id=subject.department_id).exists()
    return reminders.filter(department__isnull=True).exists()
