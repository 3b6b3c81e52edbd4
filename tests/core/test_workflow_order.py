"""The buttons of a record's next steps come in the workflow's own order: the way
forward first, then the side exits, the same on every page load."""

from __future__ import annotations

import pytest

from core.workflow import Workflow
from puskesos.models import CaseStatus
from tests.factories.puskesos import case

pytestmark = pytest.mark.django_db


def test_next_states_follow_the_declared_order():
    flow = Workflow(
        name="contoh",
        transitions={"a": frozenset({"z", "c", "b"})},
        labels={"a": "A", "b": "B", "c": "C", "z": "Z"},
    )

    assert flow.next_states("a") == ["b", "c", "z"]


def test_a_case_offers_its_next_step_before_closing_it(client, operator_a, kelurahan_a):
    taken = case(kelurahan=kelurahan_a, actor=operator_a, applicant_name="Warga")
    client.force_login(operator_a)

    offered = [
        s
        for s, *_ in client.get(f"/puskesos/kasus/{taken.public_id}/").context[
            "next_states"
        ]
    ]

    assert offered == [
        CaseStatus.ASSESSED,
        CaseStatus.REJECTED,
        CaseStatus.CANCELLED,
        CaseStatus.UNREACHABLE,
    ]
