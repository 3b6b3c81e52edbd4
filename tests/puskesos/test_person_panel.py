"""The person page shows the person's open Puskesos cases and starts an intake from
the person."""

from __future__ import annotations

import pytest

from puskesos.models import CaseStatus
from puskesos.services import case_transition
from tests.factories.puskesos import case
from tests.factories.registry import person

pytestmark = pytest.mark.django_db


def _panel(client, user, resident) -> str:
    client.force_login(user)
    page = client.get(f"/registry/penduduk/{resident.public_id}/").content.decode()
    start = page.index('id="puskesos-panel"')
    return page[start : page.index("</div></div>", start)]


def test_the_person_page_lists_the_persons_open_cases(client, operator_a, kelurahan_a):
    resident = person(kelurahan=kelurahan_a)
    open_case = case(kelurahan=kelurahan_a, actor=operator_a, person=resident)
    closed = case(
        kelurahan=kelurahan_a, actor=operator_a, person=resident, need="pendidikan"
    )
    case_transition(actor=operator_a, case=closed, to=CaseStatus.CANCELLED, note="x")

    panel = _panel(client, operator_a, resident)

    assert open_case.ticket_code in panel
    assert closed.ticket_code not in panel


def test_counter_staff_start_an_intake_from_the_person(client, operator_a, kelurahan_a):
    resident = person(kelurahan=kelurahan_a)

    panel = _panel(client, operator_a, resident)

    assert f"/puskesos/penerimaan/?person={resident.public_id}" in panel


def test_the_dinsos_verifier_takes_no_intakes(client, verifikator, kelurahan_a):
    resident = person(kelurahan=kelurahan_a)

    assert "/puskesos/penerimaan/" not in _panel(client, verifikator, resident)
