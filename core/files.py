"""Uploaded documents (KTP, KK, SKTM scans, photos): what they are and how staff open
them. Media is never served as static files: every document goes through a view
that checks who may see its record."""

from __future__ import annotations

from typing import IO, Any

from django.db.models import QuerySet
from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from django.shortcuts import get_object_or_404

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# Recognised by their first bytes, not by the name the uploader gave them.
_SIGNATURES = {
    b"%PDF": ("application/pdf", "pdf"),
    b"\xff\xd8\xff": ("image/jpeg", "jpg"),
    b"\x89PNG": ("image/png", "png"),
}
IMAGE_TYPES = frozenset({"image/jpeg", "image/png"})


def sniffed_type(upload: IO[Any]) -> tuple[str, str] | None:
    """(content type, extension) of a PDF, JPEG or PNG; None for anything else. The
    file is left at its start."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    for signature, kind in _SIGNATURES.items():
        if head.startswith(signature):
            return kind
    return None


def private_file_response(stored: FieldFile, *, name: str) -> FileResponse:
    """The document shown in the browser (PDF or image), never kept in a cache; a
    file of any other kind is only downloaded, so it cannot run as a page. `name`
    says what it is without personal data (e.g. "ktp")."""
    handle = stored.open("rb")
    kind = sniffed_type(handle)
    if kind is None:
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=name,
            content_type="application/octet-stream",
        )
    else:
        content_type, extension = kind
        response = FileResponse(
            handle, filename=f"{name}.{extension}", content_type=content_type
        )
    response["Cache-Control"] = "private, no-store"
    return response


def document_response(
    *, actor: Any, documents: QuerySet[Any], document_id: int, purpose: str
) -> FileResponse:
    """One of a record's documents (`documents`: those of a record the actor may
    read), its opening logged with who and why."""
    from core.services import record_access

    document = get_object_or_404(documents, pk=document_id)
    record_access(actor=actor, obj=document, purpose=purpose)
    return private_file_response(document.file, name=document.kind)
