"""Pages of the website update quotas (网站更新考核): overview, one unit, rules, scores, export."""

from __future__ import annotations

import datetime
import io
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengtong.quotas import periods as P
from zhengtong.quotas import selectors, services
from zhengtong.quotas.compliance import STATE_LABELS
from zhengtong.quotas.exports import write_scores
from zhengtong.quotas.forms import RuleForm
from zhengtong.quotas.models import QuotaRule


def _month(request, *, default: P.Period) -> P.Period:
    value = request.GET.get("month") or request.POST.get("month")
    if not value:
        return default
    month = P.parse_month(value)
    if month is None:
        raise Http404
    return month


def _this_month() -> P.Period:
    return P.period_containing(P.MONTH, timezone.localdate())


def _month_nav(month: P.Period) -> dict:
    previous = P.period_containing(P.MONTH, month.start - datetime.timedelta(days=1))
    following = P.period_containing(P.MONTH, month.end)
    return {"month": month, "previous_month": previous,
            "next_month": following if following.start <= timezone.localdate() else None}


def _operator_or_404(request) -> None:
    if not selectors.can_change_rules(request.user):
        raise Http404


@login_required
def index(request):
    """The operator's overview of a month: every unit met / behind / missed, as a chart and a table.

    Anyone else goes to their own unit's page; someone with no unit to see gets 404.
    """
    if not selectors.can_change_rules(request.user):
        units = selectors.units_visible_to(request.user)
        unit = units.filter(pk=getattr(request.unit, "pk", None)).first() or units.first()
        if unit is None:
            raise Http404
        url = reverse("quotas:unit", args=[unit.pk])
        return redirect(f"{url}?{urlencode({'month': request.GET['month']})}" if "month" in request.GET else url)
    month = _month(request, default=_this_month())
    rows = selectors.overview(month, now=timezone.now())
    chart = {
        "labels": [row.unit.short_name or row.unit.name for row in rows],
        "series": [
            {"key": "met", "label": str(STATE_LABELS["met"]), "data": [row.met for row in rows]},
            {"key": "behind", "label": str(STATE_LABELS["behind"]), "data": [row.behind for row in rows]},
            {"key": "missed", "label": str(STATE_LABELS["missed"]), "data": [row.missed for row in rows]},
        ],
        "axis": _("Periods"),
    }
    return render(request, "quotas/overview.html", {
        **_month_nav(month),
        "rows": rows,
        "chart": chart,
        "totals": {key: sum(getattr(row, key) for row in rows) for key in ("met", "behind", "missed")},
        "scored": selectors.scores_of_month(month).exists(),
    })


@login_required
def unit_detail(request, pk: int):
    """One unit's periods of a month, rule by rule; its score; its reminders."""
    unit = selectors.unit_for(request.user, pk)
    month = _month(request, default=_this_month())
    now = timezone.now()
    statuses = selectors.month_statuses(month, now=now, unit_id=unit.pk)
    names = selectors.department_names(statuses)
    return render(request, "quotas/unit_detail.html", {
        **_month_nav(month),
        "unit": unit,
        "groups": [(rule, [(status, names.get(status.subject.department_id)) for status in rows])
                   for rule, rows in selectors.group_by_rule(statuses)],
        "month_over": month.is_over(now),
        "score": selectors.score_of(unit, month),
        "reminders": selectors.current_reminders(unit, now=now),
        "in_time_rules": selectors.in_time_rules_for(unit),
        "is_operator": selectors.can_change_rules(request.user),
        "visible_units": selectors.units_visible_to(request.user) if not selectors.can_change_rules(request.user)
        else None,
    })


@login_required
def rule_list(request):
    _operator_or_404(request)
    labels = dict(services.column_choices())
    rules = list(selectors.rules())
    for rule in rules:
        rule.column_labels = [str(labels.get(key, key)) for key in rule.column_keys]
    return render(request, "quotas/rule_list.html", {"rules": rules})


def _rule_form(request, rule: QuotaRule | None):
    _operator_or_404(request)
    if request.method == "POST":
        form = RuleForm(request.POST)
        if form.is_valid():
            try:
                saved = services.save_rule(actor=request.user, rule=rule, **form.service_kwargs())
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                messages.success(request, _("The rule “%(name)s” was saved.") % {"name": saved.name})
                return redirect("quotas:rules")
        status = 400
    else:
        form = RuleForm(initial=RuleForm.initial_from(rule) if rule else None)
        status = 200
    return render(request, "quotas/rule_form.html", {"form": form, "rule": rule,
                                                     "cancel_url": reverse("quotas:rules")}, status=status)


@login_required
def rule_add(request):
    return _rule_form(request, None)


@login_required
def rule_edit(request, pk: int):
    return _rule_form(request, selectors.rule_for(request.user, pk))


@login_required
def scores(request):
    """The month's 双百考核 website scores of every unit, ranked (operator)."""
    _operator_or_404(request)
    now = timezone.now()
    month = _month(request, default=services.previous_month(now))
    return render(request, "quotas/score_list.html", {
        **_month_nav(month),
        "scores": selectors.scores_of_month(month),
        "month_over": month.is_over(now),
        "months": selectors.scored_months(),
    })


@login_required
@require_POST
def scores_compute(request):
    _operator_or_404(request)
    month = _month(request, default=services.previous_month(timezone.now()))
    try:
        rows = services.compute_monthly_scores(actor=request.user, month=month, now=timezone.now())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Scores of %(month)s computed for %(count)s units.") % {
            "month": month.label, "count": len(rows)})
    return redirect(f"{reverse('quotas:scores')}?month={month.key}")


@login_required
def scores_export(request):
    """The month's scores as an Excel workbook (A4 landscape), for the 双百考核 report."""
    _operator_or_404(request)
    month = _month(request, default=services.previous_month(timezone.now()))
    stream = io.BytesIO()
    write_scores(selectors.scores_of_month(month), month, stream)
    response = HttpResponse(stream.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="quotas-scores-{month.key}.xlsx"'
    return response


def panel_visible(request) -> bool:
    """The home panel is for those who keep their unit's website updated (信息员, unit admin…)."""
    unit = getattr(request, "unit", None)
    if not request.user.is_authenticated or unit is None:
        return False
    return selectors.units_visible_to(request.user).filter(pk=unit.pk).exists()


def panel_context(request) -> dict:
    """本单位网站更新: this period's state per rule, behind first, and the reminders."""
    now = timezone.now()
    statuses = selectors.current_statuses(request.unit, now=now)
    order = {"behind": 0, "missed": 1, "not_started": 2, "met": 3, "in_time": 4}
    statuses.sort(key=lambda status: (order[status.state], status.rule.sort_order))
    names = selectors.department_names(statuses)
    return {"rows": [(status, names.get(status.subject.department_id)) for status in statuses],
            "quota_reminders": selectors.current_reminders(request.unit, now=now)[:5], "quota_unit": request.unit}
