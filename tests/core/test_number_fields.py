"""Every NIK, KK or phone field on the forms opens the phone's number pad (counter
staff on tablets and citizens on phones type 16 digits)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from tests.pages import RECORD_PAGES, opened, record_pages

pytestmark = pytest.mark.django_db

NUMBER_FIELDS = {"nik", "kk_number", "kk", "nik_hint", "kk_hint", "phone", "nik_last4"}


class _Inputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.inputs: dict[str, dict[str, str | None]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        fields = dict(attrs)
        if tag == "input" and fields.get("type", "text") == "text":
            self.inputs[str(fields.get("name"))] = fields


@pytest.mark.parametrize("record", RECORD_PAGES)
def test_number_fields_open_the_number_pad(
    client, kelurahan_a, operator_a, peksos_odgj, verifikator, record
):
    user, url = record_pages(kelurahan_a, peksos_odgj, operator_a, verifikator)[record]
    parser = _Inputs()
    parser.feed(opened(client, user, url).content.decode())

    without_pad = [
        name
        for name, attrs in parser.inputs.items()
        if name in NUMBER_FIELDS and attrs.get("inputmode") != "numeric"
    ]

    assert without_pad == []
