"""The 发文 盖章 step with real seals (seed 004 三.1 加盖公章, 三.2 联合盖章, 要求 7–8): only the unit's
seal keeper with the right PIN seals; wrong PINs are counted, audited and lock the seal; a joint
document is sealed by every issuing unit in turn and the step completes with the last seal."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from documents.flow_fixtures import BODY, _fresh_definition_cache, flow  # noqa: F401 (fixtures)

from .conftest import TEST_PIN

pytestmark = pytest.mark.django_db


def open_item(user, document, step):
    from zhengtong.workflow.models import WorkItem

    items = [item for item in WorkItem.objects.filter(status="open", step=step).select_related("instance")
             if item.instance.subject_id == str(document.pk) and item.candidates.filter(pk=user.pk).exists()]
    assert items, f"{user.name} has no open {step} on {document.title}"
    item = items[0]
    item.instance.refresh_from_db()
    return item


def act(service, user, document, step, **kwargs):
    item = open_item(user, document, step)
    service(actor=user, document=document, work_item=item, revision=item.instance.revision, **kwargs)
    document.refresh_from_db()
    return item


def composed_document(flow, *, co_issuers=()):
    """A 通知 drafted, reviewed, signed off, numbered and composed: waiting at the seal step."""
    from zhengtong.documents.services import drafting, processing

    document = drafting.create_draft(actor=flow.drafter, unit=flow.unit, title="关于做好今冬明春农田水利建设工作的通知",
                                     body=BODY, department=flow.industry, main_recipients="局属各科室",
                                     kind="notice", co_issuers=list(co_issuers))
    processing.submit_draft(actor=flow.drafter, document=document)
    act(processing.review, flow.industry_chief, document, "section_review", opinion="同意。")
    act(processing.review, flow.checker, document, "office_check", opinion="文字已核。")
    act(processing.review, flow.deputy, document, "leader_review", opinion="同意。")
    act(processing.sign_off, flow.leader, document, "sign_off", opinion="发。")
    act(processing.review, flow.checker, document, "recheck", opinion="已复核。")
    if co_issuers:
        act(processing.review, flow.other_checker, document, "joint_check", opinion="无意见。")
        act(processing.joint_sign_off, flow.other_leader, document, "joint_sign_off", opinion="同意。")
    act(processing.take_number, flow.clerk, document, "numbering")
    act(processing.compose, flow.clerk, document, "compose")
    assert document.status == "composed" and document.seal_boxes
    return document


def other_seal_keeper(flow):
    from zhengtong.directory import roles
    from zhengtong.directory import services as directory

    user, _ = directory.create_person(actor=None, unit=flow.cast.other_unit, name="财政印章", department=None,
                                      title="科员", role_codes=[roles.SEAL_KEEPER])
    user.must_change_password = False
    user.save(update_fields=["must_change_password"])
    return user


def read(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()


def test_the_seal_keeper_seals_and_the_step_completes(flow, make_test_seal, pdfsig):
    from zhengtong.audit.models import AuditRecord
    from zhengtong.documents.services import processing
    from zhengtong.seals.models import SealUse
    from zhengtong.seals.verification import verify_pdf

    seal = make_test_seal(flow.unit)
    document = composed_document(flow)
    act(processing.confirm_seal, flow.seal_keeper, document, "seal", seal=seal, pin=TEST_PIN, opinion="已用印。")
    assert document.status == "sealed" and document.sealed_at and document.sealed_pdf
    assert open_item(flow.clerk, document, "distribute")
    data = read(document.sealed_pdf)
    assert data.startswith(read(document.rendered_pdf))  # the composed PDF, sealed incrementally
    use = SealUse.objects.get(document=document)
    assert use.seal == seal and use.certified and use.sealed_by == flow.seal_keeper
    assert use.sha256_after == __import__("hashlib").sha256(data).hexdigest()
    assert AuditRecord.objects.filter(action="seals.seal.use", object_id=str(seal.pk)).exists()
    assert AuditRecord.objects.filter(action="documents.document.seal").exists()
    report = verify_pdf(data)
    assert report.ok and report.seals[0].seal == seal
    out = pdfsig(data)
    assert "Signature is Valid." in out and "Certificate is Trusted." in out


def test_wrong_pins_are_counted_audited_and_lock_the_seal(flow, make_test_seal, settings):
    from zhengtong.audit.models import AuditRecord
    from zhengtong.documents.services import processing

    settings.SEAL_MAX_PIN_FAILURES = 3
    seal = make_test_seal(flow.unit)
    document = composed_document(flow)
    for attempt in (1, 2):
        with pytest.raises(ValidationError) as refused:
            act(processing.confirm_seal, flow.seal_keeper, document, "seal", seal=seal, pin="999999-no")
        assert "PIN" in str(refused.value)
        seal.refresh_from_db()
        assert seal.failed_pin_attempts == attempt
    # a right PIN resets the count … but not before: here a third wrong one locks the seal
    with pytest.raises(ValidationError) as refused:
        act(processing.confirm_seal, flow.seal_keeper, document, "seal", seal=seal, pin="999999-no")
    assert "锁定" in str(refused.value)
    assert AuditRecord.objects.filter(action="seals.seal.wrong_pin").count() == 3
    assert AuditRecord.objects.filter(action="seals.seal.locked").count() == 1
    # locked: even the right PIN is refused now, and nothing changed on the document
    with pytest.raises(ValidationError) as refused:
        act(processing.confirm_seal, flow.seal_keeper, document, "seal", seal=seal, pin=TEST_PIN)
    assert "锁定" in str(refused.value)
    document.refresh_from_db()
    assert document.status == "composed" and not document.sealed_pdf
    assert not seal.uses.exists()


def test_a_right_pin_resets_the_count(flow, make_test_seal):
    from zhengtong.documents.services import processing

    seal = make_test_seal(flow.unit)
    document = composed_document(flow)
    with pytest.raises(ValidationError):
        act(processing.confirm_seal, flow.seal_keeper, document, "seal", seal=seal, pin="999999-no")
    act(processing.confirm_seal, flow.seal_keeper, document, "seal", seal=seal, pin=TEST_PIN)
    seal.refresh_from_db()
    assert seal.failed_pin_attempts == 0 and document.status == "sealed"


def test_others_cannot_use_the_seal(flow, make_test_seal):
    """Another unit's seal keeper, the clerk, and a revoked seal are all refused; nothing changes."""
    from zhengtong.seals.models import Seal
    from zhengtong.seals.services import sealing

    seal = make_test_seal(flow.unit)
    document = composed_document(flow)
    outsider = other_seal_keeper(flow)
    with pytest.raises(PermissionDenied):
        sealing.seal_document(actor=outsider, document=document, seal=seal, pin=TEST_PIN)
    with pytest.raises(PermissionDenied):
        sealing.seal_document(actor=flow.clerk, document=document, seal=seal, pin=TEST_PIN)
    # the other unit's own seal on our document: that unit does not issue it
    foreign = make_test_seal(flow.cast.other_unit)
    with pytest.raises(PermissionDenied):
        sealing.seal_document(actor=outsider, document=document, seal=foreign, pin=TEST_PIN)
    Seal.objects.filter(pk=seal.pk).update(status=Seal.Status.REVOKED)
    seal.refresh_from_db()
    with pytest.raises(PermissionDenied):
        sealing.seal_document(actor=flow.seal_keeper, document=document, seal=seal, pin=TEST_PIN)
    document.refresh_from_db()
    assert document.status == "composed" and not document.sealed_pdf
    seal.refresh_from_db()
    assert seal.failed_pin_attempts == 0


def test_a_unit_without_electronic_seals_confirms_as_before(flow):
    """No seal made yet: the step is a confirmation (paper seal) and there is no sealed PDF to exchange."""
    from zhengtong.documents.services import processing

    document = composed_document(flow)
    act(processing.confirm_seal, flow.seal_keeper, document, "seal", opinion="已加盖实物印章。")
    assert document.status == "sealed" and not document.sealed_pdf and not document.sealed_at


def test_joint_document_sealed_by_every_unit_in_turn(flow, make_test_seal, pdfsig, signed_in, client):
    """联合盖章: the lead seals (certifying), the co-issuer's keeper finds it on 待联合盖章, seals; the
    seal step completes by itself; pdfsig finds both seals valid and trusted."""
    from zhengtong.documents.services import processing
    from zhengtong.notifications.models import Notice
    from zhengtong.seals.services import sealing
    from zhengtong.seals.verification import verify_pdf

    lead_seal = make_test_seal(flow.unit)
    co_seal = make_test_seal(flow.cast.other_unit)
    co_keeper = other_seal_keeper(flow)
    document = composed_document(flow, co_issuers=[flow.cast.other_unit])
    assert len(document.seal_boxes) == 2

    # the co-issuer cannot go first
    with pytest.raises(ValidationError):
        sealing.seal_document(actor=co_keeper, document=document, seal=co_seal, pin=TEST_PIN)
    assert sealing.awaiting_joint_seal(co_keeper) == []

    act(processing.confirm_seal, flow.seal_keeper, document, "seal", seal=lead_seal, pin=TEST_PIN)
    # half sealed: kept beside the document, not as its sealed PDF (it cannot be sent like this)
    assert document.status == "composed" and not document.sealed_pdf and not document.sealed_at
    item = processing.WorkItem.objects.get(step="seal")
    assert item.status == "open" and not item.candidates.exists()  # waits for the co-issuer
    assert Notice.objects.filter(recipient=co_keeper, url__contains=f"/joint/{document.pk}/").exists()
    half = verify_pdf(sealing.pdf_to_seal(document))
    assert not half.ok and half.pending_fields and half.seals[0].ok
    # the lead cannot seal twice
    with pytest.raises(ValidationError):
        sealing.seal_document(actor=flow.seal_keeper, document=document, seal=lead_seal, pin=TEST_PIN)

    # the co-issuer's page: listed, the PDF, the form; an outsider of both units sees nothing
    signed_in(flow.cast.outsider)
    assert client.get(f"/office/seals/joint/{document.pk}/").status_code == 404
    assert client.get(f"/office/seals/joint/{document.pk}/pdf").status_code == 404
    signed_in(co_keeper)
    listing = client.get("/office/seals/joint/")
    assert document.title in listing.content.decode()
    assert client.get(f"/office/seals/joint/{document.pk}/pdf").content.startswith(b"%PDF")
    wrong = client.post(f"/office/seals/joint/{document.pk}/", {"seal": co_seal.pk, "pin": "999999-no"})
    assert wrong.status_code == 400 and "PIN" in wrong.content.decode()
    done = client.post(f"/office/seals/joint/{document.pk}/", {"seal": co_seal.pk, "pin": TEST_PIN})
    assert done.status_code == 302

    document.refresh_from_db()
    assert document.status == "sealed" and document.sealed_at
    item.refresh_from_db()
    assert item.status == "done"
    assert open_item(flow.clerk, document, "distribute")
    data = read(document.sealed_pdf)
    report = verify_pdf(data)
    assert report.ok, report.problems
    assert [entry.unit_name for entry in report.seals] == [flow.unit.name, flow.cast.other_unit.name]
    out = pdfsig(data)
    assert out.count("Signature is Valid.") == 2 and out.count("Certificate is Trusted.") == 2
    assert sealing.awaiting_joint_seal(co_keeper) == []


def test_the_seal_step_on_the_document_page(flow, make_test_seal, signed_in, client):
    """The action panel offers the seals and a PIN field; a wrong PIN shows the message; the right one seals."""
    seal = make_test_seal(flow.unit)
    document = composed_document(flow)
    signed_in(flow.seal_keeper)
    page = client.get(document.get_absolute_url()).content.decode()
    assert 'name="pin"' in page and seal.name in page
    item = open_item(flow.seal_keeper, document, "seal")
    url = reverse("documents:act", args=[document.pk, item.pk])
    response = client.post(url, {"action": "seal", "revision": item.instance.revision, "seal": seal.pk,
                                 "pin": "999999-no", "opinion": ""}, follow=True)
    assert "PIN 码错误" in response.content.decode()
    response = client.post(url, {"action": "seal", "revision": item.instance.revision, "seal": seal.pk,
                                 "pin": TEST_PIN, "opinion": "已用印。"}, follow=True)
    assert "公文已盖章" in response.content.decode()
    document.refresh_from_db()
    assert document.status == "sealed"
    pdf = client.get(reverse("documents:pdf", args=[document.pk]))
    assert b"".join(pdf.streaming_content) == read(document.sealed_pdf)
