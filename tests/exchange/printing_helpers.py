"""Helpers of the printing tests: a sealed PDF and a dispatch with one delivery, as rows.

The sealed PDF is a rendered 2-page 通知 signed with pyHanko (a throw-away self-signed key), so
these tests do not depend on the seals app's CA; test_exchange_verify_copy seals with the real CA.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import io
import subprocess
import tempfile
from pathlib import Path

from django.core.files.base import ContentFile
from django.utils import timezone

from zhengtong.core.asyncsafe import call_outside_event_loop

PASSWORD = "Zt-Test-Pass-2026"


@functools.cache
def rendered_document() -> tuple[bytes, tuple]:
    """A sample 通知 of two pages and where its seal goes (rendered once per process)."""
    from zhengtong.documents.rendering.document import render_document_with_anchors
    from zhengtong.documents.rendering.samples import sample_layout

    rendered = render_document_with_anchors(sample_layout(2))
    return rendered.pdf, rendered.seal_boxes


@functools.cache
def self_signed_pdf() -> bytes:
    """The sample document certified with a visible signature (a red ring) in its seal box."""
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    from PIL import Image, ImageDraw
    from pyhanko.pdf_utils.images import PdfImage
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.stamp import TextStampStyle
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    pdf, boxes = rendered_document()
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "鹤山区农业农村局（测试）")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30)).sign(key, hashes.SHA256()))
    signer = signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
        signing_key=asn1_keys.PrivateKeyInfo.load(key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())),
        cert_registry=SimpleCertificateStore())
    box = boxes[0]
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    fields.append_signature_field(writer, fields.SigFieldSpec(
        "Seal1", on_page=box.page - 1, box=(box.x, box.y, box.x + box.size, box.y + box.size)))
    ring = Image.new("RGBA", (300, 300), (0, 0, 0, 0))
    ImageDraw.Draw(ring).ellipse((10, 10, 290, 290), outline=(220, 0, 0, 255), width=14)
    style = TextStampStyle(stamp_text="", background=PdfImage(ring), border_width=0, background_opacity=1)
    out = io.BytesIO()
    pdf_signer = signers.PdfSigner(signers.PdfSignatureMetadata(field_name="Seal1", certify=True), signer=signer,
                                   stamp_style=style)
    call_outside_event_loop(pdf_signer.sign_pdf, writer, output=out)
    return out.getvalue()


def third_unit_clerk(cast):
    """A clerk of a third unit (neither sender nor receiver)."""
    from zhengtong.directory import roles
    from zhengtong.directory import services as directory
    from zhengtong.directory.models import UnitCategory

    unit = directory.register_unit(actor=None, name="鹤山区水利局", short_name="水利局", code="WAT001",
                                   category=UnitCategory.objects.get(code="zhengfu"), document_prefix="鹤水")
    user, _ = directory.create_person(actor=None, unit=unit, name="水利收发员", role_codes=[roles.CLERK])
    user.set_password(PASSWORD)
    user.must_change_password = False
    user.save()
    return user


def make_delivery(cast, *, copies: int = 2, pdf: bytes | None = None, checked: bool = True,
                  title: str = "关于做好2026年冬春农田水利基本建设工作的通知", **fields):
    """A dispatch of ``cast.unit`` (sent by its clerk) with one delivery to ``cast.other_unit``,
    whose clerk is ``cast.outsider``; checked (核对) unless told otherwise."""
    from documents.factories import draft

    from zhengtong.exchange.models import Delivery, Dispatch

    pdf = pdf or self_signed_pdf()
    now = timezone.now()
    document = draft(cast, title=title)
    dispatch = Dispatch(sender_unit=cast.unit, document=document, title=title, number="鹤农发〔2026〕12号",
                        kind="notice", sha256=hashlib.sha256(pdf).hexdigest(), sent_by=cast.clerk, sent_at=now,
                        exchange_day=timezone.localdate(), recipient_count=1)
    dispatch.pdf.save("sealed.pdf", ContentFile(pdf), save=False)
    dispatch.save()
    values = {"copies_allowed": copies, "due_at": now + datetime.timedelta(hours=2)}
    if checked:
        values.update(opened_at=now, opened_by=cast.outsider, checked_at=now, checked_by=cast.outsider)
    values.update(fields)
    return Delivery.objects.create(dispatch=dispatch, unit=cast.other_unit, **values)


def pdfsig_report(pdf: bytes) -> str:
    """poppler's pdfsig on ``pdf`` (no trust store needed to see whether any signature is left)."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "copy.pdf"
        path.write_bytes(pdf)
        done = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=60)
        return done.stdout + done.stderr


def page_text(pdf: bytes) -> list[str]:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [page.extract_text() or "" for page in document.pages]
