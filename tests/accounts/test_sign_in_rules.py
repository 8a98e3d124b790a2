"""Sign-in: lockout after repeated failures, address throttling, every attempt recorded and audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zhengtong.accounts.models import SignInAttempt
from zhengtong.audit.models import AuditRecord
from zhengtong.directory.models import User

SIGN_IN = "/office/accounts/sign-in/"
GENERIC = "用户名或密码错误。连续输错 3 次密码，账号将被锁定 15 分钟。"


@pytest.fixture(autouse=True)
def _policy(settings):
    settings.LOGIN_MAX_FAILURES = 3
    settings.LOCKOUT_MINUTES = 15
    settings.LOGIN_MAX_FAILURES_PER_ADDRESS = 30


def post(client, username, password, **extra):
    return client.post(SIGN_IN, {"username": username, "password": password}, **extra)


def test_sign_in_with_the_right_password_starts_a_session_and_is_recorded(client, cast):
    response = post(client, cast.clerk.username, cast.password)
    assert response.status_code == 302
    assert response["Location"] == reverse("office:home")
    assert client.get(reverse("office:home")).status_code == 200
    attempt = SignInAttempt.objects.get(user=cast.clerk)
    assert attempt.outcome == SignInAttempt.Outcome.SUCCESS
    assert attempt.ip_address == "127.0.0.1"
    assert AuditRecord.objects.filter(action="accounts.sign_in", actor_id=cast.clerk.pk).count() == 1


def test_username_is_matched_without_regard_to_case_and_spaces(client, cast):
    response = post(client, f"  {cast.clerk.username.upper()} ", cast.password)
    assert response.status_code == 302


def test_account_locks_after_the_configured_number_of_wrong_passwords(client, cast):
    for _ in range(2):
        response = post(client, cast.clerk.username, "wrong-password")
        assert GENERIC in response.content.decode()
    response = post(client, cast.clerk.username, "wrong-password")
    assert "登录失败次数过多，账号已被锁定 15 分钟。" in response.content.decode()
    cast.clerk.refresh_from_db()
    assert cast.clerk.locked_until > timezone.now() + timedelta(minutes=14)

    response = post(client, cast.clerk.username, cast.password)  # even the right password is refused now
    assert response.status_code == 400
    assert "该账号因登录失败次数过多已被锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    outcomes = list(SignInAttempt.objects.filter(user=cast.clerk).order_by("id").values_list("outcome", flat=True))
    assert outcomes == ["bad_password"] * 3 + ["locked"]


def test_lock_ends_when_the_lockout_time_has_passed(client, cast):
    for _ in range(3):
        post(client, cast.clerk.username, "wrong-password")
    User.objects.filter(pk=cast.clerk.pk).update(locked_until=timezone.now() - timedelta(seconds=1))
    response = post(client, cast.clerk.username, cast.password)
    assert response.status_code == 302
    cast.clerk.refresh_from_db()
    assert cast.clerk.locked_until is None and cast.clerk.failed_sign_ins == 0


def test_lockout_also_ends_by_the_clock_alone(client, cast, monkeypatch):
    for _ in range(3):
        post(client, cast.clerk.username, "wrong-password")
    later = timezone.now() + timedelta(minutes=16)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert post(client, cast.clerk.username, cast.password).status_code == 302


def test_a_successful_sign_in_resets_the_count_of_wrong_passwords(client, cast):
    post(client, cast.clerk.username, "wrong-password")
    post(client, cast.clerk.username, "wrong-password")
    assert post(client, cast.clerk.username, cast.password).status_code == 302
    cast.clerk.refresh_from_db()
    assert cast.clerk.failed_sign_ins == 0


def test_every_attempt_is_recorded_and_audited(client, cast):
    post(client, cast.clerk.username, "wrong-password")
    post(client, "nobodyhere", "whatever-password")
    post(client, cast.clerk.username, cast.password, HTTP_USER_AGENT="Mozilla/5.0 Test")
    attempts = list(SignInAttempt.objects.order_by("id"))
    assert [(a.username, a.outcome) for a in attempts] == [
        (cast.clerk.username, "bad_password"), ("nobodyhere", "unknown_user"), (cast.clerk.username, "success")]
    assert attempts[-1].user_agent == "Mozilla/5.0 Test"
    actions = list(AuditRecord.objects.filter(action__startswith="accounts.").order_by("seq")
                   .values_list("action", "actor_name"))
    assert actions == [("accounts.sign_in_failed", cast.clerk.name), ("accounts.sign_in_failed", "nobodyhere"),
                       ("accounts.sign_in", cast.clerk.name)]
    assert AuditRecord.objects.filter(action__startswith="accounts.", ip_address="127.0.0.1").count() == 3


def test_an_unknown_username_gets_the_same_answer_as_a_wrong_password(client, cast):
    known = post(client, cast.clerk.username, "wrong-password").content.decode()
    unknown = post(client, "nobodyhere", "wrong-password").content.decode()
    assert GENERIC in known and GENERIC in unknown


def test_an_unknown_username_looks_locked_after_as_many_attempts_as_a_real_one(client, cast):
    answers = [post(client, "nobodyhere", "wrong-password").content.decode() for _ in range(4)]
    assert "登录失败次数过多，账号已被锁定 15 分钟。" in answers[2]
    assert "该账号因登录失败次数过多已被锁定" in answers[3]


def test_a_disabled_account_is_refused_and_only_the_password_holder_learns_why(client, cast):
    User.objects.filter(pk=cast.clerk.pk).update(status=User.Status.LEFT)
    wrong = post(client, cast.clerk.username, "wrong-password").content.decode()
    assert GENERIC in wrong and "已停用" not in wrong
    right = post(client, cast.clerk.username, cast.password)
    assert "该账号已停用" in right.content.decode()
    assert "_auth_user_id" not in client.session
    assert SignInAttempt.objects.filter(user=cast.clerk, outcome="inactive").count() == 2


def test_an_address_with_many_failures_is_refused_whatever_the_username(client, cast, settings):
    settings.LOGIN_MAX_FAILURES_PER_ADDRESS = 4
    for name in ("zhangsan", "lisi", "wangwu", cast.leader.username):
        post(client, name, "wrong-password", REMOTE_ADDR="10.0.0.9")
    response = post(client, cast.clerk.username, cast.password, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 400
    assert "您所在的网络地址登录失败次数过多，请 15 分钟后再试。" in response.content.decode()
    assert SignInAttempt.objects.filter(ip_address="10.0.0.9", outcome="throttled").count() == 1
    assert AuditRecord.objects.filter(action="accounts.sign_in_throttled").count() == 1
    # the clerk is not locked: from another address the same password works
    assert post(Client(), cast.clerk.username, cast.password, REMOTE_ADDR="10.0.0.10").status_code == 302


def test_failures_from_an_address_age_out_after_the_lockout_time(client, cast, settings, monkeypatch):
    settings.LOGIN_MAX_FAILURES_PER_ADDRESS = 2
    post(client, "zhangsan", "wrong-password", REMOTE_ADDR="10.0.0.9")
    post(client, "lisi", "wrong-password", REMOTE_ADDR="10.0.0.9")
    later = timezone.now() + timedelta(minutes=16)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert post(client, cast.clerk.username, cast.password, REMOTE_ADDR="10.0.0.9").status_code == 302


def test_someone_guessing_a_password_does_not_end_the_real_persons_session(signed_in, cast):
    own = signed_in(cast.clerk)
    for _ in range(3):
        post(Client(), cast.clerk.username, "wrong-password")
    cast.clerk.refresh_from_db()
    assert cast.clerk.locked_until is not None
    assert own.get(reverse("office:home")).status_code == 200


def test_an_account_locked_by_an_administrator_loses_its_sessions(signed_in, cast):
    own = signed_in(cast.clerk)
    User.objects.filter(pk=cast.clerk.pk).update(status=User.Status.LOCKED)
    response = own.get(reverse("office:home"))
    assert response.status_code == 302 and reverse("accounts:sign-in") in response["Location"]


def test_sign_out_ends_the_session_and_is_audited(signed_in, cast):
    client = signed_in(cast.clerk)
    response = client.post(reverse("accounts:sign-out"))
    assert response.status_code == 302
    assert client.get(reverse("office:home")).status_code == 302
    assert AuditRecord.objects.filter(action="accounts.sign_out", actor_id=cast.clerk.pk).exists()


def test_sign_out_needs_a_post(signed_in, cast):
    client = signed_in(cast.clerk)
    assert client.get(reverse("accounts:sign-out")).status_code == 405
    assert client.get(reverse("office:home")).status_code == 200


def test_sign_in_never_redirects_to_another_site(client, cast):
    response = client.post(SIGN_IN + "?next=https://evil.example.com/",
                           {"username": cast.clerk.username, "password": cast.password,
                            "next": "https://evil.example.com/"})
    assert response["Location"] == reverse("office:home")


def test_sign_in_follows_a_local_next_address(client, cast):
    response = client.post(SIGN_IN, {"username": cast.clerk.username, "password": cast.password,
                                     "next": reverse("office:settings")})
    assert response["Location"] == reverse("office:settings")


def test_empty_form_shows_chinese_field_errors_and_records_nothing(client, db):
    response = client.post(SIGN_IN, {"username": "", "password": ""})
    assert response.status_code == 400
    assert "这个字段是必填项。" in response.content.decode()
    assert not SignInAttempt.objects.exists()


def test_a_password_rehashed_at_sign_in_keeps_the_new_session(client, cast, settings):
    """Signing in may upgrade the stored hash (new hasher): the session must survive it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher",
                                 "django.contrib.auth.hashers.MD5PasswordHasher"]
    old_hash = User.objects.get(pk=cast.clerk.pk).password
    assert old_hash.startswith("md5$")
    assert post(client, cast.clerk.username, cast.password).status_code == 302
    assert User.objects.get(pk=cast.clerk.pk).password.startswith("pbkdf2_sha256$")
    assert client.get(reverse("office:home")).status_code == 200


def test_behind_a_proxy_attempts_are_counted_by_the_forwarded_address(client, cast, settings):
    settings.BEHIND_PROXY = True
    settings.LOGIN_MAX_FAILURES_PER_ADDRESS = 2
    for name in ("zhangsan", "lisi"):
        post(client, name, "wrong-password", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.8.0.1")
    assert set(SignInAttempt.objects.values_list("ip_address", flat=True)) == {"10.8.0.1"}
    # another civil servant behind the same proxy is not refused
    response = post(Client(), cast.clerk.username, cast.password, REMOTE_ADDR="127.0.0.1",
                    HTTP_X_FORWARDED_FOR="10.8.0.2")
    assert response.status_code == 302
    # only the entry the proxy wrote counts: a forged first entry changes nothing
    refused = post(Client(), cast.leader.username, cast.password, REMOTE_ADDR="127.0.0.1",
                   HTTP_X_FORWARDED_FOR="10.9.9.9, 10.8.0.1")
    assert refused.status_code == 400


def test_without_a_proxy_a_forwarded_address_is_ignored(client, cast, settings):
    settings.BEHIND_PROXY = False
    post(client, "zhangsan", "wrong-password", REMOTE_ADDR="10.0.0.7", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert SignInAttempt.objects.get().ip_address == "10.0.0.7"
