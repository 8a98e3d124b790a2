"""The public page of a paper copy's QR code (/verify/c/<token>): the copy and its original's seals."""

from __future__ import annotations

import dataclasses

import pytest
from django.urls import reverse

from zhengtong.exchange.services import printing

try:
    from seals.conftest import TEST_PIN, make_test_seal, pdfsig, seal_ca, seal_key_dir  # noqa: F401 — fixtures
except ImportError:  # pragma: no cover
    from tests.seals.conftest import TEST_PIN, make_test_seal, pdfsig, seal_ca, seal_key_dir  # noqa: F401

try:
    from .printing_helpers import make_delivery, rendered_document
except ImportError:
    from printing_helpers import make_delivery, rendered_document


@pytest.fixture
def sealed(cast, make_test_seal, settings):
    """The sample 通知 sealed by the sending unit's seal made by the platform CA."""
    from zhengtong.seals import keys, signing

    settings.PUBLIC_BASE_URL = "https://zw.heshan.gov.cn"
    seal = make_test_seal(cast.unit)
    pdf, boxes = rendered_document()
    return signing.seal_pdf(pdf=pdf, signer=keys.signer_for(seal, TEST_PIN), seal=seal,
                            box=dataclasses.asdict(boxes[0]), field_name="Seal1", certify=True)


@pytest.mark.django_db
def test_anyone_can_check_a_printed_copy_without_signing_in(cast, sealed, pdfsig, client):
    report = pdfsig(sealed)
    assert "Signature is Valid" in report and "Certificate is Trusted" in report
    delivery = make_delivery(cast, copies=2, pdf=sealed)
    record, pdf = printing.print_copy(actor=cast.outsider, delivery=delivery)
    assert "does not contain any signatures" in pdfsig(pdf)  # the paper copy's file is no original
    response = client.get(reverse("verify:copy", args=[record.token]))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("第 1 份/共 2 份", "关于做好2026年冬春农田水利基本建设工作的通知", "鹤农发〔2026〕12号",
                 "鹤山区农业农村局", "鹤山区财政局", "外单位戊", 'data-testid="seals-valid"'):
        assert text in html, text
    assert reverse("verify:copy", args=[record.token]) == f"/verify/c/{record.token}"


@pytest.mark.django_db
def test_the_page_tells_when_the_original_does_not_verify(cast, sealed, client):
    tampered = bytearray(sealed)
    at = tampered.index(b"/Title") if b"/Title" in tampered else len(tampered) // 3
    tampered[at + 8] = ord("X") if tampered[at + 8] != ord("X") else ord("Y")
    delivery = make_delivery(cast, copies=1, pdf=bytes(tampered))
    record, _ = printing.print_copy(actor=cast.outsider, delivery=delivery)
    html = client.get(reverse("verify:copy", args=[record.token])).content.decode()
    assert 'data-testid="seals-invalid"' in html and 'data-testid="seals-valid"' not in html


@pytest.mark.django_db
def test_a_declassified_copy_is_shown_as_one_and_nothing_else_leaks(cast, sealed, client):
    delivery = make_delivery(cast, copies=2, pdf=sealed)
    printed, _ = printing.print_copy(actor=cast.outsider, delivery=delivery)
    printing.request_copies(actor=cast.outsider, delivery=delivery, kind="more", copies=1, reason="打印机卡纸保密说明")
    record, _ = printing.declassified_copy(actor=cast.outsider, delivery=delivery)
    html = client.get(reverse("verify:copy", args=[record.token])).content.decode()
    assert "脱密件 — 相当于复印件" in html and "鹤山区财政局" in html
    for secret in (printed.token, record.sha256, "打印机卡纸保密说明", "收发员乙"):
        assert secret not in html
    assert 'href="/office/' not in html.split("<main", 1)[1]  # no links into the office portal


@pytest.mark.django_db
def test_an_unknown_token_is_404(client, db):
    assert client.get("/verify/c/no-such-token").status_code == 404
    assert client.get("/verify/c/" + "x" * 60).status_code == 404
