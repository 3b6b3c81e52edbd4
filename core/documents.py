"""Printable letters (WeasyPrint) with a signed verification QR code."""

from __future__ import annotations

import base64
import io

import qrcode
from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse

# The salt predates the move to core; changing it would void printed QR codes.
SIGNER_SALT = "registry.sktm.verification"


def signed_code(code: str) -> str:
    """The verification code signed with SECRET_KEY, so a forged QR does not verify."""
    return signing.Signer(salt=SIGNER_SALT).sign(code)


def unsign_code(value: str) -> str | None:
    try:
        return signing.Signer(salt=SIGNER_SALT).unsign(value)
    except signing.BadSignature:
        return None


def qr_data_uri(text: str) -> str:
    image = qrcode.make(text, box_size=4, border=1)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def public_url(url_name: str, **kwargs: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse(url_name, kwargs=kwargs)


def render_pdf(template: str, context: dict[str, object]) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, context)
    pdf: bytes = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    return pdf
