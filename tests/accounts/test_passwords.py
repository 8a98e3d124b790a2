"""Password policy, forced change at first sign-in and after expiry, and the change itself."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from zhengtong.accounts.models import PasswordHistory
from zhengtong.accounts.services import password_expired, remember_current_password
from zhengtong.audit.models import AuditRecord
from zhengtong.directory import services as directory
from zhengtong.directory.models import User

CHANGE = "/office/accounts/password/"
GOOD = "Qing-Shan-2026!"


def office_urls() -> list[str]:
    """Every office address that takes no arguments (the apps' own included, whatever they add)."""
    found = []

    def walk(patterns, prefix):
        for pattern in patterns:
            route = str(pattern.pattern)
            if "<" in route or "(?P" in route or route.startswith("^"):
                continue
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + route)
            elif isinstance(pattern, URLPattern):
                found.append("/" + prefix + route)

    walk(get_resolver().url_patterns, "")
    exempt = {reverse("accounts:password-change"), reverse("accounts:sign-out")}
    return sorted(url for url in found if url.startswith("/office/") and url not in exempt)


@pytest.fixture
def newcomer(cast):
    """A new account as a unit admin creates it: a one-time password that must be changed."""
    user, password = directory.create_person(actor=cast.admin, unit=cast.unit, name="新同事", department=cast.office)
    return user, password


def sign_in(client, username, password):
    return client.post(reverse("accounts:sign-in"), {"username": username, "password": password})


def change(client, old, new1, new2=None):
    return client.post(CHANGE, {"old_password": old, "new_password1": new1, "new_password2": new2 or new1})


def test_a_new_account_is_sent_to_the_change_page_at_first_sign_in(client, newcomer):
    user, password = newcomer
    assert user.must_change_password and user.password_changed_at is None
    response = sign_in(client, user.username, password)
    assert response["Location"] == CHANGE
    page = client.get(CHANGE).content.decode()
    assert "您正在使用一次性初始密码登录，请先设置自己的密码。" in page


def test_every_office_page_leads_to_the_change_page_until_the_password_is_changed(client, newcomer):
    user, password = newcomer
    sign_in(client, user.username, password)
    urls = office_urls()
    assert reverse("office:home") in urls and reverse("office:address-book") in urls
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == CHANGE, url
    assert client.post(reverse("office:settings"), {"mobile": "13812345678"})["Location"] == CHANGE
    user.refresh_from_db()
    assert user.mobile == ""

    assert change(client, password, GOOD)["Location"] == reverse("office:home")
    for url in (reverse("office:home"), reverse("office:address-book"), reverse("office:settings")):
        assert client.get(url).status_code == 200, url


def test_an_htmx_request_is_told_to_go_to_the_change_page(client, newcomer):
    user, password = newcomer
    sign_in(client, user.username, password)
    response = client.get(reverse("office:address-book") + "?q=zs", HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == CHANGE


def test_sign_out_still_works_before_the_change(client, newcomer):
    user, password = newcomer
    sign_in(client, user.username, password)
    assert client.post(reverse("accounts:sign-out"))["Location"] == reverse("accounts:sign-in")
    assert "_auth_user_id" not in client.session


def test_an_expired_password_forces_a_change(signed_in, cast, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    User.objects.filter(pk=cast.clerk.pk).update(password_changed_at=timezone.now() - timedelta(days=91))
    client = signed_in(cast.clerk)
    assert client.get(reverse("office:home"))["Location"] == CHANGE
    assert "您的密码已过期，请设置新密码后继续使用。" in client.get(CHANGE).content.decode()
    change(client, cast.password, GOOD)
    assert client.get(reverse("office:home")).status_code == 200


def test_expiry_is_reported_at_sign_in(client, cast, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    User.objects.filter(pk=cast.clerk.pk).update(password_changed_at=timezone.now() - timedelta(days=91))
    assert sign_in(client, cast.clerk.username, cast.password)["Location"] == CHANGE


def test_a_password_never_changed_ages_from_the_accounts_creation(cast, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    user = cast.clerk
    user.password_changed_at = None
    user.date_joined = timezone.now() - timedelta(days=100)
    assert password_expired(user)
    user.date_joined = timezone.now() - timedelta(days=10)
    assert not password_expired(user)


def test_expiry_can_be_turned_off(cast, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 0
    cast.clerk.password_changed_at = timezone.now() - timedelta(days=3650)
    assert not password_expired(cast.clerk)


@pytest.mark.parametrize(("password", "message"), [
    ("Ab1-xyz", "此密码太短，至少要包含 10 个字符。"),
    ("Abcde12345", "这个密码太常见了。"),
    ("2026031520260315", "密码只包含数字。"),
    ("qingshanlvshui2026", "密码须至少包含小写字母、大写字母、数字、符号中的三类。"),
    ("Shoufayuanyi-2026", "密码不能包含用户名。"),
])
def test_weak_passwords_are_refused_with_a_chinese_message(signed_in, cast, password, message):
    client = signed_in(cast.clerk)
    before = User.objects.get(pk=cast.clerk.pk).password
    response = change(client, cast.password, password)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert User.objects.get(pk=cast.clerk.pk).password == before
    assert not AuditRecord.objects.filter(action="accounts.password_change").exists()


def test_the_minimum_length_follows_the_setting(signed_in, cast, settings):
    settings.AUTH_PASSWORD_VALIDATORS = [
        {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 16}}]
    response = change(signed_in(cast.clerk), cast.password, GOOD)
    assert "此密码太短，至少要包含 16 个字符。" in response.content.decode()


def test_the_current_password_cannot_be_kept(signed_in, cast):
    response = change(signed_in(cast.clerk), cast.password, cast.password)
    assert "新密码不能与当前密码相同。" in response.content.decode()


def test_an_earlier_password_cannot_be_chosen_again(signed_in, cast):
    client = signed_in(cast.clerk)
    assert change(client, cast.password, GOOD).status_code == 302
    assert change(client, GOOD, "Lv-Shui-2027?").status_code == 302
    response = change(client, "Lv-Shui-2027?", cast.password)
    assert response.status_code == 400
    assert "新密码不能与最近 5 次使用过的密码相同。" in response.content.decode()
    assert PasswordHistory.objects.filter(user=cast.clerk).count() == 2


def test_a_password_remembered_before_a_reset_cannot_be_reused(client, cast):
    remember_current_password(user=cast.clerk)
    one_time = directory.reset_password(actor=cast.admin, user=cast.clerk, unit=cast.unit)
    sign_in(client, cast.clerk.username, one_time)
    response = change(client, one_time, cast.password)
    assert response.status_code == 400
    assert "新密码不能与最近 5 次使用过的密码相同。" in response.content.decode()


def test_a_wrong_current_password_changes_nothing(signed_in, cast):
    client = signed_in(cast.clerk)
    response = change(client, "not-my-password", GOOD)
    assert response.status_code == 400
    assert "当前密码不正确。" in response.content.decode()
    assert User.objects.get(pk=cast.clerk.pk).check_password(cast.password)


def test_the_two_new_passwords_must_match(signed_in, cast):
    response = change(signed_in(cast.clerk), cast.password, GOOD, GOOD + "x")
    assert "两次输入的新密码不一致。" in response.content.decode()
    assert User.objects.get(pk=cast.clerk.pk).check_password(cast.password)


def test_a_good_password_is_saved_audited_and_keeps_this_session(signed_in, cast):
    client = signed_in(cast.clerk)
    response = change(client, cast.password, GOOD)
    assert response["Location"] == reverse("office:home")
    user = User.objects.get(pk=cast.clerk.pk)
    assert user.check_password(GOOD)
    assert not user.must_change_password
    assert timezone.now() - user.password_changed_at < timedelta(minutes=1)
    assert AuditRecord.objects.filter(action="accounts.password_change", actor_id=user.pk).count() == 1
    assert client.get(reverse("office:home")).status_code == 200


def test_changing_the_password_ends_the_persons_other_sessions(client, cast, django_user_model):
    from django.test import Client

    other = Client()
    other.force_login(cast.clerk, backend="zhengtong.accounts.backends.AccountBackend")
    client.force_login(cast.clerk, backend="zhengtong.accounts.backends.AccountBackend")
    change(client, cast.password, GOOD)
    assert other.get(reverse("office:home")).status_code == 302
    assert client.get(reverse("office:home")).status_code == 200


def test_the_change_page_requires_sign_in(client, db):
    response = client.get(CHANGE)
    assert response.status_code == 302 and reverse("accounts:sign-in") in response["Location"]
