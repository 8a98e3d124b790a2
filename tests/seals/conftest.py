"""Shared fixtures for the seals tests: a CA, a SoftHSM2 token, and ready-made seals.

- ``seal_ca``: the platform CA (root, issuing), created in the test's database (ECDSA keys: fast).
- ``softhsm_token``: a SoftHSM2 token in a temporary directory (one per test session, since the
  PKCS#11 module reads SOFTHSM2_CONF once per process), with settings.SEAL_PKCS11_MODULE set.
- ``make_test_seal(unit, pin=…, storage="file", …)``: a Seal row made with the real CA, keys and
  image modules (no lifecycle service), its key file in a temporary SEAL_KEY_DIR.

- ``pdfsig(pdf_bytes, *options) -> str``: poppler's pdfsig report with the root trusted in NSS.

Other test directories can use them by importing them into their own conftest.py:
``from seals.conftest import _softhsm_session, make_test_seal, pdfsig, seal_ca, seal_key_dir, softhsm_token``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

SOFTHSM_MODULES = ("/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
                   "/usr/local/lib/softhsm/libsofthsm2.so")
TEST_PIN = "Zt-2468-pin"


@dataclass(frozen=True)
class SoftHSMToken:
    module: str
    label: str
    user_pin: str
    so_pin: str
    directory: Path


@pytest.fixture
def seal_key_dir(settings, tmp_path_factory):
    """A fresh SEAL_KEY_DIR and MEDIA_ROOT for the test (key files, seal images)."""
    directory = tmp_path_factory.mktemp("seal_keys")
    settings.SEAL_KEY_DIR = directory
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))
    return directory


@pytest.fixture
def seal_ca(db, settings):
    """The platform's CA in the test database: ``(root, issuing)`` CertificateAuthority rows."""
    from zhengtong.seals import ca
    from zhengtong.seals.models import CertificateAuthority

    ca.ensure_ca()
    return (CertificateAuthority.objects.get(kind=CertificateAuthority.Kind.ROOT),
            CertificateAuthority.objects.get(kind=CertificateAuthority.Kind.ISSUING))


@pytest.fixture(scope="session")
def _softhsm_session(tmp_path_factory) -> SoftHSMToken:
    module = next((path for path in SOFTHSM_MODULES if os.path.exists(path)), None)
    util = shutil.which("softhsm2-util")
    if module is None or util is None:
        pytest.skip("SoftHSM2 is not installed (apt-get install softhsm2)")
    directory = tmp_path_factory.mktemp("softhsm")
    (directory / "tokens").mkdir()
    conf = directory / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {directory / 'tokens'}\nobjectstore.backend = file\n"
                    "log.level = ERROR\nslots.removable = false\n")
    # Read by the module when it is first initialised in this process: set before any use.
    os.environ["SOFTHSM2_CONF"] = str(conf)
    token = SoftHSMToken(module=module, label="zt-test-token", user_pin="246813579", so_pin="97531864",
                         directory=directory)
    subprocess.run([util, "--init-token", "--free", "--label", token.label, "--pin", token.user_pin,
                    "--so-pin", token.so_pin], check=True, capture_output=True, env={**os.environ})
    return token


@pytest.fixture
def softhsm_token(_softhsm_session, settings) -> SoftHSMToken:
    """A SoftHSM2 token (label, user_pin, so_pin); settings.SEAL_PKCS11_MODULE points at SoftHSM2."""
    settings.SEAL_PKCS11_MODULE = _softhsm_session.module
    return _softhsm_session


_images: dict[tuple[str, str], bytes] = {}


@pytest.fixture
def make_test_seal(seal_ca, seal_key_dir, settings, request):
    """``make_test_seal(unit, pin=TEST_PIN, storage="file", seal_type="official", name=None,
    lower_text="")`` -> an active Seal of ``unit``, made with the real CA, key store and image.

    ``storage="pkcs11"`` puts the key in the ``softhsm_token`` token (its user PIN is used as the PIN).
    """
    from django.core.files.base import ContentFile

    from zhengtong.seals import ca, image, keys
    from zhengtong.seals.models import Seal

    def make(unit, pin: str = TEST_PIN, storage: str = "file", *, seal_type: str = Seal.Type.OFFICIAL,
             name: str | None = None, lower_text: str = "") -> Seal:
        token_label = ""
        if storage == Seal.KeyStorage.PKCS11:
            token = request.getfixturevalue("softhsm_token")
            pin, token_label = token.user_pin, token.label
        name = name or unit.name
        public_key, key_fields = keys.generate_seal_key(storage=storage, pin=pin, label=f"seal-{unit.code}",
                                                        token_label=token_label)
        cert = ca.issue_seal_certificate(public_key=public_key, unit=unit, seal_name=name, seal_type=seal_type)
        seal = Seal(unit=unit, seal_type=seal_type, name=name, lower_text=lower_text, key_storage=storage,
                    **key_fields, **ca.seal_fields(cert))
        picture = _images.get((name, lower_text))
        if picture is None:
            picture = _images[(name, lower_text)] = image.seal_png(name=name, lower_text=lower_text, size_px=300)
        seal.image.save(f"{unit.code}-{seal.serial_number[:12]}.png", ContentFile(picture), save=False)
        seal.save()
        return seal

    return make


@pytest.fixture
def pdfsig(seal_ca, tmp_path):
    """``pdfsig(pdf_bytes) -> str``: poppler's pdfsig report on a PDF, with an NSS database that
    trusts the platform's root certificate (as a recipient who installed /seals/root.pem would)."""
    from zhengtong.seals import ca

    if not (shutil.which("pdfsig") and shutil.which("certutil")):
        pytest.skip("pdfsig (poppler-utils) and certutil (libnss3-tools) are needed")
    nss = tmp_path / "nssdb"
    nss.mkdir()
    (tmp_path / "root.pem").write_text(ca.root_certificate_pem())
    subprocess.run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True, capture_output=True)
    subprocess.run(["certutil", "-A", "-d", f"sql:{nss}", "-n", "zhengtong-root", "-t", "C,C,C",
                    "-i", str(tmp_path / "root.pem")], check=True, capture_output=True)

    def run(pdf: bytes, *options: str) -> str:
        path = tmp_path / "checked.pdf"
        path.write_bytes(pdf)
        done = subprocess.run(["pdfsig", "-nssdir", f"sql:{nss}", *options, str(path)], capture_output=True,
                              text=True, timeout=60)
        return done.stdout + done.stderr

    return run
