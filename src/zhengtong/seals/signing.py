"""盖章: apply a unit's electronic seal to a PDF (PAdES, pyHanko).

The seal is a PAdES signature (baseline B-B, or B-T with an RFC 3161 time-stamp when
settings.SEAL_TSA_URL is set) whose visible appearance is the seal image, placed over the date
of the document at the square the renderer reported (``Document.seal_boxes``). The first seal
of a document certifies it (DocMDP: filling in forms and signing remain allowed), and creates
the empty fields of the co-issuing units' seals at the same time, so that their seals are later
changes the certification allows (联合盖章).

This module knows nothing about permissions or the database beyond reading the seal's image:
the benchmark calls :func:`seal_pdf` directly; the service ``seals.services.sealing`` wraps it.
"""

from __future__ import annotations

import functools
import hashlib
import io
from collections.abc import Iterable

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.fields import MDPPerm, SigFieldSpec, SigSeedSubFilter
from pyhanko.sign.timestamps import TimestampRequestError
from pyhanko.stamp import StaticStampStyle

from zhengtong.core.asyncsafe import call_outside_event_loop

# Text seals (印章) are printed in full red over the text: the image has a transparent background.
SEAL_OPACITY = 0.92


class SealingFailed(ValueError):
    """The PDF could not be sealed (unreadable PDF, missing field); the message says why, in Chinese."""


def field_name_for(index: int, unit_code: str = "") -> str:
    """The signature field of the ``index``-th seal of a document (0 = the lead unit)."""
    code = "".join(ch for ch in unit_code if ch.isalnum())[:20]
    return f"Seal{index + 1}" + (f"_{code}" if code else "")


def _rect(box: dict) -> tuple[float, float, float, float]:
    x, y, size = float(box["x"]), float(box["y"]), float(box["size"])
    return (round(x, 2), round(y, 2), round(x + size, 2), round(y + size, 2))


def _spec(name: str, box: dict | None) -> SigFieldSpec:
    if box is None:
        return SigFieldSpec(sig_field_name=name)  # invisible seal (a document without seal positions)
    return SigFieldSpec(sig_field_name=name, on_page=int(box.get("page", 1)) - 1, box=_rect(box))


@functools.lru_cache(maxsize=32)
def _image(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image.convert("RGBA")


def seal_image_bytes(seal) -> bytes:
    """The seal's PNG (Seal.image), read once per call."""
    if not seal.image:
        raise SealingFailed(_("The seal has no image."))
    with seal.image.open("rb") as handle:
        return handle.read()


def stamp_style(image_png: bytes) -> StaticStampStyle:
    """The visible appearance: the round seal filling the field's square, nothing else."""
    return StaticStampStyle(
        background=PdfImage(_image(image_png)),
        background_opacity=SEAL_OPACITY,
        border_width=0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID, y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(0)),
    )


def timestamper():
    """An RFC 3161 client for settings.SEAL_TSA_URL, or None (then the seal is PAdES B-B)."""
    url = getattr(settings, "SEAL_TSA_URL", "")
    if not url:
        return None
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(url, timeout=10)


def existing_fields(pdf: bytes) -> dict[str, bool]:
    """Signature fields of ``pdf``: name → filled."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    return {name: value is not None for name, value, _ref in fields.enumerate_sig_fields(reader)}


def seal_pdf(*, pdf: bytes, signer, seal, box: dict | None, field_name: str, certify: bool,
             reason: str = "", location: str = "", other_fields: Iterable[tuple[str, dict | None]] = (),
             image: bytes | None = None, timestamp: bool = True) -> bytes:
    """Seal ``pdf`` with ``signer`` (keys.signer_for) in the field ``field_name``; returns the new PDF.

    ``box``: {"page" (1-based), "x", "y", "size"} in PDF points, origin bottom left; the field is
    created there unless it exists already (a co-issuing unit's field made by the first seal).
    ``certify``: a certification signature (the first seal); ``other_fields`` are created empty
    in the same revision. ``image``: the seal PNG (default: read from ``seal.image``).
    """
    if not pdf.startswith(b"%PDF"):
        raise SealingFailed(_("The file is not a PDF."))
    png = image if image is not None else seal_image_bytes(seal)
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    except Exception as exc:  # pyHanko raises several kinds on broken files
        raise SealingFailed(_("The PDF could not be read: %(error)s") % {"error": exc}) from exc
    present = {name: value is not None for name, value, _ref in fields.enumerate_sig_fields(writer.prev)}
    if present.get(field_name):
        raise SealingFailed(_("This seal field has already been sealed."))
    if certify:
        for name, other_box in other_fields:
            if name != field_name and name not in present:
                fields.append_signature_field(writer, _spec(name, other_box))
                present[name] = False
    new_field_spec = None
    if field_name not in present:
        new_field_spec = _spec(field_name, box)
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        reason=reason or None,
        location=location or None,
        name=getattr(seal, "name", None) or None,
        certify=certify,
        docmdp_permissions=MDPPerm.FILL_FORMS,
    )
    pdf_signer = signers.PdfSigner(
        metadata, signer=signer,
        timestamper=timestamper() if timestamp else None,
        stamp_style=stamp_style(png),
        new_field_spec=new_field_spec,
    )
    output = io.BytesIO()
    try:
        call_outside_event_loop(pdf_signer.sign_pdf, writer, output=output)
    except TimestampRequestError as exc:
        raise SealingFailed(_("The time-stamp server could not be reached; the seal was not applied.")) from exc
    return output.getvalue()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
