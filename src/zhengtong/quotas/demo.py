"""Demo data of the update quotas: the default rules, past months' scores, this week's reminders.

Runs after the portal's demo articles (order 50), so the pages show met, behind and missed.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.quotas import periods as P
from zhengtong.quotas import services
from zhengtong.quotas.defaults import load_default_rules
from zhengtong.quotas.models import QuotaRule

DEMO_MONTHS = 6


def load_demo(*, result, stdout) -> None:
    """Load the default rules when missing, score the last months, send the due reminders."""
    created = load_default_rules(QuotaRule)
    now = timezone.now()
    month = services.previous_month(now)
    scored = 0
    for _index in range(DEMO_MONTHS):
        scored += len(services.compute_monthly_scores(actor=None, month=month, now=now))
        month = P.period_containing(P.MONTH, month.start - datetime.timedelta(days=1))
    reminders = services.remind_units_behind(now=now)
    stdout(_("Website update quotas: %(rules)s rules added, %(scores)s monthly scores over %(months)s months, "
             "%(reminders)s reminders") % {"rules": created, "scores": scored, "months": DEMO_MONTHS,
                                           "reminders": len(reminders)})
