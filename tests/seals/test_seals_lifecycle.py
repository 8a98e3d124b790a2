"""The seal lifecycle (seed 001 第二十条–第二十五条, seed 004 要求 4–8): apply, approve, two confirmations,
change, reissue, revoke, report lost, end with the unit, change the PIN — from every side."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from cryptography import x509

from seals.conftest import TEST_PIN
from zhengtong.audit.models import AuditRecord
from zhengtong.directory import roles
from zhengtong.directory import services as directory
from zhengtong.directory.models import Unit
from zhengtong.notifications.models import Notice
from zhengtong.seals import ca, keys, selectors
from zhengtong.seals import services as lifecycle
from zhengtong.seals.exceptions import SealInvalid, SealPermissionDenied
from zhengtong.seals.models import Seal, SealApplication

NEW_PIN = "Hs-7531-seal"


@dataclass
class People:
    keeper: object  # 印章管理员 of cast.unit
    custodian: object  # 保密室 custodian
    operator2: object  # a second platform operator
    other_keeper: object  # 印章管理员 of cast.other_unit


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


def _approved(cast, people, **kwargs) -> SealApplication:
    kwargs.setdefault("action", SealApplication.Action.MAKE)
    kwargs.setdefault("reason", "本单位启用电子公文交换，申请制作单位公章。")
    application = lifecycle.apply(actor=people.keeper, unit=cast.unit, **kwargs)
    lifecycle.decide_as_head(actor=cast.leader, application=application, approve=True)
    lifecycle.decide_as_operator(actor=cast.operator, application=application, approve=True)
    application.refresh_from_db()
    return application


def _made(cast, people, **kwargs) -> Seal:
    application = _approved(cast, people, **kwargs)
    lifecycle.confirm(actor=people.custodian, application=application)
    application = lifecycle.confirm(actor=cast.operator, application=application, pin=TEST_PIN)
    return application.result_seal


def _actions(obj) -> list[str]:
    return list(AuditRecord.objects.filter(object_type=f"seals.{obj._meta.model_name}", object_id=str(obj.pk))
                .order_by("seq").values_list("action", flat=True))


# --- the whole way: apply → head → platform → custodian + operator → seal ----------------------------

def test_a_seal_is_made_after_the_head_the_platform_and_two_different_confirmations(cast, people, seal_ca,
                                                                                     seal_key_dir):
    application = lifecycle.apply(actor=people.keeper, unit=cast.unit, action="make", seal_type="official",
                                  reason="启用电子公文交换。")
    assert application.status == SealApplication.Status.AWAITING_HEAD
    assert application.seal_name == cast.unit.name  # 印文使用全称
    assert Notice.objects.filter(recipient=cast.leader, category="seals").exists()

    lifecycle.decide_as_head(actor=cast.leader, application=application, approve=True)
    application.refresh_from_db()
    assert application.status == SealApplication.Status.AWAITING_OPERATOR
    assert Notice.objects.filter(recipient=cast.operator, category="seals").exists()

    lifecycle.decide_as_operator(actor=cast.operator, application=application, approve=True)
    application.refresh_from_db()
    assert application.status == SealApplication.Status.APPROVED
    assert Notice.objects.filter(recipient=people.custodian, category="seals").exists()

    # the operator first this time (either order), then the custodian with the keeper's PIN
    lifecycle.confirm(actor=cast.operator, application=application)
    application.refresh_from_db()
    assert application.status == SealApplication.Status.APPROVED and application.result_seal is None
    assert not Seal.objects.exists()
    application = lifecycle.confirm(actor=people.custodian, application=application, pin=TEST_PIN)

    seal = application.result_seal
    assert application.status == SealApplication.Status.DONE
    assert {application.custodian_confirmed_by, application.operator_confirmed_by} == {people.custodian,
                                                                                      cast.operator}
    assert seal.is_active and seal.unit == cast.unit and seal.name == cast.unit.name
    cert = x509.load_pem_x509_certificate(seal.certificate_pem.encode())
    assert cert.subject.get_attributes_for_oid(x509.NameOID.ORGANIZATION_NAME)[0].value == cast.unit.name
    assert seal.serial_number == ca.serial_hex(cert)
    assert seal.image.read()[:8] == b"\x89PNG\r\n\x1a\n"
    # the PIN typed at the making unlocks the key, another does not
    keys.check_pin(seal, TEST_PIN)
    with pytest.raises(keys.WrongPin):
        keys.check_pin(seal, "Wrong-PIN-99")
    assert _actions(application) == ["seals.application.apply", "seals.application.head_approve",
                                     "seals.application.operator_approve", "seals.application.confirm",
                                     "seals.application.confirm"]
    assert _actions(seal) == ["seals.seal.make"]
    assert Notice.objects.filter(recipient=people.keeper, url=f"/office/seals/{seal.pk}/").exists()


def test_nobody_confirms_twice_and_one_person_cannot_fill_both_sides(cast, people, seal_ca, seal_key_dir):
    application = _approved(cast, people)
    lifecycle.confirm(actor=cast.operator, application=application)
    with pytest.raises(SealPermissionDenied):
        lifecycle.confirm(actor=cast.operator, application=application, pin=TEST_PIN)
    # another operator is the same side (信息中心): still not the 保密室
    with pytest.raises(SealPermissionDenied):
        lifecycle.confirm(actor=people.operator2, application=application, pin=TEST_PIN)
    # someone holding both roles who already confirmed cannot take the other side either
    centre = cast.operator.memberships.get().unit
    directory.set_roles(actor=None, user=cast.operator, unit=centre,
                        role_codes=[roles.PLATFORM_OPERATOR, roles.SEAL_CUSTODIAN])
    with pytest.raises(SealPermissionDenied):
        lifecycle.confirm(actor=cast.operator, application=application, pin=TEST_PIN)
    application.refresh_from_db()
    assert application.custodian_confirmed_by is None and not Seal.objects.exists()


def test_people_without_the_roles_cannot_confirm_or_approve(cast, people, seal_ca, seal_key_dir):
    application = lifecycle.apply(actor=cast.admin, unit=cast.unit, action="make", reason="申请")
    for actor in (people.keeper, cast.admin, cast.outsider, cast.operator):
        with pytest.raises(SealPermissionDenied):
            lifecycle.decide_as_head(actor=actor, application=application, approve=True)
    lifecycle.decide_as_head(actor=cast.leader, application=application, approve=True)
    for actor in (cast.leader, people.custodian, cast.outsider):
        with pytest.raises(SealPermissionDenied):
            lifecycle.decide_as_operator(actor=actor, application=application, approve=True)
    lifecycle.decide_as_operator(actor=cast.operator, application=application, approve=True)
    for actor in (cast.leader, people.keeper, cast.outsider, cast.clerk):
        with pytest.raises(SealPermissionDenied):
            lifecycle.confirm(actor=actor, application=application, pin=TEST_PIN)
    application.refresh_from_db()
    assert application.status == SealApplication.Status.APPROVED
    assert application.custodian_confirmed_by is None and application.operator_confirmed_by is None


def test_a_bad_initial_pin_makes_nothing_and_the_confirmation_can_be_given_again(cast, people, seal_ca,
                                                                                  seal_key_dir):
    application = _approved(cast, people)
    lifecycle.confirm(actor=people.custodian, application=application)
    for pin in ("", "123456", "aaaaaaa", "short"):
        with pytest.raises(SealInvalid) as refused:
            lifecycle.confirm(actor=cast.operator, application=application, pin=pin)
        assert "pin" in refused.value.message_dict
    assert not Seal.objects.exists()
    application.refresh_from_db()
    assert application.operator_confirmed_by is None
    lifecycle.confirm(actor=cast.operator, application=application, pin=TEST_PIN)
    assert Seal.objects.filter(unit=cast.unit, status=Seal.Status.ACTIVE).count() == 1


# --- applying -----------------------------------------------------------------------------------

def test_only_the_units_admin_or_seal_keeper_applies(cast, people):
    for actor in (cast.clerk, cast.leader, cast.section_chief, cast.outsider, people.other_keeper, cast.operator):
        with pytest.raises(SealPermissionDenied):
            lifecycle.apply(actor=actor, unit=cast.unit, action="make", reason="申请")
    assert not SealApplication.objects.exists()
    assert lifecycle.apply(actor=cast.admin, unit=cast.unit, action="make", reason="申请").pk


def test_an_application_needs_a_reason_and_a_seal_of_the_unit(cast, people, make_test_seal):
    with pytest.raises(SealInvalid) as refused:
        lifecycle.apply(actor=people.keeper, unit=cast.unit, action="make", reason="  ")
    assert "reason" in refused.value.message_dict
    foreign = make_test_seal(cast.other_unit)
    with pytest.raises(SealInvalid) as refused:
        lifecycle.apply(actor=people.keeper, unit=cast.unit, action="revoke", seal=foreign, reason="撤销")
    assert "seal" in refused.value.message_dict
    with pytest.raises(SealInvalid) as refused:
        lifecycle.apply(actor=people.keeper, unit=cast.unit, action="make", seal_type="special", reason="合同")
    assert "lower_text" in refused.value.message_dict
    assert not SealApplication.objects.exists()


def test_a_second_official_seal_or_a_second_open_application_is_refused(cast, people, make_test_seal):
    lifecycle.apply(actor=people.keeper, unit=cast.unit, action="make", seal_type="document", reason="公文专用章")
    with pytest.raises(SealInvalid):
        lifecycle.apply(actor=cast.admin, unit=cast.unit, action="make", seal_type="document", reason="again")
    seal = make_test_seal(cast.unit)
    with pytest.raises(SealInvalid):
        lifecycle.apply(actor=cast.admin, unit=cast.unit, action="make", seal_type="official", reason="又一枚")
    lifecycle.apply(actor=cast.admin, unit=cast.unit, action="change", seal=seal, reason="单位更名")
    with pytest.raises(SealInvalid):
        lifecycle.apply(actor=cast.admin, unit=cast.unit, action="revoke", seal=seal, reason="撤销")
    # the 公文专用章 carries its name below the star by default
    assert SealApplication.objects.get(seal_type="document").lower_text == "公文专用章"


def test_refusals_need_a_reason_and_end_the_application(cast, people):
    application = lifecycle.apply(actor=people.keeper, unit=cast.unit, action="make", reason="申请")
    with pytest.raises(SealInvalid):
        lifecycle.decide_as_head(actor=cast.leader, application=application, approve=False, note="")
    lifecycle.decide_as_head(actor=cast.leader, application=application, approve=False, note="暂不需要")
    application.refresh_from_db()
    assert application.status == SealApplication.Status.REFUSED and application.finished_at
    assert Notice.objects.filter(recipient=people.keeper, category="seals").exists()
    with pytest.raises(SealInvalid):
        lifecycle.decide_as_head(actor=cast.leader, application=application, approve=True)
    steps = {step.key: step.state for step in selectors.steps_of(application)}
    assert steps["head"] == "refused" and steps["operator"] == "skipped"


def test_the_head_does_not_approve_their_own_application(cast, people):
    directory.set_roles(actor=None, user=cast.leader, unit=cast.unit,
                        role_codes=[roles.PRINCIPAL_LEADER, roles.SEAL_KEEPER])
    application = lifecycle.apply(actor=cast.leader, unit=cast.unit, action="make", reason="申请")
    with pytest.raises(SealPermissionDenied):
        lifecycle.decide_as_head(actor=cast.leader, application=application, approve=True)


def test_the_unit_withdraws_an_open_application_but_not_anothers(cast, people):
    application = lifecycle.apply(actor=people.keeper, unit=cast.unit, action="make", reason="申请")
    with pytest.raises(SealPermissionDenied):
        lifecycle.withdraw(actor=cast.outsider, application=application)
    lifecycle.withdraw(actor=cast.admin, application=application, note="重复申请")
    application.refresh_from_db()
    assert application.status == SealApplication.Status.WITHDRAWN
    with pytest.raises(SealInvalid):
        lifecycle.withdraw(actor=cast.admin, application=application)


# --- change, reissue, revoke, lost --------------------------------------------------------------

def test_a_change_makes_a_new_seal_and_supersedes_the_old_one_on_the_crl(cast, people, seal_ca, seal_key_dir):
    old = _made(cast, people)
    directory.rename_unit(actor=cast.operator, unit=cast.unit, name="鹤山区农业农村和水利局")
    cast.unit.refresh_from_db()
    new = _made(cast, people, action="change", seal=old, reason="单位更名（第二十五条）")
    old.refresh_from_db()
    assert new.is_active and new.replaces == old and new.name == "鹤山区农业农村和水利局"
    assert old.status == Seal.Status.SUPERSEDED and old.revocation_reason == Seal.RevocationReason.REPLACED
    assert ca.is_revoked(old.serial_number) is not None and ca.is_revoked(new.serial_number) is None
    crl = x509.load_der_x509_crl(ca.current_crl_der())
    assert crl.get_revoked_certificate_by_serial_number(int(old.serial_number, 16)) is not None
    assert list(selectors.active_seals(cast.unit)) == [new]


def test_a_lost_seal_is_revoked_at_once_the_platform_is_told_and_a_reissue_replaces_it(cast, people, seal_ca,
                                                                                        seal_key_dir):
    seal = _made(cast, people)
    with pytest.raises(SealInvalid):
        lifecycle.report_lost(actor=people.keeper, seal=seal, note="")
    with pytest.raises(SealPermissionDenied):
        lifecycle.report_lost(actor=cast.outsider, seal=seal, note="丢了")
    with pytest.raises(SealPermissionDenied):
        lifecycle.report_lost(actor=cast.clerk, seal=seal, note="丢了")
    lifecycle.report_lost(actor=people.keeper, seal=seal, note="11月20日下午USBKey遗失")
    seal.refresh_from_db()
    assert seal.status == Seal.Status.REVOKED and seal.revocation_reason == Seal.RevocationReason.LOST
    assert seal.revoked_by == people.keeper and ca.is_revoked(seal.serial_number) is not None
    assert not selectors.may_use_seal(people.keeper, seal)
    urgent = Notice.objects.filter(category="seals", urgent=True)
    assert set(urgent.values_list("recipient", flat=True)) >= {cast.operator.pk, people.operator2.pk,
                                                               people.custodian.pk}
    assert "seals.seal.report_lost" in _actions(seal)
    with pytest.raises(SealInvalid):
        lifecycle.report_lost(actor=people.keeper, seal=seal, note="again")

    reissued = _made(cast, people, action="reissue", seal=seal, reason="遗失补发，附书面证明")
    assert reissued.replaces == seal and reissued.name == seal.name and reissued.is_active
    seal.refresh_from_db()
    assert seal.revocation_reason == Seal.RevocationReason.LOST  # stays as reported
    with pytest.raises(SealInvalid):  # reissued once only
        lifecycle.apply(actor=people.keeper, unit=cast.unit, action="reissue", seal=seal, reason="again")


def test_a_revocation_application_revokes_when_the_platform_approves(cast, people, make_test_seal):
    seal = make_test_seal(cast.unit)
    application = lifecycle.apply(actor=people.keeper, unit=cast.unit, action="revoke", seal=seal,
                                  reason="停止使用")
    lifecycle.decide_as_head(actor=cast.leader, application=application, approve=True)
    seal.refresh_from_db()
    assert seal.is_active
    lifecycle.decide_as_operator(actor=cast.operator, application=application, approve=True)
    application.refresh_from_db()
    seal.refresh_from_db()
    assert application.status == SealApplication.Status.DONE
    assert seal.status == Seal.Status.REVOKED and seal.revocation_reason == Seal.RevocationReason.REQUESTED
    with pytest.raises(SealInvalid):
        lifecycle.confirm(actor=people.custodian, application=application)


def test_only_the_operator_revokes_directly(cast, people, make_test_seal):
    seal = make_test_seal(cast.unit)
    for actor in (people.keeper, cast.admin, cast.leader, people.custodian, cast.outsider):
        with pytest.raises(SealPermissionDenied):
            lifecycle.revoke(actor=actor, seal=seal, reason="requested", note="x")
    with pytest.raises(SealInvalid):
        lifecycle.revoke(actor=cast.operator, seal=seal, reason="requested", note="")
    lifecycle.revoke(actor=cast.operator, seal=seal, reason="requested", note="单位书面申请")
    seal.refresh_from_db()
    assert seal.status == Seal.Status.REVOKED
    assert Notice.objects.filter(recipient=people.keeper, urgent=True).exists()


def test_revoking_a_seal_ends_the_open_applications_about_it(cast, people, make_test_seal):
    seal = make_test_seal(cast.unit)
    change = lifecycle.apply(actor=people.keeper, unit=cast.unit, action="change", seal=seal, reason="更名")
    lifecycle.report_lost(actor=people.keeper, seal=seal, note="遗失")
    change.refresh_from_db()
    assert change.status == SealApplication.Status.WITHDRAWN


def test_a_dissolved_units_seals_are_revoked_and_its_applications_end(cast, people, make_test_seal,
                                                                      django_capture_on_commit_callbacks):
    official = make_test_seal(cast.other_unit)
    document = make_test_seal(cast.other_unit, seal_type="document", lower_text="公文专用章")
    kept = make_test_seal(cast.unit)
    pending = lifecycle.apply(actor=people.other_keeper, unit=cast.other_unit, action="make", seal_type="special",
                              lower_text="合同专用章", reason="合同")
    with django_capture_on_commit_callbacks(execute=True):
        directory.dissolve_unit(actor=cast.operator, unit=cast.other_unit, end_note="职能划入区政府办")
    for seal in (official, document):
        seal.refresh_from_db()
        assert seal.status == Seal.Status.REVOKED
        assert seal.revocation_reason == Seal.RevocationReason.UNIT_ENDED
        assert ca.is_revoked(seal.serial_number) is not None
        assert AuditRecord.objects.filter(action="seals.seal.revoke", object_id=str(seal.pk),
                                          actor_id=cast.operator.pk).exists()
    kept.refresh_from_db()
    assert kept.is_active
    pending.refresh_from_db()
    assert pending.status == SealApplication.Status.WITHDRAWN
    crl = x509.load_der_x509_crl(ca.current_crl_der())
    assert crl.get_revoked_certificate_by_serial_number(int(official.serial_number, 16)) is not None


def test_a_merged_units_seals_are_revoked_but_the_continuing_units_are_kept(cast, people, make_test_seal,
                                                                            django_capture_on_commit_callbacks):
    merged = make_test_seal(cast.other_unit)
    continuing = make_test_seal(cast.unit)
    with django_capture_on_commit_callbacks(execute=True):
        directory.merge_units(actor=cast.operator, units=[cast.unit, cast.other_unit], continuing=cast.unit,
                              end_note="合并")
    merged.refresh_from_db()
    continuing.refresh_from_db()
    assert Unit.objects.get(pk=cast.other_unit.pk).status == Unit.Status.MERGED
    assert merged.revocation_reason == Seal.RevocationReason.UNIT_ENDED and not merged.is_active
    assert continuing.is_active


# --- using and the PIN (seed 004 要求 7–8) ---------------------------------------------------------

def test_only_the_units_seal_keeper_may_use_an_active_seal(cast, people, make_test_seal):
    seal = make_test_seal(cast.unit)
    assert selectors.may_use_seal(people.keeper, seal)
    assert list(selectors.usable_seals(people.keeper, cast.unit)) == [seal]
    for person in (cast.admin, cast.leader, cast.clerk, people.other_keeper, cast.operator, people.custodian):
        assert not selectors.may_use_seal(person, seal)
        assert not selectors.usable_seals(person, cast.unit).exists()
    assert not selectors.usable_seals(people.keeper, cast.other_unit).exists()
    lifecycle.revoke(actor=cast.operator, seal=seal, reason="requested", note="撤销")
    seal.refresh_from_db()
    assert not selectors.may_use_seal(people.keeper, seal)
    assert not selectors.usable_seals(people.keeper, cast.unit).exists()


def test_the_seal_keeper_changes_the_pin_and_wrong_pins_are_counted_and_audited(cast, people, make_test_seal,
                                                                                 settings):
    settings.SEAL_MAX_PIN_FAILURES = 2
    seal = make_test_seal(cast.unit)
    with pytest.raises(SealPermissionDenied):
        lifecycle.change_pin(actor=cast.admin, seal=seal, old_pin=TEST_PIN, new_pin=NEW_PIN)
    with pytest.raises(SealInvalid) as refused:
        lifecycle.change_pin(actor=people.keeper, seal=seal, old_pin=TEST_PIN, new_pin="111111")
    assert "new_pin" in refused.value.message_dict
    with pytest.raises(SealInvalid) as refused:
        lifecycle.change_pin(actor=people.keeper, seal=seal, old_pin="Not-the-pin-1", new_pin=NEW_PIN)
    assert "old_pin" in refused.value.message_dict
    seal.refresh_from_db()
    assert seal.failed_pin_attempts == 1
    assert AuditRecord.objects.filter(action="seals.seal.wrong_pin", object_id=str(seal.pk)).count() == 1
    keys.check_pin(seal, TEST_PIN)  # nothing changed

    lifecycle.change_pin(actor=people.keeper, seal=seal, old_pin=TEST_PIN, new_pin=NEW_PIN)
    seal.refresh_from_db()
    assert seal.failed_pin_attempts == 0
    keys.check_pin(seal, NEW_PIN)
    with pytest.raises(keys.WrongPin):
        keys.check_pin(seal, TEST_PIN)
    assert selectors.pin_changed_at(seal) > seal.made_at
    assert "seals.seal.change_pin" in _actions(seal)
    assert not any(NEW_PIN in str(record.changes) or TEST_PIN in str(record.changes)
                   for record in AuditRecord.objects.all())

    # two wrong PINs lock it; the operator unlocks
    for _attempt in range(2):
        with pytest.raises(SealInvalid):
            lifecycle.change_pin(actor=people.keeper, seal=seal, old_pin="Not-the-pin-1", new_pin="Other-PIN-42")
    seal.refresh_from_db()
    assert selectors.is_locked(seal)
    with pytest.raises(SealInvalid):
        lifecycle.change_pin(actor=people.keeper, seal=seal, old_pin=NEW_PIN, new_pin="Other-PIN-42")
    with pytest.raises(SealPermissionDenied):
        lifecycle.unlock(actor=cast.admin, seal=seal)
    lifecycle.unlock(actor=cast.operator, seal=seal, note="核验身份证")
    seal.refresh_from_db()
    assert not selectors.is_locked(seal)


def test_a_pin_not_changed_for_90_days_is_flagged(cast, people, make_test_seal):
    import datetime

    from django.utils import timezone

    seal = make_test_seal(cast.unit)
    assert not selectors.pin_change_due(seal)
    assert selectors.pin_change_due(seal, now=timezone.now() + datetime.timedelta(days=91))


def test_a_pkcs11_seal_is_made_in_the_token_with_its_user_pin(cast, people, seal_ca, seal_key_dir,
                                                              softhsm_token):
    application = _approved(cast, people, key_storage="pkcs11", seal_type="document")
    lifecycle.confirm(actor=people.custodian, application=application)
    with pytest.raises(SealInvalid) as refused:
        lifecycle.confirm(actor=cast.operator, application=application, pin="Wrong-99-pin",
                          token_label=softhsm_token.label)
    assert "pin" in refused.value.message_dict
    application = lifecycle.confirm(actor=cast.operator, application=application, pin=softhsm_token.user_pin,
                                    token_label=softhsm_token.label)
    seal = application.result_seal
    assert seal.key_storage == Seal.KeyStorage.PKCS11 and seal.token_label == softhsm_token.label
    assert seal.key_label and not seal.key_file
    keys.check_pin(seal, softhsm_token.user_pin)


# --- what each side sees ------------------------------------------------------------------------

def test_applications_and_queues_are_scoped(cast, people, make_test_seal):
    mine = lifecycle.apply(actor=people.keeper, unit=cast.unit, action="make", reason="申请")
    theirs = lifecycle.apply(actor=people.other_keeper, unit=cast.other_unit, action="make", reason="申请")
    assert set(selectors.applications_for(people.keeper)) == {mine}
    assert set(selectors.applications_for(cast.outsider)) == {theirs}
    assert not selectors.applications_for(cast.clerk).exists()
    assert set(selectors.applications_for(cast.operator)) == {mine, theirs}
    assert set(selectors.applications_for(people.custodian)) == {mine, theirs}
    assert list(selectors.queue_for(cast.leader)) == [mine]
    assert not selectors.queue_for(cast.operator).exists()
    lifecycle.decide_as_head(actor=cast.leader, application=mine, approve=True)
    assert list(selectors.queue_for(cast.operator)) == [mine]
    assert not selectors.queue_for(people.custodian).exists()
    seal = make_test_seal(cast.unit, seal_type="special", lower_text="合同专用章")
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.seal_for(cast.outsider, seal.pk)
    with pytest.raises(Http404):
        selectors.seal_for(cast.clerk, seal.pk)
    assert selectors.seal_for(cast.leader, seal.pk) == seal
    assert selectors.seal_for(people.custodian, seal.pk) == seal


def test_a_failed_making_leaves_no_seal_and_no_key_file(cast, people, seal_ca, seal_key_dir, monkeypatch):
    from zhengtong.seals import image

    application = _approved(cast, people)
    lifecycle.confirm(actor=people.custodian, application=application)

    def broken(**kwargs):
        raise OSError("no CJK font")

    monkeypatch.setattr(image, "seal_png", broken)
    with pytest.raises(OSError):
        lifecycle.confirm(actor=cast.operator, application=application, pin=TEST_PIN)
    assert not Seal.objects.exists()
    assert not [path for path in seal_key_dir.rglob("*") if path.is_file()]
    application.refresh_from_db()
    assert application.status == SealApplication.Status.APPROVED and application.operator_confirmed_by is None
