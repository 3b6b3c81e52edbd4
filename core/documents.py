"""Printable letters (WeasyPrint) with a signed verification QR code."""

from __future__ import annotations

import base64
import io
from contextlib import AbstractContextManager

import qrcode
from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

# Letters and reports are official documents of the kelurahan and of Dinsos: in Bahasa
# Indonesia whatever language the staff member's screen is in (UU 24/2009, Article
# 27), dates and labels included.
OFFICIAL_LANGUAGE = "id"

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


def in_official_language() -> AbstractContextManager[None]:
    """Build an official document inside this: every label, date and choice it
    renders or computes is then in Bahasa Indonesia."""
    return translation.override(OFFICIAL_LANGUAGE)


def render_pdf(template: str, context: dict[str, object]) -> bytes:
    from weasyprint import HTML

    with in_official_language():
        html = render_to_string(template, context)
    pdf: bytes = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    return pdf
