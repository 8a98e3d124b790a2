"""Notices (通知, 会议通知) must be opened within 10 minutes of delivery (seed 002 第八条).

An unopened notice alerts the receiving unit's clerks in the portal, then by SMS, then shows as
overdue to the sender; the periodic task runs the escalation every minute.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from zhengtong.exchange import selectors
from zhengtong.exchange.services import receiving, sending
from zhengtong.notifications.models import Message, Notice

try:
    from .core_helpers import at, sealed_document
except ImportError:
    from core_helpers import at, sealed_document

pytestmark = pytest.mark.django_db


def _delivery(cast, **kwargs):
    kwargs.setdefault("at", at("2026-03-10", "09:00"))
    dispatch = sending.send_document(actor=cast.clerk, document=sealed_document(cast),
                                     main_units=[cast.other_unit], **kwargs)
    return dispatch.deliveries.get()


def test_unopened_notices_alert_then_text_the_clerks(cast, django_capture_on_commit_callbacks):
    """seed 002 第八条: after 5 minutes a portal alert, after 8 an SMS, after 10 overdue for the sender."""
    cast.outsider.mobile = "13800138000"
    cast.outsider.save()
    sent = at("2026-03-10", "10:00")
    delivery = _delivery(cast, category="notice", at=sent)
    with django_capture_on_commit_callbacks(execute=True):
        assert receiving.escalate_unopened_notices(now=at("2026-03-10", "10:04")) == {"alerted": 0, "sms": 0}
        assert receiving.escalate_unopened_notices(now=at("2026-03-10", "10:05")) == {"alerted": 1, "sms": 0}
        assert receiving.escalate_unopened_notices(now=at("2026-03-10", "10:06")) == {"alerted": 0, "sms": 0}
        assert receiving.escalate_unopened_notices(now=at("2026-03-10", "10:08")) == {"alerted": 0, "sms": 1}
    assert Notice.objects.filter(recipient=cast.outsider, category="exchange.notice", urgent=True).count() == 1
    assert Message.objects.filter(recipient=cast.outsider, channel="sms").exists()
    delivery.refresh_from_db()
    assert not selectors.is_overdue(delivery, at("2026-03-10", "10:09"))
    assert selectors.is_overdue(delivery, at("2026-03-10", "10:11"))
    # An opened notice is no longer escalated, nor overdue.
    other = _delivery(cast, category="notice", at=sent)
    receiving.open_delivery(actor=cast.outsider, delivery=other, at=at("2026-03-10", "10:03"))
    assert receiving.escalate_unopened_notices(now=at("2026-03-10", "10:30")) == {"alerted": 0, "sms": 0}
    other.refresh_from_db()
    assert not selectors.is_overdue(other, at("2026-03-10", "10:30"))


def test_settings_change_the_minutes(cast, django_capture_on_commit_callbacks):
    sending.update_settings(actor=cast.operator, notice_alert_minutes=2, notice_sms_minutes=3,
                            notice_overdue_minutes=4)
    sent = at("2026-03-10", "10:00")
    delivery = _delivery(cast, category="notice", at=sent)
    assert delivery.due_at == sent + datetime.timedelta(minutes=4)
    with django_capture_on_commit_callbacks(execute=True):
        assert receiving.escalate_unopened_notices(now=at("2026-03-10", "10:03")) == {"alerted": 1, "sms": 1}


def test_documents_are_not_escalated_like_notices(cast):
    _delivery(cast, category="document", at=at("2026-03-10", "10:00"))
    assert receiving.escalate_unopened_notices(now=at("2026-03-10", "10:30")) == {"alerted": 0, "sms": 0}


def test_the_periodic_task_runs_the_escalation(cast, monkeypatch):
    from zhengtong.exchange import tasks

    seen = {}
    monkeypatch.setattr(receiving, "escalate_unopened_notices", lambda: seen.setdefault("called", True))
    tasks.escalate_unopened_notices.call_local()
    assert seen == {"called": True}


def test_an_overdue_notice_is_red_for_the_sender_and_the_receiver(cast, signed_in):
    from django.utils import timezone

    delivery = _delivery(cast, category="notice", at=timezone.now() - datetime.timedelta(minutes=11))
    tracking = signed_in(cast.clerk).get(reverse("exchange:tracking", args=[delivery.dispatch_id])).content.decode()
    assert 'data-state="pending-overdue"' in tracking and 'data-count="overdue">1<' in tracking
    inbox = signed_in(cast.outsider).get(reverse("exchange:inbox")).content.decode()
    assert 'class="table-danger"' in inbox
    receiving.open_delivery(actor=cast.outsider, delivery=delivery)
    tracking = signed_in(cast.clerk).get(reverse("exchange:tracking", args=[delivery.dispatch_id])).content.decode()
    assert 'data-count="overdue">0<' in tracking
