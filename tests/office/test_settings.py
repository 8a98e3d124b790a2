"""Personal settings: one's own contact details, password state and sign-in history."""

from __future__ import annotations

from django.urls import reverse

from zhengtong.accounts.models import SignInAttempt
from zhengtong.audit.models import AuditRecord
from zhengtong.directory.models import User

URL = "/office/settings/"


def test_settings_require_sign_in(client, db):
    assert client.get(URL).status_code == 302


def test_a_bad_mobile_number_gets_a_chinese_message_and_changes_nothing(signed_in, cast):
    User.objects.filter(pk=cast.clerk.pk).update(mobile="13812345678")
    response = signed_in(cast.clerk).post(URL, {"mobile": "12345", "email": "new@example.gov.cn"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "请输入以 1 开头的 11 位手机号码，例如 13812345678。" in page
    assert 'aria-invalid="true"' in page
    user = User.objects.get(pk=cast.clerk.pk)
    assert (user.mobile, user.email) == ("13812345678", "")
    assert not AuditRecord.objects.filter(action="directory.person.update_contact").exists()


def test_a_too_long_mobile_number_gets_the_same_message(signed_in, cast):
    response = signed_in(cast.clerk).post(URL, {"mobile": "138123456789", "email": ""})
    assert "请输入以 1 开头的 11 位手机号码" in response.content.decode()


def test_a_bad_email_gets_a_chinese_message(signed_in, cast):
    response = signed_in(cast.clerk).post(URL, {"mobile": "", "email": "not-an-address"})
    assert response.status_code == 400
    assert "输入一个有效的 Email 地址。" in response.content.decode()


def test_good_contact_details_are_saved_and_audited(signed_in, cast):
    response = signed_in(cast.clerk).post(URL, {"mobile": "13987654321", "email": "yi@example.gov.cn"})
    assert response["Location"] == URL
    user = User.objects.get(pk=cast.clerk.pk)
    assert (user.mobile, user.email) == ("13987654321", "yi@example.gov.cn")
    record = AuditRecord.objects.get(action="directory.person.update_contact")
    assert record.actor_id == cast.clerk.pk and record.changes["mobile"] == ["", "13987654321"]


def test_one_changes_only_ones_own_details(signed_in, cast):
    signed_in(cast.outsider).post(URL, {"mobile": "13987654321", "email": ""})
    assert User.objects.get(pk=cast.clerk.pk).mobile == ""
    assert User.objects.get(pk=cast.outsider.pk).mobile == "13987654321"


def test_the_sign_in_history_shows_ones_own_last_twenty_attempts(signed_in, cast):
    for number in range(25):
        SignInAttempt.objects.create(username=cast.clerk.username, user=cast.clerk, outcome="bad_password",
                                     ip_address=f"10.0.0.{number}")
    SignInAttempt.objects.create(username=cast.leader.username, user=cast.leader, outcome="success",
                                 ip_address="192.168.9.9")
    response = signed_in(cast.clerk).get(URL)
    history = list(response.context["history"])
    assert len(history) == 20
    assert {attempt.user_id for attempt in history} == {cast.clerk.pk}
    page = response.content.decode()
    assert "10.0.0.24" in page
    assert "192.168.9.9" not in page
    assert "密码错误" in page


def test_the_history_keeps_the_newest_attempts(signed_in, cast):
    for number in range(22):
        SignInAttempt.objects.create(username=cast.clerk.username, user=cast.clerk, outcome="bad_password",
                                     ip_address=f"10.0.1.{number}")
    history = list(signed_in(cast.clerk).get(URL).context["history"])
    addresses = {attempt.ip_address for attempt in history}
    assert "10.0.1.21" in addresses and "10.0.1.0" not in addresses and "10.0.1.1" not in addresses


def test_settings_show_the_password_expiry_and_sign_out_everywhere(signed_in, cast):
    page = signed_in(cast.clerk).get(URL).content.decode()
    assert "密码到期" in page
    assert f'action="{reverse("accounts:sign-out-everywhere")}"' in page
