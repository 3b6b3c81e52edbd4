"""A small DTKS file and the whole import of it, for the importer's tests."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile

from core.models import User
from registry.models import DtksImportBatch
from registry.services.dtks import (
    dtks_batch_commit,
    dtks_batch_upload,
    dtks_batch_validate,
)

HEADER = "NIK;NO_KK;NAMA;TGL_LAHIR;JENIS_KELAMIN;HUBUNGAN_KELUARGA;ALAMAT;RT;RW;KODE_KELURAHAN;DESIL;ID_DTKS"
ROWS = [
    "6471011205850001;6471012301190001;Budi Santoso;12/05/1985;L;KEPALA KELUARGA;Jl. A;1;2;6471011001;1;D-1",
    "6471015203870002;6471012301190001;Siti Aminah;12/03/1987;P;ISTRI;Jl. A;1;2;6471011001;1;D-2",
    "6471060101150003;6471062301190002;Rizki Ramadhan;01/01/2015;L;KEPALA KELUARGA;Jl. B;3;4;64.71.06.1001;3;D-3",
]

# str.translate table to the fullwidth digits (U+FF10-FF19): digits to isdigit(), not
# to a NIK.
FULLWIDTH = {ord(digit): ord(digit) + 0xFEE0 for digit in "0123456789"}


def dtks_csv(rows: list[str], header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode(encoding)


def dtks_import(
    supervisor: User,
    content: bytes,
    period: dt.date = dt.date(2026, 10, 1),
    commit: bool = True,
) -> DtksImportBatch:
    batch = dtks_batch_upload(
        actor=supervisor, file=ContentFile(content, name="dtks.csv"), period=period
    )
    batch = dtks_batch_validate(batch=batch)
    if commit:
        batch = dtks_batch_commit(actor=supervisor, batch=batch)
    return batch


def broken_stage_file(**_kwargs: object) -> None:
    """In place of `stage_file`: a validation that fails on a system error whose
    message quotes a cell."""
    raise RuntimeError("a cell value")
