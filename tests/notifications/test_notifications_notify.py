"""notify() and notify_role(): bulk notices and messages, dedup by key, dispatch after commit."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhengtong.directory import roles
from zhengtong.notifications import services
from zhengtong.notifications.models import Message, Notice, Preference


@pytest.fixture
def reachable(cast):
    """Give the clerk an e-mail address and a mobile number."""
    cast.clerk.email = "clerk@example.cn"
    cast.clerk.mobile = "13800138000"
    cast.clerk.save()
    return cast


def test_notify_creates_a_notice_and_sends_email_and_sms_after_commit(reachable, settings, tmp_path,
                                                                      django_capture_on_commit_callbacks):
    settings.SMS_GATEWAY = "file"
    settings.SMS_FILE_DIR = tmp_path
    cast = reachable
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        count = services.notify(recipients=[cast.clerk, cast.leader], category="exchange.delivery",
                                title="收到公文：关于春耕的通知", body="请及时签收。", url="/office/exchange/1/",
                                unit=cast.unit, key="exchange.delivery:1")
        assert Message.objects.filter(status=Message.Status.SENT).count() == 0  # nothing before commit
    assert count == 2
    assert len(callbacks) == 1
    assert Notice.objects.filter(recipient=cast.clerk, unit=cast.unit, read_at__isnull=True).count() == 1
    # The leader has neither e-mail nor mobile: a notice only.
    assert set(Message.objects.values_list("recipient_id", "channel", "status")) == {
        (cast.clerk.pk, "email", "sent"), (cast.clerk.pk, "sms", "sent")}
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "收到公文：关于春耕的通知"
    assert "http://" in mail.outbox[0].body and "/office/exchange/1/" in mail.outbox[0].body
    files = list(tmp_path.glob("*.json"))
    assert len(files) == 1
    sms = json.loads(files[0].read_text(encoding="utf-8"))
    assert sms["to"] == "13800138000" and "关于春耕的通知" in sms["text"]


def test_an_unread_notice_with_the_same_key_is_not_repeated(reachable, django_capture_on_commit_callbacks):
    cast = reachable
    with django_capture_on_commit_callbacks(execute=True):
        assert services.notify(recipients=[cast.clerk], category="c", title="一", key="k:1") == 1
        assert services.notify(recipients=[cast.clerk], category="c", title="二", key="k:1") == 0
    assert Notice.objects.filter(recipient=cast.clerk).count() == 1
    assert Message.objects.filter(recipient=cast.clerk).count() == 2  # e-mail + SMS, once
    Notice.objects.update(read_at="2026-01-05T08:00:00+08:00")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.notify(recipients=[cast.clerk], category="c", title="三", key="k:1") == 1


def test_preferences_switch_channels_off_and_mute_categories_but_urgent_ignores_muting(reachable):
    cast = reachable
    Preference.objects.create(user=cast.clerk, email_enabled=False, muted_categories=["quiet.cat"])
    services.notify(recipients=[cast.clerk], category="loud", title="a")
    assert list(Message.objects.values_list("channel", flat=True)) == ["sms"]
    Message.objects.all().delete()
    services.notify(recipients=[cast.clerk], category="quiet.cat", title="b")
    assert not Message.objects.exists()
    services.notify(recipients=[cast.clerk], category="quiet.cat", title="c", urgent=True)
    assert list(Message.objects.values_list("channel", flat=True)) == ["sms"]
    assert Notice.objects.filter(recipient=cast.clerk).count() == 3  # portal notices always appear


def test_notify_role_reaches_the_holders_of_a_role_in_that_unit_only(cast):
    assert services.notify_role(unit=cast.unit, role_code=roles.CLERK, category="c", title="t") == 1
    assert list(Notice.objects.values_list("recipient_id", flat=True)) == [cast.clerk.pk]
    assert services.notify_role(unit=None, role_code=roles.PLATFORM_OPERATOR, category="c", title="t") == 1
    assert Notice.objects.filter(recipient=cast.operator).exists()
    assert not Notice.objects.filter(recipient=cast.outsider).exists()


def test_channels_can_be_limited_and_unknown_channels_are_refused(reachable):
    cast = reachable
    assert services.notify(recipients=[cast.clerk], category="c", title="t", channels=("sms",)) == 1
    assert not Notice.objects.exists()
    assert list(Message.objects.values_list("channel", flat=True)) == ["sms"]
    with pytest.raises(ValueError):
        services.notify(recipients=[cast.clerk], category="c", title="t", channels=("fax",))


def test_a_thousand_recipients_take_a_few_queries(cast, django_user_model):
    from zhengtong.directory.models import User

    User.objects.bulk_create([User(username=f"bulk{i:04d}", name=f"人{i}", email=f"p{i}@example.cn",
                                   mobile=f"139{i:08d}") for i in range(1000)])
    people = User.objects.filter(username__startswith="bulk")
    with CaptureQueriesContext(connection) as queries:
        assert services.notify(recipients=people, category="bulk", title="全体通知", key="bulk:1") == 1000
    assert len(queries) <= 20, [q["sql"][:80] for q in queries.captured_queries]
    assert Notice.objects.count() == 1000
    assert Message.objects.count() == 2000
