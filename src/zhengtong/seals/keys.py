"""Seal keys (印章密钥): where a seal's private key lives and how it is unlocked with the PIN.

Two kinds of storage (Seal.KeyStorage):

- FILE: an RSA-2048 key as PKCS#8 PEM below ``settings.SEAL_KEY_DIR``, encrypted with the seal's
  PIN itself (PBES2: PBKDF2-HMAC-SHA256 with many rounds + AES-256-CBC), file mode 0600. Standard
  tools open it with the PIN (``openssl pkey -in FILE``); without the PIN it is useless.
- PKCS11: an RSA-2048 key generated inside a token (USBKey, HSM, or SoftHSM2 for tests) through
  ``settings.SEAL_PKCS11_MODULE``; it never leaves the token (sensitive, not extractable). The PIN
  is the token's user PIN.

RSA-2048 with SHA-256 is what pyHanko, SoftHSM2, NSS (pdfsig), Adobe and every USBKey handle.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import threading
from pathlib import Path

from asn1crypto import algos as asn1_algos
from asn1crypto import keys as asn1_keys
from asn1crypto import pem as asn1_pem
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from cryptography.hazmat.primitives.padding import PKCS7
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.seals import ca

KEY_BITS = 2048
# PBKDF2 rounds protecting a key file: a 6-digit PIN is guessed far more slowly than with the
# 2,048 rounds OpenSSL uses by default, while unlocking stays ~0.1 s.
PBKDF2_ROUNDS = 200_000
PIN_MIN, PIN_MAX = 6, 16
_PIN_CHARACTERS = re.compile(r"^[\x21-\x7e]+$")  # printable ASCII, no spaces


class WrongPin(ValueError):
    """The PIN does not unlock the seal's key."""

    def __init__(self, message: str | None = None):
        super().__init__(message or _("Wrong PIN: the seal's key was not unlocked."))
        self.message = str(self.args[0])


class PinLocked(WrongPin):
    """The token refuses the PIN: too many wrong PINs were tried."""

    def __init__(self, message: str | None = None):
        super().__init__(message or _("The token is locked after too many wrong PINs; its security officer "
                                      "must unlock it."))


class KeyUnavailable(RuntimeError):
    """The seal's key file or token cannot be reached."""

    def __init__(self, message: str | None = None):
        super().__init__(message or _("The seal's key is not available."))
        self.message = str(self.args[0])


# --- PINs --------------------------------------------------------------------------------------

def validate_pin(pin: str) -> list[str]:
    """Reasons why ``pin`` is not acceptable as a seal PIN (empty when it is)."""
    pin = pin or ""
    problems = []
    if not (PIN_MIN <= len(pin) <= PIN_MAX):
        problems.append(_("The PIN must have %(min)d to %(max)d characters.") % {"min": PIN_MIN, "max": PIN_MAX})
    if pin and not _PIN_CHARACTERS.match(pin):
        problems.append(_("The PIN may contain only letters, digits and punctuation, without spaces."))
    if len(pin) >= 2 and len(set(pin)) == 1:
        problems.append(_("The PIN must not repeat a single character."))
    elif len(pin) >= 4 and _is_sequence(pin):
        problems.append(_("The PIN must not be a simple sequence such as 123456 or abcdef."))
    return problems


def _is_sequence(pin: str) -> bool:
    steps = {ord(b) - ord(a) for a, b in zip(pin, pin[1:])}
    return len(steps) == 1 and steps.pop() in (1, -1)


# --- key files ---------------------------------------------------------------------------------

def _key_dir() -> Path:
    return Path(settings.SEAL_KEY_DIR)


def encrypt_private_key(key, pin: str, *, rounds: int = PBKDF2_ROUNDS) -> bytes:
    """PKCS#8 ``ENCRYPTED PRIVATE KEY`` PEM (PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC) of ``key``."""
    plain = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption())
    salt, iv = os.urandom(16), os.urandom(16)
    secret = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt, iterations=rounds).derive(
        pin.encode("utf-8"))
    padder = PKCS7(128).padder()
    padded = padder.update(plain) + padder.finalize()
    encryptor = Cipher(algorithms.AES(secret), modes.CBC(iv)).encryptor()
    encrypted = encryptor.update(padded) + encryptor.finalize()
    info = asn1_keys.EncryptedPrivateKeyInfo({
        "encryption_algorithm": {
            "algorithm": "pbes2",
            "parameters": {
                "key_derivation_func": {
                    "algorithm": "pbkdf2",
                    "parameters": {"salt": asn1_algos.Pbkdf2Salt(name="specified", value=salt),
                                   "iteration_count": rounds, "prf": {"algorithm": "sha256"}},
                },
                "encryption_scheme": {"algorithm": "aes256_cbc", "parameters": iv},
            },
        },
        "encrypted_data": encrypted,
    })
    return asn1_pem.armor("ENCRYPTED PRIVATE KEY", info.dump())


def _write_private(path: Path, data: bytes) -> None:
    """Write a file readable by its owner only, atomically (no moment with other permissions)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _safe_label(label: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_.-]+", "-", label or "").strip("-.")[:40]
    return cleaned or "seal"


def _key_path(seal) -> Path:
    relative = Path(seal.key_file or "")
    if not seal.key_file or relative.is_absolute() or ".." in relative.parts:
        raise KeyUnavailable(_("The seal has no key file."))
    return _key_dir() / relative


def _load_file_key(seal, pin: str):
    path = _key_path(seal)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise KeyUnavailable(_("The seal's key file cannot be read: %(file)s") % {"file": seal.key_file}) from exc
    try:
        return serialization.load_pem_private_key(data, (pin or "").encode("utf-8"))
    except (ValueError, TypeError) as exc:
        raise WrongPin() from exc


# --- PKCS#11 -----------------------------------------------------------------------------------

_libraries: dict[str, object] = {}
_library_lock = threading.Lock()


def pkcs11_library(module: str | None = None):
    """The PKCS#11 module, loaded and initialised once per process."""
    import pkcs11

    module = module or settings.SEAL_PKCS11_MODULE
    if not module:
        raise KeyUnavailable(_("No PKCS#11 module is configured (ZHENGTONG_SEAL_PKCS11_MODULE)."))
    with _library_lock:
        library = _libraries.get(module)
        if library is None:
            try:
                library = pkcs11.lib(module)
            except Exception as exc:  # noqa: BLE001 - any loader failure means the same to the user
                raise KeyUnavailable(_("The PKCS#11 module cannot be loaded: %(module)s") % {"module": module}) from exc
            _libraries[module] = library
    return library


def _token(token_label: str = ""):
    """The token labelled ``token_label``; without a label, the single initialised token present."""
    from pkcs11.constants import TokenFlag

    library = pkcs11_library()
    try:
        tokens = [slot.get_token() for slot in library.get_slots(token_present=True)]
    except Exception as exc:  # noqa: BLE001
        raise KeyUnavailable(_("The PKCS#11 tokens cannot be listed.")) from exc
    tokens = [token for token in tokens if token.flags & TokenFlag.TOKEN_INITIALIZED]
    if token_label:
        tokens = [token for token in tokens if token.label == token_label]
        if not tokens:
            raise KeyUnavailable(_("The token “%(label)s” is not present.") % {"label": token_label})
        return tokens[0]
    if len(tokens) != 1:
        raise KeyUnavailable(_("Insert exactly one token (USBKey) or name the token to use."))
    return tokens[0]


def _open_session(token, pin: str, *, rw: bool = False):
    from pkcs11 import exceptions as p11

    try:
        return token.open(user_pin=pin or "", rw=rw)
    except p11.PinLocked as exc:
        raise PinLocked() from exc
    except (p11.PinIncorrect, p11.PinLenRange, p11.PinInvalid, p11.ArgumentsBad) as exc:
        raise WrongPin() from exc
    except p11.PKCS11Error as exc:
        raise KeyUnavailable(_("The token “%(label)s” cannot be opened.") % {"label": token.label}) from exc


# --- the API -----------------------------------------------------------------------------------

def generate_seal_key(*, storage: str, pin: str, label: str, token_label: str = "") -> tuple[object, dict]:
    """Make a new seal key; returns ``(public_key, fields)`` with the Seal fields to store:
    ``{"key_file": …}`` for FILE, ``{"token_label": …, "key_label": …}`` for PKCS11.

    The PIN is not checked against validate_pin here (the service does that first); for PKCS11 it
    must be the token's user PIN (WrongPin otherwise).
    """
    from zhengtong.seals.models import Seal

    if storage == Seal.KeyStorage.FILE:
        key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
        relative = Path(timezone.now().strftime("%Y")) / f"{_safe_label(label)}-{secrets.token_hex(6)}.key.pem"
        _write_private(_key_dir() / relative, encrypt_private_key(key, pin))
        return key.public_key(), {"key_file": relative.as_posix()}
    if storage == Seal.KeyStorage.PKCS11:
        from pkcs11 import Attribute, KeyType

        token = _token(token_label)
        key_label = f"{_safe_label(label)}-{secrets.token_hex(4)}"
        session = _open_session(token, pin, rw=True)
        try:
            key_id = os.urandom(16)
            public, private = session.generate_keypair(
                KeyType.RSA, KEY_BITS, id=key_id, label=key_label, store=True,
                public_template={Attribute.VERIFY: True, Attribute.ENCRYPT: False, Attribute.WRAP: False},
                private_template={Attribute.SIGN: True, Attribute.SENSITIVE: True, Attribute.EXTRACTABLE: False,
                                  Attribute.DECRYPT: False, Attribute.UNWRAP: False, Attribute.PRIVATE: True},
            )
            modulus = int.from_bytes(public[Attribute.MODULUS], "big")
            exponent = int.from_bytes(public[Attribute.PUBLIC_EXPONENT], "big")
        finally:
            session.close()
        return rsa.RSAPublicNumbers(exponent, modulus).public_key(), {"token_label": token.label,
                                                                      "key_label": key_label}
    raise ValueError(_("Unknown key storage: %(storage)s") % {"storage": storage})


def _asn1_certificates(seal) -> tuple[asn1_x509.Certificate, list[asn1_x509.Certificate]]:
    der = serialization.Encoding.DER
    cert = asn1_x509.Certificate.load(ca.load_certificate(seal.certificate_pem).public_bytes(der))
    return cert, [asn1_x509.Certificate.load(c.public_bytes(der)) for c in ca.chain()]


def signer_for(seal, pin: str):
    """A pyHanko signer for ``seal`` unlocked with ``pin`` (SimpleSigner or PKCS11Signer), with the
    seal certificate and the CA chain [issuing, root]. Raises WrongPin or KeyUnavailable.

    A PKCS#11 signer holds an open session: pass it to close_signer() (or use ``signing()``).
    """
    from pyhanko.sign.signers import SimpleSigner
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    from zhengtong.seals.models import Seal

    cert, chain_certs = _asn1_certificates(seal)
    if seal.key_storage == Seal.KeyStorage.PKCS11:
        from pyhanko.sign.pkcs11 import PKCS11Signer

        session = _open_session(_token(seal.token_label), pin)
        signer = PKCS11Signer(session, key_label=seal.key_label, signing_cert=cert, ca_chain=chain_certs,
                              other_certs_to_pull=(), embed_roots=True)
        try:
            signer._load_objects()  # find the key now: a missing key is reported here, not mid-signature
        except Exception as exc:  # noqa: BLE001
            session.close()
            raise KeyUnavailable(_("The seal's key is not on the token “%(label)s”.") % {"label": seal.token_label}
                                 ) from exc
        return signer
    key = _load_file_key(seal, pin)
    private_key_info = asn1_keys.PrivateKeyInfo.load(key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return SimpleSigner(signing_cert=cert, signing_key=private_key_info,
                        cert_registry=SimpleCertificateStore.from_certs([cert, *chain_certs]))


def close_signer(signer) -> None:
    """Close the PKCS#11 session a signer holds (nothing to do for a key file)."""
    session = getattr(signer, "pkcs11_session", None)
    if session is not None:
        with contextlib.suppress(Exception):
            session.close()


@contextlib.contextmanager
def signing(seal, pin: str):
    """``with keys.signing(seal, pin) as signer:`` — signer_for() that closes its session afterwards."""
    signer = signer_for(seal, pin)
    try:
        yield signer
    finally:
        close_signer(signer)


def check_pin(seal, pin: str) -> None:
    """Raise WrongPin (or KeyUnavailable) unless ``pin`` unlocks the seal's key."""
    with signing(seal, pin):
        pass


def change_pin(seal, old_pin: str, new_pin: str) -> None:
    """Protect the seal's key with a new PIN (for a token: its user PIN). WrongPin when ``old_pin``
    is wrong; ValueError with the reasons when ``new_pin`` is not acceptable."""
    from zhengtong.seals.models import Seal

    problems = validate_pin(new_pin)
    if problems:
        raise ValueError(" ".join(problems))
    if seal.key_storage == Seal.KeyStorage.PKCS11:
        from pkcs11 import exceptions as p11

        session = _open_session(_token(seal.token_label), old_pin, rw=True)
        try:
            session.set_pin(old_pin, new_pin)
        except p11.PinIncorrect as exc:
            raise WrongPin() from exc
        finally:
            session.close()
        return
    key = _load_file_key(seal, old_pin)
    _write_private(_key_path(seal), encrypt_private_key(key, new_pin))


def destroy_key(seal) -> bool:
    """Delete a revoked seal's key file (tokens are wiped by their custodian); True when deleted."""
    from zhengtong.seals.models import Seal

    if seal.key_storage != Seal.KeyStorage.FILE or not seal.key_file:
        return False
    try:
        _key_path(seal).unlink()
    except (OSError, KeyUnavailable):
        return False
    return True
