"""Seal keys: encrypted key files and PKCS#11 (SoftHSM2) tokens unlock with the PIN only, and
their signers produce PDF signatures that poppler's pdfsig accepts with the root trusted."""

from __future__ import annotations

import io
import os
import stat
import subprocess

import pytest
from cryptography.hazmat.primitives import serialization
from pypdf import PdfWriter

from zhengtong.core.asyncsafe import call_outside_event_loop
from zhengtong.seals import ca, keys
from zhengtong.seals.models import Seal

pytestmark = pytest.mark.django_db


def blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def sign(signer, pdf: bytes) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    out = call_outside_event_loop(signers.sign_pdf, IncrementalPdfFileWriter(io.BytesIO(pdf)),
                                  signers.PdfSignatureMetadata(field_name="Seal1"), signer=signer)
    return out.getvalue()


def test_key_file_is_encrypted_with_the_pin_and_private_to_its_owner(cast, make_test_seal, seal_key_dir):
    seal = make_test_seal(cast.unit, pin="Kp-739251")
    path = seal_key_dir / seal.key_file
    data = path.read_bytes()
    assert data.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    with pytest.raises(TypeError):  # encrypted: cannot be read without a password
        serialization.load_pem_private_key(data, None)
    with pytest.raises(ValueError):
        serialization.load_pem_private_key(data, b"Kp-739250")
    key = serialization.load_pem_private_key(data, b"Kp-739251")
    assert key.key_size == 2048
    cert = ca.load_certificate(seal.certificate_pem)
    assert cert.public_key().public_numbers() == key.public_key().public_numbers()
    # OpenSSL (another implementation) opens it with the PIN too
    done = subprocess.run(["openssl", "pkey", "-passin", "pass:Kp-739251", "-noout"], input=data,
                          capture_output=True)
    assert done.returncode == 0, done.stderr


def test_wrong_pin_is_refused_with_a_chinese_message(cast, make_test_seal):
    seal = make_test_seal(cast.unit, pin="Kp-739251")
    with pytest.raises(keys.WrongPin) as refused:
        keys.signer_for(seal, "Kp-000000")
    assert "PIN" in str(refused.value) and "错误" in str(refused.value)
    assert not isinstance(refused.value, PermissionError)


def test_missing_key_file_is_unavailable(cast, make_test_seal, seal_key_dir):
    seal = make_test_seal(cast.unit)
    (seal_key_dir / seal.key_file).unlink()
    with pytest.raises(keys.KeyUnavailable):
        keys.signer_for(seal, "Zt-2468-pin")
    seal.key_file = "../../etc/passwd"
    with pytest.raises(keys.KeyUnavailable):
        keys.signer_for(seal, "Zt-2468-pin")


def test_file_signer_signs_a_pdf_that_pdfsig_trusts(cast, make_test_seal, pdfsig):
    seal = make_test_seal(cast.unit, pin="Kp-739251")
    signed = sign(keys.signer_for(seal, "Kp-739251"), blank_pdf())
    report = pdfsig(signed)
    assert "Signature is Valid" in report, report
    assert "Certificate is Trusted" in report, report
    assert cast.unit.name in report  # the signer's common name is the seal's name


def test_pdfsig_does_not_trust_a_seal_without_the_root(cast, make_test_seal, tmp_path):
    seal = make_test_seal(cast.unit, pin="Kp-739251")
    signed = sign(keys.signer_for(seal, "Kp-739251"), blank_pdf())
    nss = tmp_path / "empty-nss"
    nss.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True, capture_output=True)
    (tmp_path / "s.pdf").write_bytes(signed)
    report = subprocess.run(["pdfsig", "-nssdir", f"sql:{nss}", str(tmp_path / "s.pdf")], capture_output=True,
                            text=True).stdout
    assert "Signature is Valid" in report
    assert "Certificate is Trusted" not in report


def test_change_pin_rewrites_the_key_file(cast, make_test_seal):
    seal = make_test_seal(cast.unit, pin="Kp-739251")
    with pytest.raises(keys.WrongPin):
        keys.change_pin(seal, "Kp-111111", "Np-582046")
    with pytest.raises(ValueError):
        keys.change_pin(seal, "Kp-739251", "111111")
    keys.change_pin(seal, "Kp-739251", "Np-582046")
    with pytest.raises(keys.WrongPin):
        keys.check_pin(seal, "Kp-739251")
    keys.check_pin(seal, "Np-582046")


@pytest.mark.parametrize(("pin", "ok"), [
    ("739251", True), ("Kp-739251", True), ("12345", False), ("123456", False), ("654321", False),
    ("888888", False), ("abcdef", False), ("a" * 17, False), ("73 9251", False), ("密码739251", False),
])
def test_validate_pin(pin, ok):
    problems = keys.validate_pin(pin)
    assert (problems == []) is ok, problems


def test_pkcs11_key_stays_in_the_token_and_signs(cast, make_test_seal, softhsm_token, pdfsig):
    seal = make_test_seal(cast.unit, storage=Seal.KeyStorage.PKCS11)
    assert seal.token_label == softhsm_token.label and seal.key_label and not seal.key_file
    with keys.signing(seal, softhsm_token.user_pin) as signer:
        signed = sign(signer, blank_pdf())
    report = pdfsig(signed)
    assert "Signature is Valid" in report and "Certificate is Trusted" in report, report

    import pkcs11
    from pkcs11 import Attribute, ObjectClass

    token = keys.pkcs11_library().get_token(token_label=softhsm_token.label)
    with token.open(user_pin=softhsm_token.user_pin) as session:
        private = session.get_key(object_class=ObjectClass.PRIVATE_KEY, label=seal.key_label)
        assert private[Attribute.SENSITIVE] and not private[Attribute.EXTRACTABLE]
        with pytest.raises(pkcs11.exceptions.PKCS11Error):
            private[Attribute.PRIVATE_EXPONENT]


def test_pkcs11_wrong_pin_and_missing_token(cast, make_test_seal, softhsm_token):
    seal = make_test_seal(cast.unit, storage=Seal.KeyStorage.PKCS11)
    with pytest.raises(keys.WrongPin):
        keys.signer_for(seal, "00000000")
    seal.token_label = "no-such-token"
    with pytest.raises(keys.KeyUnavailable):
        keys.signer_for(seal, softhsm_token.user_pin)


def test_pkcs11_without_module_is_unavailable(cast, seal_ca, settings):
    settings.SEAL_PKCS11_MODULE = ""
    with pytest.raises(keys.KeyUnavailable):
        keys.generate_seal_key(storage=Seal.KeyStorage.PKCS11, pin="739251", label="x")
