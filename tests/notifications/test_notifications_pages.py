"""Notices page, the live badge, preferences page and the operator's message log; outsiders' side."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from zhengtong.audit.models import AuditRecord
from zhengtong.notifications import services
from zhengtong.notifications.models import Message, Notice, Preference


def _notice(person, title="收到公文", **kwargs):
    services.notify(recipients=[person], category="exchange.delivery", title=title, **kwargs)
    return Notice.objects.filter(recipient=person).first()


def test_the_badge_shows_the_unread_count_and_the_endpoint_follows_it(signed_in, cast):
    client = signed_in(cast.clerk)
    home = client.get(reverse("office:home"))
    assert 'data-testid="notice-bell"' in home.text
    assert reverse("notifications:badge") in home.text and "every 20s" in home.text
    assert 'data-testid="notice-count"' not in home.text
    _notice(cast.clerk, "一")
    _notice(cast.clerk, "二")
    response = client.get(reverse("notifications:badge"))
    assert response.status_code == 200
    assert 'data-count="2"' in response.text
    assert "no-cache" in response.headers.get("Cache-Control", "") or "max-age=0" in response.headers["Cache-Control"]
    assert 'data-count="2"' in client.get(reverse("office:home")).text  # rendered with the page too
    Notice.objects.update(read_at=dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC))
    assert "data-count" not in client.get(reverse("notifications:badge")).text


def test_the_badge_endpoint_signed_out_answers_204_so_htmx_leaves_the_page_alone(client):
    assert client.get(reverse("notifications:badge")).status_code == 204


def test_notices_page_lists_my_notices_and_marks_them_read(signed_in, cast):
    notice = _notice(cast.clerk, "关于春耕的通知", body="请签收", url="/office/", urgent=True)
    _notice(cast.clerk, "第二条")
    client = signed_in(cast.clerk)
    page = client.get(reverse("notifications:index"))
    assert page.status_code == 200
    assert "关于春耕的通知" in page.text and "紧急" in page.text and "公文交换收文" in page.text
    response = client.post(reverse("notifications:read", args=[notice.pk]), {"open": "1"})
    assert response.status_code == 302 and response.url == "/office/"
    notice.refresh_from_db()
    assert notice.read_at is not None
    unread = client.get(reverse("notifications:index") + "?show=unread")
    assert "第二条" in unread.text and "关于春耕的通知" not in unread.text
    client.post(reverse("notifications:read-all"))
    assert not Notice.objects.filter(recipient=cast.clerk, read_at__isnull=True).exists()
    assert 'data-testid="no-notices"' in client.get(reverse("notifications:index") + "?show=unread").text


def test_an_open_link_to_another_site_is_not_followed(signed_in, cast):
    notice = _notice(cast.clerk, url="https://evil.example.com/")
    response = signed_in(cast.clerk).post(reverse("notifications:read", args=[notice.pk]), {"open": "1"})
    assert response.status_code == 302 and response.url == reverse("notifications:index")


def test_outsider_can_neither_see_nor_mark_someone_elses_notice(signed_in, cast):
    notice = _notice(cast.clerk, "农业局的秘密通知")
    client = signed_in(cast.outsider)
    assert "农业局的秘密通知" not in client.get(reverse("notifications:index")).text
    assert client.post(reverse("notifications:read", args=[notice.pk])).status_code == 404
    client.post(reverse("notifications:read-all"))
    notice.refresh_from_db()
    assert notice.read_at is None
    assert 'data-count' not in client.get(reverse("notifications:badge")).text


def test_preferences_page_saves_channels_mutes_and_quiet_hours_audited(signed_in, cast):
    client = signed_in(cast.clerk)
    page = client.get(reverse("notifications:preferences"))
    assert page.status_code == 200 and "免打扰" in page.text
    response = client.post(reverse("notifications:preferences"), {
        "sms_enabled": "on", "muted_categories": ["quotas.reminder"], "quiet_start": "22:00",
        "quiet_end": "07:30"})
    assert response.status_code == 302
    preference = Preference.objects.get(user=cast.clerk)
    assert (preference.email_enabled, preference.sms_enabled) == (False, True)
    assert preference.muted_categories == ["quotas.reminder"]
    assert preference.quiet_start == dt.time(22, 0) and preference.quiet_end == dt.time(7, 30)
    record = AuditRecord.objects.get(action="notifications.preference.update")
    assert record.actor_id == cast.clerk.pk and "quiet_start" in record.changes


def test_preferences_page_refuses_half_quiet_hours_with_a_chinese_message(signed_in, cast):
    client = signed_in(cast.clerk)
    response = client.post(reverse("notifications:preferences"), {"quiet_start": "22:00"})
    assert response.status_code == 400
    assert "免打扰" in response.text and "开始" in response.text
    assert not Preference.objects.filter(user=cast.clerk).exists()


def test_message_log_is_for_the_platform_operator_only(signed_in, cast):
    cast.clerk.email = "clerk@example.cn"
    cast.clerk.save()
    _notice(cast.clerk, "日志里的邮件")
    assert Message.objects.count() == 1
    for person in (cast.clerk, cast.outsider, cast.admin):
        assert signed_in(person).get(reverse("notifications:log")).status_code == 404
    client = signed_in(cast.operator)
    page = client.get(reverse("notifications:log"))
    assert page.status_code == 200
    assert "clerk@example.cn" in page.text and "日志里的邮件" in page.text
    assert "clerk@example.cn" not in client.get(reverse("notifications:log") + "?channel=sms").text
    assert 'data-testid="message-log-link"' in client.get(reverse("notifications:index")).text
    assert 'data-testid="message-log-link"' not in signed_in(cast.clerk).get(reverse("notifications:index")).text


@pytest.mark.parametrize("name", ["notifications:index", "notifications:preferences", "notifications:log"])
def test_pages_need_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "next=" in response.url
