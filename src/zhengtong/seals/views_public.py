"""Public pages of the seal CA: what anyone needs to verify the platform's seals (no sign-in)."""

from __future__ import annotations

from cryptography.hazmat.primitives import serialization
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from zhengtong.seals import ca


def _download(content: bytes | str, content_type: str, filename: str, max_age: int) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, public=True, max_age=max_age)
    return response


def _root():
    try:
        return ca.root_certificate()
    except ca.CANotInitialised as exc:
        raise Http404 from exc


@require_GET
def root_pem(request):
    """The root certificate (PEM), to install as trusted for verifying seals."""
    cert = _root()
    return _download(cert.public_bytes(serialization.Encoding.PEM), "application/x-pem-file",
                     "zhengtong-seal-root.pem", 3600)


@require_GET
def root_der(request):
    """The root certificate (DER, .crt): double-click to install on Windows."""
    cert = _root()
    return _download(cert.public_bytes(serialization.Encoding.DER), "application/pkix-cert",
                     "zhengtong-seal-root.crt", 3600)


@require_GET
def crl(request):
    """The seal-issuing CA's current certificate revocation list (DER), named in every seal certificate."""
    try:
        der = ca.current_crl_der()
    except ca.CANotInitialised as exc:
        raise Http404 from exc
    return _download(der, "application/pkix-crl", "issuing.crl", 300)


@require_GET
def root_crl(request):
    """The root's CRL (DER), named in the issuing CA's certificate: lets validators check the chain."""
    try:
        der = ca.current_crl_der(ca.CertificateAuthority.Kind.ROOT)
    except ca.CANotInitialised as exc:
        raise Http404 from exc
    return _download(der, "application/pkix-crl", "root.crl", 300)


@require_GET
def index(request):
    """How to verify the platform's seals: the root certificate, its fingerprint, the CRL."""
    try:
        root = ca.root_certificate()
        issuing = ca.load_certificate(ca.issuing_authority().certificate_pem)
        revocations = ca.current_crl()
    except ca.CANotInitialised:
        root = issuing = revocations = None
    context = {"root": None}
    if root is not None:
        fingerprint = ca.fingerprint(root).upper()
        context = {
            "root": root,
            "issuing": issuing,
            "root_subject": ca.display_name(root.subject),
            "issuing_subject": ca.display_name(issuing.subject),
            "fingerprint": ":".join(fingerprint[i:i + 2] for i in range(0, len(fingerprint), 2)),
            "crl": revocations,
            "crl_number": revocations.extensions.get_extension_for_class(ca.x509.CRLNumber).value.crl_number,
            "revoked_count": len(revocations),
        }
    response = render(request, "seals/public/index.html", context)
    patch_cache_control(response, public=True, max_age=300)
    return response
