"""Changes to the update quotas: rules (operator only), reminders and monthly scores; all audited."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.audit import services as audit
from zhengtong.directory import roles
from zhengtong.directory.models import Unit
from zhengtong.notifications.services import notify_role
from zhengtong.quotas import periods as P
from zhengtong.quotas import selectors
from zhengtong.quotas.compliance import BEHIND
from zhengtong.quotas.exceptions import QuotasPermissionDenied
from zhengtong.quotas.models import MonthlyScore, QuotaRule, Reminder
from zhengtong.quotas.scoring import score_units

RULE_FIELDS = ("name", "column_keys", "scope", "unit", "period", "minimum", "part", "weight", "remind_days",
               "active", "notes", "sort_order")
MAX_MINIMUM = 1000
MAX_WEIGHT = 100
MAX_REMIND_DAYS = 60


def _require_operator(actor) -> None:
    if actor is not None and not selectors.can_change_rules(actor):
        raise QuotasPermissionDenied(_("Only the platform operator may change the update quotas."))


def column_choices() -> list[tuple[str, str]]:
    """The website's column keys (the portal's list): the only columns a rule may count.

    Group columns (专题, 部门…) hold no articles of their own; a rule on one counts for its owner
    everything under it.
    """
    from zhengtong.portal.columns import ColumnKey

    return [(key.value, key.label) for key in ColumnKey]


# --- rules -----------------------------------------------------------------------------------------

def check_rule(*, name: str, column_keys: Sequence[str], scope: str, unit: Unit | None, period: str,
               minimum: int | None, part: str, weight: int | None, remind_days: int | None) -> dict[str, str]:
    """Everything wrong with a rule, field by field, in Chinese; empty when it may be saved."""
    problems: dict[str, str] = {}
    if not (name or "").strip():
        problems["name"] = _("Enter the rule's name, e.g. 部门工作动态每周至少 1 篇.")
    known = {key for key, _label in column_choices()}
    if not column_keys:
        problems["column_keys"] = _("Choose at least one column the rule counts.")
    elif unknown := [key for key in column_keys if key not in known]:
        problems["column_keys"] = _("Unknown column: %(keys)s. Choose columns of the website.") % {
            "keys": "、".join(str(key) for key in unknown)}
    if scope not in QuotaRule.Scope.values:
        problems["scope"] = _("Choose whom the rule applies to.")
    elif scope == QuotaRule.Scope.NAMED_UNIT and unit is None:
        problems["unit"] = _("Choose the unit the rule applies to.")
    if unit is not None and unit.status != Unit.Status.ACTIVE:
        problems["unit"] = _("The unit %(name)s is no longer active.") % {"name": unit.name}
    if period not in QuotaRule.Period.values:
        problems["period"] = _("Choose a period: week, month, quarter, year or in time.")
    if minimum is None or minimum < 0:
        problems["minimum"] = _("The minimum number of articles cannot be negative.")
    elif minimum > MAX_MINIMUM:
        problems["minimum"] = _("The minimum number of articles cannot be more than %(max)s.") % {"max": MAX_MINIMUM}
    elif minimum == 0 and period != QuotaRule.Period.IN_TIME:
        problems["minimum"] = _("A counted rule needs a minimum of at least 1 article.")
    if part not in QuotaRule.Part.values:
        problems["part"] = _("Choose the part of the assessment.")
    if weight is None or not 1 <= weight <= MAX_WEIGHT:
        problems["weight"] = _("The weight must be a whole number from 1 to %(max)s.") % {"max": MAX_WEIGHT}
    if remind_days is None or not 0 <= remind_days <= MAX_REMIND_DAYS:
        problems["remind_days"] = _("Remind 0 to %(max)s working days before the end.") % {"max": MAX_REMIND_DAYS}
    return problems


def _snapshot(rule: QuotaRule) -> dict:
    return {name: (getattr(rule, "unit_id") if name == "unit" else getattr(rule, name)) for name in RULE_FIELDS}


@transaction.atomic
def save_rule(*, actor, rule: QuotaRule | None = None, name: str, column_keys: Sequence[str], scope: str,
              unit: Unit | None, period: str, minimum: int | None, part: str = QuotaRule.Part.PUBLIC,
              weight: int | None = 10, remind_days: int | None = 2, active: bool = True, notes: str = "",
              sort_order: int = 0) -> QuotaRule:
    """Create a rule (``rule`` None) or change one. Seed 000 (一)3: the requirements are data.

    Bad input raises ``ValidationError`` (a dict of Chinese messages) and changes nothing.
    """
    _require_operator(actor)
    problems = check_rule(name=name, column_keys=column_keys, scope=scope, unit=unit, period=period,
                          minimum=minimum, part=part, weight=weight, remind_days=remind_days)
    if problems:
        raise ValidationError(problems)
    creating = rule is None
    if creating:
        rule = QuotaRule()
        before = {}
    else:
        rule = QuotaRule.objects.select_for_update().get(pk=rule.pk)
        before = _snapshot(rule)
    rule.name = name.strip()
    rule.column_keys = list(dict.fromkeys(column_keys))
    rule.scope = scope
    rule.unit = unit
    rule.period = period
    rule.minimum = minimum
    rule.part = part
    rule.weight = weight
    rule.remind_days = remind_days
    rule.active = active
    rule.notes = notes.strip()
    rule.sort_order = sort_order
    rule.updated_by = actor
    rule.updated_at = timezone.now()
    rule.save()
    after = _snapshot(rule)
    changes = {key: [before.get(key), value] for key, value in after.items() if before.get(key) != value}
    audit.record(actor=actor, action="quotas.rule.create" if creating else "quotas.rule.update", obj=rule,
                 unit=None, summary=rule.name, changes=changes)
    return rule


# --- reminders -------------------------------------------------------------------------------------

def working_days_left(period: P.Period, today: datetime.date) -> int:
    """Working days from ``today`` (included) to the period's last day."""
    from zhengtong.workdays.selectors import working_days_between

    if today > period.last_day:
        return 0
    return working_days_between(today - datetime.timedelta(days=1), period.last_day)


@transaction.atomic
def remind_units_behind(*, now: datetime.datetime) -> list[Reminder]:
    """Remind each unit (or 科室) behind on a rule when its period is about to end; once per period.

    A rule reminds when at most ``remind_days`` working days of the period are left, today
    included (2 for a week: on Thursday and Friday of a normal week). The reminder is a row shown
    on the unit's home panel and a notice (with e-mail and SMS) to its information officers and admin.
    """
    today = P.local_date(now)
    candidates = []
    for rule in selectors.active_rules():
        if not rule.is_counted or not rule.remind_days:
            continue
        period = P.period_containing(rule.period, today)
        if working_days_left(period, today) <= rule.remind_days:
            candidates.append((rule, period))
    if not candidates:
        return []
    counter = selectors.counter_for(min(p.start for _r, p in candidates), max(p.end for _r, p in candidates),
                                    rules_=[rule for rule, _period in candidates])
    sent: list[Reminder] = []
    for rule, period in candidates:
        for status in counter.statuses(rule, period, now):
            if status.state != BEHIND or selectors.reminder_exists(rule, status.subject, period):
                continue
            reminder = Reminder.objects.create(
                rule=rule, unit_id=status.subject.unit_id, department_id=status.subject.department_id,
                period_start=period.start, period_end=period.end, count=status.count, minimum=rule.minimum,
                created_at=now)
            audit.record(actor=None, action="quotas.reminder.send", obj=reminder,
                         unit=Unit.objects.get(pk=status.subject.unit_id),
                         summary=_("%(rule)s: %(count)s of %(minimum)s in %(period)s") % {
                             "rule": rule.name, "count": status.count, "minimum": rule.minimum,
                             "period": period.label},
                         changes={"period": period.key, "department": status.subject.department_id})
            _tell_the_unit(reminder, period)
            sent.append(reminder)
    return sent


def _tell_the_unit(reminder: Reminder, period) -> None:
    """The unit's information officers and its system admin hear of the reminder (portal, e-mail, SMS)."""
    unit = Unit.objects.get(pk=reminder.unit_id)
    title = _("Website update reminder: %(rule)s, %(count)s of %(minimum)s in %(period)s") % {
        "rule": reminder.rule.name, "count": reminder.count, "minimum": reminder.minimum, "period": period.label}
    for role_code in (roles.INFO_OFFICER, roles.UNIT_ADMIN):
        notify_role(unit=unit, role_code=role_code, category="quotas.reminder", title=title,
                    url=reverse("quotas:index"), key=f"quotas.reminder:{reminder.pk}")


# --- monthly scores (双百考核) -----------------------------------------------------------------------

@transaction.atomic
def compute_monthly_scores(*, actor, month: P.Period, now: datetime.datetime) -> list[MonthlyScore]:
    """Compute (or recompute) every unit's score of ``month`` from the rules; see ``scoring``.

    Seed 003 第二十一、二十二条. Only a month that is over can be scored; a recomputation replaces
    the month's rows and is audited like the first.
    """
    _require_operator(actor)
    if not month.is_over(now):
        raise ValidationError(_("%(month)s is not over yet; its score can be computed from the first day of "
                                "the next month.") % {"month": month.label})
    statuses = selectors.month_statuses(month, now=now)
    scores = score_units(statuses)
    previous = {row.unit_id: row.total for row in MonthlyScore.objects.filter(month=month.start)}
    MonthlyScore.objects.filter(month=month.start).delete()
    rows = MonthlyScore.objects.bulk_create([
        MonthlyScore(unit_id=score.unit_id, month=month.start, public_score=score.public,
                     information_score=score.information, total=score.total, rank=score.rank,
                     periods_met=score.met, periods_missed=score.missed,
                     details=[tally.as_json() for tally in score.tallies], computed_at=now, computed_by=actor)
        for score in scores])
    changed = {str(score.unit_id): [str(previous[score.unit_id]) if score.unit_id in previous else None,
                                    str(score.total)]
               for score in scores if previous.get(score.unit_id) != score.total}
    audit.record(actor=actor, action="quotas.scores.compute", obj=None, unit=None,
                 summary=_("Website update scores of %(month)s: %(count)s units") % {
                     "month": month.label, "count": len(rows)},
                 changes={"month": month.key, "totals": changed} if changed else {"month": month.key})
    return rows


def previous_month(now: datetime.datetime) -> P.Period:
    today = P.local_date(now)
    return P.period_containing(P.MONTH, today.replace(day=1) - datetime.timedelta(days=1))
