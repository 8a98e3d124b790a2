"""The seal pages under /office/seals/: what each person sees and may do, and what outsiders cannot."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse

from seals.conftest import TEST_PIN
from zhengtong.directory import roles
from zhengtong.directory import services as directory
from zhengtong.seals import ca
from zhengtong.seals import services as lifecycle
from zhengtong.seals.models import Seal, SealApplication


@dataclass
class People:
    keeper: object
    custodian: object
    operator2: object
    other_keeper: object


def _person(name, unit, codes, password):
    user, _ = directory.create_person(actor=None, unit=unit, name=name, role_codes=codes)
    user.set_password(password)
    user.must_change_password = False
    user.save()
    return user


@pytest.fixture
def people(cast):
    centre = cast.operator.memberships.get().unit
    return People(
        keeper=_person("印章员庚", cast.unit, [roles.SEAL_KEEPER], cast.password),
        custodian=_person("保密员辛", centre, [roles.SEAL_CUSTODIAN], cast.password),
        operator2=_person("运维壬", centre, [roles.PLATFORM_OPERATOR], cast.password),
        other_keeper=_person("外印章癸", cast.other_unit, [roles.SEAL_KEEPER], cast.password),
    )


def _nav_has_seals(client) -> bool:
    return f'href="{reverse("seals:index")}"' in client.get(reverse("office:home")).content.decode()


def test_the_menu_item_shows_to_the_people_who_keep_approve_or_oversee_seals(cast, people, client, signed_in):
    for person in (people.keeper, cast.admin, cast.leader, cast.operator, people.custodian):
        signed_in(person)
        assert _nav_has_seals(client), person.name
    for person in (cast.clerk, cast.section_chief):
        signed_in(person)
        assert not _nav_has_seals(client), person.name


def test_the_unit_page_lists_its_seals_and_links_to_the_root_certificate(cast, people, client, signed_in,
                                                                          make_test_seal):
    seal = make_test_seal(cast.unit, lower_text="")
    make_test_seal(cast.other_unit)
    signed_in(people.keeper)
    page = client.get(reverse("seals:index"))
    html = page.content.decode()
    assert page.status_code == 200
    assert f'data-seal="{seal.pk}"' in html and seal.serial_number in html
    assert cast.other_unit.name not in html
    assert reverse("seals-public:root-pem") in html
    image = client.get(reverse("seals:image", args=[seal.pk]))
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    detail = client.get(reverse("seals:detail", args=[seal.pk])).content.decode()
    assert seal.fingerprint[:2].upper() in detail and "SHA-256" in detail
    assert 'data-testid="change-pin"' in detail


def test_outsiders_see_nothing_of_a_units_seals_or_applications(cast, people, client, signed_in, make_test_seal):
    seal = make_test_seal(cast.unit)
    application = lifecycle.apply(actor=people.keeper, unit=cast.unit, action="change", seal=seal, reason="更名")
    for person in (cast.outsider, people.other_keeper, cast.clerk):
        signed_in(person)
        for name, args in (("seals:detail", [seal.pk]), ("seals:image", [seal.pk]), ("seals:change-pin", [seal.pk]),
                           ("seals:report-lost", [seal.pk]), ("seals:revoke", [seal.pk]),
                           ("seals:application", [application.pk])):
            assert client.get(reverse(name, args=args)).status_code == 404, (person.name, name)
        for name in ("seals:decide-head", "seals:decide-operator", "seals:confirm", "seals:withdraw"):
            response = client.post(reverse(name, args=[application.pk]), {"decision": "approve", "note": ""})
            assert response.status_code == 404, (person.name, name)
        response = client.post(reverse("seals:report-lost", args=[seal.pk]), {"note": "x", "understood": "on"})
        assert response.status_code == 404
        assert client.get(reverse("seals:all")).status_code == 404
    signed_in(cast.clerk)
    assert client.get(reverse("seals:index")).status_code == 404
    assert client.get(reverse("seals:apply")).status_code == 404
    seal.refresh_from_db()
    application.refresh_from_db()
    assert seal.is_active and application.status == SealApplication.Status.AWAITING_HEAD


def test_applying_in_the_browser_refuses_a_missing_reason_then_goes_through(cast, people, client, signed_in):
    signed_in(people.keeper)
    form = client.get(reverse("seals:apply") + "?action=make")
    assert form.status_code == 200 and 'name="seal_type"' in form.content.decode()
    refused = client.post(reverse("seals:apply"), {"action": "make", "seal_type": "official", "reason": "",
                                                   "key_storage": "file"})
    assert refused.status_code == 400
    assert "理由" in refused.content.decode() or "reason" in refused.content.decode()
    assert not SealApplication.objects.exists()
    response = client.post(reverse("seals:apply"), {"action": "make", "seal_type": "official",
                                                    "reason": "启用电子公文交换", "key_storage": "file"})
    application = SealApplication.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("seals:application",
                                                                           args=[application.pk])
    assert application.applicant == people.keeper and application.unit == cast.unit


def test_the_whole_way_through_the_pages(cast, people, client, signed_in, seal_ca, seal_key_dir):
    application = lifecycle.apply(actor=people.keeper, unit=cast.unit, action="make", reason="启用")
    url = reverse("seals:application", args=[application.pk])

    signed_in(people.keeper)
    assert 'data-testid="approve"' not in client.get(url).content.decode()
    assert client.post(reverse("seals:decide-head", args=[application.pk]),
                       {"decision": "approve"}).status_code == 302
    application.refresh_from_db()
    assert application.status == SealApplication.Status.AWAITING_HEAD  # refused with a message

    signed_in(cast.leader)
    assert 'data-testid="approve"' in client.get(url).content.decode()
    assert client.get(reverse("seals:queue")).content.decode().count(f'data-application="{application.pk}"') == 1
    refused = client.post(reverse("seals:decide-head", args=[application.pk]), {"decision": "refuse", "note": ""})
    assert refused.status_code == 400
    client.post(reverse("seals:decide-head", args=[application.pk]), {"decision": "approve", "note": "同意"})

    signed_in(cast.operator)
    assert 'data-testid="approve"' in client.get(url).content.decode()
    client.post(reverse("seals:decide-operator", args=[application.pk]), {"decision": "approve"})
    page = client.get(url).content.decode()
    assert 'data-testid="confirm"' in page and 'name="pin"' not in page  # the first confirmation
    client.post(reverse("seals:confirm", args=[application.pk]), {})
    assert 'data-testid="confirm-panel"' not in client.get(url).content.decode()

    signed_in(people.custodian)
    page = client.get(url).content.decode()
    assert 'name="pin"' in page
    bad = client.post(reverse("seals:confirm", args=[application.pk]), {"pin": TEST_PIN, "pin_again": "other"})
    assert bad.status_code == 400 and not Seal.objects.exists()
    weak = client.post(reverse("seals:confirm", args=[application.pk]), {"pin": "123456", "pin_again": "123456"})
    assert weak.status_code == 400 and not Seal.objects.exists()
    made = client.post(reverse("seals:confirm", args=[application.pk]), {"pin": TEST_PIN, "pin_again": TEST_PIN})
    seal = Seal.objects.get()
    assert made.status_code == 302 and made["Location"] == reverse("seals:detail", args=[seal.pk])
    steps = client.get(url).content.decode()
    assert steps.count('data-state="done"') == 6

    signed_in(people.keeper)
    detail = client.get(reverse("seals:detail", args=[seal.pk])).content.decode()
    assert seal.serial_number in detail and 'data-testid="seal-image"' in detail


def test_change_pin_report_lost_and_revoke_pages(cast, people, client, signed_in, make_test_seal):
    seal = make_test_seal(cast.unit)
    signed_in(cast.admin)  # not the seal keeper
    assert client.get(reverse("seals:change-pin", args=[seal.pk])).status_code == 404
    assert client.get(reverse("seals:revoke", args=[seal.pk])).status_code == 404

    signed_in(people.keeper)
    wrong = client.post(reverse("seals:change-pin", args=[seal.pk]),
                        {"old_pin": "Not-the-pin-1", "new_pin": "Hs-7531-seal", "new_pin_again": "Hs-7531-seal"})
    assert wrong.status_code == 400
    seal.refresh_from_db()
    assert seal.failed_pin_attempts == 1
    done = client.post(reverse("seals:change-pin", args=[seal.pk]),
                       {"old_pin": TEST_PIN, "new_pin": "Hs-7531-seal", "new_pin_again": "Hs-7531-seal"})
    assert done.status_code == 302

    unticked = client.post(reverse("seals:report-lost", args=[seal.pk]), {"note": "遗失"})
    assert unticked.status_code == 400
    seal.refresh_from_db()
    assert seal.is_active
    lost = client.post(reverse("seals:report-lost", args=[seal.pk]), {"note": "遗失", "understood": "on"})
    assert lost.status_code == 302
    seal.refresh_from_db()
    assert seal.revocation_reason == Seal.RevocationReason.LOST and ca.is_revoked(seal.serial_number)
    detail = client.get(reverse("seals:detail", args=[seal.pk])).content.decode()
    assert 'data-testid="revoked"' in detail and "action=reissue" in detail
    assert client.get(reverse("seals:change-pin", args=[seal.pk])).status_code == 404

    other = make_test_seal(cast.unit, seal_type="document", lower_text="公文专用章")
    signed_in(cast.operator)
    assert client.get(reverse("seals:all")).status_code == 200
    assert client.post(reverse("seals:revoke", args=[other.pk]), {"reason": "requested", "note": ""}).status_code == 400
    assert client.post(reverse("seals:revoke", args=[other.pk]),
                       {"reason": "requested", "note": "书面申请"}).status_code == 302
    other.refresh_from_db()
    assert other.status == Seal.Status.REVOKED
