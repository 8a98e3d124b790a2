"""Who each rule applies to, how many articles they published in a period, and the state.

States (seed 000 (一)3): met (达标) when the count reaches the minimum; behind (未达标, 进行中) while
the period runs and the count is short; missed (未完成) once the period is over and it is still
short; not started for a period in the future; "in time" (及时更新) for rules without a count.

Pure Python over the facts of ``sources``, so tests can hand-count.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from zhengtong.quotas import periods as P
from zhengtong.quotas.models import QuotaRule
from zhengtong.quotas.sources import ArticleFact, ColumnFact

MET, BEHIND, MISSED, NOT_STARTED, IN_TIME = "met", "behind", "missed", "not_started", "in_time"
STATE_LABELS = {
    MET: _("Met"),
    BEHIND: _("Behind"),
    MISSED: _("Missed"),
    NOT_STARTED: _("Not started"),
    IN_TIME: _("Update in time"),
}
STATE_BADGES = {MET: "success", BEHIND: "warning", MISSED: "danger", NOT_STARTED: "secondary", IN_TIME: "info"}


@dataclass(frozen=True)
class Subject:
    """Who is assessed: a unit, or one department (科室) of it (seed 003 第十六条)."""

    unit_id: int
    department_id: int | None = None


@dataclass(frozen=True)
class Status:
    rule: QuotaRule
    subject: Subject
    period: P.Period | None
    count: int
    state: str
    scored: bool = True  # does this period count in the month it is listed under?

    @property
    def minimum(self) -> int:
        return self.rule.minimum

    @property
    def state_label(self):
        return STATE_LABELS[self.state]

    @property
    def badge(self) -> str:
        return STATE_BADGES[self.state]

    @property
    def tint(self) -> str:
        """The table cell class that flags a period behind or missed."""
        return {MISSED: "table-danger", BEHIND: "table-warning"}.get(self.state, "")

    @property
    def short_by(self) -> int:
        return max(self.rule.minimum - self.count, 0)


def state_of(*, count: int, minimum: int, period: P.Period, now: datetime.datetime) -> str:
    """Met / behind / missed / not started of one period at ``now``."""
    if count >= minimum:
        return MET
    if period.is_over(now):
        return MISSED
    if not period.has_started(now):
        return NOT_STARTED
    return BEHIND


class Counter:
    """Answers "which subjects does this rule assess" and "how many articles did they publish"."""

    def __init__(self, *, columns: Sequence[ColumnFact], articles: Iterable[ArticleFact],
                 active_unit_ids: Iterable[int], departments: dict[int, list[int]]):
        self.columns = list(columns)
        self.articles = list(articles)
        self.active_unit_ids = sorted(set(active_unit_ids))
        self.departments = departments  # unit id -> its department ids

    # -- who --------------------------------------------------------------------------------------

    def owned_columns(self, rule: QuotaRule, unit_id: int) -> list[ColumnFact]:
        keys = set(rule.column_keys)
        return [column for column in self.columns if column.key in keys and column.owner_unit_id == unit_id]

    def owners(self, rule: QuotaRule) -> list[int]:
        keys = set(rule.column_keys)
        active = set(self.active_unit_ids)
        return sorted({column.owner_unit_id for column in self.columns
                       if column.key in keys and column.owner_unit_id in active})

    def subjects(self, rule: QuotaRule) -> list[Subject]:
        Scope = QuotaRule.Scope
        if rule.scope == Scope.COLUMN_OWNERS:
            return [Subject(unit_id) for unit_id in self.owners(rule)]
        if rule.scope == Scope.EVERY_UNIT:
            return [Subject(unit_id) for unit_id in self.active_unit_ids]
        if rule.scope == Scope.NAMED_UNIT:
            return [Subject(rule.unit_id)] if rule.unit_id in self.active_unit_ids else []
        units = [rule.unit_id] if rule.unit_id else self.owners(rule)
        return [Subject(unit_id, department_id) for unit_id in units if unit_id in self.active_unit_ids
                for department_id in self.departments.get(unit_id, [])]

    # -- how many ---------------------------------------------------------------------------------

    def count(self, rule: QuotaRule, subject: Subject, period: P.Period) -> int:
        return self.counts(rule, period).get(subject, 0)

    def counts(self, rule: QuotaRule, period: P.Period) -> dict[Subject, int]:
        """Articles per subject first published (local date) within ``period``."""
        in_period = [article for article in self.articles if period.contains(article.day)]
        result: dict[Subject, int] = defaultdict(int)
        keys = set(rule.column_keys)
        if rule.scope == QuotaRule.Scope.COLUMN_OWNERS:
            # A column's owner answers for everything under the column, sub-columns included
            # (专题专栏 and its 工业、农业… groups), whoever supplied the article.
            for unit_id in self.owners(rule):
                paths = [column.path for column in self.owned_columns(rule, unit_id)]
                result[Subject(unit_id)] = sum(
                    1 for article in in_period
                    if any(article.path.startswith(path) and article.path != path for path in paths))
        elif rule.scope == QuotaRule.Scope.EACH_DEPARTMENT:
            for article in in_period:
                if article.column_key in keys and article.department_id and article.unit_id:
                    result[Subject(article.unit_id, article.department_id)] += 1
        else:
            for article in in_period:
                if article.column_key in keys and article.unit_id:
                    result[Subject(article.unit_id)] += 1
        return result

    def statuses(self, rule: QuotaRule, period: P.Period, now: datetime.datetime, *,
                 scored: bool = True, unit_id: int | None = None) -> list[Status]:
        """The state of every subject of ``rule`` in ``period`` (of one unit when ``unit_id``)."""
        counts = self.counts(rule, period)
        return [Status(rule=rule, subject=subject, period=period, count=counts.get(subject, 0),
                       state=state_of(count=counts.get(subject, 0), minimum=rule.minimum, period=period, now=now),
                       scored=scored)
                for subject in self.subjects(rule) if unit_id is None or subject.unit_id == unit_id]


def periods_listed_in_month(rule: QuotaRule, month: P.Period) -> list[tuple[P.Period, bool]]:
    """The periods of ``rule`` shown under ``month``, each with whether the month's score counts it.

    Weeks and months: those ending in the month (all scored). Quarters and years: the one that
    contains the month, scored only in its last month (before that it is shown as progress).
    """
    if not rule.is_counted:
        return []
    if rule.period in (P.WEEK, P.MONTH):
        return [(period, True) for period in P.periods_ending_in(rule.period, month)]
    period = P.period_containing(rule.period, month.start)
    return [(period, period.last_day == month.last_day)]


def span_of(pairs: Iterable[P.Period]) -> tuple[datetime.date, datetime.date] | None:
    pairs = list(pairs)
    if not pairs:
        return None
    return min(period.start for period in pairs), max(period.end for period in pairs)
