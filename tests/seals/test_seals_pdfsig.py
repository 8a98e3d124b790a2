"""Sealed PDFs checked by an independent tool: poppler's pdfsig, with the platform root trusted in NSS."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def joint_composed():
    from zhengtong.documents.rendering import render_document_with_anchors
    from zhengtong.documents.rendering.samples import sample_layout
    from zhengtong.documents.rendering.types import RedHeader

    rendered = render_document_with_anchors(sample_layout(
        pages=1, header=RedHeader(lines=("鹤山区农业农村局", "鹤山区财政局")),
        signature_lines=("鹤山区农业农村局", "鹤山区财政局")))
    return rendered.pdf, [box.__dict__.copy() for box in rendered.seal_boxes]


def _seal(seal, pdf, box, field, certify, other_fields=()):
    from zhengtong.seals import keys, signing

    from .conftest import TEST_PIN

    with keys.signing(seal, TEST_PIN) as signer:
        return signing.seal_pdf(pdf=pdf, signer=signer, seal=seal, box=box, field_name=field, certify=certify,
                                other_fields=other_fields)


def _blocks(report: str) -> dict[str, str]:
    """pdfsig's report split per signature field name."""
    parts = re.split(r"Signature #\d+:", report)[1:]
    return {re.search(r"Signature Field Name: (\S+)", part).group(1): part for part in parts}


def test_pdfsig_finds_every_seal_valid_and_trusted(cast, make_test_seal, joint_composed, pdfsig):
    pdf, boxes = joint_composed
    lead = make_test_seal(cast.unit)
    first = _seal(lead, pdf, boxes[0], "Seal1", True, other_fields=[("Seal2", boxes[1])])
    report = _blocks(pdfsig(first))
    assert "Signature is Valid." in report["Seal1"] and "Certificate is Trusted." in report["Seal1"]
    assert "not signed" in report["Seal2"]  # the co-issuer's field waits
    both = _seal(make_test_seal(cast.other_unit), first, None, "Seal2", False)
    report = _blocks(pdfsig(both))
    for name in ("Seal1", "Seal2"):
        assert "Signature is Valid." in report[name], report[name]
        assert "Certificate is Trusted." in report[name], report[name]
    assert "Signer Certificate Common Name: 鹤山区财政局" in report["Seal2"]
    assert "Total document signed" in report["Seal2"]


def test_trust_really_comes_from_the_nss_database(cast, make_test_seal, joint_composed, pdfsig, tmp_path):
    """Without our root in the NSS database the same seal is not trusted: the check is real."""
    import subprocess

    pdf, boxes = joint_composed
    sealed = _seal(make_test_seal(cast.unit), pdf, boxes[0], "Seal1", True)
    empty = tmp_path / "empty-nss"
    empty.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{empty}", "--empty-password"], check=True, capture_output=True)
    path = tmp_path / "sealed.pdf"
    path.write_bytes(sealed)
    done = subprocess.run(["pdfsig", "-nssdir", f"sql:{empty}", str(path)], capture_output=True, text=True)
    assert "Signature is Valid." in done.stdout
    assert "Certificate is Trusted." not in done.stdout
    assert "Certificate is Trusted." in pdfsig(sealed)


def test_one_changed_byte_makes_the_seal_invalid(cast, make_test_seal, joint_composed, pdfsig):
    pdf, boxes = joint_composed
    sealed = _seal(make_test_seal(cast.unit), pdf, boxes[0], "Seal1", True)
    # change one byte of the page content (inside the signed range, outside the signature itself)
    target = sealed.index(b"stream", 200) + 40
    tampered = sealed[:target] + bytes([sealed[target] ^ 0x01]) + sealed[target + 1:]
    assert len(tampered) == len(sealed) and tampered != sealed
    report = pdfsig(tampered)
    assert "Signature is Valid." not in report
    assert "Signature is Invalid" in report or "Digest Mismatch" in report or "mismatch" in report.lower()
