"""The platform CA: created once, keys encrypted at rest, seal certificate profile, the CRL after
revocations, the public download addresses and `zhengtong ca`."""

from __future__ import annotations

import argparse
import io
import subprocess

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.urls import reverse
from django.utils import timezone

from zhengtong.audit.models import AuditRecord
from zhengtong.core.asyncsafe import call_outside_event_loop
from zhengtong.seals import ca, cli_ca
from zhengtong.seals.models import CertificateAuthority, Seal

pytestmark = pytest.mark.django_db


def test_init_creates_root_and_issuing_ca_once(db, settings):
    root, issuing = ca.init_ca(organisation="鹤山区政务服务数据管理局")
    root_cert, issuing_cert = ca.load_certificate(root.certificate_pem), ca.load_certificate(issuing.certificate_pem)
    assert root_cert.subject == root_cert.issuer
    assert issuing_cert.issuer == root_cert.subject
    root_cert.verify_directly_issued_by(root_cert)
    issuing_cert.verify_directly_issued_by(root_cert)
    assert isinstance(root_cert.public_key(), ec.EllipticCurvePublicKey)
    assert root_cert.public_key().curve.key_size >= 384
    assert 19 <= (root_cert.not_valid_after_utc - root_cert.not_valid_before_utc).days / 365.25 <= 20.1
    assert 9 <= (issuing_cert.not_valid_after_utc - issuing_cert.not_valid_before_utc).days / 365.25 <= 10.1
    constraints = issuing_cert.extensions.get_extension_for_class(x509.BasicConstraints)
    assert constraints.critical and constraints.value.ca and constraints.value.path_length == 0
    usage = issuing_cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.key_cert_sign and usage.crl_sign and not usage.digital_signature
    assert "鹤山区政务服务数据管理局" in root.subject
    assert [c.serial_number for c in ca.chain()] == [issuing_cert.serial_number, root_cert.serial_number]
    assert AuditRecord.objects.filter(action="seals.ca.init").count() == 1

    with pytest.raises(ca.CAAlreadyExists):
        ca.init_ca()
    ca.ensure_ca()  # idempotent
    assert CertificateAuthority.objects.count() == 2
    assert ca.root_certificate_pem() == root.certificate_pem


def test_ca_keys_are_encrypted_with_the_passphrase(seal_ca, settings):
    root, issuing = seal_ca
    for authority in (root, issuing):
        assert authority.encrypted_key_pem.startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----")
        with pytest.raises(TypeError):
            serialization.load_pem_private_key(authority.encrypted_key_pem.encode(), None)
        key = serialization.load_pem_private_key(authority.encrypted_key_pem.encode(),
                                                 settings.SEAL_CA_PASSPHRASE.encode())
        cert = ca.load_certificate(authority.certificate_pem)
        assert key.public_key().public_numbers() == cert.public_key().public_numbers()
    settings.SEAL_CA_PASSPHRASE = "not-the-passphrase"
    with pytest.raises(ca.CAKeyUnreadable):
        ca.issue_seal_certificate(public_key=ec.generate_private_key(ec.SECP256R1()).public_key(),
                                  unit=type("U", (), {"name": "x", "code": "X", "credit_code": ""})(),
                                  seal_name="x", seal_type=Seal.Type.OFFICIAL)


def test_seal_certificate_profile(cast, make_test_seal, settings):
    settings.SEAL_CERT_YEARS = 3
    seal = make_test_seal(cast.unit, seal_type=Seal.Type.DOCUMENT, name="鹤山区农业农村局", lower_text="公文专用章")
    cert = ca.load_certificate(seal.certificate_pem)
    subject = cert.subject

    def value(oid):
        return subject.get_attributes_for_oid(oid)[0].value

    assert value(NameOID.COMMON_NAME) == "鹤山区农业农村局"
    assert value(NameOID.ORGANIZATION_NAME) == cast.unit.name
    assert value(NameOID.ORGANIZATIONAL_UNIT_NAME) == "公文专用章"
    assert value(NameOID.SERIAL_NUMBER) == cast.unit.code
    assert value(NameOID.COUNTRY_NAME) == "CN"
    assert value(x509.ObjectIdentifier("2.5.4.97")) == f"NTRCN-{cast.unit.credit_code}"
    issuing_cert = ca.chain()[0]
    assert cert.issuer == issuing_cert.subject
    cert.verify_directly_issued_by(issuing_cert)
    assert 3 * 365 - 1 <= (cert.not_valid_after_utc - cert.not_valid_before_utc).days <= 3 * 366
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical and usage.value.digital_signature and usage.value.content_commitment
    assert not usage.value.key_cert_sign and not usage.value.key_encipherment
    assert not cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    with pytest.raises(x509.ExtensionNotFound):  # no EKU: NSS would refuse one without emailProtection
        cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    points = cert.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    assert points[0].full_name[0].value == f"{settings.PUBLIC_BASE_URL}/seals/crl/issuing.crl"
    aki = cert.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    assert aki.key_identifier == issuing_cert.extensions.get_extension_for_class(
        x509.SubjectKeyIdentifier).value.digest
    assert cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
    # the Seal fields are the certificate's
    assert seal.serial_number == format(cert.serial_number, "X")
    assert seal.not_after == cert.not_valid_after_utc
    assert len(seal.fingerprint) == 64


def test_openssl_verifies_the_chain(cast, make_test_seal, tmp_path):
    seal = make_test_seal(cast.unit)
    issuing, root = ca.chain()
    (tmp_path / "root.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "issuing.pem").write_bytes(issuing.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "seal.pem").write_text(seal.certificate_pem)
    done = subprocess.run(["openssl", "verify", "-CAfile", str(tmp_path / "root.pem"), "-untrusted",
                           str(tmp_path / "issuing.pem"), str(tmp_path / "seal.pem")], capture_output=True, text=True)
    assert done.returncode == 0 and "OK" in done.stdout, done.stderr


def revoke(seal, reason):
    seal.status = Seal.Status.REVOKED
    seal.revoked_at = timezone.now()
    seal.revocation_reason = reason
    seal.save()


def test_crl_lists_revoked_seals_with_reasons(cast, make_test_seal):
    kept = make_test_seal(cast.unit)
    lost = make_test_seal(cast.unit, seal_type=Seal.Type.DOCUMENT)
    ended = make_test_seal(cast.other_unit)
    requested = make_test_seal(cast.other_unit, seal_type=Seal.Type.SPECIAL)
    before = x509.load_der_x509_crl(ca.current_crl_der())
    assert len(before) == 0
    number_before = before.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number

    revoke(lost, Seal.RevocationReason.LOST)
    revoke(ended, Seal.RevocationReason.UNIT_ENDED)
    revoke(requested, Seal.RevocationReason.REQUESTED)
    der = ca.publish_crl()
    crl = x509.load_der_x509_crl(der)
    issuing = ca.chain()[0]
    assert crl.is_signature_valid(issuing.public_key())
    assert crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number == number_before + 1
    assert 6 <= (crl.next_update_utc - crl.last_update_utc).days <= 7
    assert crl.get_revoked_certificate_by_serial_number(int(kept.serial_number, 16)) is None
    entry = crl.get_revoked_certificate_by_serial_number(int(lost.serial_number, 16))
    assert entry.extensions.get_extension_for_class(x509.CRLReason).value.reason == x509.ReasonFlags.key_compromise
    entry = crl.get_revoked_certificate_by_serial_number(int(ended.serial_number, 16))
    assert entry.extensions.get_extension_for_class(x509.CRLReason).value.reason == \
        x509.ReasonFlags.cessation_of_operation
    entry = crl.get_revoked_certificate_by_serial_number(int(requested.serial_number, 16))
    with pytest.raises(x509.ExtensionNotFound):  # unspecified: no reason code (RFC 5280)
        entry.extensions.get_extension_for_class(x509.CRLReason)
    assert len(crl) == 3
    assert ca.current_crl_der() == der  # still fresh: not published again
    assert ca.is_revoked(lost.serial_number) == lost.revoked_at
    assert ca.is_revoked(lost.serial_number.lower()) == lost.revoked_at
    assert ca.is_revoked(kept.serial_number) is None
    assert AuditRecord.objects.filter(action="seals.crl.publish").count() >= 2

    # openssl checks a revoked certificate against the CRL
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        issuing_cert, root = ca.chain()
        (folder / "ca.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM)
                                        + issuing_cert.public_bytes(serialization.Encoding.PEM))
        (folder / "crl.pem").write_bytes(crl.public_bytes(serialization.Encoding.PEM))
        for seal, good in ((lost, False), (kept, True)):
            (folder / "seal.pem").write_text(seal.certificate_pem)
            done = subprocess.run(["openssl", "verify", "-crl_check", "-CAfile", str(folder / "ca.pem"),
                                   "-CRLfile", str(folder / "crl.pem"), str(folder / "seal.pem")],
                                  capture_output=True, text=True)
            assert (done.returncode == 0) is good, done.stdout + done.stderr
            if not good:
                assert "revoked" in done.stdout + done.stderr


def test_stale_crl_is_published_again(seal_ca):
    _root, issuing = seal_ca
    first = ca.current_crl_der()
    CertificateAuthority.objects.filter(pk=issuing.pk).update(crl_next_update=timezone.now())
    second = ca.current_crl_der()
    assert second != first
    assert x509.load_der_x509_crl(second).next_update_utc > timezone.now()


# --- public downloads ---------------------------------------------------------------------------

def test_public_downloads_need_no_sign_in(client, seal_ca, make_test_seal, cast):
    response = client.get(reverse("seals-public:root-pem"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-pem-file"
    assert response.content.decode() == ca.root_certificate_pem()
    response = client.get(reverse("seals-public:root-der"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pkix-cert"
    assert x509.load_der_x509_certificate(response.content) == ca.root_certificate()
    seal = make_test_seal(cast.unit)
    revoke(seal, Seal.RevocationReason.LOST)
    ca.publish_crl()
    response = client.get("/seals/crl/issuing.crl")
    assert response.status_code == 200 and response["Content-Type"] == "application/pkix-crl"
    crl = x509.load_der_x509_crl(response.content)
    assert crl.get_revoked_certificate_by_serial_number(int(seal.serial_number, 16)) is not None

    page = client.get(reverse("seals-public:index"))
    assert page.status_code == 200
    text = page.content.decode()
    fingerprint = ca.fingerprint(ca.root_certificate()).upper()
    assert fingerprint[:2] + ":" + fingerprint[2:4] in text
    assert "证书吊销列表" in text and 'data-testid="revoked-count">1<' in text


def test_public_downloads_without_ca_are_not_found(client, db):
    assert client.get(reverse("seals-public:root-pem")).status_code == 404
    assert client.get(reverse("seals-public:crl")).status_code == 404
    assert client.get(reverse("seals-public:index")).status_code == 200


def test_public_downloads_refuse_post(client, seal_ca):
    assert client.post(reverse("seals-public:root-pem")).status_code == 405


# --- `zhengtong ca` -----------------------------------------------------------------------------

class Out(io.StringIO):
    def __init__(self):
        super().__init__()
        self.buffer = io.BytesIO()


def ca_command(action, **options):
    out, err = Out(), io.StringIO()
    code = cli_ca.run(argparse.Namespace(ca_command=action, **options), stdout=out, stderr=err)
    return code, out, err


def test_cli_init_root_crl(db, tmp_path, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    code, out, err = ca_command("root")
    assert code == 1 and "zhengtong ca init" in err.getvalue()

    code, out, err = ca_command("init", name="鹤山区政务服务数据管理局")
    assert code == 0, err.getvalue()
    assert "证书签发机构" in out.getvalue() and "SHA-256" in out.getvalue()
    code, out, err = ca_command("init", name=None)
    assert code == 1 and "已存在" in err.getvalue()

    code, out, err = ca_command("root")
    assert code == 0 and out.getvalue() == ca.root_certificate_pem()

    target = tmp_path / "issuing.crl"
    code, out, err = ca_command("crl", output=str(target))
    assert code == 0 and str(target) in out.getvalue()
    assert x509.load_der_x509_crl(target.read_bytes()).issuer == ca.chain()[0].subject
    code, out, err = ca_command("crl", output=None)
    assert code == 0 and x509.load_der_x509_crl(out.buffer.getvalue()).issuer == ca.chain()[0].subject
    code, out, err = ca_command("crl", output=str(tmp_path / "missing" / "dir" / "x.crl"))
    assert code == 3

    settings.SEAL_CA_PASSPHRASE = "wrong"
    from zhengtong.seals.models import CertificateAuthority as CA

    CA.objects.update(crl_der=b"")
    code, out, err = ca_command("crl", output=str(target))
    assert code == 2 and "ZHENGTONG_SEAL_CA_PASSPHRASE" in err.getvalue()


def test_pyhanko_certvalidator_checks_revocation_along_the_chain(cast, make_test_seal, client):
    """With both CRLs (issuing and root) a hard-fail validation accepts a good seal and refuses a
    revoked one: what seal verification relies on."""
    import asyncio

    from asn1crypto import x509 as asn1_x509
    from pyhanko_certvalidator import CertificateValidator, ValidationContext
    from pyhanko_certvalidator.errors import RevokedError

    good, lost = make_test_seal(cast.unit), make_test_seal(cast.other_unit)
    revoke(lost, Seal.RevocationReason.LOST)
    ca.publish_crl()
    issuing, root = ca.chain()
    issuing_points = issuing.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    assert issuing_points[0].full_name[0].value.endswith("/seals/crl/root.crl")
    root_crl = client.get(reverse("seals-public:root-crl"))
    assert root_crl.status_code == 200
    assert x509.load_der_x509_crl(root_crl.content).is_signature_valid(root.public_key())

    def as_asn1(cert):
        return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))

    def validate(seal):
        context = ValidationContext(trust_roots=[as_asn1(root)], other_certs=[as_asn1(issuing)],
                                    crls=ca.validation_crls(), revocation_mode="hard-fail", allow_fetching=False)
        validator = CertificateValidator(as_asn1(ca.load_certificate(seal.certificate_pem)),
                                         validation_context=context)
        return call_outside_event_loop(
            asyncio.run, validator.async_validate_usage({"digital_signature", "non_repudiation"}))

    path = validate(good)
    assert len(path) == 3
    with pytest.raises(RevokedError):
        validate(lost)
