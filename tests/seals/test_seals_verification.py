"""verify_pdf, `zhengtong seal verify` and the 验章 page: valid seals, tampering, foreign
certificates, revocation before and after sealing (CRL), files that are not sealed PDFs."""

from __future__ import annotations

import argparse
import datetime as dt
import io

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def composed():
    from zhengtong.documents.rendering import render_document_with_anchors
    from zhengtong.documents.rendering.samples import sample_layout

    rendered = render_document_with_anchors(sample_layout(pages=1))
    return rendered.pdf, rendered.seal_boxes[0].__dict__.copy()


def _seal(seal, pdf, box, *, field="Seal1", certify=True, other_fields=()):
    from zhengtong.seals import keys, signing

    from .conftest import TEST_PIN

    with keys.signing(seal, TEST_PIN) as signer:
        return signing.seal_pdf(pdf=pdf, signer=signer, seal=seal, box=box, field_name=field, certify=certify,
                                other_fields=other_fields)


@pytest.fixture
def sealed(cast, make_test_seal, composed):
    pdf, box = composed
    seal = make_test_seal(cast.unit)
    return seal, _seal(seal, pdf, box)


def _revoke(seal, when):
    from zhengtong.seals import ca
    from zhengtong.seals.models import Seal

    Seal.objects.filter(pk=seal.pk).update(status=Seal.Status.REVOKED, revoked_at=when,
                                           revocation_reason=Seal.RevocationReason.LOST)
    ca.publish_crl()


def test_a_sealed_document_verifies(sealed):
    from zhengtong.seals.verification import verify_pdf

    seal, data = sealed
    report = verify_pdf(data)
    assert report.ok, report.problems
    (entry,) = report.seals
    assert entry.ok and entry.intact and entry.trusted and entry.certified and entry.covers_whole_file
    assert entry.unit_name == seal.unit.name and entry.seal_name == seal.name
    assert entry.serial == seal.serial_number and entry.seal == seal
    assert entry.signed_at is not None and abs(entry.signed_at - timezone.now()) < dt.timedelta(minutes=1)
    assert not entry.revoked


def test_one_changed_byte_is_found(sealed):
    from zhengtong.seals.verification import verify_pdf

    _seal_row, data = sealed
    target = data.index(b"stream", 200) + 40
    tampered = data[:target] + bytes([data[target] ^ 0x01]) + data[target + 1:]
    report = verify_pdf(tampered)
    assert not report.ok
    assert not report.seals[0].intact
    assert any("改动" in problem or "altered" in problem for problem in report.seals[0].problems)


def test_content_added_after_the_seal_is_found(sealed):
    """An incremental update that draws on the page after sealing: the seal no longer covers what is shown."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    from zhengtong.seals.verification import verify_pdf

    _seal_row, data = sealed
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    drawing = writer.add_object(generic.StreamObject(stream_data=b"q 1 0 0 rg 100 100 200 50 re f Q"))
    writer.add_stream_to_page(0, drawing)
    changed = io.BytesIO()
    writer.write(changed)
    report = verify_pdf(changed.getvalue())
    assert not report.ok
    entry = report.seals[0]
    assert entry.intact and not entry.unchanged_after


def test_a_foreign_certificate_is_not_trusted(cast, seal_ca, composed):
    """A seal made with a self-made certificate (not our CA) verifies cryptographically but is not trusted."""
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    from pyhanko.sign.signers import SimpleSigner
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    from zhengtong.seals import signing
    from zhengtong.seals.verification import verify_pdf

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "鹤山区农业农村局"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "鹤山区农业农村局")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
            .sign(key, hashes.SHA256()))
    asn1_cert = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    signer = SimpleSigner(signing_cert=asn1_cert, signing_key=asn1_keys.PrivateKeyInfo.load(key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())),
        cert_registry=SimpleCertificateStore.from_certs([asn1_cert]))
    pdf, box = composed
    from zhengtong.seals import image

    forged = signing.seal_pdf(pdf=pdf, signer=signer, seal=None, box=box, field_name="Seal1", certify=True,
                              image=image.seal_png(name="鹤山区农业农村局", size_px=200))
    report = verify_pdf(forged)
    assert not report.ok
    entry = report.seals[0]
    assert entry.intact and not entry.trusted and entry.seal is None
    assert any("证书机构" in problem or "certificate authority" in problem for problem in entry.problems)


def test_revoked_after_sealing_stays_valid(sealed):
    from zhengtong.seals.verification import verify_pdf

    seal, data = sealed
    _revoke(seal, timezone.now() + dt.timedelta(seconds=2))
    report = verify_pdf(data)
    assert report.ok, report.problems
    entry = report.seals[0]
    assert entry.revoked and not entry.revoked_before_signing


def test_sealed_after_revocation_is_invalid(cast, make_test_seal, composed):
    """The key still works, but the seal was revoked before it was applied: the CRL says so."""
    from zhengtong.seals.models import Seal
    from zhengtong.seals.verification import verify_pdf

    pdf, box = composed
    seal = make_test_seal(cast.unit)
    _revoke(seal, timezone.now() - dt.timedelta(minutes=5))
    data = _seal(seal, pdf, box)
    report = verify_pdf(data)
    assert not report.ok
    entry = report.seals[0]
    assert entry.intact and entry.trusted and entry.revoked_before_signing
    assert any("吊销" in problem or "revoked" in problem for problem in entry.problems)
    # the published CRL alone is enough (a copy of the platform whose seal rows do not say it)
    Seal.objects.filter(pk=seal.pk).update(revoked_at=None, status=Seal.Status.ACTIVE)
    report = verify_pdf(data)
    assert not report.ok and report.seals[0].revoked_before_signing


@pytest.mark.parametrize("data, words", [
    (b"", "PDF"),
    (b"GIF89a not a pdf at all", "PDF"),
    (b"%PDF-1.7\n garbage garbage", "PDF"),
])
def test_files_that_are_not_sealed_pdfs_get_a_clear_report(seal_ca, data, words):
    from zhengtong.seals.verification import verify_pdf

    report = verify_pdf(data)
    assert not report.ok and report.problems and not report.seals
    assert words in report.problems[0]


def test_an_unsealed_pdf_has_no_seal(seal_ca, composed):
    from zhengtong.seals.verification import verify_pdf

    report = verify_pdf(composed[0])
    assert not report.ok
    assert report.problems == ["文件中没有电子印章。"]


def test_a_half_sealed_joint_document_is_not_finished(cast, make_test_seal, composed):
    from zhengtong.seals.verification import verify_pdf

    pdf, box = composed
    second_box = dict(box, x=box["x"] - 150)
    first = _seal(make_test_seal(cast.unit), pdf, box, other_fields=[("Seal2", second_box)])
    report = verify_pdf(first)
    assert not report.ok and report.pending_fields == ["Seal2"] and report.seals[0].ok
    both = _seal(make_test_seal(cast.other_unit), first, None, field="Seal2", certify=False)
    report = verify_pdf(both)
    assert report.ok, report.problems
    assert [entry.unit_name for entry in report.seals] == ["鹤山区农业农村局", "鹤山区财政局"]
    first_seal = report.seals[0]
    assert first_seal.certified and not first_seal.covers_whole_file and first_seal.unchanged_after


def test_cli_exit_codes_and_chinese_report(sealed, tmp_path, capsys):
    from zhengtong.seals import cli_verify

    _seal_row, data = sealed
    good = tmp_path / "good.pdf"
    good.write_bytes(data)
    assert cli_verify.run(argparse.Namespace(file=str(good), language=None)) == 0
    out = capsys.readouterr().out
    assert "鹤山区农业农村局" in out and "全部印章有效" in out
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(data[:-300] + b"0" * 300)
    assert cli_verify.run(argparse.Namespace(file=str(bad), language=None)) == 1
    assert cli_verify.run(argparse.Namespace(file=str(tmp_path / "missing.pdf"), language=None)) == 2
    assert "无法读取" in capsys.readouterr().err


def test_the_verify_page(sealed, cast, signed_in, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _seal_row, data = sealed
    assert client.get("/office/seals/verify/").status_code == 302  # sign in first
    signed_in(cast.outsider)
    page = client.get("/office/seals/verify/")
    assert page.status_code == 200
    response = client.post("/office/seals/verify/", {"file": SimpleUploadedFile("通知.pdf", data, "application/pdf")})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="seal-report" data-ok="1"' in html and "鹤山区农业农村局" in html
    response = client.post("/office/seals/verify/", {"file": SimpleUploadedFile("x.pdf", b"not a pdf")})
    assert response.status_code == 200 and 'data-ok="0"' in response.content.decode()
    assert client.post("/office/seals/verify/", {}).status_code == 400
