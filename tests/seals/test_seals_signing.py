"""signing.seal_pdf: the seal image over the date, certification of the first seal, joint fields,
a SoftHSM2-held key, refusals. Independent checks with pyHanko's reader and poppler's pdftoppm."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def composed():
    """A one-page 通知 and a two-unit joint document, rendered once, with their seal positions."""
    from zhengtong.documents.rendering import render_document_with_anchors
    from zhengtong.documents.rendering.samples import sample_layout
    from zhengtong.documents.rendering.types import RedHeader

    single = render_document_with_anchors(sample_layout(pages=1))
    joint = render_document_with_anchors(sample_layout(
        pages=1, header=RedHeader(lines=("鹤山区农业农村局", "鹤山区财政局")),
        signature_lines=("鹤山区农业农村局", "鹤山区财政局")))
    as_dicts = lambda rendered: [box.__dict__.copy() for box in rendered.seal_boxes]  # noqa: E731
    return {"single": (single.pdf, as_dicts(single)), "joint": (joint.pdf, as_dicts(joint))}


def signatures(pdf: bytes):
    from pyhanko.pdf_utils.reader import PdfFileReader

    return PdfFileReader(io.BytesIO(pdf)).embedded_signatures


def seal_with(seal, pdf, box, *, pin=None, field="Seal1", certify=True, other_fields=()):
    from zhengtong.seals import keys, signing

    from .conftest import TEST_PIN

    with keys.signing(seal, pin or TEST_PIN) as signer:
        return signing.seal_pdf(pdf=pdf, signer=signer, seal=seal, box=box, field_name=field, certify=certify,
                                reason="盖章", location="鹤山区", other_fields=other_fields)


def red_share(png: bytes, box: tuple[int, int, int, int]) -> float:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB").crop(box)
    pixels = list(image.getdata())
    red = sum(1 for r, g, b in pixels if r > 150 and g < 110 and b < 110)
    return red / len(pixels)


def page_png(pdf: bytes, tmp_path, page: int = 1, dpi: int = 72) -> bytes:
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is needed")
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "page.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-png", str(path),
                    str(tmp_path / "out")], check=True, capture_output=True)
    return next(tmp_path.glob("out*.png")).read_bytes()


def test_the_seal_sits_over_the_date(cast, make_test_seal, composed, tmp_path):
    """The seal image is drawn in the box the renderer reported: red ink there, none elsewhere."""
    from pyhanko.sign.fields import MDPPerm

    pdf, boxes = composed["single"]
    box = boxes[0]
    sealed = seal_with(make_test_seal(cast.unit), pdf, box)
    assert sealed.startswith(pdf)  # an incremental update: the composed bytes are untouched
    (signature,) = signatures(sealed)
    assert signature.field_name == "Seal1"
    assert signature.docmdp_level == MDPPerm.FILL_FORMS  # the first seal certifies
    rect = [float(v) for v in signature.sig_field["/Kids"][0]["/Rect"]] if "/Kids" in signature.sig_field else \
        [float(v) for v in signature.sig_field["/Rect"]]
    assert rect == pytest.approx([box["x"], box["y"], box["x"] + box["size"], box["y"] + box["size"]], abs=0.05)

    before, after = page_png(pdf, tmp_path / "a"), page_png(sealed, tmp_path / "b")
    page_height = 842  # A4 at 72 dpi
    left, top = int(box["x"]), int(page_height - box["y"] - box["size"])
    inside = (left + 5, top + 5, left + int(box["size"]) - 5, top + int(box["size"]) - 5)
    assert red_share(before, inside) < 0.01
    assert red_share(after, inside) > 0.08  # the red ring, star and unit name
    # the date (成文日期) lies inside the seal's square, below its centre, as GB/T 9704 wants
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as document:
        words = [w for w in document.pages[0].extract_words() if "2026年" in w["text"] and "日" in w["text"]
                 and "印发" not in w["text"]]
    assert words, "the date is on the page"
    date = words[-1]
    assert box["x"] <= date["x0"] and date["x1"] <= box["x"] + box["size"] + 20
    date_y = page_height - date["bottom"]
    assert box["y"] <= date_y <= box["y"] + box["size"] / 2


def test_joint_fields_are_made_with_the_first_seal(cast, make_test_seal, composed):
    """联合盖章: the first seal creates the co-issuer's empty field; the second seal fills it."""
    from zhengtong.seals import signing

    pdf, boxes = composed["joint"]
    assert len(boxes) == 2
    first = seal_with(make_test_seal(cast.unit), pdf, boxes[0], field="Seal1",
                      other_fields=[("Seal2", boxes[1])])
    assert signing.existing_fields(first) == {"Seal1": True, "Seal2": False}
    second = seal_with(make_test_seal(cast.other_unit), first, None, field="Seal2", certify=False)
    assert signing.existing_fields(second) == {"Seal1": True, "Seal2": True}
    names = [s.field_name for s in signatures(second)]
    assert sorted(names) == ["Seal1", "Seal2"]
    with pytest.raises(signing.SealingFailed):
        seal_with(make_test_seal(cast.other_unit, name="鹤山区财政局公文专用章"), second, None, field="Seal2",
                  certify=False)


def test_not_a_pdf_is_refused(cast, make_test_seal):
    from zhengtong.seals import signing

    with pytest.raises(signing.SealingFailed):
        seal_with(make_test_seal(cast.unit), b"hello, not a pdf", None)


def test_a_seal_kept_in_a_softhsm_token_signs(cast, make_test_seal, softhsm_token, composed, pdfsig):
    """The key never leaves the (Soft)HSM token: pyHanko signs through PKCS#11; pdfsig accepts it."""
    from zhengtong.seals import keys, signing

    seal = make_test_seal(cast.unit, storage="pkcs11")
    pdf, boxes = composed["single"]
    with keys.signing(seal, softhsm_token.user_pin) as signer:
        sealed = signing.seal_pdf(pdf=pdf, signer=signer, seal=seal, box=boxes[0], field_name="Seal1", certify=True)
    report = pdfsig(sealed)
    assert "Signature is Valid" in report and "Certificate is Trusted" in report
    with pytest.raises(keys.WrongPin):
        keys.signer_for(seal, "000000-wrong")


@pytest.fixture
def local_tsa(seal_ca, settings):
    """An RFC 3161 time-stamp server on localhost (pyHanko's DummyTimeStamper behind http.server), its
    certificate issued by the platform root; settings.SEAL_TSA_URL points at it. Its clock is fixed
    one minute back, so a test can tell the TSA's time from the signer's."""
    import datetime as dt
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from asn1crypto import keys as asn1_keys
    from asn1crypto import tsp
    from asn1crypto import x509 as asn1_x509
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    from zhengtong.seals import ca

    root = ca.root_certificate()
    root_key = ca._decrypt_key(ca.root_authority())
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # pyHanko's test TSA signs with RSA
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "测试时间戳服务")]))
            .issuer_name(root.subject).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
            .sign(root_key, hashes.SHA384()))
    tsa_time = (now - dt.timedelta(minutes=1)).replace(microsecond=0)
    stamper = DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
        tsa_key=asn1_keys.PrivateKeyInfo.load(key.private_bytes(serialization.Encoding.DER,
                                                                serialization.PrivateFormat.PKCS8,
                                                                serialization.NoEncryption())),
        fixed_dt=tsa_time)

    errors = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            try:
                body = stamper.request_tsa_response(request).dump()
            except Exception as exc:  # shown in the test's output
                errors.append(exc)
                raise
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SEAL_TSA_URL = f"http://127.0.0.1:{server.server_port}/tsa"
    yield tsa_time
    assert not errors, errors
    server.shutdown()
    server.server_close()


def test_a_time_stamped_seal(cast, make_test_seal, composed, local_tsa, pdfsig):
    """With SEAL_TSA_URL set the seal carries an RFC 3161 time-stamp (PAdES B-T); the verifier takes the
    sealing time from it, and pdfsig still finds the seal valid and trusted."""
    from zhengtong.seals.verification import verify_pdf

    pdf, boxes = composed["single"]
    sealed = seal_with(make_test_seal(cast.unit), pdf, boxes[0])
    (signature,) = signatures(sealed)
    assert signature.attached_timestamp_data is not None
    report = verify_pdf(sealed)
    assert report.ok, report.problems
    entry = report.seals[0]
    assert entry.timestamped and entry.signed_at == local_tsa
    out = pdfsig(sealed)
    assert "Signature is Valid." in out and "Certificate is Trusted." in out


def test_an_unreachable_time_stamp_server_refuses_the_seal(cast, make_test_seal, composed, settings):
    from zhengtong.seals import signing

    settings.SEAL_TSA_URL = "http://127.0.0.1:9/tsa"  # discard port: nothing listens
    pdf, boxes = composed["single"]
    with pytest.raises(signing.SealingFailed) as refused:
        seal_with(make_test_seal(cast.unit), pdf, boxes[0])
    assert "时间戳" in str(refused.value)
