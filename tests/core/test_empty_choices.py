"""A select with nothing chosen yet says what to choose ("Pilih kebutuhan"), not
Django's "---------"."""

from __future__ import annotations

import pytest

from tests.pages import RECORD_PAGES, opened, record_pages, visible

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("record", RECORD_PAGES)
def test_an_empty_choice_says_what_to_choose(
    client, kelurahan_a, operator_a, peksos_odgj, verifikator, record
):
    user, url = record_pages(kelurahan_a, peksos_odgj, operator_a, verifikator)[record]

    texts = visible(opened(client, user, url).content.decode())

    assert "---------" not in texts
