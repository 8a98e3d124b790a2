"""Sessions: idle timeout, sign out everywhere, nightly clean-up."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zhengtong.accounts.services import clear_expired_sessions
from zhengtong.audit.models import AuditRecord

SIGN_IN = "/office/accounts/sign-in/"


def real_sign_in(user, password) -> Client:
    client = Client()
    assert client.post(SIGN_IN, {"username": user.username, "password": password}).status_code == 302
    return client


def test_sign_out_everywhere_ends_the_persons_session_on_another_device(cast):
    laptop = real_sign_in(cast.clerk, cast.password)
    phone = real_sign_in(cast.clerk, cast.password)
    colleague = real_sign_in(cast.leader, cast.password)
    assert phone.get(reverse("office:home")).status_code == 200

    response = laptop.post(reverse("accounts:sign-out-everywhere"))
    assert response["Location"] == reverse("accounts:sign-in")

    for client in (laptop, phone):
        response = client.get(reverse("office:home"))
        assert response.status_code == 302 and reverse("accounts:sign-in") in response["Location"]
    assert colleague.get(reverse("office:home")).status_code == 200  # only this person's sessions end
    assert AuditRecord.objects.filter(action="accounts.sign_out_everywhere", actor_id=cast.clerk.pk).count() == 1


def test_the_person_can_sign_in_again_after_signing_out_everywhere(cast):
    client = real_sign_in(cast.clerk, cast.password)
    client.post(reverse("accounts:sign-out-everywhere"))
    again = real_sign_in(cast.clerk, cast.password)
    assert again.get(reverse("office:home")).status_code == 200


def test_sign_out_everywhere_needs_a_signed_in_post(client, cast):
    assert client.post(reverse("accounts:sign-out-everywhere")).status_code == 302
    assert not AuditRecord.objects.filter(action="accounts.sign_out_everywhere").exists()
    signed = real_sign_in(cast.clerk, cast.password)
    assert signed.get(reverse("accounts:sign-out-everywhere")).status_code == 405


def test_the_session_lasts_the_configured_idle_time_and_is_renewed_on_every_request(cast):
    assert django_settings.SESSION_COOKIE_AGE == django_settings.SESSION_IDLE_MINUTES * 60
    assert django_settings.SESSION_SAVE_EVERY_REQUEST is True
    client = real_sign_in(cast.clerk, cast.password)
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(minutes=1))
    client.get(reverse("office:home"))
    renewed = Session.objects.get(session_key=key).expire_date - timezone.now()
    assert timedelta(minutes=django_settings.SESSION_IDLE_MINUTES - 1) < renewed \
        <= timedelta(minutes=django_settings.SESSION_IDLE_MINUTES)


def test_an_idle_session_ends(cast):
    client = real_sign_in(cast.clerk, cast.password)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("office:home"))
    assert response.status_code == 302 and reverse("accounts:sign-in") in response["Location"]


def test_expired_sessions_are_cleared(cast):
    active = real_sign_in(cast.clerk, cast.password)
    stale = real_sign_in(cast.leader, cast.password)
    Session.objects.filter(session_key=stale.session.session_key).update(
        expire_date=timezone.now() - timedelta(days=1))
    clear_expired_sessions()
    assert list(Session.objects.values_list("session_key", flat=True)) == [active.session.session_key]
